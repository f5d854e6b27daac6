//! Callbacks the sandbox sends by itself (UPI collect results, e-collection MIS pushes): POSTed to the
//! partner's URL with a timeout and retries with exponential backoff, every attempt recorded (time, URL,
//! status, latency, bodies) for `GET /sandbox/callbacks`. Families learn the partner's answer (accept /
//! reject) from the record, so nothing here knows any family.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};

use super::{encryption, state::App, store::Callback};

/// Attempts kept per app (oldest dropped first).
const ATTEMPTS_KEPT: usize = 1000;

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    /// The wait after the first failure; doubled after each further one.
    pub first_backoff: Duration,
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
    pub response_body: Option<String>,
    pub error: Option<String>,
}

impl Attempt {
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Sends callbacks and remembers every attempt, per app.
pub struct CallbackDispatcher {
    client: reqwest::Client,
    policy: RetryPolicy,
    attempts: Mutex<HashMap<String, VecDeque<Attempt>>>,
}

impl CallbackDispatcher {
    pub fn new(policy: RetryPolicy) -> Self {
        Self {
            client: reqwest::Client::builder()
                .timeout(policy.timeout)
                .build()
                .expect("a plain HTTP client builds"),
            policy,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Delivers `callback` in the background. Without a URL (none given and none configured for the
    /// app) a single failed attempt is recorded, so the partner sees why nothing arrived.
    pub fn dispatch(self: &Arc<Self>, app: Arc<App>, callback: Callback) {
        let url = callback.url.clone().or_else(|| app.callback_url.clone());
        let this = self.clone();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            let Some(url) = url else {
                this.record(
                    &app,
                    &callback,
                    1,
                    "",
                    None,
                    0,
                    None,
                    Some("no callback URL configured for this app".into()),
                );
                return;
            };
            // Encrypted apps get the callback sealed under their key, as the bank sends it.
            let sealed = encryption::callback::seal(
                app.public_key.as_ref(),
                app.callback_sealing,
                &app.id,
                serde_json::to_vec(&callback.body).unwrap_or_default(),
            );
            let mut backoff = this.policy.first_backoff;
            for attempt in 1..=this.policy.max_attempts {
                let started = Instant::now();
                let result = this
                    .client
                    .post(&url)
                    .header(reqwest::header::CONTENT_TYPE, sealed.content_type)
                    .body(sealed.body.clone())
                    .send()
                    .await;
                let latency = started.elapsed().as_millis() as u64;
                let (status, body, error) = match result {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        (Some(status), response.text().await.ok(), None)
                    }
                    Err(err) => (None, None, Some(err.to_string())),
                };
                let delivered = status.is_some_and(|s| (200..300).contains(&s));
                this.record(&app, &callback, attempt, &url, status, latency, body, error);
                if delivered || attempt == this.policy.max_attempts {
                    return;
                }
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        app: &App,
        callback: &Callback,
        attempt: u32,
        url: &str,
        status: Option<u16>,
        latency_ms: u64,
        response_body: Option<String>,
        error: Option<String>,
    ) {
        let entry = Attempt {
            kind: callback.kind,
            reference: callback.reference.clone(),
            attempt,
            at: app.clock.now(),
            url: url.to_string(),
            status,
            latency_ms,
            request_body: callback.body.clone(),
            response_body,
            error,
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

    /// Forgets the app's attempts (sandbox reset).
    pub fn reset(&self, app_id: &str) {
        self.attempts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(app_id);
    }
}
