//! The iWish envelope: every answer carries `status` (`SUCCESS` / `FAILURE`), a stable `responseCode`
//! and a `message`, then the operation's `data`. Business declines are HTTP 200, as the bank answers
//! them.

use poem_openapi::Object;
use serde::Deserializer;

/// Success.
pub const OK: &str = "IW000";
/// Tenure outside 6–120 months.
pub const TENURE_OUT_OF_RANGE: &str = "IW101";
/// A deposit (initial, add-funds, standing instruction) below ₹100.
pub const BELOW_MINIMUM: &str = "IW102";
/// No such goal for this app.
pub const NOT_FOUND: &str = "IW201";
/// The goal is closed or matured.
pub const GOAL_CLOSED: &str = "IW202";
/// The funding account lacks the funds (or the amount ends `.51`).
pub const INSUFFICIENT_FUNDS: &str = "IW301";
/// The funding account is not an account of this bank.
pub const UNKNOWN_ACCOUNT: &str = "IW302";

/// Why a request was declined.
#[derive(Debug, Clone)]
pub struct Decline {
    pub code: &'static str,
    pub message: String,
}

impl Decline {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// The envelope fields every iWish answer starts with.
#[derive(Object, Debug, Clone)]
#[oai(rename = "IwishOutcome")]
#[oai(rename_all = "camelCase")]
pub struct Outcome {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `IW000` on success, else a stable code: `IW101` tenure outside 6–120 months, `IW102` deposit
    /// below ₹100, `IW201` goal not found, `IW202` goal closed or matured, `IW301` insufficient funds,
    /// `IW302` funding account not of this bank.
    pub response_code: String,
    /// The outcome in words (naming the field for product-rule declines).
    pub message: String,
}

impl Outcome {
    pub fn success(message: impl Into<String>) -> Self {
        Self {
            status: "SUCCESS".into(),
            response_code: OK.into(),
            message: message.into(),
        }
    }

    pub fn failure(decline: Decline) -> Self {
        Self {
            status: "FAILURE".into(),
            response_code: decline.code.into(),
            message: decline.message,
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

/// Checks a goal id's shape (`IW` + 10 digits) for serde, so a bad one is a 400/8017 naming the field.
pub fn goal_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
    if raw.len() == 12 && raw.starts_with("IW") && raw[2..].bytes().all(|b| b.is_ascii_digit()) {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be IW followed by 10 digits, got `{raw}`"
        )))
    }
}

/// A goal name: 1 to 50 characters, not blank.
pub fn goal_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
    let length = raw.chars().count();
    if (1..=50).contains(&length) && !crate::sandbox::formats::is_blank(&raw) {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be 1 to 50 characters and not blank, got {length} characters"
        )))
    }
}

/// A standing-instruction day: 1 to 28 (every month has it).
pub fn day_of_month<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let day = <u32 as serde::Deserialize>::deserialize(deserializer)?;
    if (1..=28).contains(&day) {
        Ok(day)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be a day of the month from 1 to 28, got {day}"
        )))
    }
}

crate::nullable!(
    /// An optional standing-instruction day.
    pub fn si_day => day_of_month: u32
);

crate::nullable!(
    /// An optional goal name.
    pub fn optional_goal_name => goal_name: String
);
