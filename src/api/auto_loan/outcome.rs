//! The Auto Loan envelope: every answer carries `status` (`SUCCESS` / `FAILURE`), a stable
//! `responseCode` and a `message`; a step out of order also names the application's `currentState` and
//! its `allowedNextSteps`. Business declines are HTTP 200, as the bank answers them.

use poem_openapi::Object;

use super::book::{Application, Stage, Step};

/// Success.
pub const OK: &str = "AL000";
/// The OTP does not match.
pub const OTP_MISMATCH: &str = "AL101";
/// No such OTP reference, or it expired (5 minutes).
pub const OTP_EXPIRED: &str = "AL102";
/// The mobile has not passed OTP verification in the last 30 minutes.
pub const OTP_NOT_VERIFIED: &str = "AL103";
/// No such application (or loan account) for this app.
pub const NOT_FOUND: &str = "AL201";
/// A step out of order: see `currentState` and `allowedNextSteps`.
pub const OUT_OF_ORDER: &str = "AL202";
/// The offer was declined: see `data.reasons`.
pub const REJECTED: &str = "AL203";
/// The dealer is not empanelled (dealer codes ending `0000`).
pub const DEALER_NOT_EMPANELLED: &str = "AL204";
/// The document could not be read (SHA-256 of all zeros).
pub const DOCUMENT_UNREADABLE: &str = "AL301";
/// The application already holds the most documents it takes (20).
pub const TOO_MANY_DOCUMENTS: &str = "AL302";
/// The dealer's account does not exist (accounts ending `0000`).
pub const INVALID_DEALER_ACCOUNT: &str = "AL401";
/// The dealer's IFSC names no bank in the directory.
pub const INVALID_DEALER_IFSC: &str = "AL402";
/// The repayment account lacks the funds (or the amount ends `.51`).
pub const INSUFFICIENT_FUNDS: &str = "AL501";
/// The repayment account is not an account of this bank.
pub const UNKNOWN_DEBIT_ACCOUNT: &str = "AL502";
/// The repayment is more than everything still owed.
pub const AMOUNT_ABOVE_OUTSTANDING: &str = "AL503";

/// Why a request was declined.
#[derive(Debug, Clone)]
pub struct Decline {
    pub code: &'static str,
    pub message: String,
    pub current_state: Option<Stage>,
    pub allowed_next_steps: Option<Vec<String>>,
}

impl Decline {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            current_state: None,
            allowed_next_steps: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(NOT_FOUND, message)
    }

    /// `step` is not allowed in the application's state.
    pub fn out_of_order(application: &Application, step: Step) -> Self {
        let allowed: Vec<String> = application
            .stage
            .allowed()
            .iter()
            .map(|s| s.name().to_string())
            .collect();
        let next = if allowed.is_empty() {
            match application.stage {
                Stage::SanctionPending => {
                    "none: the sanction is granted 1 sandbox hour after it was asked for"
                        .to_string()
                }
                Stage::Disbursed => {
                    "none: the loan turns ACTIVE 1 sandbox day after disbursement".to_string()
                }
                _ => "none: the application is final".to_string(),
            }
        } else {
            allowed.join(", ")
        };
        Self {
            code: OUT_OF_ORDER,
            message: format!(
                "Application {} is {}: {} is not allowed now; allowed next steps: {next}",
                application.no,
                application.stage.name(),
                step.name()
            ),
            current_state: Some(application.stage),
            allowed_next_steps: Some(allowed),
        }
    }
}

/// The envelope fields every Auto Loan answer starts with.
#[derive(Object, Debug, Clone)]
#[oai(rename = "AutoLoanOutcome")]
#[oai(rename_all = "camelCase")]
pub struct Outcome {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `AL000` on success, else a stable code: `AL101` wrong OTP, `AL102` OTP unknown or expired,
    /// `AL103` mobile not OTP-verified, `AL201` application not found, `AL202` step out of order,
    /// `AL203` offer declined, `AL204` dealer not empanelled, `AL301` document unreadable, `AL302` 20 documents already received, `AL401`
    /// invalid dealer account, `AL402` invalid dealer IFSC, `AL501` insufficient funds, `AL502` debit
    /// account not of this bank, `AL503` repayment above what is owed.
    pub response_code: String,
    /// The outcome in words.
    pub message: String,
    #[oai(skip_serializing_if_is_none)]
    pub current_state: Option<Stage>,
    /// On `AL202`: the operations the application accepts now (empty while it waits on the clock).
    #[oai(skip_serializing_if_is_none)]
    pub allowed_next_steps: Option<Vec<String>>,
}

impl Outcome {
    pub fn success(message: impl Into<String>) -> Self {
        Self {
            status: "SUCCESS".into(),
            response_code: OK.into(),
            message: message.into(),
            current_state: None,
            allowed_next_steps: None,
        }
    }

    pub fn failure(decline: Decline) -> Self {
        Self {
            status: "FAILURE".into(),
            response_code: decline.code.into(),
            message: decline.message,
            current_state: decline.current_state,
            allowed_next_steps: decline.allowed_next_steps,
        }
    }

    /// The envelope and the data of a result.
    pub fn split<T>(result: Result<(String, T), Decline>) -> (Self, Option<T>) {
        match result {
            Ok((message, data)) => (Self::success(message), Some(data)),
            Err(decline) => (Self::failure(decline), None),
        }
    }
}

/// Checks an application number's shape (`ALN` + 10 digits) for serde, so a bad one is a 400/8017
/// naming the field.
pub fn application_no<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
    let ok =
        raw.len() == 13 && raw.starts_with("ALN") && raw[3..].bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be ALN followed by 10 digits, got `{raw}`"
        )))
    }
}
