//! Plan quotas: each app's business calls counted per calendar day of its own sandbox clock (IST).
//!
//! Each day keeps its own count, so moving the clock back and forward again never re-opens a day whose
//! quota is spent. The counts sit behind a per-app mutex held for one map update (exact under any
//! concurrency: 200 parallel calls against a limit of 100 admit exactly 100); the most recent
//! [`DAYS_KEPT`] days touched are kept, so the map stays small.

use std::{collections::BTreeMap, sync::Mutex};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::sandbox::bank::clock::{ist, SandboxClock};

/// How many days' counts an app keeps: a year of clock travel.
pub const DAYS_KEPT: usize = 366;

/// One app's daily counter.
#[derive(Debug)]
pub struct Quota {
    /// `None`: unlimited (Premium).
    limit: Option<u32>,
    /// Calls counted per day number.
    days: Mutex<BTreeMap<u32, u32>>,
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

fn day_number(date: NaiveDate) -> u32 {
    date.num_days_from_ce().max(0) as u32
}

/// The day number of `now` on the IST calendar (days from the common era).
pub fn today(now: DateTime<Utc>) -> u32 {
    day_number(now.with_timezone(&ist()).date_naive())
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
            days: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn limit(&self) -> Option<u32> {
        self.limit
    }

    fn days(&self) -> std::sync::MutexGuard<'_, BTreeMap<u32, u32>> {
        self.days.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts one call on the app's current day, if the quota allows it.
    pub fn consume(&self, clock: &SandboxClock) -> Admission {
        let Some(limit) = self.limit else {
            return Admission::Unlimited;
        };
        let now = clock.now();
        let today = today(now);
        let standing = |calls: u32| Standing {
            limit,
            remaining: limit.saturating_sub(calls),
            reset_secs: seconds_to_midnight(now),
        };
        let mut days = self.days();
        if !days.contains_key(&today) && days.len() >= DAYS_KEPT {
            // Forget the day farthest from today: the one least likely to be travelled back to.
            let farthest = days.keys().copied().max_by_key(|d| d.abs_diff(today));
            if let Some(day) = farthest {
                days.remove(&day);
            }
        }
        let calls = days.entry(today).or_insert(0);
        if *calls < limit {
            *calls += 1;
            Admission::Admitted(standing(*calls))
        } else {
            Admission::Exhausted(standing(limit))
        }
    }

    /// The admission of a call a store shared by several processes counted: `calls` is the day's
    /// count with it, `None` when the day's quota was spent (it was not counted).
    pub fn counted(&self, calls: Option<u32>, now: DateTime<Utc>) -> Admission {
        let Some(limit) = self.limit else {
            return Admission::Unlimited;
        };
        let standing = |calls: u32| Standing {
            limit,
            remaining: limit.saturating_sub(calls),
            reset_secs: seconds_to_midnight(now),
        };
        match calls {
            Some(calls) => Admission::Admitted(standing(calls)),
            None => Admission::Exhausted(standing(limit)),
        }
    }

    /// The standing after `used` calls today (a store's count); `None` for an unlimited plan.
    pub fn standing_at(&self, used: u32, now: DateTime<Utc>) -> Option<Standing> {
        let limit = self.limit?;
        Some(Standing {
            limit,
            remaining: limit.saturating_sub(used),
            reset_secs: seconds_to_midnight(now),
        })
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
        self.days().get(&today(now)).copied().unwrap_or(0)
    }

    /// Forgets every count (`POST /sandbox/reset`).
    pub fn reset(&self) {
        self.days().clear();
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

    #[test]
    fn a_spent_day_stays_spent_when_the_clock_goes_back_and_forward_again() {
        let clock = SandboxClock::default();
        clock
            .freeze("2026-04-01T12:00:00+05:30".parse().unwrap())
            .unwrap();
        let quota = Quota::new(Some(1));
        assert!(matches!(quota.consume(&clock), Admission::Admitted(_)));
        assert!(matches!(quota.consume(&clock), Admission::Exhausted(_)));

        clock
            .freeze("2026-03-31T12:00:00+05:30".parse().unwrap())
            .unwrap();
        assert!(matches!(quota.consume(&clock), Admission::Admitted(_)));
        clock
            .freeze("2026-04-01T12:00:00+05:30".parse().unwrap())
            .unwrap();

        assert!(matches!(quota.consume(&clock), Admission::Exhausted(_)));
        assert_eq!(quota.used(clock.now()), 1);
    }
}
