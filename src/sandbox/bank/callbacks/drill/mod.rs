//! Callback receiver drills (`POST /sandbox/callbacks/drill`): the deliveries a partner's receiver
//! meets in production, sent through the same path as genuine callbacks (signed, bounded, checked
//! against `--callback-allow`), each graded by what is observable — the receiver's HTTP answer — and
//! recorded at `GET /sandbox/callbacks` as kind `drill:<case>`.
//!
//! The cases run side by side, at most `--callback-concurrency-per-app` at once; each attempt,
//! waiting for a place among the server's deliveries included, takes at most the attempt timeout
//! (5 s). The longest case is `late`: two attempts and the wait between them (8 × the first
//! backoff), 18 s with the defaults — the drill's worst case against a receiver that never answers.

use std::sync::Arc;

use chrono::{DateTime, Duration as Span, Utc};
use rsa::RsaPublicKey;
use rust_decimal::Decimal;
use serde_json::Value;
use tokio::sync::Semaphore;

pub mod case;

pub use case::Case;

use crate::sandbox::bank::callbacks::{
    send::{Outcome, Sign, Wire},
    Attempt, CallbackDispatcher, Sending, Ticket,
};
use crate::sandbox::gateway::{
    apps::App,
    encryption::callback::{seal, CallbackSealing, SealedCallback},
};

/// The attempt number a late delivery carries: three have failed before it.
pub const LATE_ATTEMPT: u32 = 4;

/// How old the event in a late delivery is.
pub const LATE_BY_SECONDS: i64 = 15;

/// What a drill asks a family for: a callback of its kind about an object of its own.
#[derive(Debug)]
pub struct Sample<'a> {
    /// The case (`normal`, ...): the object's reference derives from it, so both callbacks of one
    /// case are about the same object, and families may show it to the partner (`DRILL-NORMAL`).
    pub label: &'a str,
    /// When the event happened.
    pub at: DateTime<Utc>,
    /// The earlier event rather than the final one (out-of-order's second callback): UPI's
    /// `PENDING` for the same `BankRRN`.
    pub interim: bool,
}

/// A family's callback for a drill: the object it is about, and its body.
#[derive(Debug)]
pub struct Sampled {
    pub reference: String,
    pub body: Value,
}

/// Builds a family's callback for a drill.
pub type Sampler = Box<dyn Fn(&Sample<'_>) -> Sampled + Send + Sync>;

/// A drill to run.
pub struct Drill {
    pub app: Arc<App>,
    pub url: String,
    /// The genuine callback kind the drill imitates (`upi-collect`).
    pub kind: &'static str,
    /// The amount field a tampered callback changes.
    pub amount_field: &'static str,
    pub sample: Sampler,
    pub cases: Vec<Case>,
    /// The key a tampered callback to an encrypted app is sealed under (the sandbox bank's).
    pub stranger: RsaPublicKey,
}

/// One case, graded.
#[derive(Debug)]
pub struct CaseResult {
    pub case: Case,
    pub passed: bool,
    /// The receiver's answers in order (`200 then 500`).
    pub answered: String,
    /// Every delivery, as recorded at `GET /sandbox/callbacks`.
    pub deliveries: Vec<Attempt>,
}

/// An app's drill slot: one drill at a time per app; freed when dropped.
pub struct DrillSlot {
    dispatcher: Arc<CallbackDispatcher>,
    app_id: String,
}

impl Drop for DrillSlot {
    fn drop(&mut self) {
        self.dispatcher.drills().remove(&self.app_id);
    }
}

/// One drill delivery, before it is sent.
#[derive(Clone)]
struct Delivery<'a> {
    case: Case,
    ticket: &'a Ticket,
    sampled: &'a Sampled,
    /// What `GET /sandbox/callbacks` shows as sent (the plaintext).
    shown: Value,
    sealed: SealedCallback,
    attempt: u32,
    sign: Sign<'a>,
}

impl<'a> Delivery<'a> {
    /// The sample as it is, sealed for the app, attempt 1, signed as sent.
    fn new(app: &App, case: Case, ticket: &'a Ticket, sampled: &'a Sampled) -> Self {
        let bytes = serde_json::to_vec(&sampled.body).unwrap_or_default();
        Self {
            case,
            ticket,
            sampled,
            shown: sampled.body.clone(),
            sealed: seal_for(app, None, bytes),
            attempt: 1,
            sign: Sign::Body,
        }
    }
}

impl CallbackDispatcher {
    /// Claims the app's drill slot; `None` while another drill runs for the app.
    pub fn drill_slot(self: &Arc<Self>, app_id: &str) -> Option<DrillSlot> {
        self.drills().insert(app_id.to_string()).then(|| DrillSlot {
            dispatcher: self.clone(),
            app_id: app_id.to_string(),
        })
    }

    fn drills(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<String>> {
        self.drilling.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs the drill's cases, grades each (and feeds the grade to the app's readiness report), and
    /// answers them in the order asked. The slot is held until the last delivery is recorded.
    pub async fn drill(self: Arc<Self>, drill: Drill, _slot: DrillSlot) -> Vec<CaseResult> {
        let now = drill.app.clock.now();
        // Tickets are taken in the cases' order first, so the deliveries list in that order at
        // `GET /sandbox/callbacks` however the cases interleave.
        let tickets: Vec<Vec<Ticket>> = drill
            .cases
            .iter()
            .map(|case| (0..case.callbacks()).map(|_| self.ticket()).collect())
            .collect();
        let room = Semaphore::new(self.limits.per_app.max(1));
        let runs = drill.cases.iter().zip(&tickets).map(|(&case, tickets)| {
            let room = &room;
            let drill = &drill;
            let this = &self;
            async move {
                let _place = room.acquire().await;
                this.run_case(drill, case, tickets, now).await
            }
        });
        let results = futures_util::future::join_all(runs).await;
        for result in &results {
            let evidence = result.deliveries.iter().map(evidence).collect();
            let case = result.case.name();
            drill
                .app
                .readiness
                .drill(case, result.passed, evidence, &result.answered);
        }
        results
    }

    /// One case: its deliveries, sent in order, then graded.
    async fn run_case(
        &self,
        drill: &Drill,
        case: Case,
        tickets: &[Ticket],
        now: DateTime<Utc>,
    ) -> CaseResult {
        let app = &drill.app;
        let sample = |at: DateTime<Utc>, interim: bool| {
            (drill.sample)(&Sample {
                label: case.name(),
                at,
                interim,
            })
        };
        let genuine = sample(now, false);
        let plain = serde_json::to_vec(&genuine.body).unwrap_or_default();
        let first = Delivery::new(app, case, &tickets[0], &genuine);
        let mut sent = Vec::new();
        match case {
            Case::Normal => sent.push(self.send_drill(drill, first).await.0),
            Case::Duplicate => {
                let (original, signature) = self.send_drill(drill, first.clone()).await;
                sent.push(original);
                let again = Delivery {
                    sign: Sign::Repeat(&signature),
                    ..first
                };
                sent.push(self.send_drill(drill, again).await.0);
            }
            Case::OutOfOrder => {
                let interim = sample(now - Span::seconds(5), true);
                sent.push(self.send_drill(drill, first).await.0);
                let earlier = Delivery::new(app, case, &tickets[1], &interim);
                sent.push(self.send_drill(drill, earlier).await.0);
            }
            Case::Late => {
                let late = sample(now - Span::seconds(LATE_BY_SECONDS), false);
                sent = self
                    .late(drill, Delivery::new(app, case, &tickets[0], &late))
                    .await;
            }
            Case::Malformed => {
                let cut = plain[..plain.len() / 2].to_vec();
                let malformed = Delivery {
                    shown: Value::String(String::from_utf8_lossy(&cut).into_owned()),
                    sealed: seal_for(app, None, cut),
                    ..first
                };
                sent.push(self.send_drill(drill, malformed).await.0);
            }
            Case::Tampered if app.encrypted() => {
                let stranger = Delivery {
                    sealed: seal_for(app, Some(&drill.stranger), plain.clone()),
                    ..first
                };
                sent.push(self.send_drill(drill, stranger).await.0);
            }
            Case::Tampered => {
                let changed = tamper(&genuine.body, drill.amount_field);
                let bytes = serde_json::to_vec(&changed).unwrap_or_default();
                let tampered = Delivery {
                    shown: changed,
                    sealed: seal_for(app, None, bytes),
                    sign: Sign::Over(&plain),
                    ..first
                };
                sent.push(self.send_drill(drill, tampered).await.0);
            }
        }
        grade(case, sent)
    }

    /// A late delivery: attempt 4, and when it is not acknowledged attempt 5 after the retry
    /// schedule's wait.
    async fn late(&self, drill: &Drill, late: Delivery<'_>) -> Vec<Attempt> {
        let mut sent = Vec::new();
        for attempt in [LATE_ATTEMPT, LATE_ATTEMPT + 1] {
            if attempt > LATE_ATTEMPT {
                tokio::time::sleep(self.policy.wait_before(attempt)).await;
            }
            let delivery = Delivery {
                attempt,
                ..late.clone()
            };
            let (attempt, _) = self.send_drill(drill, delivery).await;
            let delivered = attempt.delivered();
            sent.push(attempt);
            if delivered {
                break;
            }
        }
        sent
    }

    /// One drill delivery within the attempt timeout (waiting for a place among the server's
    /// deliveries included), recorded as kind `drill:<case>`. Returns the attempt and the signature
    /// sent.
    async fn send_drill(&self, drill: &Drill, delivery: Delivery<'_>) -> (Attempt, String) {
        let wire = Wire {
            url: &drill.url,
            content_type: delivery.sealed.content_type,
            body: &delivery.sealed.body,
            secret: &drill.app.credentials.callback_secret,
            delivery: &delivery.ticket.delivery,
            attempt: delivery.attempt,
            sign: delivery.sign,
        };
        let limit = self.policy.timeout;
        let (outcome, latency) = tokio::time::timeout(limit, self.attempt(wire))
            .await
            .unwrap_or_else(|_| {
                let error = format!("no answer within {} ms", limit.as_millis());
                (Outcome::failed(error), limit.as_millis() as u64)
            });
        let signature = outcome.signature.clone();
        let sending = Sending {
            app: &drill.app,
            kind: delivery.case.kind(),
            reference: &delivery.sampled.reference,
            body: &delivery.shown,
            ticket: delivery.ticket,
            url: &drill.url,
        };
        (
            self.record(&sending, delivery.attempt, outcome, latency),
            signature,
        )
    }
}

/// The bytes for the app: sealed under its key (or `other`'s, in the app's form) when it is
/// encrypted, as they are.
fn seal_for(app: &App, other: Option<&RsaPublicKey>, plaintext: Vec<u8>) -> SealedCallback {
    let own = seal(
        app.public_key(),
        app.callback_sealing,
        &app.id,
        plaintext.clone(),
    );
    let Some(other) = other.filter(|_| app.encrypted()) else {
        return own;
    };
    // The form the app's callbacks take (whole-body RSA or the envelope), under the other key.
    let form = if own.content_type == "text/plain" {
        CallbackSealing::WholeBody
    } else {
        CallbackSealing::Hybrid
    };
    seal(Some(other), form, &app.id, plaintext)
}

/// The body with its amount multiplied by 100 (`499.00` → `49900.00`).
fn tamper(body: &Value, field: &str) -> Value {
    let mut changed = body.clone();
    if let Some(amount) = changed.get_mut(field) {
        let raised = amount
            .as_str()
            .and_then(|a| a.parse::<Decimal>().ok())
            .map(|a| (a * Decimal::ONE_HUNDRED).round_dp(2).to_string());
        *amount = Value::String(raised.unwrap_or_else(|| "1000000.00".into()));
    }
    changed
}

fn grade(case: Case, deliveries: Vec<Attempt>) -> CaseResult {
    let passed = match case {
        Case::Normal | Case::Duplicate | Case::OutOfOrder => {
            !deliveries.is_empty() && deliveries.iter().all(Attempt::delivered)
        }
        Case::Late => deliveries.iter().any(Attempt::delivered),
        Case::Malformed | Case::Tampered => deliveries
            .iter()
            .all(|d| d.status.is_some_and(|s| (400..500).contains(&s))),
    };
    let answered = deliveries
        .iter()
        .map(|d| d.status.map_or("no answer".to_string(), |s| s.to_string()))
        .collect::<Vec<_>>()
        .join(" then ");
    CaseResult {
        case,
        passed,
        answered,
        deliveries,
    }
}

/// A delivery as the report's evidence names it (`drill:late 912345678901 #4: 503`).
fn evidence(attempt: &Attempt) -> String {
    let answer = attempt
        .status
        .map_or("no answer".to_string(), |s| s.to_string());
    format!(
        "{} {} #{}: {answer}",
        attempt.kind, attempt.reference, attempt.attempt
    )
}
