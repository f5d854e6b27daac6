//! Trade's slice of an app's state: remittances by `transactionRefNo` with the due-time queue that
//! moves their status with the sandbox clock, and bank guarantees by BG number.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use poem_openapi::Enum;
use rust_decimal::Decimal;

use super::market::next_business_day;
use crate::sandbox::{
    ledger::Transfer,
    store::{Bounded, Ctx, Family, Full, Settled},
};

/// Where a remittance stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
pub struct Remittance {
    /// What the client sent, to tell an idempotent repeat from a reused reference.
    pub fingerprint: String,
    pub reference: String,
    pub uetr: String,
    pub status: RemittanceStatus,
    pub history: Vec<(RemittanceStatus, DateTime<Utc>)>,
    pub remitter_account: String,
    pub currency: &'static str,
    pub amount: Decimal,
    pub rate: Decimal,
    pub inr_amount: Decimal,
    pub commission: Decimal,
    pub gst: Decimal,
    pub correspondent_charge: Decimal,
    pub charges_inr: Decimal,
    pub total_debit: Decimal,
    pub beneficiary_amount: Decimal,
    pub charges: &'static str,
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
#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct Amendment {
    pub amendment_no: String,
    pub reference: String,
    pub at: DateTime<Utc>,
    pub previous_amount: Decimal,
    pub amount: Decimal,
    pub previous_expiry_date: NaiveDate,
    pub expiry_date: NaiveDate,
}

#[derive(Debug, Clone)]
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

pub struct TradeState {
    pub remittances: Bounded<String, Remittance>,
    /// (when, transactionRefNo): the next status change of each moving remittance.
    pub due: BTreeSet<(DateTime<Utc>, String)>,
    pub guarantees: Bounded<String, Guarantee>,
}

impl TradeState {
    pub fn new(limit: usize) -> Self {
        Self {
            remittances: Bounded::new("remittances", limit),
            due: BTreeSet::new(),
            guarantees: Bounded::new("bank guarantees", limit),
        }
    }

    /// Records a new remittance and queues its first status change.
    pub fn accept(&mut self, remittance: Remittance, at: DateTime<Utc>) -> Result<(), Full> {
        let next = match remittance.status {
            RemittanceStatus::OnHold => next_business_day(at),
            _ => at + Duration::hours(1),
        };
        let reference = remittance.reference.clone();
        self.remittances.insert(reference.clone(), remittance)?;
        self.due.insert((next, reference));
        Ok(())
    }
}

impl Family for TradeState {
    fn advance(&mut self, ctx: &mut Ctx<'_>) {
        while let Some((due, reference)) = self.due.first().cloned() {
            if due > ctx.now {
                break;
            }
            self.due.pop_first();
            let Some(remittance) = self.remittances.get_mut(&reference) else {
                continue; // evicted
            };
            let accepted_at = remittance.history.first().map_or(due, |(_, at)| *at);
            match remittance.status {
                RemittanceStatus::Accepted => {
                    remittance.status = RemittanceStatus::Processing;
                    self.due
                        .insert((next_business_day(accepted_at), reference.clone()));
                }
                RemittanceStatus::Processing => remittance.status = RemittanceStatus::Completed,
                RemittanceStatus::OnHold => {
                    remittance.status = RemittanceStatus::Rejected;
                    let refund = ctx.ledger.transfer(Transfer {
                        debit: None,
                        credit: Some(&remittance.remitter_account),
                        amount: remittance.total_debit,
                        at: due,
                        remarks: "Outward remittance rejected: refund",
                        reference: &remittance.reference,
                    });
                    if let Err(err) = refund {
                        tracing::error!(?err, reference, "remittance refund failed");
                    }
                }
                RemittanceStatus::Completed | RemittanceStatus::Rejected => continue,
            }
            remittance.history.push((remittance.status, due));
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
