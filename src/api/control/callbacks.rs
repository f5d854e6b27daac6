//! `GET /sandbox/callbacks`: every callback the sandbox tried to deliver for the calling app.

use chrono::{DateTime, FixedOffset};
use poem_openapi::Object;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        callbacks::Attempt,
        clock::ist,
    },
    gateway::{apps::App, credentials::Reach, scopes::callback_family},
    Sandbox,
};

/// One delivery attempt of a callback the sandbox sent for the app.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct CallbackAttempt {
    /// `upi-collect`, `ecollection-mis`, ... — `drill:<case>` for a callback receiver drill's.
    pub kind: String,
    /// The object it is about (BankRRN, UTR, ...).
    pub reference: String,
    /// The callback's `X-Sandbank-Delivery`: the same on each of its attempts (and on a drill's
    /// duplicate).
    pub delivery_id: String,
    /// 1 for the first try; retries back off exponentially.
    pub attempt: u32,
    /// When it was sent, by the app's sandbox clock (IST).
    pub at: DateTime<FixedOffset>,
    pub url: String,
    /// The partner's HTTP status; absent when nothing answered.
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// The body the sandbox POSTed (for an encrypted app, before sealing; a malformed drill
    /// callback's truncated JSON as a string).
    pub request_body: serde_json::Value,
    /// What the partner answered: its first 4 KiB (a 3xx is an answer too: redirects are not
    /// followed).
    pub response_body: Option<String>,
    /// `true` when the answer was longer than the 4 KiB kept.
    pub response_truncated: Option<bool>,
    /// Why the attempt failed, when it did not reach the partner.
    pub error: Option<String>,
}

impl From<Attempt> for CallbackAttempt {
    fn from(a: Attempt) -> Self {
        Self {
            kind: a.kind.to_string(),
            reference: a.reference,
            delivery_id: a.delivery,
            attempt: a.attempt,
            at: a.at.with_timezone(&ist()),
            url: a.url,
            status: a.status,
            latency_ms: a.latency_ms,
            request_body: a.request_body,
            response_body: a.response_body,
            response_truncated: a.response_truncated.then_some(true),
            error: a.error,
        }
    }
}

impl Answered for Vec<CallbackAttempt> {
    const DESCRIPTION: &'static str = "The app's callback attempts: the latest callback first (in the order the sandbox dispatched\n\
         them), each callback's latest attempt first.";
}

pub fn list(sandbox: &Sandbox, app: &App, reach: Reach) -> Answer<Vec<CallbackAttempt>> {
    let attempts = sandbox.callbacks.attempts(&app.id);
    Answer(
        attempts
            .into_iter()
            .filter(|a| reach.sees(callback_family(a.kind)))
            .map(CallbackAttempt::from)
            .collect(),
    )
}
