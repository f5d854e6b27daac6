//! The Payments & UPI slice of an app's state: composite payments (by the client's reference), UPI
//! transactions (collects, QR intents, refunds — by BankRRN, with a `merchantId|merchantTranId` index
//! for duplicates and status), and two due-time queues the sandbox clock drains: NEFT batches and
//! collect decisions (approve / reject / expire).

use std::collections::{BTreeMap, BTreeSet};

use crate::sandbox::{
    bank::ledger::Transfer,
    bank::store::{Bounded, Ctx, Family, Full},
};
use chrono::{DateTime, Utc};

use super::{
    model::{Payment, Status, UpiTxn},
    upi,
};

#[derive(serde::Serialize, serde::Deserialize)]
pub struct PaymentsState {
    pub payments: Bounded<String, Payment>,
    pub upi: Bounded<String, UpiTxn>,
    /// `merchantId|merchantTranId` → BankRRN of the UPI transactions held (an entry leaves with its
    /// transaction; the BankRRN, derived from the pair, stays archived). Derived from `upi`: a
    /// database store rebuilds it rather than writing it.
    #[serde(with = "crate::sandbox::bank::rows::derived")]
    tran_ids: BTreeMap<String, String>,
    neft_due: BTreeSet<(DateTime<Utc>, String)>,
    upi_due: BTreeSet<(DateTime<Utc>, String)>,
}

impl PaymentsState {
    pub fn new(limit: usize) -> Self {
        Self {
            payments: Bounded::new("composite payments", limit),
            upi: Bounded::new("UPI transactions", limit),
            tran_ids: BTreeMap::new(),
            neft_due: BTreeSet::new(),
            upi_due: BTreeSet::new(),
        }
    }

    /// Records a payment, queueing it for its NEFT batch when it has one. Call
    /// `payments.make_room()` before moving its money: then this cannot be refused.
    pub fn record_payment(&mut self, payment: Payment) -> Result<(), Full> {
        let (reference, due) = (payment.reference.clone(), payment.due);
        self.payments.insert(reference.clone(), payment)?;
        if let Some(due) = due {
            self.neft_due.insert((due, reference));
        }
        Ok(())
    }

    pub fn tran_id_key(merchant_id: &str, merchant_tran_id: &str) -> String {
        format!("{merchant_id}|{merchant_tran_id}")
    }

    /// The UPI transaction a merchant's `merchantTranId` names.
    pub fn by_tran_id(&self, merchant_id: &str, merchant_tran_id: &str) -> Option<&UpiTxn> {
        let key = Self::tran_id_key(merchant_id, merchant_tran_id);
        self.tran_ids.get(&key).and_then(|rrn| self.upi.get(rrn))
    }

    /// Whether a merchant's `merchantTranId` was used: by a transaction held, or by one archived
    /// (`bank_rrn` is the BankRRN the pair derives).
    pub fn tran_id_used(&self, merchant_id: &str, merchant_tran_id: &str, bank_rrn: &str) -> bool {
        self.by_tran_id(merchant_id, merchant_tran_id).is_some()
            || self.upi.is_archived(&bank_rrn.to_string())
    }

    /// Makes room for one more UPI transaction (an evicted one takes its index entry along); call it
    /// before moving money, so that a refusal changes nothing.
    pub fn room_for_upi(&mut self) -> Result<(), Full> {
        if let Some((_, evicted)) = self.upi.make_room()? {
            let key = Self::tran_id_key(&evicted.merchant_id, &evicted.merchant_tran_id);
            self.tran_ids.remove(&key);
        }
        Ok(())
    }

    /// Records a UPI transaction, indexes its `merchantTranId` and queues its planned decision.
    pub fn record_upi(&mut self, txn: UpiTxn) -> Result<(), Full> {
        self.room_for_upi()?;
        let (rrn, planned) = (txn.bank_rrn.clone(), txn.planned);
        let key = Self::tran_id_key(&txn.merchant_id, &txn.merchant_tran_id);
        self.upi.insert(rrn.clone(), txn)?;
        if let Some((due, _)) = planned {
            self.upi_due.insert((due, rrn.clone()));
        }
        self.tran_ids.insert(key, rrn);
        Ok(())
    }

    fn settle_neft(&mut self, reference: &str, at: DateTime<Utc>, ctx: &mut Ctx<'_>) {
        let Some(payment) = self.payments.get_mut(&reference.to_string()) else {
            return;
        };
        if payment.status != Status::Pending {
            return;
        }
        if let Some(credit) = payment.credit.clone() {
            // The debit posted when the NEFT was accepted; the batch delivers the credit.
            let posted = ctx.ledger.transfer(Transfer {
                debit: None,
                credit: Some(&credit),
                amount: payment.amount,
                at,
                remarks: &format!("NEFT CR {}", payment.rrn),
                reference: &payment.rrn,
            });
            debug_assert!(posted.is_ok(), "the beneficiary account exists");
        }
        payment.status = Status::Success;
        payment.code = String::new();
        payment.message = "Transaction Successful".into();
        payment.due = None;
    }
}

impl crate::sandbox::bank::snapshot::Kept for PaymentsState {
    const NAME: &'static str = "payments";

    fn fresh(object_limit: usize) -> Self {
        Self::new(object_limit)
    }

    fn rebuild_indexes(&mut self) {
        self.tran_ids = self
            .upi
            .iter()
            .map(|(rrn, txn)| {
                let key = Self::tran_id_key(&txn.merchant_id, &txn.merchant_tran_id);
                (key, rrn.clone())
            })
            .collect();
    }
}

impl Family for PaymentsState {
    fn visit_collections(
        &mut self,
        f: &mut dyn FnMut(&'static str, &mut dyn crate::sandbox::bank::rows::Collection),
    ) {
        f("payments", &mut self.payments);
        f("upi", &mut self.upi);
    }

    fn advance(&mut self, ctx: &mut Ctx<'_>) {
        while let Some((due, reference)) = self.neft_due.first().cloned() {
            if due > ctx.now {
                break;
            }
            self.neft_due.pop_first();
            self.settle_neft(&reference, due, ctx);
        }
        while let Some((due, rrn)) = self.upi_due.first().cloned() {
            if due > ctx.now {
                break;
            }
            self.upi_due.pop_first();
            let Some(txn) = self.upi.get_mut(&rrn) else {
                continue;
            };
            if let Some((_, decision)) = txn.planned.filter(|_| txn.status == Status::Pending) {
                upi::settle(txn, decision, due, ctx);
            }
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
