//! What processes sharing a database store share of callbacks ([`Store::shared_callbacks`]): the
//! outbox of callbacks owed, written by the transaction that owes them and delivered by whichever
//! process claims them, and the log of every attempt that `GET /sandbox/callbacks` reads. Plain data
//! and one interface, so that the store knows nothing of how a callback is sent and the dispatcher
//! nothing of SQL.
//!
//! [`Store::shared_callbacks`]: crate::sandbox::bank::store::Store::shared_callbacks

use std::{future::Future, pin::Pin, time::Duration};

use chrono::{DateTime, Utc};

use crate::sandbox::bank::store::StoreError;

/// Database work the caller awaits (it runs on the store's own runtime).
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send>>;

/// A callback owed, as its transaction writes it to the outbox: everything a process needs to send
/// it, even one that does not know the app.
#[derive(Debug, Clone)]
pub struct OwedCallback {
    /// `X-Sandbank-Delivery`, the same on every attempt.
    pub delivery: String,
    /// `upi-collect`, `ecollection-mis`, ...
    pub kind: String,
    /// The object it is about.
    pub reference: String,
    /// Where it goes (the callback's own URL, else the app's when it was owed); `None`: nowhere.
    pub url: Option<String>,
    /// The body as the log shows it (JSON text, before sealing).
    pub body: String,
    /// The content type of `sealed`.
    pub content_type: String,
    /// The bytes POSTed (sealed once, so that every attempt carries the same bytes).
    pub sealed: Vec<u8>,
    /// The app's callback secret, the key of the signature.
    pub secret: String,
    /// When it was owed, by the app's sandbox clock: the time of an attempt not sent (no URL, or a
    /// URL `--callback-allow` refuses), which is recorded as at the moment it was owed.
    pub owed_at: DateTime<Utc>,
}

/// An outbox row claimed for one attempt (under a lease).
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The callback's place in the dispatch order (its outbox id).
    pub seq: u64,
    /// Whose callback it is.
    pub app_id: String,
    /// What to send.
    pub callback: OwedCallback,
    /// The attempt this claim makes (1 for the first).
    pub attempt: u32,
    /// The previous attempt's claimer let its lease expire (it stopped mid-attempt): that attempt
    /// was made, but its answer was never recorded.
    pub lost: bool,
    /// The app's clock setting as the store keeps it (JSON; `None`: real time).
    pub clock: Option<String>,
}

/// One attempt as the shared log keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRow {
    /// The callback's place in the dispatch order.
    pub seq: u64,
    /// 1 for the first.
    pub attempt: u32,
    /// What the callback is.
    pub kind: String,
    /// The object it is about.
    pub reference: String,
    /// `X-Sandbank-Delivery`.
    pub delivery: String,
    /// When it was sent (the app's sandbox clock).
    pub at: DateTime<Utc>,
    /// Where it was sent.
    pub url: String,
    /// The partner's HTTP status, if one answered.
    pub status: Option<u16>,
    /// How long it took.
    pub latency_ms: u64,
    /// The body POSTed (JSON text, before sealing).
    pub request_body: String,
    /// What the partner answered (its first bytes).
    pub response_body: Option<String>,
    /// The answer was longer than what was kept.
    pub response_truncated: bool,
    /// Why it did not reach the partner.
    pub error: Option<String>,
}

/// What becomes of a claimed callback once its attempt is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Tried again after this wait (by whichever process claims it then).
    Retry(Duration),
    /// Delivered, or out of attempts: it leaves the outbox.
    Done,
}

/// The callbacks of processes sharing one database.
pub trait SharedCallbacks: Send + Sync {
    /// Claims at most `limit` due callbacks, at most `per_app` in flight for one app across every
    /// process, each under a lease of `lease` (past it, another process may claim it again).
    fn claim(&self, limit: usize, per_app: usize, lease: Duration) -> Pending<Vec<Claimed>>;

    /// Records `attempts` (at most `keep` kept per app) and retries or finishes the claimed callback
    /// — unless its claim was taken over or the app reset since, when it changes nothing.
    fn settle(
        &self,
        claimed: &Claimed,
        attempts: Vec<AttemptRow>,
        then: Then,
        keep: usize,
    ) -> Pending<()>;

    /// Records an attempt made outside the outbox (a drill's), at most `keep` kept per app.
    fn record(&self, app_id: &str, attempt: AttemptRow, keep: usize) -> Result<(), StoreError>;

    /// `app_id`'s attempts, the latest callback first, each callback's latest attempt first.
    fn attempts(&self, app_id: &str) -> Result<Vec<AttemptRow>, StoreError>;

    /// The latest attempt about `reference`.
    fn latest(&self, app_id: &str, reference: &str) -> Result<Option<AttemptRow>, StoreError>;

    /// A place in the dispatch order for a callback outside the outbox (a drill's).
    fn next_seq(&self) -> Result<u64, StoreError>;

    /// Forgets `app_id`'s attempts and the callbacks it is still owed.
    fn reset(&self, app_id: &str) -> Result<(), StoreError>;
}
