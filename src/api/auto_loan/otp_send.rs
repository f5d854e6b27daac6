//! `POST /api/v1/auto-loan/otp` [sandbank]: an OTP to the applicant's mobile. The sandbox sends no
//! SMS: the OTP is always `123456`.

use crate::api::sample;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{answer::Answer, formats::Mobile, lending::Envelope},
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::{otp_validity, Otp, Outcome},
    state::AutoLoanBook,
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanOtpRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct OtpRequest {
    /// The applicant's mobile.
    pub mobile: Mobile,
}

impl poem_openapi::types::Example for OtpRequest {
    fn example() -> Self {
        Self {
            mobile: sample("9800000001"),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanOtpData")]
#[oai(rename_all = "camelCase")]
pub struct OtpData {
    /// Send it back with the OTP to `/otp/verify`.
    pub otp_reference: String,
    /// The mobile, masked as the SMS gateway reports it.
    pub masked_mobile: String,
    /// How long the OTP may be verified.
    pub expires_in_seconds: i64,
}

enveloped_answer!(
    OtpResponse,
    schema "AutoLoanOtpResponse",
    Outcome,
    data OtpData,
    "The OTP was sent."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: OtpRequest,
) -> Answer<OtpResponse> {
    let data = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let seq = book.next_seq();
        let reference = sandbox
            .determinism
            .app_code("OTP", "auto-loan-otp", &app.id, seq, 10);
        // Every OTP may be forgotten to make room, so this is never refused.
        let _ = book.otps.insert(
            reference.clone(),
            Otp {
                mobile: request.mobile.clone(),
                sent_at: ctx.now,
                verified: false,
            },
        );
        let m = request.mobile.as_str();
        OtpData {
            otp_reference: reference,
            masked_mobile: format!("{}XXXXX{}", &m[..2], &m[7..]),
            expires_in_seconds: otp_validity().num_seconds(),
        }
    });
    Answer(OtpResponse {
        outcome: Outcome::success("OTP sent to the applicant's mobile"),
        data: Some(data),
    })
}
