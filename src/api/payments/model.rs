//! The Payments & UPI family's records: a composite payment as its rail answered it, and a
//! merchant-side UPI transaction (collect, QR intent, refund), with where each stands.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::sandbox::{bank::rails::Rail, store::Settled};

/// Where a payment or UPI transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
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

/// What a UPI transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpiKind {
    Collect,
    Qr,
    Refund,
}

/// What the simulated payer will do, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    Expire,
}

/// A merchant-side UPI transaction.
#[derive(Debug, Clone)]
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
