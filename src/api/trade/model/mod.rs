//! Trade's bank types, shared by its operations: a remittance and a bank guarantee as the app's state
//! keeps them, the reference and text formats requests use, what a remittance costs under each
//! charges option, and (in [`market`]) the remittance desk's reference data.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use poem_openapi::Enum;
use rust_decimal::Decimal;
use serde::Deserialize;

pub mod market;

use super::codes::Code;
use crate::sandbox::bank::{formats::rupees, store::Settled};
use market::Currency;

/// Where a remittance stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RemittanceStatus {
    /// Taken and debited; becomes `PROCESSING` 1 sandbox hour later.
    Accepted,
    /// Sent to the correspondent; becomes `COMPLETED` 1 business day after acceptance.
    Processing,
    /// Credited to the beneficiary.
    Completed,
    /// Held for sanctions screening (magic beneficiary name); `REJECTED` 1 business day later.
    OnHold,
    /// Refused by screening; the INR debit is refunded to the remitter.
    Rejected,
}

/// An outward remittance as the bank keeps it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Remittance {
    /// What the client sent, to tell an idempotent repeat from a reused reference.
    pub fingerprint: String,
    pub reference: String,
    pub uetr: String,
    pub status: RemittanceStatus,
    pub history: Vec<(RemittanceStatus, DateTime<Utc>)>,
    pub remitter_account: String,
    pub currency: String,
    pub amount: Decimal,
    pub rate: Decimal,
    pub inr_amount: Decimal,
    pub commission: Decimal,
    pub gst: Decimal,
    pub correspondent_charge: Decimal,
    pub charges_inr: Decimal,
    pub total_debit: Decimal,
    pub beneficiary_amount: Decimal,
    pub charges: String,
    pub beneficiary_name: String,
    pub beneficiary_account: String,
    pub beneficiary_bic: String,
    pub beneficiary_bank: String,
    pub purpose_code: String,
    pub value_date: NaiveDate,
}

impl Settled for Remittance {
    fn is_settled(&self) -> bool {
        matches!(
            self.status,
            RemittanceStatus::Completed | RemittanceStatus::Rejected
        )
    }
}

/// A bank guarantee's lifecycle record (its status is derived: see [`Guarantee::status`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Guarantee {
    pub fingerprint: String,
    pub bg_number: String,
    pub request_ref: String,
    pub guarantee_type: String,
    pub applicant_account: String,
    pub applicant_name: String,
    pub beneficiary_name: String,
    pub beneficiary_address: String,
    pub currency: String,
    pub amount: Decimal,
    pub issue_date: NaiveDate,
    pub expiry_date: NaiveDate,
    pub claim_period_days: u32,
    pub amendments: Vec<Amendment>,
    pub invocation: Option<Invocation>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Amendment {
    pub amendment_no: String,
    pub reference: String,
    pub at: DateTime<Utc>,
    pub previous_amount: Decimal,
    pub amount: Decimal,
    pub previous_expiry_date: NaiveDate,
    pub expiry_date: NaiveDate,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Invocation {
    pub reference: String,
    pub amount: Decimal,
    pub at: DateTime<Utc>,
}

/// A guarantee's status on a given day: `EXPIRED` after `expiryDate` by the sandbox clock.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GuaranteeStatus {
    /// In force, as issued.
    Issued,
    /// In force, amended at least once.
    Amended,
    /// Past its expiry date by the app's sandbox clock (claims still lodge until `claimExpiryDate`).
    Expired,
    /// The beneficiary has claimed it.
    Invoked,
}

impl Guarantee {
    pub fn claim_expiry_date(&self) -> NaiveDate {
        self.expiry_date + Duration::days(i64::from(self.claim_period_days))
    }

    pub fn status(&self, today: NaiveDate) -> GuaranteeStatus {
        if self.invocation.is_some() {
            GuaranteeStatus::Invoked
        } else if today > self.expiry_date {
            GuaranteeStatus::Expired
        } else if self.amendments.is_empty() {
            GuaranteeStatus::Issued
        } else {
            GuaranteeStatus::Amended
        }
    }
}

/// A guarantee is a live obligation until the beneficiary claims it.
impl Settled for Guarantee {
    fn is_settled(&self) -> bool {
        self.invocation.is_some()
    }
}

/// The bank's commission per remittance, INR, and GST on it (18%).
const COMMISSION: Decimal = Decimal::from_parts(500, 0, 0, false, 0);
const GST_PERCENT: Decimal = Decimal::from_parts(18, 0, 0, false, 0);

/// Who bears the charges (SWIFT field 71A).
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charges {
    /// The remitter pays every charge; the beneficiary receives the full amount.
    #[oai(rename = "OUR")]
    #[serde(rename = "OUR")]
    Our,
    /// The beneficiary bears every charge, deducted from the amount.
    #[oai(rename = "BEN")]
    #[serde(rename = "BEN")]
    Ben,
    /// Shared: the remitter pays the bank's charges, the beneficiary the correspondent's.
    #[oai(rename = "SHA")]
    #[serde(rename = "SHA")]
    Sha,
}

impl Charges {
    pub fn code(self) -> &'static str {
        match self {
            Self::Our => "OUR",
            Self::Ben => "BEN",
            Self::Sha => "SHA",
        }
    }
}

/// What a remittance costs, INR, and what reaches the beneficiary.
pub struct Priced {
    pub inr_amount: Decimal,
    pub commission: Decimal,
    pub gst: Decimal,
    pub charges_inr: Decimal,
    pub total_debit: Decimal,
    pub beneficiary_amount: Decimal,
}

/// The INR debit and the beneficiary's amount for `amount` of `currency` at `rate` under `charges`.
pub fn price(
    currency: &Currency,
    amount: Decimal,
    rate: Decimal,
    charges: Charges,
) -> Result<Priced, Code> {
    let inr_amount = rupees(amount * rate);
    let commission = rupees(COMMISSION);
    let gst = rupees(COMMISSION * GST_PERCENT / Decimal::ONE_HUNDRED);
    let bank_charges = commission + gst;
    let correspondent = currency.correspondent_charge;
    let (charges_inr, beneficiary_amount) = match charges {
        Charges::Our => (bank_charges + rupees(correspondent * rate), amount),
        Charges::Sha => (bank_charges, amount - correspondent),
        Charges::Ben => (
            Decimal::ZERO,
            amount - correspondent - currency.round(bank_charges / rate),
        ),
    };
    if beneficiary_amount <= Decimal::ZERO {
        return Err(Code::ChargesExceedAmount);
    }
    Ok(Priced {
        inr_amount,
        commission,
        gst,
        charges_inr,
        total_debit: inr_amount + charges_inr,
        beneficiary_amount,
    })
}
