//! Callbacks the sandbox sends by itself (UPI collect results, e-collection MIS pushes): POSTed to the
//! partner's URL with a timeout and retries with exponential backoff, every attempt recorded (time, URL,
//! status, latency, bodies) for `GET /sandbox/callbacks` and graded for the readiness report as it is
//! recorded. Families learn the partner's answer (accept / reject) from the record, so nothing here
//! knows any family.
//!
//! Every attempt is signed ([`signature`]) and carries its delivery id and attempt number. Attempts
//! are kept in the order their callbacks were dispatched — a callback without a URL, or with one
//! `--callback-allow` refuses, is recorded on the spot — so the same requests list the same
//! attempts in the same order, whichever delivery finishes first.
//!
//! A callback URL is the partner's to choose, so delivery is built not to be turned against the host
//! ([`send`]): redirects are never followed (a 3xx is recorded as the answer), at most
//! [`MAX_RESPONSE_BODY`] of an answer is read and kept, connecting and answering are timed out,
//! targets are checked against `--callback-allow` ([`crate::sandbox::bank::callbacks::targets`]), and deliveries run in
//! bounded numbers — at most `per_app` at a time for one app and `global` for the server — with the
//! rest queued per app (at most `queued_per_app`; past that a callback is recorded as not sent).
//! [`drill`] sends a receiver the deliveries it meets in production, through the same path.
//!
//! With a store several processes share (PostgreSQL), a transaction's callbacks are written to the
//! store's outbox in its commit, and [`outbox`] delivers them from there on whichever process claims
//! them; the attempts go to the store's log ([`log`]), which every process reads.

pub mod targets;
pub(crate) mod tls;

pub(crate) mod attempt;
pub(crate) mod drill;
mod log;
mod outbox;
mod policy;
mod send;
pub(crate) mod signature;

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{
        atomic::AtomicBool,
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, Weak,
    },
    time::Instant,
};

use tokio::sync::{Notify, Semaphore};

use crate::sandbox::{
    bank::store::{shared_callbacks::SharedCallbacks, Callback},
    gateway::{
        apps::{new_secret, App},
        encryption,
    },
};
use send::{Outcome, Sign, Wire};

pub(crate) use attempt::Attempt;
pub use policy::{DeliveryLimits, RetryPolicy};
pub use send::CONNECT_TIMEOUT;

/// The most of a partner's answer that is read and kept; the rest is never read.
pub const MAX_RESPONSE_BODY: usize = 4 * 1024;

/// A callback's identity, given when it is dispatched: its place in the order and its delivery id.
#[derive(Debug, Clone)]
struct Ticket {
    seq: u64,
    delivery: String,
}

/// What an attempt is an attempt at.
struct Sending<'a> {
    app: &'a App,
    kind: &'static str,
    reference: &'a str,
    body: &'a serde_json::Value,
    ticket: &'a Ticket,
    url: &'a str,
}

/// A callback waiting for one of its app's delivery workers.
struct Job {
    app: Arc<App>,
    callback: Callback,
    ticket: Ticket,
    url: String,
}

/// One app's callbacks waiting to go, and how many of its deliveries are running.
#[derive(Default)]
struct AppQueue {
    waiting: VecDeque<Job>,
    workers: usize,
}

/// Sends callbacks and remembers every attempt, per app.
pub struct CallbackDispatcher {
    client: reqwest::Client,
    policy: RetryPolicy,
    limits: DeliveryLimits,
    in_flight: Arc<Semaphore>,
    next_seq: AtomicU64,
    queues: Mutex<HashMap<String, AppQueue>>,
    attempts: Mutex<HashMap<String, VecDeque<Attempt>>>,
    /// Apps with a drill running (one at a time per app).
    drilling: Mutex<HashSet<String>>,
    /// The store's outbox and callback log, when processes share the store ([`outbox`]).
    shared: Option<Arc<dyn SharedCallbacks>>,
    /// The apps registered in this process (as of the last tick, or committing a callback), to grade
    /// their attempts.
    known: Mutex<HashMap<String, Weak<App>>>,
    /// Wakes the outbox worker.
    wake: Notify,
    /// Whether the outbox worker runs.
    polling: AtomicBool,
}

impl CallbackDispatcher {
    /// A dispatcher with the server's retry policy, delivery bounds and TLS trust; nothing queued yet.
    pub fn new(policy: RetryPolicy, limits: DeliveryLimits, tls: rustls::ClientConfig) -> Self {
        Self {
            client: send::client(&policy, &limits, tls),
            policy,
            in_flight: Arc::new(Semaphore::new(limits.global.max(1))),
            limits,
            next_seq: AtomicU64::new(1),
            queues: Mutex::new(HashMap::new()),
            attempts: Mutex::new(HashMap::new()),
            drilling: Mutex::new(HashSet::new()),
            shared: None,
            known: Mutex::new(HashMap::new()),
            wake: Notify::new(),
            polling: AtomicBool::new(false),
        }
    }

    /// Delivers from the store's outbox and keeps the callback log there, when the store is shared
    /// by several processes (`Some`); else this process delivers what it commits.
    pub fn sharing(mut self, shared: Option<Arc<dyn SharedCallbacks>>) -> Self {
        self.shared = shared;
        self
    }

    /// Checks a callback URL against `--callback-allow` before anything is sent (a literal address;
    /// a host name is checked as it resolves).
    pub fn check_target(&self, url: &str) -> Result<(), String> {
        self.limits.targets.check_url(url)
    }

    /// Queues `callback` for delivery in the background; the app's next delivery worker starts if it
    /// has room for one. Without a URL, with a URL `--callback-allow` refuses, or with the app's queue
    /// full, the callback is recorded as not sent here and now, before the request that raised it
    /// answers. With a shared store the callback is already in the outbox: the outbox worker is woken
    /// instead (and records a callback it cannot send as of when it was owed).
    pub fn dispatch(self: &Arc<Self>, app: Arc<App>, callback: Callback) {
        if self.shared.is_some() {
            let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
            known.insert(app.id.clone(), Arc::downgrade(&app));
            drop(known);
            return self.wake_worker();
        }
        let ticket = self.ticket();
        let url = callback.url.clone().or_else(|| app.callback_url.clone());
        let refused = match &url {
            None => Err("no callback URL configured for this app".to_string()),
            Some(url) => self.limits.targets.check_url(url),
        };
        let not_sent = |error: String| {
            let sending = Sending {
                app: &app,
                kind: callback.kind,
                reference: &callback.reference,
                body: &callback.body,
                ticket: &ticket,
                url: url.as_deref().unwrap_or_default(),
            };
            self.record(&sending, 1, Outcome::failed(error), 0);
        };
        if let Err(reason) = refused {
            return not_sent(reason);
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return not_sent("not sent: the server is shutting down".into());
        };
        let start_worker = {
            let mut queues = self.lock_queues();
            let queue = queues.entry(app.id.clone()).or_default();
            if queue.waiting.len() >= self.limits.queued_per_app {
                drop(queues);
                return not_sent(format!(
                    "not sent: {} callbacks already wait for this app's receiver \
                     (--callback-queue-per-app)",
                    self.limits.queued_per_app
                ));
            }
            queue.waiting.push_back(Job {
                app: app.clone(),
                url: url.unwrap_or_default(),
                callback,
                ticket,
            });
            let start = queue.workers < self.limits.per_app.max(1);
            if start {
                queue.workers += 1;
            }
            start
        };
        if start_worker {
            runtime.spawn(self.clone().work(app.id.clone()));
        }
    }

    /// The next callback's place in the order, and a fresh delivery id (random, like a credential:
    /// a receiver that remembers ids across sandbox restarts never takes a new callback for a repeat).
    /// With a shared store the place is taken from the outbox's order, where the others are.
    fn ticket(&self) -> Ticket {
        let shared_seq = self.shared.as_ref().map(|shared| shared.next_seq());
        let seq = match shared_seq {
            Some(Ok(seq)) => seq,
            Some(Err(error)) => {
                tracing::error!(%error, "callback log");
                self.next_seq.fetch_add(1, Ordering::Relaxed)
            }
            None => self.next_seq.fetch_add(1, Ordering::Relaxed),
        };
        Ticket {
            seq,
            delivery: new_secret("dlv_"),
        }
    }

    /// One of an app's delivery workers: delivers its queued callbacks one at a time until none wait.
    async fn work(self: Arc<Self>, app_id: String) {
        loop {
            let next = {
                let mut queues = self.lock_queues();
                let Some(queue) = queues.get_mut(&app_id) else {
                    return;
                };
                let next = queue.waiting.pop_front();
                if next.is_none() {
                    queue.workers = queue.workers.saturating_sub(1);
                    if queue.workers == 0 {
                        queues.remove(&app_id);
                    }
                }
                next
            };
            let Some(job) = next else {
                return;
            };
            self.deliver(&job).await;
        }
    }

    /// Every attempt at one callback, with backoff between them.
    async fn deliver(&self, job: &Job) {
        let app = &job.app;
        // Encrypted apps get the callback sealed under their key, as the bank sends it; sealed once,
        // so every retry carries the same bytes.
        let sealed = encryption::callback::seal(
            app.public_key(),
            app.callback_sealing,
            &app.id,
            serde_json::to_vec(&job.callback.body).unwrap_or_default(),
        );
        let sending = Sending {
            app,
            kind: job.callback.kind,
            reference: &job.callback.reference,
            body: &job.callback.body,
            ticket: &job.ticket,
            url: &job.url,
        };
        for attempt in 1..=self.policy.max_attempts {
            if attempt > 1 {
                tokio::time::sleep(self.policy.wait_before(attempt)).await;
            }
            let wire = Wire {
                url: &job.url,
                content_type: sealed.content_type,
                body: &sealed.body,
                secret: &app.credentials.callback_secret,
                delivery: &job.ticket.delivery,
                attempt,
                sign: Sign::Body,
            };
            let (outcome, latency) = self.attempt(wire).await;
            let delivered = outcome.delivered();
            self.record(&sending, attempt, outcome, latency);
            if delivered {
                return;
            }
        }
    }

    /// One attempt: a place among the server's deliveries in flight (held for the attempt only, not
    /// across a backoff), then the POST. Returns the outcome and the milliseconds it took.
    async fn attempt(&self, wire: Wire<'_>) -> (Outcome, u64) {
        let started = Instant::now();
        let outcome = {
            let _permit = self.in_flight.acquire().await;
            send::send(&self.client, wire).await
        };
        (outcome, started.elapsed().as_millis() as u64)
    }

    /// Deliveries running or waiting, for the whole server.
    pub fn backlog(&self) -> usize {
        self.lock_queues()
            .values()
            .map(|q| q.waiting.len() + q.workers)
            .sum()
    }

    /// Forgets the app's attempts and what waits to be sent (sandbox reset).
    pub fn reset(&self, app_id: &str) {
        if let Some(queue) = self.lock_queues().get_mut(app_id) {
            queue.waiting.clear();
        }
        self.forget_attempts(app_id);
    }

    /// Forgets an expired app. A shared store forgets its callbacks with the app, and only if no
    /// other process used the app since: nothing shared is touched here.
    pub fn expired(&self, app_id: &str) {
        if self.shared.is_none() {
            return self.reset(app_id);
        }
        self.lock_queues().remove(app_id);
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(app_id);
    }

    /// An app registered in this process, while it is.
    fn known_app(&self, app_id: &str) -> Option<Arc<App>> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known.get(app_id).and_then(Weak::upgrade)
    }

    fn lock_queues(&self) -> std::sync::MutexGuard<'_, HashMap<String, AppQueue>> {
        self.queues.lock().unwrap_or_else(|e| e.into_inner())
    }
}
