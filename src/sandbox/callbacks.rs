//! Callbacks the sandbox sends by itself (UPI collect results, e-collection MIS pushes): POSTed to the
//! partner's URL with a timeout and retries with exponential backoff, every attempt recorded (time, URL,
//! status, latency, bodies) for `GET /sandbox/callbacks`. Families learn the partner's answer (accept /
//! reject) from the record, so nothing here knows any family.
//!
//! A callback URL is the partner's to choose, so delivery is built not to be turned against the host:
//! redirects are never followed (a 3xx is recorded as the answer), at most [`MAX_RESPONSE_BODY`] of an
//! answer is read and kept, connecting and answering are timed out, targets are checked against
//! `--callback-allow` ([`super::callback_targets`]), and deliveries run in bounded numbers — at most
//! `per_app` at a time for one app and `global` for the server — with the rest queued per app (at
//! most `queued_per_app`; past that a callback is recorded as not sent).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;

use super::{callback_targets::CallbackTargets, encryption, state::App, store::Callback};

/// Attempts kept per app (oldest dropped first).
const ATTEMPTS_KEPT: usize = 1000;

/// The most of a partner's answer that is read and kept; the rest is never read.
pub const MAX_RESPONSE_BODY: usize = 4 * 1024;

/// How long connecting to the partner may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    /// The wait after the first failure; doubled after each further one.
    pub first_backoff: Duration,
    /// The whole of one attempt: connecting, sending, and reading the answer.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            first_backoff: Duration::from_secs(1),
            timeout: Duration::from_secs(5),
        }
    }
}

/// How many deliveries may run at once, and where they may go.
#[derive(Debug, Clone)]
pub struct DeliveryLimits {
    /// Deliveries in flight for the whole server (`--callback-concurrency`).
    pub global: usize,
    /// Deliveries in flight for one app (`--callback-concurrency-per-app`).
    pub per_app: usize,
    /// Callbacks waiting for one app before new ones are recorded as not sent
    /// (`--callback-queue-per-app`).
    pub queued_per_app: usize,
    /// `--callback-allow`.
    pub targets: CallbackTargets,
}

impl Default for DeliveryLimits {
    fn default() -> Self {
        Self {
            global: 64,
            per_app: 4,
            queued_per_app: 1000,
            targets: CallbackTargets::default(),
        }
    }
}

/// One delivery attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub kind: &'static str,
    pub reference: String,
    pub attempt: u32,
    /// When it was sent (the app's sandbox clock).
    pub at: DateTime<Utc>,
    pub url: String,
    /// The partner's HTTP status; `None` when no answer came (refused, timed out).
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub request_body: serde_json::Value,
    /// The first [`MAX_RESPONSE_BODY`] bytes of the answer.
    pub response_body: Option<String>,
    /// The answer was longer than what was kept.
    pub response_truncated: bool,
    pub error: Option<String>,
}

impl Attempt {
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// What one POST came back with.
#[derive(Debug, Default)]
struct Outcome {
    status: Option<u16>,
    body: Option<String>,
    truncated: bool,
    error: Option<String>,
}

/// One app's callbacks waiting to go, and how many of its deliveries are running.
#[derive(Default)]
struct AppQueue {
    waiting: VecDeque<(Arc<App>, Callback)>,
    workers: usize,
}

/// Sends callbacks and remembers every attempt, per app.
pub struct CallbackDispatcher {
    client: reqwest::Client,
    policy: RetryPolicy,
    limits: DeliveryLimits,
    in_flight: Semaphore,
    queues: Mutex<HashMap<String, AppQueue>>,
    attempts: Mutex<HashMap<String, VecDeque<Attempt>>>,
}

/// The HTTP client callbacks travel on. Built here and only here, so that the transport's settings
/// (TLS roots, timeouts, the resolver that enforces `--callback-allow`) live in one place: `tls` (see
/// `super::tls`) for `https://` receivers; the resolver is hickory's, so that DNS works the same in
/// a static binary on an empty image.
fn client(
    policy: &RetryPolicy,
    limits: &DeliveryLimits,
    tls: rustls::ClientConfig,
) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        // A redirect is the partner's answer: following one let a callback reach internal URLs.
        .redirect(reqwest::redirect::Policy::none())
        // Callbacks go straight to the partner's receiver, never through an environment proxy
        // (which would also bypass the target check).
        .no_proxy()
        .dns_resolver(Arc::new(limits.targets.clone()).resolver())
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(policy.timeout)
        .timeout(policy.timeout)
        .pool_max_idle_per_host(limits.per_app)
        .build()
        .expect("a client over a preconfigured rustls config builds")
}

impl CallbackDispatcher {
    pub fn new(policy: RetryPolicy, limits: DeliveryLimits, tls: rustls::ClientConfig) -> Self {
        Self {
            client: client(&policy, &limits, tls),
            policy,
            in_flight: Semaphore::new(limits.global.max(1)),
            limits,
            queues: Mutex::new(HashMap::new()),
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Queues `callback` for delivery in the background; the app's next delivery worker starts if it
    /// has room for one. A full queue records the callback as not sent.
    pub fn dispatch(self: &Arc<Self>, app: Arc<App>, callback: Callback) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let start_worker = {
            let mut queues = self.lock_queues();
            let queue = queues.entry(app.id.clone()).or_default();
            if queue.waiting.len() >= self.limits.queued_per_app {
                drop(queues);
                let error = format!(
                    "not sent: {} callbacks already wait for this app's receiver \
                     (--callback-queue-per-app)",
                    self.limits.queued_per_app
                );
                self.record(&app, &callback, 1, "", Outcome::failed(error), 0);
                return;
            }
            queue.waiting.push_back((app.clone(), callback));
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
            let Some((app, callback)) = next else {
                return;
            };
            self.deliver(&app, &callback).await;
        }
    }

    /// Every attempt at one callback, with backoff between them. Without a URL (none given and none
    /// configured for the app), or with a URL `--callback-allow` refuses, one failed attempt is
    /// recorded so the partner sees why nothing arrived.
    async fn deliver(&self, app: &App, callback: &Callback) {
        let Some(url) = callback.url.clone().or_else(|| app.callback_url.clone()) else {
            let error = "no callback URL configured for this app".to_string();
            self.record(app, callback, 1, "", Outcome::failed(error), 0);
            return;
        };
        if let Err(reason) = self.limits.targets.check_url(&url) {
            self.record(app, callback, 1, &url, Outcome::failed(reason), 0);
            return;
        }
        // Encrypted apps get the callback sealed under their key, as the bank sends it; sealed once,
        // so every retry carries the same bytes.
        let sealed = encryption::callback::seal(
            app.public_key.as_ref(),
            app.callback_sealing,
            &app.id,
            serde_json::to_vec(&callback.body).unwrap_or_default(),
        );
        let mut backoff = self.policy.first_backoff;
        for attempt in 1..=self.policy.max_attempts {
            let started = Instant::now();
            let outcome = {
                // Held for the attempt only, not across the backoff.
                let _permit = self.in_flight.acquire().await;
                self.send(&url, &sealed).await
            };
            let latency = started.elapsed().as_millis() as u64;
            let delivered = outcome.status.is_some_and(|s| (200..300).contains(&s));
            self.record(app, callback, attempt, &url, outcome, latency);
            if delivered || attempt == self.policy.max_attempts {
                return;
            }
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    }

    /// One POST, and at most [`MAX_RESPONSE_BODY`] of its answer.
    async fn send(&self, url: &str, sealed: &encryption::callback::SealedCallback) -> Outcome {
        let request = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, sealed.content_type)
            .body(sealed.body.clone());
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(err) => return Outcome::failed(describe(&err)),
        };
        let mut kept = Vec::new();
        let mut outcome = Outcome {
            status: Some(response.status().as_u16()),
            ..Outcome::default()
        };
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_RESPONSE_BODY - kept.len();
                    kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if chunk.len() > room {
                        // The rest is never read: dropping the response closes the connection.
                        outcome.truncated = true;
                        break;
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    outcome.error = Some(format!("reading the answer: {}", describe(&err)));
                    break;
                }
            }
        }
        outcome.body = Some(String::from_utf8_lossy(&kept).into_owned());
        outcome
    }

    fn record(
        &self,
        app: &App,
        callback: &Callback,
        attempt: u32,
        url: &str,
        outcome: Outcome,
        latency_ms: u64,
    ) {
        let entry = Attempt {
            kind: callback.kind,
            reference: callback.reference.clone(),
            attempt,
            at: app.clock.now(),
            url: url.to_string(),
            status: outcome.status,
            latency_ms,
            request_body: callback.body.clone(),
            response_body: outcome.body,
            response_truncated: outcome.truncated,
            error: outcome.error,
        };
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let log = attempts.entry(app.id.clone()).or_default();
        log.push_back(entry);
        while log.len() > ATTEMPTS_KEPT {
            log.pop_front();
        }
    }

    /// The app's attempts, newest first.
    pub fn attempts(&self, app_id: &str) -> Vec<Attempt> {
        let attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        attempts
            .get(app_id)
            .map(|log| log.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// Reads the app's attempts, newest first, without copying them (the readiness report tallies
    /// them on every read).
    pub fn each(&self, app_id: &str, mut read: impl FnMut(&Attempt)) {
        let attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(log) = attempts.get(app_id) {
            log.iter().rev().for_each(&mut read);
        }
    }

    /// The latest attempt about `reference` (e.g. to read the partner's accept / reject).
    pub fn latest(&self, app_id: &str, reference: &str) -> Option<Attempt> {
        let attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        attempts
            .get(app_id)?
            .iter()
            .rev()
            .find(|a| a.reference == reference)
            .cloned()
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
        self.attempts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(app_id);
    }

    fn lock_queues(&self) -> std::sync::MutexGuard<'_, HashMap<String, AppQueue>> {
        self.queues.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Outcome {
    fn failed(error: String) -> Self {
        Self {
            error: Some(error),
            ..Self::default()
        }
    }
}

/// An error and its causes, so a refusal by `--callback-allow` or a timeout says so.
fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
