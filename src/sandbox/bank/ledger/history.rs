//! A fixture account's history: 120 days of plausible entries ending at its fixture balance,
//! derived from the account number and the seed, so every app (and every run) starts from the same
//! statement.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::sandbox::bank::{
    clock::ist, determinism::Determinism, fixtures::Fixtures, formats::rupees,
};

use super::{Direction, Ledger, Transfer, HISTORY_DAYS};

impl Ledger {
    /// The app's ledger as the fixtures describe it on `today`.
    pub fn seeded(
        fixtures: &Fixtures,
        determinism: &Determinism,
        today: NaiveDate,
        max_entries_per_account: usize,
    ) -> Self {
        let mut ledger = Self::empty(max_entries_per_account);
        let corporate = fixtures.corporates.iter().flat_map(|c| {
            c.accounts
                .iter()
                .map(move |a| (a.account_no.to_string(), c.name.clone(), a.opening_balance))
        });
        let personal = fixtures.persons.iter().map(|p| {
            let name = [&p.first_name, &p.middle_name, &p.last_name]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            (p.savings_account.to_string(), name, p.savings_balance)
        });
        for (account_no, holder, balance) in corporate.chain(personal) {
            let history = history(determinism, &account_no, balance, today);
            ledger.open_with_history(&account_no, &holder, balance, history);
        }
        ledger
    }

    fn open_with_history(
        &mut self,
        account_no: &str,
        holder: &str,
        balance: Decimal,
        history: Vec<(DateTime<Utc>, Direction, Decimal, String)>,
    ) {
        let net: Decimal = history
            .iter()
            .map(|(_, d, amount, _)| match d {
                Direction::Credit => *amount,
                Direction::Debit => -*amount,
            })
            .sum();
        self.open(account_no, holder, "INR");
        let account = self.accounts.get_mut(account_no).expect("just opened");
        account.opening_balance = balance - net;
        account.balance = balance - net;
        for (at, direction, amount, remarks) in history {
            let reference = format!("HIST{}", self.next_entry);
            let transfer = Transfer {
                debit: None,
                credit: None,
                amount,
                at,
                remarks: &remarks,
                reference: &reference,
            };
            self.post(account_no, direction, &transfer);
        }
    }
}

const CREDIT_REMARKS: &[&str] = &[
    "NEFT CR CUSTOMER PAYMENT",
    "UPI CR COLLECTION",
    "IMPS CR SETTLEMENT",
    "RTGS CR VENDOR REFUND",
    "CASH DEPOSIT BRANCH",
    "INTEREST CREDIT",
];
const DEBIT_REMARKS: &[&str] = &[
    "NEFT DR VENDOR PAYMENT",
    "UPI DR UTILITY BILL",
    "IMPS DR SALARY ADVANCE",
    "ATM WDL",
    "GST PAYMENT",
    "CHQ PAID CLEARING",
];

/// 120 days of plausible history ending at `balance` on `today`, derived from the account number and
/// the seed. Built newest first, walking the balance backwards so it never drops below 10% of the
/// final balance; returned oldest first.
fn history(
    determinism: &Determinism,
    account_no: &str,
    balance: Decimal,
    today: NaiveDate,
) -> Vec<(DateTime<Utc>, Direction, Decimal, String)> {
    let mut s = determinism.stream("ledger-history", account_no);
    let floor = balance / Decimal::TEN;
    let unit = (balance / Decimal::from(40)).max(Decimal::ONE_HUNDRED);
    let mut running = balance;
    let mut entries = Vec::new();
    for days_back in 1..=HISTORY_DAYS {
        let day = today - Duration::days(days_back);
        for slot in (0..s.between(0, 2)).rev() {
            let amount = rupees(unit * Decimal::from(s.between(5, 100)) / Decimal::ONE_HUNDRED);
            let credit = s.chance(0.5);
            // Walking backwards: before a credit the balance was lower, before a debit higher.
            let direction = if credit && running - amount >= floor {
                Direction::Credit
            } else {
                Direction::Debit
            };
            running += match direction {
                Direction::Credit => -amount,
                Direction::Debit => amount,
            };
            let remarks = match direction {
                Direction::Credit => s.pick(CREDIT_REMARKS),
                Direction::Debit => s.pick(DEBIT_REMARKS),
            };
            let time = NaiveTime::from_hms_opt(10 + 3 * slot as u32, s.between(0, 59) as u32, 0)
                .expect("valid time");
            let at = ist()
                .from_local_datetime(&day.and_time(time))
                .single()
                .expect("IST has no gaps")
                .with_timezone(&Utc);
            entries.push((at, direction, amount, remarks.to_string()));
        }
    }
    entries.reverse();
    entries
}
