//! `POST /sandbox/upi/{BankRRN}/approve` and `/reject` [sandbank]: the payer's answer to a pending
//! collect (or a QR intent), given by hand — for `pending@icici`, or to settle any pending collect
//! before its delay. Settles at the app's current instant and sends the bank's callback.

use std::sync::Arc;

use poem_openapi::{payload::Json, ApiResponse, Object};

use crate::sandbox::{
    gateway::{
        apps::App,
        error::{GatewayError, Rejection},
    },
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

#[derive(ApiResponse)]
pub enum SettleAnswer {
    /// Settled; the callback is on its way (see `GET /sandbox/callbacks`).
    #[oai(status = 200)]
    Ok(Json<SettledUpi>),
    /// No collect or QR intent with this BankRRN for this app.
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
    /// Already settled (approved, rejected or expired): nothing changed.
    #[oai(status = 409)]
    Conflict(Json<GatewayError>),
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    bank_rrn: &str,
    decision: Decision,
) -> Result<SettleAnswer, Rejection> {
    sandbox.family(app, PaymentsState::new, |state, ctx| {
        let txn = state
            .upi
            .get_mut(&bank_rrn.to_string())
            .filter(|txn| txn.kind != UpiKind::Refund);
        let Some(txn) = txn else {
            let e = Rejection::not_found(format!("No pending collect with BankRRN {bank_rrn}"));
            return Ok(SettleAnswer::NotFound(Json(e.body)));
        };
        if txn.status != Status::Pending {
            let e = Rejection::new(
                poem::http::StatusCode::CONFLICT,
                409,
                format!("BankRRN {bank_rrn} is already {}", txn.status.as_str()),
            );
            return Ok(SettleAnswer::Conflict(Json(e.body)));
        }
        upi::settle(txn, decision, ctx.now, ctx);
        Ok(SettleAnswer::Ok(Json(SettledUpi {
            bank_rrn: txn.bank_rrn.clone(),
            merchant_tran_id: txn.merchant_tran_id.clone(),
            status: txn.status.as_str().into(),
            response: txn.response.clone(),
            message: txn.message.clone(),
        })))
    })
}
