//! The ledger in a snapshot: its accounts with their entries, and the next entry number. A document is
//! restored only if every account adds up (its opening balance plus its entries is its balance, and
//! each entry's `balanceAfter` follows from the one before), so that balance, statement and transaction
//! inquiry keep agreeing; the bound on entries per account stays the server's.

use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};

use crate::sandbox::bank::formats::rupees;

use crate::sandbox::bank::ledger::{Account, Direction, Ledger};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Kept {
    next_entry: u64,
    accounts: Vec<Account>,
}

impl Serialize for Ledger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Kept {
            next_entry: self.next_entry,
            accounts: self.accounts.values().cloned().collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Ledger {
    /// The bound on entries belongs to the server: a ledger is only restored into a fresh one.
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(D::Error::custom(
            "a ledger is restored into the app's fresh state",
        ))
    }

    fn deserialize_in_place<D: Deserializer<'de>>(
        deserializer: D,
        place: &mut Self,
    ) -> Result<(), D::Error> {
        let kept = Kept::deserialize(deserializer)?;
        place.restore(kept).map_err(D::Error::custom)
    }
}

impl Ledger {
    fn restore(&mut self, kept: Kept) -> Result<(), String> {
        let mut accounts = std::collections::BTreeMap::new();
        for account in kept.accounts {
            adds_up(&account, self.max_entries_per_account)?;
            let number = account.account_no.clone();
            if accounts.insert(number.clone(), account).is_some() {
                return Err(format!("account {number} appears twice"));
            }
        }
        self.accounts = accounts;
        self.next_entry = kept.next_entry.max(1);
        Ok(())
    }
}

/// Whether an account's entries lead from its opening balance to its balance, within the bound.
fn adds_up(account: &Account, bound: usize) -> Result<(), String> {
    let number = &account.account_no;
    if account.entries.len() > bound {
        return Err(format!(
            "account {number} holds {} entries, more than this server's bound of {bound}",
            account.entries.len()
        ));
    }
    let mut running = account.opening_balance;
    for entry in &account.entries {
        if entry.amount <= rust_decimal::Decimal::ZERO || rupees(entry.amount) != entry.amount {
            return Err(format!(
                "entry {} of account {number}: the amount must be positive, in paise",
                entry.id
            ));
        }
        running += match entry.direction {
            Direction::Credit => entry.amount,
            Direction::Debit => -entry.amount,
        };
        if entry.balance_after != running {
            return Err(format!(
                "entry {} of account {number}: balanceAfter {} does not follow from the entries before it ({running})",
                entry.id, entry.balance_after
            ));
        }
    }
    if running != account.balance {
        return Err(format!(
            "account {number}: the balance {} is not its opening balance plus its entries ({running})",
            account.balance
        ));
    }
    Ok(())
}
