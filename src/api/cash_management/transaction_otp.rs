//! `POST /api/Corporate/CIB/v1/TransactionOTP` [bank]: a Transaction confirmed by the OTP `Create`
//! sent for its UNIQUEID. The OTP is checked inside the payment's atomic step, then the payment
//! follows Transaction's rules exactly (one place for them). Codes: 99274 no OTP (or no `Create` for
//! this UNIQUEID), 107889 the OTP is older than 15 minutes of the app's clock, 994006 a wrong OTP (or
//! an amount other than the one `Create` named). The OTP is the user's authorisation: without
//! `WORKFLOW_REQD` the payment executes at once (`Y` still sends it to the approval workflow).

use crate::api::sample;
use crate::sandbox::bank::formats::MaxChars;
use std::sync::Arc;

use chrono::Duration;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Described, Description, ReplyAs},
        store::Ctx,
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    account_statement::YesNo,
    codes,
    model::{
        cib::{CibOutcome, OTP_VALIDITY_MINUTES, SANDBOX_OTP},
        transaction_request, with_transaction_body, TransactionRequest, TransactionResponse,
    },
    otp_create::otp_key,
    state::{CibState, TxnType},
    transaction,
};

transaction_request! {
    /// The Transaction body, and the OTP.
    #[derive(Object, Deserialize, Debug)]
    #[oai(skip_serializing_if_is_none, example)]
    pub struct TransactionOtpRequest {
        /// `N` (or absent: the OTP is the authorisation) executes at once; `Y` waits for the
        /// corporate's approval workflow.
        #[oai(rename = "WORKFLOW_REQD")]
        #[serde(rename = "WORKFLOW_REQD", default)]
        pub workflow_reqd: Option<YesNo>,
        /// The OTP `Create` sent for this UNIQUEID (the sandbox's is `123456`). Absent: 99274.
        #[oai(rename = "OTP")]
        #[serde(rename = "OTP", default)]
        pub otp: Option<MaxChars<16>>,
    }
}

impl poem_openapi::types::Example for TransactionOtpRequest {
    fn example() -> Self {
        let payment = TransactionRequest {
            unique_id: sample("CIBOTP20260401000001"),
            txn_type: TxnType::Imps,
            remarks: sample("Invoice 43"),
            ..TransactionRequest::example()
        };
        with_transaction_body!(TransactionOtpRequest, payment, {
            workflow_reqd: None,
            otp: Some(sample(SANDBOX_OTP)),
        })
    }
}

impl TransactionOtpRequest {
    /// The Transaction it confirms, and the OTP.
    fn split(self) -> (TransactionRequest, Option<String>) {
        let workflow_reqd = Some(self.workflow_reqd.unwrap_or(YesNo::N));
        let otp = self.otp;
        let transaction =
            with_transaction_body!(TransactionRequest, self, { workflow_reqd: workflow_reqd });
        (transaction, otp.map(String::from))
    }
}

/// Transaction with OTP's words for Transaction's answer.
pub struct TransactionOtpText;

impl Description for TransactionOtpText {
    type Body = TransactionResponse;
    const DESCRIPTION: &'static str = "The bank's answer, as Transaction's (HTTP 200 for a decline too; read `RESPONSE`, `STATUS`\n\
     and `RESPONSECODE`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: TransactionOtpRequest,
) -> ReplyAs<TransactionOtpText> {
    let (transaction, otp) = request.split();
    let key = otp_key(&transaction.identity(), &transaction.unique_id);
    let amount = transaction.amount.value();
    let response = transaction::pay(sandbox, app, &transaction, |state, ctx| {
        confirm(state, ctx, &key, otp.as_deref(), amount)
    })?;
    Ok(Described(response))
}

/// Checks the OTP against the one `Create` sent for this UNIQUEID, and uses it up.
pub fn confirm(
    state: &mut CibState,
    ctx: &Ctx<'_>,
    key: &str,
    otp: Option<&str>,
    amount: rust_decimal::Decimal,
) -> Result<(), CibOutcome> {
    let failure = |code, message: &str| CibOutcome::failure("FAILURE", code, message);
    let Some(otp) = otp.filter(|o| !o.trim().is_empty()) else {
        return Err(failure(codes::OTP_REQUIRED, "OTP is required"));
    };
    let Some(issue) = state.otps.get_mut(&key.to_string()) else {
        let message = "OTP is required: no OTP was sent for this UNIQUEID (call Create first)";
        return Err(failure(codes::OTP_REQUIRED, message));
    };
    if ctx.now - issue.sent_at > Duration::minutes(OTP_VALIDITY_MINUTES) {
        let message = format!(
            "OTP has expired: it was sent more than {OTP_VALIDITY_MINUTES} minutes ago (call Create again)"
        );
        return Err(failure(codes::OTP_EXPIRED, &message));
    }
    let wrong_amount = issue.amount.is_some_and(|named| named != amount);
    if otp != SANDBOX_OTP || wrong_amount || issue.used {
        return Err(failure(codes::WRONG_OTP, "Invalid OTP"));
    }
    issue.used = true;
    Ok(())
}
