//! The sandbox control plane (api-catalogue §8): health and the per-app sandbox clock.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use poem_openapi::{payload::Json, ApiResponse, Object};
use serde::Deserialize;

use crate::sandbox::{
    auth::AppKey,
    clock::{ist, parse_duration},
    error::Rejection,
    payload::BankJson,
    Sandbox,
};

use super::ApiTags;

pub struct ControlApi {
    sandbox: Arc<Sandbox>,
}

impl ControlApi {
    pub fn new(sandbox: Arc<Sandbox>) -> Self {
        Self { sandbox }
    }
}

/// `{"status":"ok"}`.
#[derive(Object)]
pub struct Health {
    /// Always `ok` while the server answers.
    pub status: String,
}

#[derive(ApiResponse)]
pub enum HealthAnswer {
    /// The server is up.
    #[oai(status = 200)]
    Ok(Json<Health>),
}

/// Exactly one of `freeze`, `advance` or `real`.
#[derive(Object, Deserialize, Debug)]
#[oai(example)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// Stop the clock at this instant (RFC 3339, e.g. `2026-04-01T10:00:00+05:30`).
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
}

/// One delivery attempt of a callback the sandbox sent for the app.
#[derive(Object)]
#[oai(rename_all = "camelCase")]
pub struct CallbackAttempt {
    /// `upi-collect`, `ecollection-mis`, ...
    pub kind: String,
    /// The object it is about (BankRRN, UTR, ...).
    pub reference: String,
    /// 1 for the first try; retries back off exponentially.
    pub attempt: u32,
    /// When it was sent, by the app's sandbox clock (IST).
    pub at: DateTime<FixedOffset>,
    pub url: String,
    /// The partner's HTTP status; absent when nothing answered.
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// The body the sandbox POSTed.
    pub request_body: serde_json::Value,
    /// What the partner answered.
    pub response_body: Option<String>,
    /// Why the attempt failed, when it did not reach the partner.
    pub error: Option<String>,
}

#[derive(ApiResponse)]
pub enum CallbacksAnswer {
    /// The app's callback attempts, newest first.
    #[oai(status = 200)]
    Ok(Json<Vec<CallbackAttempt>>),
}

#[poem_openapi::OpenApi(tag = "ApiTags::Sandbox")]
impl ControlApi {
    /// Health check
    ///
    /// `200 {"status":"ok"}` while the server is up. Needs no credentials.
    #[oai(path = "/healthz", method = "get", operation_id = "healthz")]
    async fn healthz(&self) -> HealthAnswer {
        HealthAnswer::Ok(Json(Health {
            status: "ok".into(),
        }))
    }

    /// Set the app's sandbox clock
    ///
    /// Freeze the calling app's clock at an instant, advance it, or return it to real time. Every date
    /// the sandbox answers for this app (bureau report dates, value dates, expiries) reads this clock;
    /// other apps are unaffected.
    #[oai(
        path = "/sandbox/clock",
        method = "post",
        operation_id = "sandboxClock"
    )]
    async fn set_clock(
        &self,
        auth: AppKey,
        body: BankJson<ClockRequest>,
    ) -> Result<ClockAnswer, Rejection> {
        let clock = &auth.0.clock;
        match body.0 {
            ClockRequest {
                freeze: Some(at),
                advance: None,
                real: None,
            } => {
                let at = DateTime::parse_from_rfc3339(&at)
                    .map_err(|e| Rejection::schema("freeze", format!("must be RFC 3339: {e}")))?;
                clock.freeze(at.with_timezone(&Utc));
            }
            ClockRequest {
                freeze: None,
                advance: Some(by),
                real: None,
            } => {
                clock.advance(parse_duration(&by).map_err(|e| Rejection::schema("advance", e))?);
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
        // Work that fell due moves on now, not at the next tick.
        self.sandbox.transact(&auth.0, |_, _| ());
        Ok(ClockAnswer::Ok(Json(ClockState {
            now: clock.now().with_timezone(&ist()),
            frozen: clock.is_frozen(),
        })))
    }

    /// Callbacks sent
    ///
    /// Every attempt the sandbox made to deliver a callback for the calling app (UPI collect results,
    /// e-collection MIS pushes), newest first: URL, status, latency, the body sent and the answer.
    #[oai(
        path = "/sandbox/callbacks",
        method = "get",
        operation_id = "sandboxCallbacks"
    )]
    async fn callbacks(&self, auth: AppKey) -> Result<CallbacksAnswer, Rejection> {
        let attempts = self.sandbox.callbacks.attempts(&auth.0.id);
        Ok(CallbacksAnswer::Ok(Json(
            attempts
                .into_iter()
                .map(|a| CallbackAttempt {
                    kind: a.kind.to_string(),
                    reference: a.reference,
                    attempt: a.attempt,
                    at: a.at.with_timezone(&ist()),
                    url: a.url,
                    status: a.status,
                    latency_ms: a.latency_ms,
                    request_body: a.request_body,
                    response_body: a.response_body,
                    error: a.error,
                })
                .collect(),
        )))
    }
}
