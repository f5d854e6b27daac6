//! Trade's slice of an app's state: remittances by `transactionRefNo` with the due-time queue that
//! moves their status with the sandbox clock, and bank guarantees by BG number.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use super::model::{market::next_business_day, Guarantee, Remittance, RemittanceStatus};
use crate::sandbox::bank::{
    ledger::Transfer,
    store::{Bounded, Ctx, Family, Full},
};

#[derive(serde::Serialize, serde::Deserialize)]
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

impl crate::sandbox::bank::snapshot::Kept for TradeState {
    const NAME: &'static str = "trade";

    fn fresh(object_limit: usize) -> Self {
        Self::new(object_limit)
    }
}

impl Family for TradeState {
    fn visit_collections(
        &mut self,
        f: &mut dyn FnMut(&'static str, &mut dyn crate::sandbox::bank::rows::Collection),
    ) {
        f("remittances", &mut self.remittances);
        f("guarantees", &mut self.guarantees);
    }

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
