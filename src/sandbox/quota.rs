//! Plan quotas: each app's business calls counted per calendar day of its own sandbox clock (IST).
//!
//! The counter is one `AtomicU64` holding `(day << 32) | calls`, advanced with a compare-and-swap loop:
//! exact under any concurrency (200 parallel calls against a limit of 100 admit exactly 100), no lock,
//! and a new day starts the count again without a timer.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use super::clock::{ist, SandboxClock};

/// One app's daily counter.
#[derive(Debug)]
pub struct Quota {
    /// `None`: unlimited (Premium).
    limit: Option<u32>,
    state: AtomicU64,
}

/// Where an app stands after (or without) a call: what the `X-RateLimit-*` headers say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the app's clock reaches the next midnight IST, when the count starts again.
    pub reset_secs: i64,
}

/// The outcome of [`Quota::consume`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Unlimited plan: nothing counted, nothing to report.
    Unlimited,
    Admitted(Standing),
    /// The day's quota is spent; the call is refused and not counted.
    Exhausted(Standing),
}

fn pack(day: u32, calls: u32) -> u64 {
    (u64::from(day) << 32) | u64::from(calls)
}

fn unpack(state: u64) -> (u32, u32) {
    ((state >> 32) as u32, state as u32)
}

fn day_number(date: NaiveDate) -> u32 {
    date.num_days_from_ce().max(0) as u32
}

/// Seconds from `now` to the next midnight IST.
pub fn seconds_to_midnight(now: DateTime<Utc>) -> i64 {
    let local = now.with_timezone(&ist());
    let tomorrow = local.date_naive() + Duration::days(1);
    let midnight = ist()
        .from_local_datetime(&tomorrow.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("IST has no gaps");
    (midnight.with_timezone(&Utc) - now).num_seconds().max(1)
}

impl Quota {
    pub fn new(limit: Option<u32>) -> Self {
        Self {
            limit,
            state: AtomicU64::new(0),
        }
    }

    pub fn limit(&self) -> Option<u32> {
        self.limit
    }

    /// Counts one call on the app's current day, if the quota allows it.
    pub fn consume(&self, clock: &SandboxClock) -> Admission {
        let Some(limit) = self.limit else {
            return Admission::Unlimited;
        };
        let now = clock.now();
        let today = day_number(now.with_timezone(&ist()).date_naive());
        let standing = |calls: u32| Standing {
            limit,
            remaining: limit.saturating_sub(calls),
            reset_secs: seconds_to_midnight(now),
        };
        let result = self
            .state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
                let (day, calls) = unpack(state);
                let calls = if day == today { calls } else { 0 };
                (calls < limit).then(|| pack(today, calls + 1))
            });
        match result {
            Ok(previous) => {
                let (day, calls) = unpack(previous);
                let before = if day == today { calls } else { 0 };
                Admission::Admitted(standing(before + 1))
            }
            Err(_) => Admission::Exhausted(standing(limit)),
        }
    }

    /// The app's standing today without counting a call; `None` for an unlimited plan.
    pub fn standing(&self, clock: &SandboxClock) -> Option<Standing> {
        let limit = self.limit?;
        let now = clock.now();
        Some(Standing {
            limit,
            remaining: limit.saturating_sub(self.used(now)),
            reset_secs: seconds_to_midnight(now),
        })
    }

    /// Calls counted on the day of `now`.
    pub fn used(&self, now: DateTime<Utc>) -> u32 {
        let today = day_number(now.with_timezone(&ist()).date_naive());
        let (day, calls) = unpack(self.state.load(Ordering::Acquire));
        if day == today {
            calls
        } else {
            0
        }
    }

    /// Forgets today's count (`POST /sandbox/reset`).
    pub fn reset(&self) {
        self.state.store(0, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_to_the_limit_then_refuses_until_the_next_day() {
        let clock = SandboxClock::default();
        clock
            .freeze("2026-04-01T23:59:00+05:30".parse().unwrap())
            .unwrap();
        let quota = Quota::new(Some(2));

        assert!(
            matches!(quota.consume(&clock), Admission::Admitted(s) if s.remaining == 1 && s.reset_secs == 60)
        );
        assert!(matches!(quota.consume(&clock), Admission::Admitted(s) if s.remaining == 0));
        assert!(matches!(quota.consume(&clock), Admission::Exhausted(_)));

        clock.advance(Duration::minutes(1)).unwrap();
        assert!(matches!(quota.consume(&clock), Admission::Admitted(s) if s.remaining == 1));
    }
}
