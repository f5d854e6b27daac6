//! Each rail's typed view of the composite payment's body: the order an account rail (IMPS, NEFT,
//! RTGS) or UPI takes from it, or why the body does not make one ([`Unfit`]).

use crate::sandbox::{
    bank::{
        formats::{AccountNo, ClientRef, Ifsc, Mobile, Vpa},
        rails::Rail,
    },
    gateway::error::Rejection,
};

use super::composite_request::{BodyText, CompositePaymentRequest};

/// Why a body does not make a rail's order: a field the rail needs is absent. Which fields a body
/// needs depends on `x-priority`, which no schema of the body can state: the rail declines (HTTP 200,
/// code 8017 in its own envelope). A malformed field never gets here: the body's types refuse it
/// (400/8017) as it is read.
#[derive(Debug)]
pub struct Unfit {
    pub field: &'static str,
    pub rail: Rail,
}

impl Unfit {
    /// As a gateway refusal, for callers that checked the field is there.
    pub fn into_rejection(self) -> Rejection {
        Rejection::schema(self.field, format!("is required for {}", self.rail.name()))
    }
}

/// A field of the body, or [`Unfit`].
fn need<'a, T>(value: &'a Option<T>, field: &'static str, rail: Rail) -> Result<&'a T, Unfit> {
    value.as_ref().ok_or(Unfit { field, rail })
}

/// A free-text field of the body (well formed: the body's type checked it), or [`Unfit`].
fn text<'a>(
    value: &'a Option<BodyText>,
    field: &'static str,
    rail: Rail,
) -> Result<&'a str, Unfit> {
    need(value, field, rail).map(|text| text.as_str())
}

/// The corporate identity an IMPS / NEFT / RTGS order names.
#[derive(Debug, Clone)]
pub struct Identity {
    pub crp_id: String,
    pub crp_usr: String,
    pub aggr_id: String,
    /// NEFT/RTGS only.
    pub aggr_name: Option<String>,
    pub urn: Option<String>,
}

/// What any account rail (IMPS, NEFT, RTGS) needs, read from the body.
#[derive(Debug, Clone)]
pub struct AccountOrder {
    pub reference: String,
    pub amount: rust_decimal::Decimal,
    pub bene_acc: AccountNo,
    pub bene_ifsc: Ifsc,
    pub identity: Identity,
    /// NEFT/RTGS: the debit account named; IMPS: none (the corporate's first account).
    pub sender_account: Option<AccountNo>,
    pub workflow: bool,
}

/// What the UPI rail needs.
#[derive(Debug, Clone)]
pub struct UpiOrder {
    pub reference: String,
    pub amount: rust_decimal::Decimal,
    pub payee_va: Vpa,
    /// `None`: the payee VPA holder's name.
    pub payee_name: Option<String>,
    pub mobile: Mobile,
}

impl CompositePaymentRequest {
    /// The IMPS view, or 8017 naming the first IMPS field missing.
    pub fn imps(&self) -> Result<AccountOrder, Unfit> {
        let rail = Rail::Imps;
        need(&self.local_txn_dt_time, "localTxnDtTime", rail)?;
        let order = self.account_order(rail)?;
        text(&self.payment_ref, "paymentRef", rail)?;
        need(&self.sender_name, "senderName", rail)?;
        need(&self.mobile, "mobile", rail)?;
        text(&self.retailer_code, "retailerCode", rail)?;
        text(&self.pass_code, "passCode", rail)?;
        text(&self.bc_id, "bcID", rail)?;
        Ok(order)
    }

    /// The NEFT or RTGS view, or 8017 naming the first field missing.
    pub fn cib(&self, rail: Rail) -> Result<AccountOrder, Unfit> {
        let mut order = self.account_order(rail)?;
        order.sender_account = Some(need(&self.sender_acct_no, "senderAcctNo", rail)?.clone());
        need(&self.bene_name, "beneName", rail)?;
        text(&self.narration1, "narration1", rail)?;
        order.identity.aggr_name = Some(text(&self.aggr_name, "aggrName", rail)?.to_string());
        order.identity.urn = Some(text(&self.urn, "urn", rail)?.to_string());
        text(&self.txn_type, "txnType", rail)?;
        order.workflow = need(&self.workflow_reqd, "WORKFLOW_REQD", rail)?.as_str() == "Y";
        Ok(order)
    }

    /// The UPI view, or 8017 naming the first UPI field missing.
    pub fn upi(&self) -> Result<UpiOrder, Unfit> {
        let rail = Rail::Upi;
        text(&self.device_id, "device-id", rail)?;
        let mobile = need(&self.mobile, "mobile", rail)?.clone();
        text(&self.channel_code, "channel-code", rail)?;
        text(&self.profile_id, "profile-id", rail)?;
        let reference = reference(&self.seq_no, "seq-no", rail)?;
        let payee_va = need(&self.payee_va, "payee-va", rail)?.clone();
        // Required of a UPI order, though nothing after this check reads it.
        need(&self.payer_va, "payer-va", rail)?;
        let payee_name = self
            .payee_name
            .as_ref()
            .map(|name| name.as_str().to_string());
        let amount = need(&self.amount, "amount", rail)?.value();
        text(&self.txn_type_upi, "txn-type", rail)?;
        text(&self.remarks, "remarks", rail)?;
        text(&self.mcc, "mcc", rail)?;
        text(&self.merchant_type, "merchant-type", rail)?;
        Ok(UpiOrder {
            reference,
            amount,
            payee_va,
            payee_name,
            mobile,
        })
    }

    fn account_order(&self, rail: Rail) -> Result<AccountOrder, Unfit> {
        Ok(AccountOrder {
            reference: reference(&self.tran_ref_no, "tranRefNo", rail)?,
            amount: need(&self.amount, "amount", rail)?.value(),
            bene_acc: need(&self.bene_acc_no, "beneAccNo", rail)?.clone(),
            bene_ifsc: need(&self.bene_ifsc, "beneIFSC", rail)?.clone(),
            identity: Identity {
                crp_id: text(&self.crp_id, "crpId", rail)?.to_string(),
                crp_usr: text(&self.crp_usr, "crpUsr", rail)?.to_string(),
                aggr_id: text(&self.aggr_id, "aggrId", rail)?.to_string(),
                aggr_name: None,
                urn: None,
            },
            sender_account: None,
            workflow: false,
        })
    }
}

/// A client reference (well formed: [`ClientRef`] checked it), or [`Unfit`].
pub fn reference(
    value: &Option<ClientRef>,
    field: &'static str,
    rail: Rail,
) -> Result<String, Unfit> {
    need(value, field, rail).map(|reference| reference.as_str().to_string())
}
