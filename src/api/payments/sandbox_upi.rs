//! `POST /sandbox/upi/{BankRRN}/approve` and `/reject` [sandbank]: the payer's answer to a pending
//! collect (or a QR intent), given by hand — for `pending@icici`, or to settle any pending collect
//! before its delay. Settles at the app's current instant and sends the bank's callback.

use std::sync::Arc;

use poem_openapi::Object;

use crate::sandbox::{
    bank::answer::{Decided, Decides},
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    model::{Decision, Status, UpiKind},
    state::PaymentsState,
    upi,
};

/// The transaction after the payer's answer.
#[derive(Object, Debug)]
pub struct SettledUpi {
    #[oai(rename = "BankRRN")]
    pub bank_rrn: String,
    #[oai(rename = "merchantTranId")]
    pub merchant_tran_id: String,
    /// `SUCCESS` (approved) or `FAILURE` (rejected).
    pub status: String,
    pub response: String,
    pub message: String,
}

/// The payer's answer to a pending collect or QR intent.
pub struct Settle;

impl Decides for Settle {
    type Body = SettledUpi;
    const DECIDED: &'static str =
        "Settled; the callback is on its way (see `GET /sandbox/callbacks`).";
    const NOT_FOUND: &'static str = "No collect or QR intent with this BankRRN for this app.";
    const ALREADY_DECIDED: &'static str =
        "Already settled (approved, rejected or expired): nothing changed.";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    bank_rrn: &str,
    decision: Decision,
) -> Result<Decided<Settle>, Rejection> {
    sandbox.family(app, PaymentsState::new, |state, ctx| {
        let txn = state
            .upi
            .get_mut(&bank_rrn.to_string())
            .filter(|txn| txn.kind != UpiKind::Refund);
        let Some(txn) = txn else {
            let message = format!("No pending collect with BankRRN {bank_rrn}");
            return Ok(Decided::not_found(message));
        };
        if txn.status != Status::Pending {
            let message = format!("BankRRN {bank_rrn} is already {}", txn.status.as_str());
            return Ok(Decided::already_decided(message));
        }
        upi::settle(txn, decision, ctx.now, ctx);
        Ok(Decided::Done(SettledUpi {
            bank_rrn: txn.bank_rrn.clone(),
            merchant_tran_id: txn.merchant_tran_id.clone(),
            status: txn.status.as_str().into(),
            response: txn.response.clone(),
            message: txn.message.clone(),
        }))
    })
}
