//! `POST /api/Corporate/CIB/v1/Transaction` [bank]: pay from one of the corporate's accounts by TPA
//! (within the bank), NEFT (`RGS`), RTGS (`RTG`) or IMPS (`IFS`). `WORKFLOW_REQD: N` executes at once;
//! `Y` (or absent) waits for the corporate's approver (`POST /sandbox/cib/{UNIQUEID}/approve`). A
//! UNIQUEID is paid at most once, whatever happens: a reuse answers DUPLICATE (999936).

use std::sync::Arc;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        bounded::Full,
        corporates::owns,
        magic::{is_invalid_account, magic_amount, MagicAmount},
        rails::{IMPS_LIMIT, RTGS_MINIMUM},
        store::Ctx,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    account_statement::YesNo,
    codes,
    model::{
        cib::{admitted, ist_timestamp, CibIdentity, CibOutcome},
        TransactionRequest, TransactionResponse,
    },
    state::{CibState, Payment, PaymentStatus, TxnType},
};

/// NEFT remarks: at most 32 letters, digits or spaces.
const NEFT_REMARKS_MAX: usize = 32;

impl Answered for TransactionResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_STATUS_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: TransactionRequest,
) -> Reply<TransactionResponse> {
    let response = pay(sandbox, app, &request, |_, _| Ok(()))?;
    Ok(Answer(response))
}

/// A payment by the bank's rules, for Transaction and TransactionOTP alike: a known and registered
/// user, a debit account of the corporate's, a UNIQUEID never seen, then `confirmed` (TransactionOTP's
/// OTP check, inside the same atomic step), then the payment rules and, for `WORKFLOW_REQD: N`,
/// execution.
pub fn pay(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: &TransactionRequest,
    mut confirmed: impl FnMut(&mut CibState, &Ctx<'_>) -> Result<(), CibOutcome>,
) -> Result<TransactionResponse, Rejection> {
    let amount = request.amount.value();
    if magic_amount(amount) == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let identity = &request.identity();
    let corporate = identity.corporate(sandbox, Some(&request.aggr_name));
    let req_id = sandbox
        .determinism
        .app_reference("cib-reqid", &app.id, &request.unique_id, 9);
    sandbox.family(app, CibState::new, |state, ctx| {
        let refused = |outcome| Ok(TransactionResponse::refused(outcome, &request.unique_id));
        if let Err(outcome) = admitted(state, identity, corporate) {
            return refused(outcome);
        }
        if !corporate.is_some_and(|c| owns(c, request.debit_acc.as_str())) {
            let message = format!(
                "DEBITACC {} does not belong to the corporate",
                request.debit_acc
            );
            return refused(CibOutcome::failure("FAILURE", codes::INVALID_IDS, message));
        }
        if state.payments.contains(request.unique_id.as_string()) {
            return refused(CibOutcome::duplicate());
        }
        // Room first: a payment refused at the object bound must not spend its OTP either.
        state.payments.make_room().map_err(Rejection::from)?;
        if let Err(outcome) = confirmed(state, ctx) {
            return refused(outcome);
        }
        book(sandbox, state, ctx, request, req_id.clone()).map_err(Rejection::from)
    })
}

/// Books a payment its caller has admitted (known user, its debit account, a new UNIQUEID): the
/// payment rules, then execution for `WORKFLOW_REQD: N`. Also each payment of a bulk file. Recorded
/// before it executes: a payment refused at the object bound moves nothing.
pub fn book(
    sandbox: &Sandbox,
    state: &mut CibState,
    ctx: &mut Ctx<'_>,
    request: &TransactionRequest,
    req_id: String,
) -> Result<TransactionResponse, Full> {
    let payment = received(request, &request.identity(), req_id);
    let execute = payment.status == PaymentStatus::AwaitingApproval
        && request.workflow_reqd == Some(YesNo::N);
    state
        .payments
        .insert(request.unique_id.to_string(), payment)?;
    if execute {
        state.execute(&request.unique_id, ctx, &sandbox.determinism);
    }
    Ok(respond(
        state
            .payments
            .get(request.unique_id.as_string())
            .expect("just inserted"),
    ))
}

/// A payment as received: refused by a rule, or waiting for its approval (or immediate execution).
fn received(request: &TransactionRequest, identity: &CibIdentity, req_id: String) -> Payment {
    let status = match refusal(request) {
        Some((code, message)) => PaymentStatus::Failure {
            code: code.into(),
            message,
        },
        None => PaymentStatus::AwaitingApproval,
    };
    Payment {
        corp_id: identity.corp_id.clone(),
        unique_id: request.unique_id.to_string(),
        urn: identity.urn.clone(),
        debit_acc: request.debit_acc.to_string(),
        credit_acc: request.credit_acc.to_string(),
        amount: request.amount.value(),
        rail: request.txn_type,
        payee_name: request.payee_name.to_string(),
        remarks: request.remarks.to_string(),
        req_id,
        utr: None,
        status,
    }
}

/// The answer for a payment as it stands (Transaction and the sandbox approval controls).
pub fn respond(payment: &Payment) -> TransactionResponse {
    TransactionResponse {
        outcome: outcome(&payment.status),
        unique_id: payment.unique_id.clone(),
        urn: Some(payment.urn.clone()),
        utr_number: payment.utr.clone(),
        req_id: Some(payment.req_id.clone()),
    }
}

/// `RESPONSE`/`STATUS`/`MESSAGE`/`RESPONSECODE` for a payment's status.
pub fn outcome(status: &PaymentStatus) -> CibOutcome {
    match status {
        PaymentStatus::AwaitingApproval => CibOutcome::success("PENDING", "Pending For approval"),
        PaymentStatus::InBatch { due } => CibOutcome::success(
            "PENDING",
            format!(
                "Transaction accepted: NEFT settles in the batch of {} IST",
                ist_timestamp(*due)
            ),
        ),
        PaymentStatus::Success => CibOutcome::success("SUCCESS", "Transaction Successful"),
        PaymentStatus::Failure { code, message } => {
            CibOutcome::failure("FAILURE", code, message.clone())
        }
    }
}

/// The bank's rules and the magic values that refuse a payment before any money moves.
fn refusal(request: &TransactionRequest) -> Option<(&'static str, String)> {
    let amount = request.amount.value();
    if is_invalid_account(request.credit_acc.as_str()) {
        return Some((
            codes::INVALID_BENEFICIARY,
            format!("Invalid beneficiary account {}", request.credit_acc),
        ));
    }
    if request.credit_acc == request.debit_acc {
        return Some((
            codes::RULE_VIOLATED,
            "DEBITACC and CREDITACC are the same account".into(),
        ));
    }
    if magic_amount(amount) == Some(MagicAmount::InvalidAmount) {
        return Some((codes::RULE_VIOLATED, "Invalid amount".into()));
    }
    match request.txn_type {
        TxnType::Rtgs if amount < RTGS_MINIMUM => Some((
            codes::RULE_VIOLATED,
            "RTGS amount must be at least 200000.00".into(),
        )),
        TxnType::Imps if amount > IMPS_LIMIT => Some((
            codes::RULE_VIOLATED,
            "IMPS amount must not exceed 500000.00".into(),
        )),
        TxnType::Neft if !neft_remarks_ok(&request.remarks) => Some((
            codes::RULE_VIOLATED,
            format!("NEFT REMARKS must be at most {NEFT_REMARKS_MAX} letters, digits or spaces"),
        )),
        _ => None,
    }
}

fn neft_remarks_ok(remarks: &str) -> bool {
    remarks.chars().count() <= NEFT_REMARKS_MAX
        && remarks
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ')
}
