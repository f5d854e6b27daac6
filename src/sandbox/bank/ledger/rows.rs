//! The ledger as rows (family `ledger`): `header` holds the next entry number, `accounts` one row per
//! account (its balances, without entries), `entries` one row per entry under `<account>/<row number>`
//! (zero-padded, so key order is posting order). A transaction writes the accounts it touched, the
//! entries it posted and deletes the ones it archived into an opening balance: never a whole account.

use std::collections::{BTreeMap, VecDeque};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::sandbox::bank::{
    ledger::{Account, Entry, Ledger},
    rows::{Changed, Collections, RowChange},
};

const FAMILY: &str = "ledger";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    next_entry: u64,
}

/// An account's row: everything but its entries.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountRow {
    account_no: String,
    holder: String,
    currency: String,
    opening_balance: Decimal,
    balance: Decimal,
    first_ord: u64,
}

fn entry_key(account_no: &str, ord: u64) -> String {
    format!("{account_no}/{ord:020}")
}

fn json<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

impl Ledger {
    /// Notes an account about to change, with the rows it holds now.
    pub(super) fn touch(&mut self, account_no: &str) {
        if !self.tracking || self.dirty.contains_key(account_no) {
            return;
        }
        let held = self
            .accounts
            .get(account_no)
            .map(|a| (a.first_ord, a.first_ord + a.entries.len() as u64));
        self.dirty.insert(account_no.to_string(), held);
    }

    /// The rows changed since the last call (`all`: every row), forgetting the changes.
    pub fn take_rows(&mut self, all: bool, out: &mut Vec<RowChange>) -> Result<(), String> {
        let dirty = std::mem::take(&mut self.dirty);
        if all {
            for account in self.accounts.values() {
                account_rows(account, None, out)?;
            }
        } else {
            for (account_no, held) in &dirty {
                match self.accounts.get(account_no) {
                    Some(account) => account_rows(account, *held, out)?,
                    None if held.is_some() => {
                        out.push(RowChange::delete(FAMILY, "accounts", account_no));
                        out.push(RowChange::DeletePrefix {
                            family: FAMILY.into(),
                            collection: "entries".into(),
                            prefix: format!("{account_no}/"),
                        });
                    }
                    None => {}
                }
            }
        }
        if all || !dirty.is_empty() {
            let header = Header {
                next_entry: self.next_entry,
            };
            out.push(RowChange::put(FAMILY, "header", "", json(&header)?));
        }
        Ok(())
    }

    /// Stops noting which accounts change, forgetting which did (a store that writes no rows).
    pub fn stop_tracking(&mut self) {
        self.tracking = false;
        self.dirty.clear();
    }

    /// The ledger as its rows hold it; `None` when the app has no ledger rows.
    pub fn from_rows(
        mut rows: Collections,
        max_entries_per_account: usize,
    ) -> Result<Option<Self>, String> {
        let Some(header) = rows.remove("header").and_then(|h| h.into_iter().next()) else {
            return Ok(None);
        };
        let header: Header = serde_json::from_str(&header.1).map_err(|e| e.to_string())?;
        let mut entries: BTreeMap<String, VecDeque<Entry>> = BTreeMap::new();
        let mut listed = rows.remove("entries").unwrap_or_default();
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, body) in listed {
            let (account_no, _) = key.rsplit_once('/').ok_or("an entry key without account")?;
            let entry: Entry = serde_json::from_str(&body).map_err(|e| format!("{key}: {e}"))?;
            entries
                .entry(account_no.to_string())
                .or_default()
                .push_back(entry);
        }
        let mut ledger = Ledger::empty(max_entries_per_account);
        ledger.next_entry = header.next_entry;
        for (key, body) in rows.remove("accounts").unwrap_or_default() {
            let row: AccountRow = serde_json::from_str(&body).map_err(|e| format!("{key}: {e}"))?;
            let account = Account {
                entries: entries.remove(&row.account_no).unwrap_or_default(),
                account_no: row.account_no,
                holder: row.holder,
                currency: row.currency,
                opening_balance: row.opening_balance,
                balance: row.balance,
                first_ord: row.first_ord,
            };
            ledger.accounts.insert(account.account_no.clone(), account);
        }
        Ok(Some(ledger))
    }
}

impl Ledger {
    /// Applies the rows other processes changed since this copy's version (see
    /// [`crate::sandbox::bank::rows::Collection::apply_rows`]); an error means load it whole instead.
    pub fn apply_rows(&mut self, mut changed: Changed) -> Result<(), String> {
        for (_, body) in changed.remove("header").unwrap_or_default() {
            let header: Header = serde_json::from_str(&body.ok_or("the ledger header deleted")?)
                .map_err(|e| e.to_string())?;
            self.next_entry = header.next_entry;
        }
        let mut entries: BTreeMap<String, Vec<(u64, Option<String>)>> = BTreeMap::new();
        for (key, body) in changed.remove("entries").unwrap_or_default() {
            let (account_no, ord) = key.rsplit_once('/').ok_or("an entry key without account")?;
            let ord = ord.parse().map_err(|e| format!("{key}: {e}"))?;
            entries
                .entry(account_no.to_string())
                .or_default()
                .push((ord, body));
        }
        // Where each changed account's entries began before its row changed.
        let mut held = BTreeMap::new();
        for (key, body) in changed.remove("accounts").unwrap_or_default() {
            let Some(body) = body else {
                self.accounts.remove(&key);
                continue;
            };
            let row: AccountRow = serde_json::from_str(&body).map_err(|e| format!("{key}: {e}"))?;
            let account = self.accounts.entry(key.clone()).or_insert_with(|| Account {
                entries: VecDeque::new(),
                account_no: row.account_no.clone(),
                holder: String::new(),
                currency: String::new(),
                opening_balance: Decimal::ZERO,
                balance: Decimal::ZERO,
                first_ord: row.first_ord,
            });
            held.insert(key, account.first_ord);
            account.holder = row.holder;
            account.currency = row.currency;
            account.opening_balance = row.opening_balance;
            account.balance = row.balance;
            account.first_ord = row.first_ord;
        }
        for (account_no, changes) in entries {
            match (self.accounts.get_mut(&account_no), held.get(&account_no)) {
                (Some(account), Some(&first)) => apply_entries(account, first, changes)?,
                // A closed account's entries: gone with it.
                (None, _) if changes.iter().all(|(_, body)| body.is_none()) => {}
                _ => return Err(format!("entries of {account_no} without its row")),
            }
        }
        Ok(())
    }
}

/// Applies an account's changed entry rows to the entries it held from row number `first` (its
/// row's `first_ord` is already the new one). Rows are archived from the front and posted at the
/// back; anything else is refused (the state is then loaded whole).
fn apply_entries(
    account: &mut Account,
    mut first: u64,
    mut changes: Vec<(u64, Option<String>)>,
) -> Result<(), String> {
    changes.sort_by_key(|(ord, _)| *ord);
    for (ord, _) in changes.iter().filter(|(_, body)| body.is_none()) {
        let end = first + account.entries.len() as u64;
        if *ord == first && !account.entries.is_empty() {
            account.entries.pop_front();
            first += 1;
        } else if *ord < first || *ord >= end {
            // Never held here (posted and archived since), or gone already.
        } else {
            return Err(format!(
                "{}: entry {ord} deleted out of order",
                account.account_no
            ));
        }
    }
    if account.entries.is_empty() {
        first = account.first_ord;
    }
    for (ord, body) in changes {
        let Some(body) = body else { continue };
        let entry: Entry = serde_json::from_str(&body).map_err(|e| format!("{ord}: {e}"))?;
        let end = first + account.entries.len() as u64;
        match ord {
            ord if ord >= first && ord < end => account.entries[(ord - first) as usize] = entry,
            ord if ord == end => account.entries.push_back(entry),
            _ => return Err(format!("{}: entry {ord} out of order", account.account_no)),
        }
    }
    if first != account.first_ord {
        return Err(format!(
            "{}: entries do not start at its row",
            account.account_no
        ));
    }
    Ok(())
}

/// An account's row, and its entry rows: all of them (`held` `None`), or those posted and archived
/// since it held rows `held`.
fn account_rows(
    account: &Account,
    held: Option<(u64, u64)>,
    out: &mut Vec<RowChange>,
) -> Result<(), String> {
    let number = &account.account_no;
    let row = AccountRow {
        account_no: number.clone(),
        holder: account.holder.clone(),
        currency: account.currency.clone(),
        opening_balance: account.opening_balance,
        balance: account.balance,
        first_ord: account.first_ord,
    };
    out.push(RowChange::put(FAMILY, "accounts", number, json(&row)?));
    let first = account.first_ord;
    let end = first + account.entries.len() as u64;
    let new_from = match held {
        Some((held_first, held_end)) => {
            for ord in held_first..first.min(held_end) {
                out.push(RowChange::delete(FAMILY, "entries", entry_key(number, ord)));
            }
            held_end.max(first)
        }
        None => first,
    };
    for ord in new_from..end {
        let entry = &account.entries[(ord - first) as usize];
        out.push(RowChange::put(
            FAMILY,
            "entries",
            entry_key(number, ord),
            json(entry)?,
        ));
    }
    Ok(())
}
