//! How hard the sandbox tries to deliver a callback, how many deliveries run at once, and where they
//! may go: the settings behind `--callback-*`.

use std::time::Duration;

use crate::sandbox::bank::callbacks::targets::CallbackTargets;

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// How many times a callback is tried before it is recorded as failed.
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

impl RetryPolicy {
    /// The wait before attempt `attempt` (2 or later): the first backoff, doubled for each attempt
    /// after the second — 1, 2, 4, 8 s by default.
    pub fn wait_before(&self, attempt: u32) -> Duration {
        self.first_backoff
            .saturating_mul(1 << attempt.saturating_sub(2).min(16))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_1_2_4_8_seconds_by_default() {
        let policy = RetryPolicy::default();
        let waits: Vec<u64> = (2..=5).map(|n| policy.wait_before(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8]);
        let fast = RetryPolicy {
            first_backoff: Duration::from_millis(10),
            ..policy
        };
        assert_eq!(fast.wait_before(5), Duration::from_millis(80));
    }
}
