//! `POST /api/Corporate/CIB/v1/Create` [bank]: sends the corporate user an OTP for a payment (its
//! `UNIQUEID`, and its `AMOUNT` when named), to be given back to `TransactionOTP` or to the bulk
//! payment. The sandbox sends no SMS: the OTP is always `123456`, valid for 15 minutes of the app's
//! clock. Asking again for the same UNIQUEID sends a fresh OTP (the 15 minutes start again); a
//! UNIQUEID already paid answers DUPLICATE (999936).

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        formats::{Amount, Text, UniqueId},
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::cib::{
        admitted, cib_example, cib_request, CibIdentity, CibOutcome, OTP_VALIDITY_MINUTES,
        SANDBOX_OTP,
    },
    state::{CibState, OtpIssue},
};

cib_request! {
    /// The identity block, the payment's UNIQUEID and (optionally) its amount.
    #[derive(Object, Deserialize, Debug)]
    #[oai(skip_serializing_if_is_none, example)]
    pub struct OtpCreateRequest {
        /// The aggregator's name, e.g. `SANDBANK` (optional here).
        #[oai(rename = "AGGRNAME")]
        #[serde(rename = "AGGRNAME", default)]
        pub aggr_name: Option<Text<64>>,
        /// The UNIQUEID of the payment the OTP confirms (the TransactionOTP or bulk payment to come).
        #[oai(rename = "UNIQUEID")]
        #[serde(rename = "UNIQUEID")]
        pub unique_id: UniqueId,
        /// The payment's amount (optional). Named here, the OTP confirms only that amount.
        #[oai(rename = "AMOUNT")]
        #[serde(rename = "AMOUNT", default)]
        pub amount: Option<Amount>,
    }
}

impl poem_openapi::types::Example for OtpCreateRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            aggr_name: Some(sample("SANDBANK")),
            unique_id: sample("CIBOTP20260401000001"),
            amount: Some(sample("1.00")),
        })
    }
}

/// The OTP request's outcome.
#[derive(Object, Debug)]
#[oai(example)]
pub struct OtpCreateResponse {
    /// `STATUS: SUCCESS` when the OTP is sent.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "UNIQUEID")]
    pub unique_id: String,
}

impl poem_openapi::types::Example for OtpCreateResponse {
    fn example() -> Self {
        Self {
            outcome: CibOutcome::success(
                "SUCCESS",
                "OTP sent to the registered mobile number of SANDUSER1 (in the sandbox it is \
                 123456); valid for 15 minutes",
            ),
            unique_id: "CIBOTP20260401000001".into(),
        }
    }
}

impl Answered for OtpCreateResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: OtpCreateRequest,
) -> Answer<OtpCreateResponse> {
    let identity = &request.identity();
    let corporate = identity.corporate(sandbox, request.aggr_name.as_deref());
    let outcome = sandbox.family(app, CibState::new, |state, ctx| {
        admitted(state, identity, corporate)?;
        if state.payments.contains(request.unique_id.as_string()) {
            return Err(CibOutcome::duplicate());
        }
        let issue = OtpIssue {
            sent_at: ctx.now,
            amount: request.amount.map(Amount::value),
            used: false,
        };
        // Cannot be refused: any OTP may be forgotten to make room (Create sends a fresh one).
        let _ = state.otps.insert(otp_key(identity, &request.unique_id), issue);
        Ok(CibOutcome::success(
            "SUCCESS",
            format!(
                "OTP sent to the registered mobile number of {} (in the sandbox it is {SANDBOX_OTP}); \
                 valid for {OTP_VALIDITY_MINUTES} minutes",
                identity.user_id
            ),
        ))
    });
    Answer(OtpCreateResponse {
        outcome: outcome.unwrap_or_else(|refused| refused),
        unique_id: request.unique_id.into(),
    })
}

/// Where the OTP for a user's UNIQUEID is kept.
pub fn otp_key(identity: &CibIdentity, unique_id: &str) -> String {
    format!("{}|{unique_id}", identity.user_key())
}
