//! `POST /api/v1/composite-payment` [bank]: one path, four rails. The `x-priority` header names the
//! rails (`1000` UPI, `0100` IMPS, `0010` NEFT, `0001` RTGS; several = a fallback order) and the body
//! carries the field set of each rail named.
//!
//! The body is modelled as ONE object holding the union of the rails' fields, all optional in the
//! schema; after parsing, each rail named in `x-priority` takes its own typed view of it and a field
//! that rail needs but the body lacks is a 400/8017 naming that field. A `oneOf` was rejected: the
//! rails share field names (`amount`, `mobile`, `tranRefNo`), so a body would match several branches
//! and a parse failure could not name the field at fault.

use poem_openapi::{payload::Json, ApiResponse, Object, Union};
use serde::Deserialize;

use crate::sandbox::{
    bank::rails::Rail,
    error::Rejection,
    formats::{
        check_reference, date_pattern, is_blank, matches, text_schema, AccountNo, Amount,
        ClientRef, HolderName, Ifsc, Mobile, Vpa, TIME_PATTERN,
    },
};

/// The union of the rails' field sets, in the bank's spelling. Which fields are required depends on
/// `x-priority`: IMPS `localTxnDtTime, beneAccNo, beneIFSC, amount, tranRefNo, paymentRef, senderName,
/// mobile, retailerCode, passCode, bcID, crpId, crpUsr, aggrId`; NEFT/RTGS `tranRefNo, amount,
/// senderAcctNo, beneAccNo, beneName, beneIFSC, narration1, crpId, crpUsr, aggrId, aggrName, urn,
/// txnType, WORKFLOW_REQD` (`narration2` optional); UPI `device-id, mobile, channel-code, profile-id,
/// seq-no, payee-va, payer-va, amount, txn-type, remarks, mcc, merchant-type` (`payee-name` and
/// `currency` optional, as in the bank's sample packet). Amounts are strings or JSON numbers; the
/// references (`tranRefNo`, `seq-no`) text or whole numbers. Fields of no rail named are ignored, as
/// are fields the sandbox does not model (`account-provider`, `use-default-acc`, ...).
#[derive(Object, Deserialize, Debug, Default, Clone)]
#[oai(skip_serializing_if_is_none, example)]
pub struct CompositePaymentRequest {
    /// IMPS: the client's local date-time, `yyyyMMddHHmmss`.
    #[oai(rename = "localTxnDtTime")]
    #[serde(rename = "localTxnDtTime")]
    pub local_txn_dt_time: Option<String>,
    /// IMPS, NEFT, RTGS: beneficiary account. Ending `0000`: invalid account.
    #[oai(rename = "beneAccNo")]
    #[serde(rename = "beneAccNo")]
    pub bene_acc_no: Option<AccountNo>,
    /// IMPS, NEFT, RTGS: beneficiary IFSC. A bank code not in the IFSC directory: invalid IFSC.
    #[oai(rename = "beneIFSC")]
    #[serde(rename = "beneIFSC")]
    pub bene_ifsc: Option<Ifsc>,
    /// Every rail: rupees, as a string (`"1500.00"`) or a JSON number (`1500`). Paise `.13` invalid
    /// amount, `.51` insufficient funds, `.96` backend timeout (504/8013).
    pub amount: Option<Amount>,
    /// IMPS, NEFT, RTGS: the client's unique reference (text, or a whole number). Reused: duplicate,
    /// nothing moves twice.
    #[oai(rename = "tranRefNo")]
    #[serde(rename = "tranRefNo")]
    pub tran_ref_no: Option<ClientRef>,
    /// IMPS: payment reference shown to the beneficiary.
    #[oai(rename = "paymentRef")]
    #[serde(rename = "paymentRef")]
    pub payment_ref: Option<String>,
    /// IMPS: remitter's name.
    #[oai(rename = "senderName")]
    #[serde(rename = "senderName")]
    pub sender_name: Option<HolderName>,
    /// IMPS, UPI: remitter's mobile.
    pub mobile: Option<Mobile>,
    /// IMPS: the bank-issued retailer code.
    #[oai(rename = "retailerCode")]
    #[serde(rename = "retailerCode")]
    pub retailer_code: Option<String>,
    /// IMPS: the bank-issued pass code.
    #[oai(rename = "passCode")]
    #[serde(rename = "passCode")]
    pub pass_code: Option<String>,
    /// IMPS: the business correspondent id.
    #[oai(rename = "bcID")]
    #[serde(rename = "bcID")]
    pub bc_id: Option<String>,
    /// IMPS, NEFT, RTGS: the corporate (fixtures/corporates.json, demo `SANDCORP1`); its account is
    /// debited.
    #[oai(rename = "crpId")]
    #[serde(rename = "crpId")]
    pub crp_id: Option<String>,
    /// IMPS, NEFT, RTGS: the corporate's user (demo `SANDUSER1`).
    #[oai(rename = "crpUsr")]
    #[serde(rename = "crpUsr")]
    pub crp_usr: Option<String>,
    /// IMPS, NEFT, RTGS: the aggregator (demo `SANDAGGR1`).
    #[oai(rename = "aggrId")]
    #[serde(rename = "aggrId")]
    pub aggr_id: Option<String>,
    /// NEFT, RTGS: the aggregator's name (demo `SANDBANK`).
    #[oai(rename = "aggrName")]
    #[serde(rename = "aggrName")]
    pub aggr_name: Option<String>,
    /// NEFT, RTGS: the corporate's URN (demo `SANDURN0001`).
    pub urn: Option<String>,
    /// NEFT, RTGS: the debit account, one of the corporate's (demo `000405000001`).
    #[oai(rename = "senderAcctNo")]
    #[serde(rename = "senderAcctNo")]
    pub sender_acct_no: Option<AccountNo>,
    /// NEFT, RTGS: beneficiary's name.
    #[oai(rename = "beneName")]
    #[serde(rename = "beneName")]
    pub bene_name: Option<HolderName>,
    /// NEFT, RTGS: remarks.
    pub narration1: Option<String>,
    /// NEFT, RTGS: more remarks (optional).
    pub narration2: Option<String>,
    /// NEFT, RTGS: `RGS` (NEFT) or `RTG` (RTGS); informational, `x-priority` picks the rail.
    #[oai(rename = "txnType")]
    #[serde(rename = "txnType")]
    pub txn_type: Option<String>,
    /// NEFT, RTGS: `N` executes at once; `Y` parks the payment in the corporate's approval workflow
    /// (PENDING, "Pending For approval", nothing moves).
    #[oai(rename = "WORKFLOW_REQD")]
    #[serde(rename = "WORKFLOW_REQD")]
    pub workflow_reqd: Option<String>,
    /// UPI: the payer's device id.
    #[oai(rename = "device-id")]
    #[serde(rename = "device-id")]
    pub device_id: Option<String>,
    /// UPI: the channel code.
    #[oai(rename = "channel-code")]
    #[serde(rename = "channel-code")]
    pub channel_code: Option<String>,
    /// UPI: the payer's profile id.
    #[oai(rename = "profile-id")]
    #[serde(rename = "profile-id")]
    pub profile_id: Option<String>,
    /// UPI: the client's unique sequence number (its reference, text or a whole number; reused:
    /// duplicate).
    #[oai(rename = "seq-no")]
    #[serde(rename = "seq-no")]
    pub seq_no: Option<ClientRef>,
    /// UPI: the payee's VPA; a fixture merchant's VPA credits its settlement account.
    #[oai(rename = "payee-va")]
    #[serde(rename = "payee-va")]
    pub payee_va: Option<Vpa>,
    /// UPI: the payer's VPA.
    #[oai(rename = "payer-va")]
    #[serde(rename = "payer-va")]
    pub payer_va: Option<Vpa>,
    /// UPI: the payee's name (optional; default: the VPA holder's name, as `ValidateAddress` answers
    /// it).
    #[oai(rename = "payee-name")]
    #[serde(rename = "payee-name")]
    pub payee_name: Option<String>,
    /// UPI: `INR` (optional; the default).
    pub currency: Option<String>,
    /// UPI: `PAY`.
    #[oai(rename = "txn-type")]
    #[serde(rename = "txn-type")]
    pub txn_type_upi: Option<String>,
    /// UPI: remarks.
    pub remarks: Option<String>,
    /// UPI: merchant category code.
    pub mcc: Option<String>,
    /// UPI: `ENTITY` or `PERSON`.
    #[oai(rename = "merchant-type")]
    #[serde(rename = "merchant-type")]
    pub merchant_type: Option<String>,
}

/// `yyyyMMddHHmmss`, a real date and time: what [`CompositePaymentRequest::imps`] reads.
pub fn local_time_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| format!("^{}{TIME_PATTERN}$", date_pattern("yyyyMMdd")))
}

/// The free-text fields, by their names in the body.
const TEXT_FIELDS: [&str; 20] = [
    "paymentRef",
    "retailerCode",
    "passCode",
    "bcID",
    "crpId",
    "crpUsr",
    "aggrId",
    "narration1",
    "narration2",
    "aggrName",
    "urn",
    "txnType",
    "device-id",
    "channel-code",
    "profile-id",
    "payee-name",
    "txn-type",
    "remarks",
    "mcc",
    "merchant-type",
];

/// The fields' formats as the rails check them. Which fields are required is `x-priority`'s to
/// say, so none is required here: a rail missing one declines (see [`Unfit::Missing`]).
pub fn schema_rule() -> crate::api::SchemaRule {
    let text = text_schema(TEXT_MAX);
    let mut properties = serde_json::Map::new();
    for field in TEXT_FIELDS {
        properties.insert(field.into(), text.clone());
    }
    properties.insert(
        "localTxnDtTime".into(),
        serde_json::json!({ "pattern": local_time_pattern() }),
    );
    properties.insert(
        "WORKFLOW_REQD".into(),
        serde_json::json!({ "enum": ["Y", "N"] }),
    );
    properties.insert("currency".into(), serde_json::json!({ "enum": ["INR"] }));
    crate::api::SchemaRule {
        schema: "CompositePaymentRequest",
        rule: serde_json::json!({ "properties": properties }),
    }
}

impl poem_openapi::types::Example for CompositePaymentRequest {
    fn example() -> Self {
        let text = |s: &str| Some(s.to_string());
        Self {
            local_txn_dt_time: text("20260401103000"),
            bene_acc_no: AccountNo::parse("000405009999").ok(),
            bene_ifsc: Ifsc::parse("ICIC0000004").ok(),
            amount: Amount::parse("1500.00").ok(),
            tran_ref_no: Some(ClientRef("IMPS20260401000001".into())),
            payment_ref: text("FTTransferP2A"),
            sender_name: HolderName::parse("Sandbank Demo Traders").ok(),
            mobile: Mobile::parse("9800000001").ok(),
            retailer_code: text("rcode"),
            pass_code: text("447c4524c9074b8c97e3a3c40ca7458d"),
            bc_id: text("IBCKer00055"),
            crp_id: text("SANDCORP1"),
            crp_usr: text("SANDUSER1"),
            aggr_id: text("SANDAGGR1"),
            ..Self::default()
        }
    }
}

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

/// The free-text fields' rule, 1 to 64 characters, not blank, as the schema states it.
pub const TEXT_MAX: usize = 64;

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
    pub payer_va: Vpa,
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
        let payer_va = need(&self.payer_va, "payer-va", rail)?.clone();
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
            payer_va,
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

/// The IMPS answer.
#[derive(Object, Debug, Clone)]
pub struct ImpsAnswer {
    /// `0` success, `14` duplicate, `51` insufficient funds, `52` invalid account, `201` invalid IFSC,
    /// `13` invalid amount (or above the IMPS limit), `96` timeout, `12` unknown corporate or user,
    /// `25` no such transaction (status).
    #[oai(rename = "ActCode")]
    pub act_code: String,
    /// The answer in words.
    #[oai(rename = "Response")]
    pub response: String,
    /// 12-digit retrieval reference, stable for the app and `tranRefNo`.
    #[oai(rename = "BankRRN")]
    pub bank_rrn: String,
    /// The beneficiary's name as their bank holds it (empty when not found).
    #[oai(rename = "BeneName")]
    pub bene_name: String,
    #[oai(rename = "TranRefNo")]
    pub tran_ref_no: String,
}

/// The NEFT / RTGS answer, in the bank's Corporate Internet Banking style.
#[derive(Object, Debug, Clone)]
pub struct CibAnswer {
    /// `SUCCESS` when the bank accepted the request (even if the payment is pending), else `FAILURE`.
    #[oai(rename = "RESPONSE")]
    pub response: String,
    /// `SUCCESS`, `PENDING` (NEFT awaiting its batch, or awaiting approval), `DUPLICATE`, `FAILURE`.
    #[oai(rename = "STATUS")]
    pub status: String,
    #[oai(rename = "MESSAGE")]
    pub message: String,
    /// On failure or duplicate: `999936` duplicate, `100030` insufficient funds, `100046` invalid
    /// account, `100047` invalid IFSC, `100013` invalid amount (or RTGS below ₹2,00,000), `9906`
    /// invalid corporate ids or debit account, `100025` no such transaction (status).
    #[oai(rename = "RESPONSECODE", skip_serializing_if_is_none)]
    pub response_code: Option<String>,
    /// The UTR: 16 characters for NEFT, 22 for RTGS.
    #[oai(rename = "UTRNUMBER", skip_serializing_if_is_none)]
    pub utr_number: Option<String>,
    /// The client's `tranRefNo`.
    #[oai(rename = "UNIQUEID")]
    pub unique_id: String,
    /// The corporate's URN: in answers to the CIB form of `composite-status`.
    #[oai(rename = "URN", skip_serializing_if_is_none)]
    pub urn: Option<String>,
    /// The bank's request id: in answers to the CIB form of `composite-status`.
    #[oai(rename = "REQID", skip_serializing_if_is_none)]
    pub req_id: Option<String>,
}

/// The UPI pay answer.
#[derive(Object, Debug, Clone)]
pub struct UpiPayAnswer {
    /// `"true"` or `"false"`, as a string (the bank's UPI style).
    pub success: String,
    /// `0` success, `5002` duplicate `seq-no`, `Z9` insufficient funds, `5004` invalid amount, `5005`
    /// above the UPI limit, `37` invalid payee VPA, `96` timeout, `5003` no such transaction (status).
    pub response: String,
    pub message: String,
    #[oai(rename = "BankRRN")]
    pub bank_rrn: String,
    #[oai(rename = "seq-no")]
    pub seq_no: String,
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
}

/// The answer in the shape of the rail that carried the payment.
#[derive(Union, Debug, Clone)]
#[oai(one_of)]
pub enum RailAnswer {
    Imps(ImpsAnswer),
    Cib(CibAnswer),
    Upi(UpiPayAnswer),
}

#[derive(ApiResponse)]
pub enum CompositePaymentAnswer {
    /// The rail's answer (HTTP 200 for a decline too): IMPS `ActCode`, NEFT/RTGS `STATUS`, UPI
    /// `response`.
    #[oai(status = 200)]
    Ok(Json<RailAnswer>),
}
