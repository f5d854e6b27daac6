//! One app's Auto Loan state: OTPs, applications and their loans, and the due queue that moves pending
//! sanctions and fresh disbursements along the sandbox clock; and the bank's lending pool behind them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::sandbox::bank::{
    clock::ist,
    ledger::{LedgerError, Transfer},
    store::{Bounded, Ctx, Family, Full},
};

use super::model::{Application, Decline, Otp, Stage, Verified};

/// The bank's auto-loan pool: every disbursement is debited here and every repayment credited here.
pub const POOL_ACCOUNT: &str = "000499000001";
const POOL_HOLDER: &str = "SANDBANK AUTO LOAN POOL";
/// ₹100 crore of lending capital, credited from outside when the pool is first needed (and again
/// whenever it runs short).
const POOL_CAPITAL: i64 = 1_000_000_000;

#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
enum Due {
    Sanction,
    Activation,
}

/// The Auto Loan slot of an app's state.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct AutoLoanBook {
    pub otps: Bounded<String, Otp>,
    pub verified: Bounded<String, Verified>,
    pub applications: Bounded<String, Application>,
    /// Loan account → application number, for the applications held (an entry leaves with its
    /// application). Derived from `applications`: a database store rebuilds it rather than writing it.
    #[serde(with = "crate::sandbox::bank::rows::derived")]
    pub loans: std::collections::BTreeMap<String, String>,
    #[serde(with = "crate::sandbox::bank::snapshot::pairs")]
    due: BTreeMap<(DateTime<Utc>, u64), (String, Due)>,
    seq: u64,
}

impl AutoLoanBook {
    pub fn new(limit: usize) -> Self {
        Self {
            otps: Bounded::forgetful("OTPs", limit),
            verified: Bounded::forgetful("OTP verifications", limit),
            applications: Bounded::new("loan applications", limit),
            loans: std::collections::BTreeMap::new(),
            due: BTreeMap::new(),
            seq: 0,
        }
    }

    /// A fresh number for generated ids.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn application(&mut self, no: &str) -> Result<&mut Application, Decline> {
        self.applications
            .get_mut(&no.to_string())
            .ok_or_else(|| Decline::not_found(format!("No application {no} for this app")))
    }

    /// The application a loan account belongs to.
    pub fn by_loan_account(&mut self, account_no: &str) -> Result<&mut Application, Decline> {
        let no = self.loans.get(account_no).cloned().ok_or_else(|| {
            Decline::not_found(format!("No loan account {account_no} for this app"))
        })?;
        self.application(&no)
    }

    /// Makes room for one more application; an evicted (closed or rejected) one takes its loan
    /// account's index entry and its emptied ledger account along.
    pub fn room_for_application(&mut self, ctx: &mut Ctx<'_>) -> Result<(), Full> {
        if let Some((_, evicted)) = self.applications.make_room()? {
            if let Some(loan) = evicted.loan {
                self.loans.remove(&loan.account_no);
                ctx.ledger.close_if_empty(&loan.account_no);
            }
        }
        Ok(())
    }

    pub fn schedule_sanction(&mut self, no: &str, at: DateTime<Utc>) {
        let seq = self.next_seq();
        self.due.insert((at, seq), (no.to_string(), Due::Sanction));
    }

    pub fn schedule_activation(&mut self, no: &str, at: DateTime<Utc>) {
        let seq = self.next_seq();
        self.due
            .insert((at, seq), (no.to_string(), Due::Activation));
    }
}

impl crate::sandbox::bank::snapshot::Kept for AutoLoanBook {
    const NAME: &'static str = "auto_loan";

    fn fresh(object_limit: usize) -> Self {
        Self::new(object_limit)
    }

    fn rebuild_indexes(&mut self) {
        self.loans = self
            .applications
            .iter()
            .filter_map(|(no, application)| {
                let loan = application.loan.as_ref()?;
                Some((loan.account_no.clone(), no.clone()))
            })
            .collect();
    }
}

impl Family for AutoLoanBook {
    fn visit_collections(
        &mut self,
        f: &mut dyn FnMut(&'static str, &mut dyn crate::sandbox::bank::rows::Collection),
    ) {
        f("otps", &mut self.otps);
        f("verified", &mut self.verified);
        f("applications", &mut self.applications);
    }

    fn advance(&mut self, ctx: &mut Ctx<'_>) {
        while let Some(entry) = self.due.first_entry() {
            let (at, _) = *entry.key();
            if at > ctx.now {
                break;
            }
            let (no, due) = entry.remove();
            let Some(application) = self.applications.get_mut(&no) else {
                continue;
            };
            match (due, application.stage) {
                (Due::Sanction, Stage::SanctionPending) => {
                    application.move_to(Stage::Sanctioned, at)
                }
                (Due::Activation, Stage::Disbursed) => application.move_to(Stage::Active, at),
                _ => {}
            }
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// Makes sure the pool can pay `amount`: opened on first use, and topped up with another ₹100 crore of
/// capital credited from outside whenever it runs short, so a disbursement never fails for want of the
/// bank's own funds.
pub fn ensure_pool(ctx: &mut Ctx<'_>, amount: Decimal) -> Result<(), LedgerError> {
    ctx.ledger.open(POOL_ACCOUNT, POOL_HOLDER, "INR");
    while ctx.ledger.balance(POOL_ACCOUNT).unwrap_or_default() < amount {
        ctx.ledger.transfer(Transfer {
            debit: None,
            credit: Some(POOL_ACCOUNT),
            amount: Decimal::from(POOL_CAPITAL),
            at: ctx.now,
            remarks: "LENDING POOL CAPITAL",
            reference: "POOL-CAPITAL",
        })?;
    }
    Ok(())
}

/// The app's date (IST) of an instant.
pub fn ist_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ist()).date_naive()
}
