//! One delivery attempt of a callback, as `GET /sandbox/callbacks` lists it and the readiness report
//! grades it: plain data, so that what reads attempts needs nothing of how they are sent.

use chrono::{DateTime, Utc};

/// One delivery attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub kind: &'static str,
    pub reference: String,
    /// The callback's id (`X-Sandbank-Delivery`): the same on each of its attempts.
    pub delivery: String,
    pub attempt: u32,
    /// When it was sent (the app's sandbox clock).
    pub at: DateTime<Utc>,
    pub url: String,
    /// The partner's HTTP status; `None` when no answer came (refused, timed out).
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub request_body: serde_json::Value,
    /// The first [`crate::sandbox::bank::callbacks::MAX_RESPONSE_BODY`] bytes of the answer.
    pub response_body: Option<String>,
    /// The answer was longer than what was kept.
    pub response_truncated: bool,
    pub error: Option<String>,
    /// The callback's place in the dispatch order.
    pub(super) seq: u64,
}

impl Attempt {
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// Where it sorts in the app's list: by callback in dispatch order, then by attempt.
    pub(super) fn order(&self) -> (u64, u32) {
        (self.seq, self.attempt)
    }
}
