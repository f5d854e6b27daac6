//! `POST /sandbox/cib/{UNIQUEID}/approve` and `/reject` [sandbank]: the corporate's approver acting on
//! a payment sent with `WORKFLOW_REQD: Y` (or without it). Approval executes the payment as
//! `WORKFLOW_REQD: N` would have at that moment (debit, UTR; NEFT then waits for its batch); rejection
//! fails it (999937) without moving money.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::{payload::Json, ApiResponse};

use crate::sandbox::{
    gateway::{
        apps::App,
        error::{GatewayError, Rejection},
    },
    Sandbox,
};

use super::{
    codes,
    model::TransactionResponse,
    state::{CibState, PaymentStatus},
    transaction::respond,
};

/// What the approver decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

#[derive(ApiResponse)]
pub enum WorkflowAnswer {
    /// The payment after the decision, as Transaction / TransactionInquiry answer it.
    #[oai(status = 200)]
    Ok(Json<TransactionResponse>),
    /// No payment with this UNIQUEID in the app (`response` 404).
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
    /// The payment is not waiting for approval any more (`response` 409).
    #[oai(status = 409)]
    Conflict(Json<GatewayError>),
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    unique_id: &str,
    decision: Decision,
) -> Result<WorkflowAnswer, Rejection> {
    let key = unique_id.to_string();
    sandbox.family(app, CibState::new, |state, ctx| {
        let Some(payment) = state.payments.get_mut(&key) else {
            let body =
                Rejection::not_found(format!("No CIB payment with UNIQUEID {unique_id}")).body;
            return Ok(WorkflowAnswer::NotFound(Json(body)));
        };
        if payment.status != PaymentStatus::AwaitingApproval {
            let body = Rejection::new(
                StatusCode::CONFLICT,
                409,
                format!("Payment {unique_id} is not pending approval"),
            )
            .body;
            return Ok(WorkflowAnswer::Conflict(Json(body)));
        }
        match decision {
            Decision::Approve => state.execute(&key, ctx, &sandbox.determinism),
            Decision::Reject => {
                payment.status = PaymentStatus::Failure {
                    code: codes::REJECTED_BY_APPROVER.into(),
                    message: "Rejected by the approver".into(),
                }
            }
        }
        let payment = state.payments.get(&key).expect("present");
        Ok(WorkflowAnswer::Ok(Json(respond(payment))))
    })
}
