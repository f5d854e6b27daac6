//! Go-live readiness: which of the scenarios a production integration must handle the calling app has
//! proven, not yet met, or done wrong — graded from its own requests as they pass the gateway.
//!
//! - [`checklist`]: the per-family checklists (data files, embedded) and their grading rules;
//! - [`matcher`]: one exchange against one condition; [`fields`]: the body fields conditions read,
//!   picked from each body in one pass;
//! - [`ledger`]: the per-app record the gateway updates — and the callback dispatcher, as it records
//!   each callback attempt and each drill's grades — bounded, so the report never depends on
//!   request-log entries or callback attempts since evicted;
//! - [`grade`]: the report's grades, per family and item, for the app's scopes.

pub(crate) mod checklist;
pub(crate) mod fields;
pub(crate) mod grade;
pub(crate) mod ledger;
pub(crate) mod matcher;

use std::{
    cell::OnceCell,
    sync::{Mutex, MutexGuard},
    time::Instant,
};

use bytes::Bytes;
use chrono::{DateTime, FixedOffset};

use crate::sandbox::{
    bank::callbacks::attempt::Attempt,
    gateway::request_log::{Entry, KeptBody},
};
use fields::Picked;

pub use checklist::load;
pub(crate) use checklist::{checklists, Checklists};
use ledger::{Ledger, Mark};

/// One exchange as the ledger grades it: what the request log keeps, and what it does not (the
/// credential's fingerprint, the `Retry-After` answered). Bodies are read only if a rule looks, and
/// then only for the fields the checklists name.
#[derive(Debug)]
pub struct Seen {
    lists: &'static Checklists,
    /// The request's id in the app's request log.
    pub id: u64,
    /// The operationId called.
    pub operation: &'static str,
    /// Counted against the quota: a family's operation, not the sandbox's own.
    pub business: bool,
    /// The HTTP status answered.
    pub status: u16,
    /// On the app's sandbox clock.
    pub at: DateTime<FixedOffset>,
    /// On the machine's clock: a client that really sleeps out a `Retry-After` on a frozen sandbox
    /// clock has waited too.
    pub real: Instant,
    /// The `x-sandbox-scenario` the call asked for, if any.
    pub scenario: Option<String>,
    /// A fingerprint of the `apikey` or bearer token the call was made with.
    pub credential: u64,
    /// Whether the call was made with a bearer token (else the `apikey`).
    pub bearer: bool,
    /// Seconds, when the answer carried `Retry-After`.
    pub retry_after: Option<u64>,
    request: Option<Bytes>,
    answer: Option<Bytes>,
    picked_request: OnceCell<Picked>,
    picked_answer: OnceCell<Picked>,
}

impl Seen {
    /// The exchange behind a log entry (cheap: the bodies are shared, not copied); `None` when
    /// there is nothing to grade it against.
    pub fn of(
        entry: &Entry,
        business: bool,
        credential: u64,
        retry_after: Option<u64>,
    ) -> Option<Self> {
        let body = |kept: &Option<KeptBody>| match kept {
            Some(KeptBody::Bytes { bytes, form: false }) => Some(bytes.clone()),
            _ => None,
        };
        Some(Self {
            lists: checklists()?,
            id: 0,
            operation: entry.operation?,
            business,
            status: entry.status,
            at: entry.time,
            real: Instant::now(),
            scenario: entry.scenario.clone(),
            credential,
            bearer: entry.credential == "bearer",
            retry_after,
            request: body(&entry.request),
            answer: body(&entry.answer),
            picked_request: OnceCell::new(),
            picked_answer: OnceCell::new(),
        })
    }

    /// A request field the checklists name, by its index in their request fields.
    pub fn request(&self, at: usize) -> Option<&str> {
        let fields = &self.lists.request_fields;
        pick(&self.picked_request, &self.request, |b| fields.pick(b), at)
    }

    /// An answer field the checklists name, by its index in their answer fields.
    pub fn answer(&self, at: usize) -> Option<&str> {
        let fields = &self.lists.answer_fields;
        pick(&self.picked_answer, &self.answer, |b| fields.pick(b), at)
    }

    /// A fingerprint of the request body's bytes (the plaintext, for encrypted apps).
    pub fn body_hash(&self) -> u64 {
        self.request
            .as_deref()
            .map_or(0, xxhash_rust::xxh3::xxh3_64)
    }
}

fn pick<'a>(
    cell: &'a OnceCell<Picked>,
    body: &Option<Bytes>,
    read: impl FnOnce(&[u8]) -> Picked,
    at: usize,
) -> Option<&'a str> {
    cell.get_or_init(|| read(body.as_deref().unwrap_or_default()))
        .get(at)?
        .as_deref()
}

/// A credential's fingerprint, for comparing calls without keeping the secret.
pub fn fingerprint(credential: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(credential)
}

/// One app's readiness ledger; created on the first graded request.
#[derive(Debug, Default)]
pub struct Readiness {
    ledger: Mutex<Option<Ledger>>,
}

impl Readiness {
    /// Grades the exchange logged as request `id`. The lock is held for the grading only.
    pub fn observe(&self, id: u64, mut seen: Seen) {
        let lists = seen.lists;
        seen.id = id;
        self.with_ledger(lists, |ledger| ledger.observe(lists, &seen));
    }

    /// Runs `f` on the ledger (created on first use) under its lock.
    fn with_ledger<R>(&self, lists: &Checklists, f: impl FnOnce(&mut Ledger) -> R) -> R {
        let mut ledger = self.lock();
        f(ledger.get_or_insert_with(|| Ledger::new(lists.items.len())))
    }

    /// Grades a callback attempt as it is recorded: the items of its kind (a genuine callback
    /// acknowledged, or refused with a 4xx). Attempts no item names take no lock.
    pub fn callback(&self, attempt: &Attempt) {
        let Some(lists) = checklists() else { return };
        let named = lists
            .items
            .iter()
            .any(|i| matches!(&i.rule, checklist::Rule::Callback { kind } if kind == attempt.kind));
        if named {
            self.with_ledger(lists, |ledger| ledger.callback(lists, attempt));
        }
    }

    /// Grades a drill's case: the latest run replaces the grade.
    pub fn drill(&self, case: &str, passed: bool, evidence: Vec<String>, answered: &str) {
        let Some(lists) = checklists() else { return };
        self.with_ledger(lists, |ledger| {
            ledger.drill(lists, case, passed, evidence, answered)
        });
    }

    /// A copy of every item's mark, in checklist order.
    pub fn marks(&self) -> Vec<Mark> {
        let items = checklists().map_or(0, |l| l.items.len());
        match &*self.lock() {
            Some(ledger) => ledger.marks().to_vec(),
            None => vec![Mark::default(); items],
        }
    }

    /// Forgets everything (sandbox reset).
    pub fn clear(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> MutexGuard<'_, Option<Ledger>> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }
}
