//! The ledger: every debit and credit of an app's accounts, whatever the rail (CIB, IMPS/NEFT/RTGS, UPI,
//! refunds, collections, loan disbursements, deposits). Balance inquiry, statement and transaction
//! inquiry all read it, so they always agree: an account's opening balance plus its entries is its
//! balance, at any time. Amounts are `rust_decimal`, 2 places, never floats.
//!
//! Accounts of this bank live here (seeded from fixtures on the app's first use, each with 120 days of
//! deterministic history ending at its fixture balance); accounts at other banks do not: money sent
//! there leaves the ledger, money from there arrives as a credit only.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use serde::{Deserialize, Serialize};

use crate::sandbox::bank::{clock::ist, formats::rupees};

mod history;
mod rows;
mod snapshot;

/// How many days of history a fixture account starts with.
pub const HISTORY_DAYS: i64 = 120;

/// Which way an entry moves money: into the account (credit) or out of it (debit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// Money in (`CR`).
    #[serde(rename = "CR")]
    Credit,
    /// Money out (`DR`).
    #[serde(rename = "DR")]
    Debit,
}

impl Direction {
    /// The bank's `TYPE` code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Credit => "CR",
            Self::Debit => "DR",
        }
    }
}

/// One line of an account's statement.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry {
    /// The bank's TRANSACTIONID: unique within the app.
    pub id: String,
    /// When it was posted, on the app's clock.
    pub at: DateTime<Utc>,
    /// The day the money counts from.
    pub value_date: NaiveDate,
    /// Credit or debit.
    pub direction: Direction,
    /// The amount moved, in the account's currency; always positive.
    pub amount: Decimal,
    /// The balance right after this entry.
    pub balance_after: Decimal,
    /// The statement's narration.
    pub remarks: String,
    /// The client's or rail's reference (UNIQUEID, UTR, RRN, goal id, ...).
    pub reference: String,
}

/// An account of this bank.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    /// The account number.
    pub account_no: String,
    /// The account holder's name.
    pub holder: String,
    /// The account's currency code (`INR`).
    pub currency: String,
    /// The balance before the oldest entry still held (entries beyond the bound are folded in here).
    pub opening_balance: Decimal,
    /// The balance now: the opening balance plus every entry held.
    pub balance: Decimal,
    /// The statement lines held, oldest first (at most the ledger's bound per account).
    pub entries: VecDeque<Entry>,
    /// The row number of the oldest entry held (`entries[i]` is row `first_ord + i`): a database
    /// store writes only the entries a transaction added or archived.
    #[serde(skip)]
    first_ord: u64,
}

/// A movement of money. `debit`/`credit` name accounts of this bank; `None` is the outside world
/// (another bank, a card network, the remitter of a collection).
#[derive(Debug, Clone)]
pub struct Transfer<'a> {
    /// The account money leaves; `None`: from outside this bank.
    pub debit: Option<&'a str>,
    /// The account money reaches; `None`: to outside this bank.
    pub credit: Option<&'a str>,
    /// How much moves; more than zero.
    pub amount: Decimal,
    /// When, on the app's clock.
    pub at: DateTime<Utc>,
    /// The narration both entries carry.
    pub remarks: &'a str,
    /// The client's or rail's reference both entries carry.
    pub reference: &'a str,
}

/// Why a transfer did not happen. Nothing moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    /// No account of this bank has that number.
    UnknownAccount(String),
    /// The debit account holds less than the amount: the `account`, and what is `available` in it.
    #[allow(missing_docs)] // named in the variant's line above
    InsufficientFunds { account: String, available: Decimal },
    /// The amount is zero or negative.
    InvalidAmount,
}

/// The ids of the entries a transfer posted.
#[derive(Debug, Clone, Default)]
pub struct Posting {
    /// The debit entry's id, when an account of this bank was debited.
    pub debit_entry: Option<String>,
    /// The credit entry's id, when an account of this bank was credited.
    pub credit_entry: Option<String>,
}

/// Every account of an app's bank, with its statement lines: the one place money moves.
#[derive(Debug, Clone)]
pub struct Ledger {
    accounts: BTreeMap<String, Account>,
    next_entry: u64,
    max_entries_per_account: usize,
    /// Accounts changed since a store last took the rows, each with the row numbers it held before
    /// (`None`: opened since). Kept only while `tracking` (see [`Ledger::stop_tracking`]).
    dirty: BTreeMap<String, Option<(u64, u64)>>,
    tracking: bool,
}

impl Ledger {
    /// A ledger with no accounts, for a snapshot to be restored into.
    pub fn empty(max_entries_per_account: usize) -> Self {
        Self {
            accounts: BTreeMap::new(),
            next_entry: 1,
            max_entries_per_account: max_entries_per_account.max(1),
            dirty: BTreeMap::new(),
            tracking: true,
        }
    }

    /// Opens a new account of this bank (a loan account, a deposit, a vostro) with a zero balance.
    /// Opening an existing account changes nothing.
    pub fn open(&mut self, account_no: &str, holder: &str, currency: &str) {
        if !self.accounts.contains_key(account_no) {
            self.touch(account_no);
        }
        // Row numbers never repeat, even for an account closed and opened again.
        let first_ord = self.next_entry;
        self.accounts
            .entry(account_no.to_string())
            .or_insert_with(|| Account {
                account_no: account_no.to_string(),
                holder: holder.to_string(),
                currency: currency.to_string(),
                opening_balance: Decimal::ZERO,
                balance: Decimal::ZERO,
                entries: VecDeque::new(),
                first_ord,
            });
    }

    /// Closes an account that holds nothing (the account of an evicted goal or repaid loan), so that
    /// accounts do not outlive what they belonged to; an account with money in it stays.
    pub fn close_if_empty(&mut self, account_no: &str) {
        if self
            .accounts
            .get(account_no)
            .is_some_and(|a| a.balance.is_zero())
        {
            self.touch(account_no);
            self.accounts.remove(account_no);
        }
    }

    /// The account with this number, if this bank holds it.
    pub fn account(&self, account_no: &str) -> Option<&Account> {
        self.accounts.get(account_no)
    }

    /// The account's balance; `None` when this bank holds no such account.
    pub fn balance(&self, account_no: &str) -> Option<Decimal> {
        self.accounts.get(account_no).map(|a| a.balance)
    }

    /// Moves money, or nothing: both legs post, or neither.
    pub fn transfer(&mut self, transfer: Transfer<'_>) -> Result<Posting, LedgerError> {
        let amount = transfer.amount;
        if amount <= Decimal::ZERO || rupees(amount) != amount {
            return Err(LedgerError::InvalidAmount);
        }
        for account in [transfer.debit, transfer.credit].into_iter().flatten() {
            if !self.accounts.contains_key(account) {
                return Err(LedgerError::UnknownAccount(account.to_string()));
            }
        }
        if let Some(debit) = transfer.debit {
            let available = self.accounts[debit].balance;
            if available < amount {
                return Err(LedgerError::InsufficientFunds {
                    account: debit.to_string(),
                    available,
                });
            }
        }
        let mut posting = Posting::default();
        if let Some(debit) = transfer.debit {
            posting.debit_entry = Some(self.post(debit, Direction::Debit, &transfer));
        }
        if let Some(credit) = transfer.credit {
            posting.credit_entry = Some(self.post(credit, Direction::Credit, &transfer));
        }
        Ok(posting)
    }

    /// Entries with value dates in `from..=to`, oldest first.
    pub fn statement(
        &self,
        account_no: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Option<Vec<&Entry>> {
        let account = self.accounts.get(account_no)?;
        Some(
            account
                .entries
                .iter()
                .filter(|e| e.value_date >= from && e.value_date <= to)
                .collect(),
        )
    }

    /// Every account, for conservation checks and listings.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    fn post(&mut self, account_no: &str, direction: Direction, transfer: &Transfer<'_>) -> String {
        self.touch(account_no);
        let id = format!("S{:09}", self.next_entry);
        self.next_entry += 1;
        let bound = self.max_entries_per_account;
        let account = self
            .accounts
            .get_mut(account_no)
            .expect("checked before posting");
        account.balance += match direction {
            Direction::Credit => transfer.amount,
            Direction::Debit => -transfer.amount,
        };
        account.entries.push_back(Entry {
            id: id.clone(),
            at: transfer.at,
            value_date: transfer.at.with_timezone(&ist()).date_naive(),
            direction,
            amount: transfer.amount,
            balance_after: account.balance,
            remarks: transfer.remarks.to_string(),
            reference: transfer.reference.to_string(),
        });
        // Bounded memory: the oldest entries are archived into the opening balance, as a bank
        // archives old statements; the balance and the remaining entries still agree.
        while account.entries.len() > bound {
            if let Some(old) = account.entries.pop_front() {
                account.opening_balance = old.balance_after;
                account.first_ord += 1;
            }
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::bank::{determinism::Determinism, fixtures::Fixtures};
    use chrono::TimeZone;

    fn ledger() -> Ledger {
        let fixtures = Fixtures::embedded().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        Ledger::seeded(&fixtures, &Determinism::new(1), today, 10_000)
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 1, 6, 0, 0).unwrap()
    }

    fn assert_consistent(account: &Account) {
        let mut running = account.opening_balance;
        for entry in &account.entries {
            running += match entry.direction {
                Direction::Credit => entry.amount,
                Direction::Debit => -entry.amount,
            };
            assert_eq!(
                running, entry.balance_after,
                "{} at {}",
                account.account_no, entry.id
            );
        }
        assert_eq!(running, account.balance, "{}", account.account_no);
    }

    #[test]
    fn fixture_accounts_end_their_history_at_the_fixture_balance() {
        let ledger = ledger();

        let demo = ledger.account("000405000001").unwrap();

        assert_eq!(demo.balance, Decimal::from(1_000_000));
        assert!(demo.entries.len() > 60, "{} entries", demo.entries.len());
        let first = demo.entries.front().unwrap().value_date;
        assert!(
            first <= NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            "history reaches back 90+ days"
        );
        assert!(demo
            .entries
            .iter()
            .all(|e| e.balance_after >= Decimal::from(100_000)));
        for account in ledger.accounts() {
            assert_consistent(account);
        }
    }

    #[test]
    fn a_transfer_moves_money_between_two_accounts_or_not_at_all() {
        let mut ledger = ledger();
        let before: Decimal = ledger.accounts().map(|a| a.balance).sum();
        let transfer = |amount: Decimal| Transfer {
            debit: Some("000405000002"),
            credit: Some("000405000001"),
            amount,
            at: at(),
            remarks: "TEST",
            reference: "T1",
        };

        let posting = ledger
            .transfer(transfer(Decimal::new(1_000_050, 2)))
            .unwrap();
        let refused = ledger.transfer(transfer(Decimal::from(10_000_000)));

        assert!(posting.debit_entry.is_some() && posting.credit_entry.is_some());
        assert_eq!(
            ledger.balance("000405000002"),
            Some(Decimal::new(3_999_950, 2))
        );
        assert!(matches!(
            refused,
            Err(LedgerError::InsufficientFunds { .. })
        ));
        let after: Decimal = ledger.accounts().map(|a| a.balance).sum();
        assert_eq!(before, after, "an internal transfer conserves money");
        assert_eq!(
            ledger.transfer(transfer(Decimal::new(1, 3))).unwrap_err(),
            LedgerError::InvalidAmount
        );
    }

    #[test]
    fn the_entry_bound_archives_into_the_opening_balance() {
        let fixtures = Fixtures::embedded().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let mut ledger = Ledger::seeded(&fixtures, &Determinism::new(1), today, 50);

        for i in 0..200 {
            let reference = format!("R{i}");
            ledger
                .transfer(Transfer {
                    debit: Some("000405000001"),
                    credit: None,
                    amount: Decimal::ONE,
                    at: at(),
                    remarks: "OUT",
                    reference: &reference,
                })
                .unwrap();
        }

        let account = ledger.account("000405000001").unwrap();
        assert_eq!(account.entries.len(), 50);
        assert_eq!(account.balance, Decimal::from(1_000_000 - 200));
        assert_consistent(account);
    }
}
