//! `POST /sandbox/clock`: freeze, advance or release the calling app's sandbox clock.

use chrono::{DateTime, FixedOffset, Utc};
use poem_openapi::{payload::Json, ApiResponse, Object};
use serde::Deserialize;

use poem::http::StatusCode;

use crate::{
    api::SchemaRule,
    sandbox::{
        bank::clock::{ist, parse_duration, DURATION_PATTERN},
        gateway::{
            apps::App,
            error::{GatewayError, Rejection},
        },
    },
};

/// Exactly one of `freeze`, `advance` or `real: true` (`real: false` says nothing).
#[derive(Object, Deserialize, Debug)]
#[oai(example, skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// Stop the clock at this instant (RFC 3339, e.g. `2026-04-01T10:00:00+05:30`), between 1970-01-01
    /// and 2999-12-31.
    pub freeze: Option<String>,
    /// Move the clock forward by an ISO 8601 duration (`PT2H`, `P1D`, `P1DT30M`). A frozen clock stays
    /// frozen at the later instant.
    pub advance: Option<String>,
    /// `true`: back to wall-clock time.
    pub real: Option<bool>,
}

impl poem_openapi::types::Example for ClockRequest {
    fn example() -> Self {
        Self {
            freeze: Some("2026-04-01T10:00:00+05:30".into()),
            advance: None,
            real: None,
        }
    }
}

/// The app's clock after the change.
#[derive(Object)]
pub struct ClockState {
    /// The app's current instant, in IST.
    pub now: DateTime<FixedOffset>,
    /// `true` while the clock is frozen.
    pub frozen: bool,
}

#[derive(ApiResponse)]
pub enum ClockAnswer {
    /// The clock was set.
    #[oai(status = 200)]
    Ok(Json<ClockState>),
    /// The advance would take the clock past 2999-12-31 (`response` 409): nothing changed.
    #[oai(status = 409)]
    Conflict(Json<GatewayError>),
}

/// What [`set`] accepts: exactly one of the three, no other field, RFC 3339 instants within the
/// clock's range of years, durations as [`parse_duration`] reads them.
pub fn schema_rule() -> SchemaRule {
    let one = |field: &str, schema: serde_json::Value| serde_json::json!({ "required": [field], "properties": { field: schema } });
    SchemaRule {
        schema: "ClockRequest",
        rule: serde_json::json!({
            "additionalProperties": false,
            "properties": {
                "freeze": { "format": "date-time", "pattern": FREEZE_PATTERN },
                "advance": { "pattern": DURATION_PATTERN },
            },
            "oneOf": [
                one("freeze", serde_json::json!({ "type": "string" })),
                one("advance", serde_json::json!({ "type": "string" })),
                one("real", serde_json::json!({ "type": "boolean", "enum": [true] })),
            ],
        }),
    }
}

/// Years 1970 to 2999, which the clock accepts (RFC 3339 has four-digit years).
const FREEZE_PATTERN: &str = "^(19[7-9][0-9]|2[0-9]{3})-";

pub fn set(app: &App, mut request: ClockRequest) -> Result<ClockAnswer, Rejection> {
    let clock = &app.clock;
    if request.real == Some(false) {
        request.real = None;
    }
    match request {
        ClockRequest {
            freeze: Some(at),
            advance: None,
            real: None,
        } => {
            let at = DateTime::parse_from_rfc3339(&at)
                .map_err(|e| Rejection::schema("freeze", format!("must be RFC 3339: {e}")))?;
            clock
                .freeze(at.with_timezone(&Utc))
                .map_err(|e| Rejection::schema("freeze", e))?;
        }
        ClockRequest {
            freeze: None,
            advance: Some(by),
            real: None,
        } => {
            let by = parse_duration(&by).map_err(|e| Rejection::schema("advance", e))?;
            // Well formed, but past the end of the clock's range from where it stands now.
            if let Err(e) = clock.advance(by) {
                let conflict = Rejection::new(StatusCode::CONFLICT, 409, e);
                return Ok(ClockAnswer::Conflict(Json(conflict.body)));
            }
        }
        ClockRequest {
            freeze: None,
            advance: None,
            real: Some(true),
        } => clock.real(),
        _ => {
            return Err(Rejection::schema(
                "",
                "send exactly one of `freeze`, `advance` or `\"real\": true`",
            ))
        }
    }
    Ok(ClockAnswer::Ok(Json(ClockState {
        now: clock.now().with_timezone(&ist()),
        frozen: clock.is_frozen(),
    })))
}
