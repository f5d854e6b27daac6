//! The Payments & UPI family's records: a composite payment as its rail answered it, and a
//! merchant-side UPI transaction (collect, QR intent, refund), with where each stands; and the
//! composite payment's answer in the shape of each rail. Beside them: [`composite_request`] (the
//! composite payment's body), [`rails`] (each rail's answer) and [`upi`] (the merchant UPI
//! operations' shared rules).

pub mod composite_request;
pub mod rails;
pub mod upi;

use chrono::{DateTime, Utc};
use poem_openapi::{Object, Union};
use rust_decimal::Decimal;

use crate::sandbox::bank::{
    corporates::CibOutcome,
    rails::{imps_answer, Rail},
    store::Settled,
};

/// Where a payment or UPI transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Pending,
    Success,
    Failure,
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Success => "SUCCESS",
            Self::Failure => "FAILURE",
            Self::Expired => "EXPIRED",
        }
    }
}

/// A composite payment as the rail that carried it answered it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Payment {
    /// The client's `tranRefNo` (IMPS/NEFT/RTGS) or `seq-no` (UPI).
    pub reference: String,
    pub rail: Rail,
    pub amount: Decimal,
    pub status: Status,
    /// The rail's answer code (IMPS `ActCode`, CIB `RESPONSECODE`, UPI `response`).
    pub code: String,
    pub message: String,
    /// BankRRN (IMPS, UPI) or UTR (NEFT, RTGS).
    pub rrn: String,
    pub bene_name: String,
    /// The account of this bank a pending NEFT credits at its batch (`None`: another bank's).
    pub credit: Option<String>,
    pub due: Option<DateTime<Utc>>,
    /// The corporate (`crpId`) and its URN for an account rail's payment: the CIB form of the status
    /// inquiry answers only its own corporate.
    pub corp_id: Option<String>,
    pub urn: Option<String>,
}

impl Settled for Payment {
    fn is_settled(&self) -> bool {
        self.status != Status::Pending
    }
}

/// The `subMerchantId` a request names: its own, or the merchant itself when it sends none (the
/// bank's SDKs leave it out).
pub fn sub_merchant<'a>(sub_merchant_id: &'a Option<String>, merchant_id: &'a str) -> &'a str {
    sub_merchant_id.as_deref().unwrap_or(merchant_id)
}

/// The 200 description of a merchant UPI answer: a refusal is answered 200 too.
pub const UPI_MERCHANT_ANSWER: &str =
    "The bank's answer (HTTP 200 for a refusal too; read `response`).";

/// The merchant a merchant UPI answer names, as its request named it (flattened into the answer).
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct MerchantEcho {
    pub merchant_id: String,
    pub sub_merchant_id: String,
    pub terminal_id: String,
}

impl MerchantEcho {
    pub fn of(merchant_id: &str, sub_merchant_id: &Option<String>, terminal_id: &str) -> Self {
        Self {
            merchant_id: merchant_id.to_string(),
            sub_merchant_id: sub_merchant(sub_merchant_id, merchant_id).to_string(),
            terminal_id: terminal_id.to_string(),
        }
    }
}

/// What a UPI transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UpiKind {
    Collect,
    Qr,
    Refund,
}

/// What the simulated payer will do, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Decision {
    Approve,
    Reject,
    Expire,
}

/// A merchant-side UPI transaction.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct UpiTxn {
    pub kind: UpiKind,
    pub bank_rrn: String,
    pub merchant_id: String,
    pub merchant_name: String,
    pub sub_merchant_id: String,
    pub terminal_id: String,
    pub merchant_tran_id: String,
    pub bill_number: String,
    pub payer_va: Option<String>,
    pub payer_name: String,
    pub payer_mobile: String,
    pub amount: Decimal,
    pub status: Status,
    /// `0` success, `92` pending, `00ZA` rejected, `U69` expired, ...
    pub response: String,
    pub message: String,
    pub init_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The decision queued for the clock, if any.
    pub planned: Option<(DateTime<Utc>, Decision)>,
    /// Successful refunds so far (collects and QR payments).
    pub refunded: Decimal,
    /// The merchant's own callback URL (`None`: the app's).
    pub callback_url: Option<String>,
    /// The callback body as sent, once settled.
    pub callback: Option<serde_json::Value>,
}

/// A pending collect is an open obligation; so is a successful collect or QR payment with money
/// still refundable (a refund draws on it). Declined, expired and fully refunded ones are settled, and
/// so is a refund.
impl Settled for UpiTxn {
    fn is_settled(&self) -> bool {
        let refundable = self.kind != UpiKind::Refund
            && self.status == Status::Success
            && self.refunded < self.amount;
        self.status != Status::Pending && !refundable
    }
}

imps_answer! {
    /// The IMPS answer.
    pub struct ImpsAnswer {
        /// `0` success, `14` duplicate, `51` insufficient funds, `52` invalid account, `201` invalid IFSC,
        /// `13` invalid amount (or above the IMPS limit), `96` timeout, `12` unknown corporate or user,
        /// `25` no such transaction (status).
        act_code,
        /// 12-digit retrieval reference, stable for the app and `tranRefNo`.
        bank_rrn,
        /// The beneficiary's name as their bank holds it (empty when not found).
        bene_name,
    }
}

/// The NEFT / RTGS answer, in the bank's Corporate Internet Banking style. `RESPONSE` is `SUCCESS`
/// when the bank accepted the request, even if the payment is pending. `STATUS`: `SUCCESS`, `PENDING`
/// (NEFT awaiting its batch, or awaiting approval), `DUPLICATE` or `FAILURE`. On failure or
/// duplicate, `RESPONSECODE`: `999936` duplicate, `100030` insufficient funds, `100046` invalid
/// account, `100047` invalid IFSC, `100013` invalid amount (or RTGS below ₹2,00,000), `9906` invalid
/// corporate ids or debit account, `100025` no such transaction (status).
#[derive(Object, Debug, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct CibAnswer {
    #[oai(flatten)]
    pub outcome: CibOutcome,
    /// The UTR: 16 characters for NEFT, 22 for RTGS.
    #[oai(rename = "UTRNUMBER")]
    pub utr_number: Option<String>,
    /// The client's `tranRefNo`.
    #[oai(rename = "UNIQUEID")]
    pub unique_id: String,
    /// The corporate's URN: in answers to the CIB form of `composite-status`.
    #[oai(rename = "URN")]
    pub urn: Option<String>,
    /// The bank's request id: in answers to the CIB form of `composite-status`.
    #[oai(rename = "REQID")]
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
