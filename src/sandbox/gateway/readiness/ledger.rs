//! One app's readiness ledger: per checklist item, the latest exchange that proved it and the latest
//! that did it wrong (request ids and a count), and the obligations still open — a timeout waiting
//! for its status check, a 429 waiting out its `Retry-After`. Updated as each request passes the
//! gateway, so the report never depends on request-log entries that have since been evicted; bounded
//! whatever the app sends (a fixed record per item, at most [`OPEN_LIMIT`] open obligations).

use std::{collections::VecDeque, time::Instant};

use chrono::{DateTime, FixedOffset};

use crate::sandbox::bank::callbacks::attempt::Attempt;
use crate::sandbox::gateway::readiness::{
    checklist::{Checklists, Compare, Item, Rule},
    matcher::same_values,
    Seen,
};

/// Open follow-up obligations kept per app; past this the oldest is forgotten (never graded).
pub const OPEN_LIMIT: usize = 64;

/// What the ledger knows about one item.
#[derive(Debug, Clone, Default)]
pub struct Mark {
    pub proof: Evidence,
    pub wrong: Evidence,
}

/// The exchanges that proved an item (or did it wrong).
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// How many times.
    pub seen: u32,
    /// The latest time's request ids (the trigger, then what followed it), from the request log.
    pub requests: Vec<u64>,
    /// The latest time's callback attempts (`upi-collect 163435879754 #1: 200`), for callback and
    /// drill items.
    pub callbacks: Vec<String>,
    /// The latest time, in words (done wrong only).
    pub note: Option<String>,
}

impl Evidence {
    fn add(&mut self, requests: &[u64], note: Option<String>) {
        self.seen = self.seen.saturating_add(1);
        self.requests = requests.to_vec();
        self.note = note;
    }

    fn add_callbacks(&mut self, callbacks: Vec<String>, note: Option<String>) {
        self.seen = self.seen.saturating_add(1);
        self.requests.clear();
        self.callbacks = callbacks;
        self.note = note;
    }
}

/// A follow-up waiting for its proof.
#[derive(Debug)]
struct Open {
    item: usize,
    trigger: u64,
    key: String,
    /// The trigger's values of the `wrong.same` fields.
    same: Vec<Option<String>>,
}

/// A refusal or a 429 waiting for the app's next business call.
#[derive(Debug)]
struct Waiting {
    trigger: u64,
    at: DateTime<FixedOffset>,
    real: Instant,
    operation: &'static str,
    credential: u64,
    body: u64,
    retry_after: u64,
}

#[derive(Debug)]
pub struct Ledger {
    marks: Vec<Mark>,
    open: VecDeque<Open>,
    waiting: Vec<Option<Waiting>>,
    /// The latest successful bearer call: its token's fingerprint and request id.
    last_token: Option<(u64, u64)>,
}

impl Ledger {
    pub fn new(items: usize) -> Self {
        Self {
            marks: vec![Mark::default(); items],
            open: VecDeque::new(),
            waiting: (0..items).map(|_| None).collect(),
            last_token: None,
        }
    }

    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Grades one exchange: first what it resolves (open follow-ups, waits), then what it proves
    /// or opens — so that a trigger never resolves itself.
    pub fn observe(&mut self, lists: &Checklists, seen: &Seen) {
        self.resolve_open(lists, seen);
        if seen.business {
            self.resolve_waiting(lists, seen);
            self.token(lists, seen);
        }
        for at in lists.candidates(seen) {
            let item = &lists.items[at];
            match &item.rule {
                Rule::Outcome { proof } if proof.matches(seen) => {
                    self.marks[at].proof.add(&[seen.id], None);
                }
                Rule::FollowUp { after, wrong, .. } if after.matches(seen) => {
                    let Some(key) = after.key_of(seen) else {
                        continue;
                    };
                    if self.open.iter().any(|o| o.item == at && o.key == key) {
                        continue;
                    }
                    let same = wrong.as_ref().map(|w| w.same_of(seen)).unwrap_or_default();
                    if self.open.len() == OPEN_LIMIT {
                        self.open.pop_front();
                    }
                    self.open.push_back(Open {
                        item: at,
                        trigger: seen.id,
                        key,
                        same,
                    });
                }
                Rule::RetryAfter { after } | Rule::ChangedRetry { after, .. }
                    if after.matches(seen) =>
                {
                    let retry_after = match item.rule {
                        Rule::RetryAfter { .. } => match seen.retry_after {
                            Some(secs) => secs,
                            None => continue,
                        },
                        _ => 0,
                    };
                    self.waiting[at] = Some(Waiting {
                        trigger: seen.id,
                        at: seen.at,
                        real: seen.real,
                        operation: seen.operation,
                        credential: seen.credential,
                        body: seen.body_hash(),
                        retry_after,
                    });
                }
                _ => {}
            }
        }
    }

    fn resolve_open(&mut self, lists: &Checklists, seen: &Seen) {
        let mut i = 0;
        while i < self.open.len() {
            let open = &self.open[i];
            let item = &lists.items[open.item];
            let Rule::FollowUp { proof, wrong, .. } = &item.rule else {
                i += 1;
                continue;
            };
            if proof.matches(seen) && proof.key_of(seen).as_deref() == Some(open.key.as_str()) {
                self.marks[open.item]
                    .proof
                    .add(&[open.trigger, seen.id], None);
                self.open.remove(i);
                continue;
            }
            if let Some(wrong) = wrong.as_ref().filter(|w| w.matches(seen)) {
                let key = wrong.key_of(seen);
                let key_differs = wrong.key.is_empty() || key.as_deref() != Some(&open.key);
                if key_differs && same_values(&open.same, &wrong.same_of(seen)) {
                    let note = explain(
                        item,
                        &[("trigger", &open.key), ("key", &key.unwrap_or_default())],
                    );
                    self.marks[open.item]
                        .wrong
                        .add(&[open.trigger, seen.id], note);
                    self.open.remove(i);
                    continue;
                }
            }
            i += 1;
        }
    }

    fn resolve_waiting(&mut self, lists: &Checklists, seen: &Seen) {
        for (at, slot) in self.waiting.iter_mut().enumerate() {
            let Some(waiting) = slot else { continue };
            let item = &lists.items[at];
            let wrong = match item.rule {
                Rule::RetryAfter { .. } => {
                    // The sandbox clock (advanced in CI) or the machine's (a client that sleeps).
                    let on_clock = (seen.at - waiting.at).num_milliseconds();
                    let real = seen.real.duration_since(waiting.real).as_millis() as i64;
                    let waited = on_clock.max(real);
                    let secs = format!("{:.1}", waited as f64 / 1000.0);
                    let after = waiting.retry_after.to_string();
                    (waited < waiting.retry_after as i64 * 1000)
                        .then(|| explain(item, &[("waited", &secs), ("retry_after", &after)]))
                }
                Rule::ChangedRetry { compare, .. } => {
                    // Wrong: the refused request again, identical. Proven: the thing refused changed.
                    // Anything else (another call, another operation) leaves it waiting.
                    let same_operation = seen.operation == waiting.operation;
                    let same_credential = seen.credential == waiting.credential;
                    let same_body = seen.body_hash() == waiting.body;
                    let changed = match compare {
                        Compare::Credential => !same_credential,
                        Compare::Body => same_operation && !same_body,
                    };
                    if same_operation && same_credential && same_body {
                        Some(explain(item, &[]))
                    } else if changed {
                        None
                    } else {
                        continue;
                    }
                }
                _ => continue,
            };
            let ids = [waiting.trigger, seen.id];
            match wrong {
                Some(note) => self.marks[at].wrong.add(&ids, note),
                None => self.marks[at].proof.add(&ids, None),
            }
            *slot = None;
        }
    }

    /// A callback attempt of a kind the checklists name: acknowledged (2xx) proves, a 4xx is done
    /// wrong; a 5xx or no answer is a transient failure the retries cover.
    pub fn callback(&mut self, lists: &Checklists, attempt: &Attempt) {
        let Some(status) = attempt.status else { return };
        for (at, item) in lists.items.iter().enumerate() {
            if !matches!(&item.rule, Rule::Callback { kind } if kind == attempt.kind) {
                continue;
            }
            let mark = &mut self.marks[at];
            let (evidence, note) = match status {
                200..=299 => (&mut mark.proof, None),
                400..=499 => {
                    let values = [
                        ("key", attempt.reference.as_str()),
                        ("status", &status.to_string()),
                    ];
                    (&mut mark.wrong, explain(item, &values))
                }
                _ => continue,
            };
            let shown = format!(
                "{} {} #{}: {status}",
                attempt.kind, attempt.reference, attempt.attempt
            );
            evidence.add_callbacks(vec![shown], note);
        }
    }

    /// A drill's case: the latest run wins, so a pass clears an earlier failure (an explicit
    /// re-test) and a failure an earlier pass.
    pub fn drill(
        &mut self,
        lists: &Checklists,
        case: &str,
        passed: bool,
        callbacks: Vec<String>,
        answered: &str,
    ) {
        for (at, item) in lists.items.iter().enumerate() {
            if !matches!(&item.rule, Rule::Drill { case: c } if c == case) {
                continue;
            }
            let mark = &mut self.marks[at];
            if passed {
                mark.wrong = Evidence::default();
                mark.proof.add_callbacks(callbacks.clone(), None);
            } else {
                mark.proof = Evidence::default();
                let note = explain(item, &[("answered", answered)]);
                mark.wrong.add_callbacks(callbacks.clone(), note);
            }
        }
    }

    fn token(&mut self, lists: &Checklists, seen: &Seen) {
        if !seen.bearer || !(200..300).contains(&seen.status) {
            return;
        }
        if let Some((previous, id)) = self.last_token {
            if previous != seen.credential {
                for (at, item) in lists.items.iter().enumerate() {
                    if matches!(item.rule, Rule::TokenRefresh) {
                        self.marks[at].proof.add(&[id, seen.id], None);
                    }
                }
            }
        }
        self.last_token = Some((seen.credential, seen.id));
    }
}

/// The item's `why`, its placeholders filled in.
pub fn explain(item: &Item, values: &[(&str, &str)]) -> Option<String> {
    let mut text = item.why.clone()?;
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    Some(text)
}
