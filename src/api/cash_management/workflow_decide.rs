//! `POST /sandbox/cib/{UNIQUEID}/approve` and `/reject` [sandbank]: the corporate's approver acting on
//! a payment sent with `WORKFLOW_REQD: Y` (or without it). Approval executes the payment as
//! `WORKFLOW_REQD: N` would have at that moment (debit, UTR; NEFT then waits for its batch); rejection
//! fails it (999937) without moving money.

use std::sync::Arc;

use crate::sandbox::{
    bank::answer::{Decided, Decides},
    gateway::{apps::App, error::Rejection},
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

/// The approver's decision on a payment pending approval.
pub struct Workflow;

impl Decides for Workflow {
    type Body = TransactionResponse;
    const DECIDED: &'static str =
        "The payment after the decision, as Transaction / TransactionInquiry answer it.";
    const NOT_FOUND: &'static str = "No payment with this UNIQUEID in the app (`response` 404).";
    const ALREADY_DECIDED: &'static str =
        "The payment is not waiting for approval any more (`response` 409).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    unique_id: &str,
    decision: Decision,
) -> Result<Decided<Workflow>, Rejection> {
    let key = unique_id.to_string();
    sandbox.family(app, CibState::new, |state, ctx| {
        let Some(payment) = state.payments.get_mut(&key) else {
            let message = format!("No CIB payment with UNIQUEID {unique_id}");
            return Ok(Decided::not_found(message));
        };
        if payment.status != PaymentStatus::AwaitingApproval {
            let message = format!("Payment {unique_id} is not pending approval");
            return Ok(Decided::already_decided(message));
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
        Ok(Decided::Done(respond(payment)))
    })
}
