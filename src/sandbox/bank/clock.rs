//! The sandbox clock: every timestamp in an answer comes from here, never from `Utc::now()` directly. Each
//! app has its own clock — real time by default, frozen at an instant, or shifted forward — so CI can test
//! "tomorrow" without waiting for it.

use std::sync::Mutex;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// India Standard Time: the bank's dates and business days are IST.
pub fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("IST is a valid offset")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Wall-clock time plus an offset (zero until the app advances its clock).
    Real { offset: Duration },
    /// Stopped at an instant; `advance` moves it.
    Frozen { at: DateTime<Utc> },
}

/// One app's clock.
#[derive(Debug)]
pub struct SandboxClock {
    mode: Mutex<Mode>,
}

impl Default for SandboxClock {
    fn default() -> Self {
        Self {
            mode: Mutex::new(Mode::Real {
                offset: Duration::zero(),
            }),
        }
    }
}

impl SandboxClock {
    pub fn now(&self) -> DateTime<Utc> {
        match *self.lock() {
            Mode::Real { offset } => Utc::now()
                .checked_add_signed(offset)
                .map_or_else(latest, |t| t.min(latest())),
            Mode::Frozen { at } => at,
        }
    }

    /// Today's date in IST, the bank's calendar.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&ist()).date_naive()
    }

    /// Stops the clock at `at`, which must lie in [`earliest`]..=[`latest`].
    pub fn freeze(&self, at: DateTime<Utc>) -> Result<(), String> {
        within_range(at)?;
        *self.lock() = Mode::Frozen { at };
        Ok(())
    }

    /// Moves the clock forward (a frozen clock stays frozen, at the later instant); refused when it
    /// would pass [`latest`], so that no answer ever holds a date outside RFC 3339's four-digit years
    /// and no date arithmetic can overflow.
    pub fn advance(&self, by: Duration) -> Result<(), String> {
        let mut mode = self.lock();
        let next = match *mode {
            Mode::Real { offset } => offset
                .checked_add(&by)
                .filter(|offset| {
                    Utc::now()
                        .checked_add_signed(*offset)
                        .is_some_and(|t| t <= latest())
                })
                .map(|offset| Mode::Real { offset }),
            Mode::Frozen { at } => at
                .checked_add_signed(by)
                .filter(|t| *t <= latest())
                .map(|at| Mode::Frozen { at }),
        };
        *mode =
            next.ok_or_else(|| format!("would move the clock past {}", latest().to_rfc3339()))?;
        Ok(())
    }

    /// Back to wall-clock time.
    pub fn real(&self) {
        *self.lock() = Mode::Real {
            offset: Duration::zero(),
        };
    }

    pub fn is_frozen(&self) -> bool {
        matches!(*self.lock(), Mode::Frozen { .. })
    }

    /// The clock as a snapshot holds it.
    pub fn setting(&self) -> ClockSetting {
        match *self.lock() {
            Mode::Real { offset } => ClockSetting {
                frozen_at: None,
                offset_ms: offset.num_milliseconds(),
            },
            Mode::Frozen { at } => ClockSetting {
                frozen_at: Some(at),
                offset_ms: 0,
            },
        }
    }

    /// Sets the clock as a snapshot held it; refused (nothing changed) outside the clock's range.
    pub fn set(&self, setting: &ClockSetting) -> Result<(), String> {
        let mode = setting.mode()?;
        *self.lock() = mode;
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Mode> {
        // A poisoned clock still holds a valid mode: keep serving.
        self.mode.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A clock in a snapshot: frozen at an instant, or real time shifted by an offset.
#[derive(Debug, Clone, Serialize, Deserialize, poem_openapi::Object)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[oai(rename_all = "camelCase")]
pub struct ClockSetting {
    /// Set: the clock stands still at this instant.
    pub frozen_at: Option<DateTime<Utc>>,
    /// Otherwise: how far ahead of wall-clock time it runs, in milliseconds.
    pub offset_ms: i64,
}

impl ClockSetting {
    /// Whether the clock could be set so.
    pub fn check(&self) -> Result<(), String> {
        self.mode().map(|_| ())
    }

    fn mode(&self) -> Result<Mode, String> {
        if let Some(at) = self.frozen_at {
            within_range(at).map_err(|e| format!("clock.frozenAt {e}"))?;
            return Ok(Mode::Frozen { at });
        }
        let offset = Duration::try_milliseconds(self.offset_ms)
            .filter(|offset| {
                Utc::now()
                    .checked_add_signed(*offset)
                    .is_some_and(|t| (earliest()..=latest()).contains(&t))
            })
            .ok_or_else(|| "clock.offsetMs would move the clock out of its range".to_string())?;
        Ok(Mode::Real { offset })
    }
}

/// The earliest instant a clock can be set to: 1970-01-01T00:00:00Z.
pub fn earliest() -> DateTime<Utc> {
    DateTime::UNIX_EPOCH
}

/// The latest instant a clock can reach: 2999-12-31T23:59:59Z. Families add terms of years to "now"
/// (expiries, maturities); this leaves them millennia of room before chrono's or RFC 3339's limits.
pub fn latest() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2999, 12, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .expect("a valid date")
        .and_utc()
}

fn within_range(at: DateTime<Utc>) -> Result<(), String> {
    if at < earliest() || at > latest() {
        return Err(format!(
            "must lie between {} and {}",
            earliest().to_rfc3339(),
            latest().to_rfc3339()
        ));
    }
    Ok(())
}

/// What [`parse_duration`] reads, as a pattern for the document: ISO 8601 `P[nW][nD][T[nH][nM][nS]]`,
/// the units in that order, each at most once with at most 7 digits, and at least one of them.
pub const DURATION_PATTERN: &str = concat!(
    "^P(?:(?:[0-9]{1,7}W(?:[0-9]{1,7}D)?|[0-9]{1,7}D)",
    "(?:T(?:[0-9]{1,7}H(?:[0-9]{1,7}M)?(?:[0-9]{1,7}S)?|[0-9]{1,7}M(?:[0-9]{1,7}S)?|[0-9]{1,7}S))?",
    "|T(?:[0-9]{1,7}H(?:[0-9]{1,7}M)?(?:[0-9]{1,7}S)?|[0-9]{1,7}M(?:[0-9]{1,7}S)?|[0-9]{1,7}S))$"
);

/// An ISO 8601 duration of weeks, days, hours, minutes and seconds (see [`DURATION_PATTERN`]).
pub fn parse_duration(raw: &str) -> Result<Duration, String> {
    let bad = || format!("must be an ISO 8601 duration like PT2H, P1D or P1DT30M, got `{raw}`");
    let rest = raw.strip_prefix('P').ok_or_else(bad)?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((_, "")) => return Err(bad()),
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    if date_part.is_empty() && time_part.is_empty() {
        return Err(bad());
    }
    let mut total = Duration::zero();
    for (part, units) in [(date_part, "WD"), (time_part, "HMS")] {
        let mut rest = part;
        let mut allowed = units;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let unit = rest[digits..].chars().next().ok_or_else(bad)?;
            // Each unit once, in order: what follows may only use the units after it.
            let at = allowed
                .find(unit)
                .filter(|_| (1..=7).contains(&digits))
                .ok_or_else(bad)?;
            allowed = &allowed[at + 1..];
            let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
            total += match unit {
                'W' => Duration::weeks(n),
                'D' => Duration::days(n),
                'H' => Duration::hours(n),
                'M' => Duration::minutes(n),
                _ => Duration::seconds(n),
            };
            rest = &rest[digits + 1..];
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_as_iso_8601() {
        assert_eq!(parse_duration("PT2H"), Ok(Duration::hours(2)));
        assert_eq!(
            parse_duration("P1DT30M"),
            Ok(Duration::minutes(24 * 60 + 30))
        );
        assert_eq!(parse_duration("P2W"), Ok(Duration::days(14)));
        for bad in [
            "",
            "P",
            "PT",
            "2H",
            "P1Y",
            "PT2",
            "PTH",
            "P1M",
            "P1D1D",
            "PT1M1H",
            "P12345678D",
            "P1DT",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad} should be refused");
        }
    }

    proptest::proptest! {
        /// The pattern the document states and the parser accept the same strings.
        #[test]
        fn the_documented_pattern_is_what_parses(raw in "P[0-9WDTHMS]{0,12}|PT?[0-9]{1,8}[WDHMS]") {
            let pattern = regex::Regex::new(DURATION_PATTERN).unwrap();
            proptest::prop_assert_eq!(pattern.is_match(&raw), parse_duration(&raw).is_ok(), "{}", raw);
        }
    }
}
