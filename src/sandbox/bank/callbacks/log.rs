//! The callback log `GET /sandbox/callbacks` reads: every attempt, in the order the callbacks were
//! dispatched, at most [`ATTEMPTS_KEPT`] per app. In this process's memory, or — when the store is
//! shared by several processes — in the store, so that every process answers the same.

use std::{
    collections::HashSet,
    sync::{Mutex, OnceLock},
};

use crate::sandbox::bank::{
    callbacks::{send::Outcome, Attempt, CallbackDispatcher, Sending},
    store::{outcome, shared_callbacks::AttemptRow, StoreError},
};

/// Attempts kept per app (oldest dropped first).
pub(super) const ATTEMPTS_KEPT: usize = 1000;

impl CallbackDispatcher {
    /// Records an attempt in its place in the app's order, and grades it for the readiness report.
    pub(super) fn record(
        &self,
        sending: &Sending<'_>,
        attempt: u32,
        outcome: Outcome,
        latency_ms: u64,
    ) -> Attempt {
        let app = sending.app;
        let entry = Attempt {
            kind: sending.kind,
            reference: sending.reference.to_string(),
            delivery: sending.ticket.delivery.clone(),
            attempt,
            at: app.clock.now(),
            url: sending.url.to_string(),
            status: outcome.status,
            latency_ms,
            request_body: sending.body.clone(),
            response_body: outcome.body,
            response_truncated: outcome.truncated,
            error: outcome.error,
            seq: sending.ticket.seq,
        };
        app.readiness.callback(&entry);
        if let Some(shared) = &self.shared {
            if let Err(error) = shared.record(&app.id, row_of(&entry), ATTEMPTS_KEPT) {
                tracing::error!(%error, "callback log");
            }
            return entry;
        }
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let log = attempts.entry(app.id.clone()).or_default();
        // Usually the last place; a callback dispatched earlier and retried later goes back to its own.
        let at = log
            .iter()
            .rposition(|a| a.order() <= entry.order())
            .map_or(0, |i| i + 1);
        log.insert(at, entry.clone());
        while log.len() > ATTEMPTS_KEPT {
            log.pop_front();
        }
        entry
    }

    /// The app's attempts: the latest callback first, each callback's latest attempt first.
    pub fn attempts(&self, app_id: &str) -> Vec<Attempt> {
        if let Some(shared) = &self.shared {
            return read(shared.attempts(app_id))
                .into_iter()
                .map(attempt_of)
                .collect();
        }
        let attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        attempts
            .get(app_id)
            .map(|log| log.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// The latest attempt about `reference` (e.g. to read the partner's accept / reject).
    pub fn latest(&self, app_id: &str, reference: &str) -> Option<Attempt> {
        if let Some(shared) = &self.shared {
            return read(
                shared
                    .latest(app_id, reference)
                    .map(|found| found.into_iter().collect()),
            )
            .pop()
            .map(attempt_of);
        }
        let attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        attempts
            .get(app_id)?
            .iter()
            .rev()
            .find(|a| a.reference == reference)
            .cloned()
    }

    /// Forgets the app's attempts (and, in a shared store, the callbacks it is still owed).
    pub(super) fn forget_attempts(&self, app_id: &str) {
        if let Some(shared) = &self.shared {
            if let Err(error) = shared.reset(app_id) {
                outcome::failed(&error);
            }
            return;
        }
        self.attempts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(app_id);
    }
}

/// What a shared log answered; a store that did not answer fails the request (503).
fn read(answer: Result<Vec<AttemptRow>, StoreError>) -> Vec<AttemptRow> {
    answer.unwrap_or_else(|error| {
        outcome::failed(&error);
        Vec::new()
    })
}

/// An attempt as the shared log keeps it.
pub(super) fn row_of(a: &Attempt) -> AttemptRow {
    AttemptRow {
        seq: a.seq,
        attempt: a.attempt,
        kind: a.kind.to_string(),
        reference: a.reference.clone(),
        delivery: a.delivery.clone(),
        at: a.at,
        url: a.url.clone(),
        status: a.status,
        latency_ms: a.latency_ms,
        request_body: a.request_body.to_string(),
        response_body: a.response_body.clone(),
        response_truncated: a.response_truncated,
        error: a.error.clone(),
    }
}

/// An attempt the shared log kept.
pub(super) fn attempt_of(row: AttemptRow) -> Attempt {
    Attempt {
        kind: intern(row.kind),
        reference: row.reference,
        delivery: row.delivery,
        attempt: row.attempt,
        at: row.at,
        url: row.url,
        status: row.status,
        latency_ms: row.latency_ms,
        request_body: serde_json::from_str(&row.request_body)
            .unwrap_or(serde_json::Value::String(row.request_body)),
        response_body: row.response_body,
        response_truncated: row.response_truncated,
        error: row.error,
        seq: row.seq,
    }
}

/// A kind or content type read back from the store, as the `'static` name the code uses. The
/// names are the code's own (callback kinds, drill cases, content types): a handful, each kept once.
pub(super) fn intern(name: String) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name.as_str()) {
        return known;
    }
    let kept: &'static str = Box::leak(name.into_boxed_str());
    names.insert(kept);
    kept
}
