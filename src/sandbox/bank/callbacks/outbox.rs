//! Delivery from a shared outbox, when several processes share the store: the transaction that owes a
//! callback wrote it to the outbox with its state change, and every process's worker claims what is
//! due — as many as it has room for among its deliveries in flight, at most `per_app` in flight for
//! one app across all processes — under a lease, sends one attempt through the same path as ever
//! ([`super::send`]), then records it and reschedules or finishes the callback in one database
//! transaction. So each attempt is sent by one process, and a retry is sent by whichever process
//! claims it when due: a process that stops loses no callback. One that stops mid-attempt holds
//! its lease until it expires (the attempt timeout and a margin); the next claimer records that
//! attempt as lost (it may have reached the partner, so its number is not used again) and sends the
//! next.
//!
//! The worker wakes when this process commits a callback, when a retry it scheduled falls due, and
//! on the server's one-second tick (for what other processes owe or left behind).

use std::{
    sync::{atomic::Ordering, Arc},
    time::{Duration, Instant},
};

use tokio::sync::OwnedSemaphorePermit;

use crate::sandbox::{
    bank::{
        callbacks::{
            log::{attempt_of, intern, ATTEMPTS_KEPT},
            send::{self, Outcome, Sign, Wire},
            CallbackDispatcher,
        },
        clock::{ClockSetting, SandboxClock},
        store::shared_callbacks::{AttemptRow, Claimed, SharedCallbacks, Then},
    },
    gateway::apps::App,
};

/// The most callbacks claimed at once.
const CLAIM_BATCH: usize = 16;

/// A lease outlasts the attempt timeout by this much (recording the attempt takes a moment too).
const LEASE_MARGIN: Duration = Duration::from_secs(5);

/// The attempt's `error` when its claimer stopped before recording its answer.
const LOST: &str = "no answer recorded: the sandbank process sending this attempt stopped; \
     another took the callback over after its lease";

impl CallbackDispatcher {
    /// The server's tick: learns the apps registered in this process (`apps`, all of them) and wakes
    /// the outbox worker; does nothing unless the store is shared.
    pub fn tick(self: &Arc<Self>, apps: &[Arc<App>]) {
        if self.shared.is_none() {
            return;
        }
        let known = apps
            .iter()
            .map(|app| (app.id.clone(), Arc::downgrade(app)))
            .collect();
        *self.known.lock().unwrap_or_else(|e| e.into_inner()) = known;
        self.wake_worker();
    }

    /// Wakes the outbox worker, starting it on first use.
    pub(super) fn wake_worker(self: &Arc<Self>) {
        let Some(shared) = self.shared.clone() else {
            return;
        };
        if !self.polling.swap(true, Ordering::SeqCst) {
            let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                self.polling.store(false, Ordering::SeqCst);
                return;
            };
            runtime.spawn(self.clone().poll(shared));
        }
        self.wake.notify_one();
    }

    async fn poll(self: Arc<Self>, shared: Arc<dyn SharedCallbacks>) {
        loop {
            self.wake.notified().await;
            while self.claim_some(&shared).await {}
        }
    }

    /// Claims what this process has room for and starts delivering it; whether more may be due.
    async fn claim_some(self: &Arc<Self>, shared: &Arc<dyn SharedCallbacks>) -> bool {
        let Ok(first) = self.in_flight.clone().acquire_owned().await else {
            return false;
        };
        let mut permits = vec![first];
        while permits.len() < CLAIM_BATCH {
            match self.in_flight.clone().try_acquire_owned() {
                Ok(permit) => permits.push(permit),
                Err(_) => break,
            }
        }
        let lease = self.policy.timeout + LEASE_MARGIN;
        let per_app = self.limits.per_app.max(1);
        let claimed = match shared.claim(permits.len(), per_app, lease).await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(%error, "callback outbox");
                return false;
            }
        };
        let more = claimed.len() == permits.len();
        for (claim, permit) in claimed.into_iter().zip(permits) {
            tokio::spawn(self.clone().deliver_claimed(shared.clone(), claim, permit));
        }
        more
    }

    /// One attempt at a claimed callback (and the lost one before it, if any), recorded and
    /// settled; graded for the readiness report when this process knows the app.
    async fn deliver_claimed(
        self: Arc<Self>,
        shared: Arc<dyn SharedCallbacks>,
        claim: Claimed,
        permit: OwnedSemaphorePermit,
    ) {
        let clock = clock_of(claim.clock.as_deref());
        let mut records = Vec::new();
        if claim.lost {
            let lost = Outcome::failed(LOST.into());
            records.push(row(&claim, &clock, claim.attempt - 1, lost, 0));
        }
        let max = self.policy.max_attempts;
        let mut then = Then::Done;
        if claim.attempt <= max {
            let (outcome, latency, sent) = self.attempt_claimed(&claim).await;
            let retry = sent && !outcome.delivered() && claim.attempt < max;
            if retry {
                then = Then::Retry(self.policy.wait_before(claim.attempt + 1));
            }
            let mut record = row(&claim, &clock, claim.attempt, outcome, latency);
            if !sent {
                // Not sending is decided when the callback is owed, as in memory: at that time.
                record.at = claim.callback.owed_at;
            }
            records.push(record);
        }
        drop(permit);
        if let Some(app) = self.known_app(&claim.app_id) {
            for record in &records {
                app.readiness.callback(&attempt_of(record.clone()));
            }
        }
        if let Err(error) = shared.settle(&claim, records, then, ATTEMPTS_KEPT).await {
            // Its lease runs out and another claim records the attempt as lost.
            tracing::error!(%error, "callback outbox");
            return;
        }
        if let Then::Retry(wait) = then {
            let this = self.clone();
            tokio::spawn(async move {
                // A little after it falls due by the database's clock.
                tokio::time::sleep(wait + Duration::from_millis(20)).await;
                this.wake.notify_one();
            });
        }
    }

    /// Sends the claimed attempt: its outcome, the milliseconds it took, and whether it was sent at
    /// all (a callback with no URL, or one `--callback-allow` refuses, is not retried).
    async fn attempt_claimed(&self, claim: &Claimed) -> (Outcome, u64, bool) {
        let callback = &claim.callback;
        let Some(url) = callback.url.as_deref() else {
            let error = "no callback URL configured for this app".to_string();
            return (Outcome::failed(error), 0, false);
        };
        if let Err(reason) = self.limits.targets.check_url(url) {
            return (Outcome::failed(reason), 0, false);
        }
        let wire = Wire {
            url,
            content_type: intern(callback.content_type.clone()),
            body: &callback.sealed,
            secret: &callback.secret,
            delivery: &callback.delivery,
            attempt: claim.attempt,
            sign: Sign::Body,
        };
        let started = Instant::now();
        let outcome = send::send(&self.client, wire).await;
        (outcome, started.elapsed().as_millis() as u64, true)
    }
}

/// The app's clock as the store keeps it (an app this process may never have seen).
fn clock_of(setting: Option<&str>) -> SandboxClock {
    let clock = SandboxClock::default();
    if let Some(setting) = setting.and_then(|s| serde_json::from_str::<ClockSetting>(s).ok()) {
        let _ = clock.set(&setting);
    }
    clock
}

/// Attempt `attempt` of the claimed callback, as the shared log keeps it.
fn row(
    claim: &Claimed,
    clock: &SandboxClock,
    attempt: u32,
    outcome: Outcome,
    latency_ms: u64,
) -> AttemptRow {
    let callback = &claim.callback;
    AttemptRow {
        seq: claim.seq,
        attempt,
        kind: callback.kind.clone(),
        reference: callback.reference.clone(),
        delivery: callback.delivery.clone(),
        at: clock.now(),
        url: callback.url.clone().unwrap_or_default(),
        status: outcome.status,
        latency_ms,
        request_body: callback.body.clone(),
        response_body: outcome.body,
        response_truncated: outcome.truncated,
        error: outcome.error,
    }
}
