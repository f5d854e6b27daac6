//! Each rail's typed view of the composite payment's body: the order an account rail (IMPS, NEFT,
//! RTGS) or UPI takes from it, or why the body does not make one ([`Unfit`]).

use crate::sandbox::{
    bank::{
        formats::{check_reference, is_blank, matches, AccountNo, ClientRef, Ifsc, Mobile, Vpa},
        rails::Rail,
    },
    gateway::error::Rejection,
};

use super::composite_request::{
    local_time_pattern, CompositePaymentRequest, TEXT_FIELDS, TEXT_MAX,
};

/// Why a body does not make a rail's order.
#[derive(Debug)]
pub enum Unfit {
    /// A field the rail needs is absent. Which fields a body needs depends on `x-priority`, which no
    /// schema of the body can state: the rail declines (HTTP 200, code 8017 in its own envelope).
    Missing { field: &'static str, rail: Rail },
    /// A field is there but malformed, as the schema says it cannot be: 400/8017.
    Invalid(Rejection),
}

impl From<Rejection> for Unfit {
    fn from(rejection: Rejection) -> Self {
        Unfit::Invalid(rejection)
    }
}

impl Unfit {
    /// As a gateway refusal, for callers that checked the field is there.
    pub fn into_rejection(self) -> Rejection {
        match self {
            Unfit::Missing { field, rail } => {
                Rejection::schema(field, format!("is required for {}", rail.name()))
            }
            Unfit::Invalid(rejection) => rejection,
        }
    }
}

/// A field of the body, or [`Unfit::Missing`].
fn need<'a, T>(value: &'a Option<T>, field: &'static str, rail: Rail) -> Result<&'a T, Unfit> {
    value.as_ref().ok_or(Unfit::Missing { field, rail })
}

/// A free-text field: 1 to 64 characters, not blank.
fn text<'a>(value: &'a Option<String>, field: &'static str, rail: Rail) -> Result<&'a str, Unfit> {
    let raw = need(value, field, rail)?;
    let length = raw.chars().count();
    if is_blank(raw) || length > TEXT_MAX {
        return Err(Rejection::schema(
            field,
            format!("must be 1 to {TEXT_MAX} characters and not blank, got {length} characters"),
        )
        .into());
    }
    Ok(raw)
}

/// An optional free-text field: absent is fine; present, it follows [`text`]'s rule.
fn optional_text<'a>(
    value: &'a Option<String>,
    field: &'static str,
    rail: Rail,
) -> Result<Option<&'a str>, Unfit> {
    match value {
        None => Ok(None),
        Some(_) => text(value, field, rail).map(Some),
    }
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
    /// The free-text fields sent, in [`TEXT_FIELDS`]' order.
    fn texts(&self) -> impl Iterator<Item = (&'static str, &Option<String>)> {
        let values = [
            &self.payment_ref,
            &self.retailer_code,
            &self.pass_code,
            &self.bc_id,
            &self.crp_id,
            &self.crp_usr,
            &self.aggr_id,
            &self.narration1,
            &self.narration2,
            &self.aggr_name,
            &self.urn,
            &self.txn_type,
            &self.device_id,
            &self.channel_code,
            &self.profile_id,
            &self.payee_name,
            &self.txn_type_upi,
            &self.remarks,
            &self.mcc,
            &self.merchant_type,
        ];
        TEXT_FIELDS.into_iter().zip(values)
    }

    /// Every field sent is well formed, whichever rails read it: a malformed field is refused even
    /// where a rail not named would have read it, as the schema says.
    pub fn check_formats(&self) -> Result<(), Rejection> {
        let any_rail = Rail::Imps;
        for (field, value) in self.texts() {
            optional_text(value, field, any_rail).map_err(Unfit::into_rejection)?;
        }
        if let Some(when) = &self.local_txn_dt_time {
            if !matches(local_time_pattern(), when) {
                return Err(Rejection::schema(
                    "localTxnDtTime",
                    format!("must be a date-time yyyyMMddHHmmss, got `{when}`"),
                ));
            }
        }
        match self.workflow_reqd.as_deref() {
            None | Some("Y" | "N") => {}
            Some(other) => {
                let reason = format!("must be Y or N, got `{other}`");
                return Err(Rejection::schema("WORKFLOW_REQD", reason));
            }
        }
        match self.currency.as_deref() {
            None | Some("INR") => {}
            Some(other) => {
                return Err(Rejection::schema(
                    "currency",
                    format!("must be INR, got `{other}`"),
                ))
            }
        }
        for (field, value) in [("tranRefNo", &self.tran_ref_no), ("seq-no", &self.seq_no)] {
            if value.is_some() {
                reference(value, field, any_rail).map_err(Unfit::into_rejection)?;
            }
        }
        Ok(())
    }

    /// The IMPS view, or 8017 naming the first IMPS field missing.
    pub fn imps(&self) -> Result<AccountOrder, Unfit> {
        let rail = Rail::Imps;
        let when = need(&self.local_txn_dt_time, "localTxnDtTime", rail)?;
        if !matches(local_time_pattern(), when) {
            return Err(Rejection::schema(
                "localTxnDtTime",
                format!("must be a date-time yyyyMMddHHmmss, got `{when}`"),
            )
            .into());
        }
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
        optional_text(&self.narration2, "narration2", rail)?;
        order.identity.aggr_name = Some(text(&self.aggr_name, "aggrName", rail)?.to_string());
        order.identity.urn = Some(text(&self.urn, "urn", rail)?.to_string());
        text(&self.txn_type, "txnType", rail)?;
        order.workflow = match text(&self.workflow_reqd, "WORKFLOW_REQD", rail)? {
            "Y" => true,
            "N" => false,
            other => {
                return Err(Rejection::schema(
                    "WORKFLOW_REQD",
                    format!("must be Y or N, got `{other}`"),
                )
                .into())
            }
        };
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
        let payee_name = optional_text(&self.payee_name, "payee-name", rail)?.map(str::to_string);
        let amount = need(&self.amount, "amount", rail)?.value();
        match optional_text(&self.currency, "currency", rail)? {
            None | Some("INR") => {}
            Some(other) => {
                return Err(
                    Rejection::schema("currency", format!("must be INR, got `{other}`")).into(),
                )
            }
        }
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

/// A client reference: 1 to 64 letters, digits or `-_/.`.
pub fn reference(
    value: &Option<ClientRef>,
    field: &'static str,
    rail: Rail,
) -> Result<String, Unfit> {
    let raw = need(value, field, rail)?.as_str();
    check_reference(raw, 64).map_err(|reason| Rejection::schema(field, reason))?;
    Ok(raw.to_string())
}
