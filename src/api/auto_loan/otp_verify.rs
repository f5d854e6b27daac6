//! `POST /api/v1/auto-loan/otp/verify` [sandbank]: checks the OTP. `123456` passes, anything else
//! fails (`AL101`); a verified mobile may ask for offers for 30 sandbox minutes.

use crate::api::sample;
use crate::sandbox::bank::formats::{Otp, OtpReference};
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{bank::answer::Answer, gateway::apps::App, Sandbox};

use super::{
    codes,
    model::{otp_validity, Decline, Outcome, Verified},
    state::AutoLoanBook,
};

/// The sandbox OTP.
pub const SANDBOX_OTP: &str = "123456";

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanOtpVerifyRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct OtpVerifyRequest {
    /// From `/otp`.
    pub otp_reference: OtpReference,
    /// 6 digits. The sandbox OTP is `123456`.
    pub otp: Otp,
}

impl poem_openapi::types::Example for OtpVerifyRequest {
    fn example() -> Self {
        Self {
            otp_reference: sample("OTP2864361321"),
            otp: sample(SANDBOX_OTP),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanOtpVerifyData")]
#[oai(rename_all = "camelCase")]
pub struct OtpVerifyData {
    pub verified: bool,
    /// The mobile that is now verified (for 30 sandbox minutes).
    pub mobile: String,
}

enveloped_answer!(
    OtpVerifyResponse,
    schema "AutoLoanOtpVerifyResponse",
    Outcome,
    data OtpVerifyData,
    "Verified, or `AL101` / `AL102` (HTTP 200 either way)."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: OtpVerifyRequest,
) -> Answer<OtpVerifyResponse> {
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let otp = book
            .otps
            .get(request.otp_reference.as_string())
            .filter(|otp| !otp.verified && ctx.now - otp.sent_at <= otp_validity())
            .cloned()
            .ok_or_else(|| {
                Decline::new(
                    codes::OTP_EXPIRED,
                    format!(
                        "OTP {} is unknown, already used or expired: ask for a new one",
                        request.otp_reference
                    ),
                )
            })?;
        if request.otp != SANDBOX_OTP {
            return Err(Decline::new(
                codes::OTP_MISMATCH,
                "The OTP does not match (the sandbox OTP is 123456)",
            ));
        }
        if let Some(stored) = book.otps.get_mut(request.otp_reference.as_string()) {
            stored.verified = true;
        }
        // Every verification may be forgotten to make room, so this is never refused.
        let _ = book
            .verified
            .insert(otp.mobile.to_string(), Verified(ctx.now));
        Ok((
            "OTP verified".to_string(),
            OtpVerifyData {
                verified: true,
                mobile: otp.mobile.to_string(),
            },
        ))
    });
    Answer(OtpVerifyResponse::of(result))
}
