//! Dates and times as patterns a schema can state and a parser checks: the real calendar, `HHmmss`,
//! and the bank's date formats as checked text.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use super::checked::string_schema;
use crate::sandbox::bank::clock::ist;

/// A pattern matching exactly the real calendar dates written in `layout` (`yyyy`, `MM` and `dd`
/// with literal separators, e.g. `dd-MM-yyyy`), leap years included: what a date parser accepts,
/// stated so that a schema can say it. No anchors, so that it can be combined.
pub fn date_pattern(layout: &str) -> String {
    let leap_year = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)";
    let groups = [
        (
            "[0-9]{4}",
            "(?:0[13578]|1[02])",
            "(?:0[1-9]|[12][0-9]|3[01])",
        ),
        ("[0-9]{4}", "(?:0[469]|11)", "(?:0[1-9]|[12][0-9]|30)"),
        ("[0-9]{4}", "02", "(?:0[1-9]|1[0-9]|2[0-8])"),
        (leap_year, "02", "29"),
    ];
    let alternatives: Vec<String> = groups
        .iter()
        .map(|(year, month, day)| {
            layout
                .replace("yyyy", year)
                .replace("MM", month)
                .replace("dd", day)
        })
        .collect();
    format!("(?:{})", alternatives.join("|"))
}

/// `HHmmss` on a 24-hour clock.
pub const TIME_PATTERN: &str = "(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]";

/// How the bank writes a date: `DD-MM-YYYY`.
pub const BANK_DATE_FORMAT: &str = "%d-%m-%Y";

/// `^DD-MM-YYYY$`, a real date: what [`BankDate`] reads.
pub fn bank_date_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| format!("^{}$", date_pattern("dd-MM-yyyy")))
}

bank_rule!(
    /// A date as the bank writes it: `DD-MM-YYYY`, a real date.
    BankDate: BankDateRule,
    schema = string_schema(None, None, Some(bank_date_pattern().to_string())),
    check = |raw| {
        let ok = matches(bank_date_pattern(), raw)
            && chrono::NaiveDate::parse_from_str(raw, BANK_DATE_FORMAT).is_ok();
        if ok {
            Ok(())
        } else {
            Err(format!("must be a date DD-MM-YYYY, got `{raw}`"))
        }
    }
);

impl BankDate {
    /// The calendar date (checked when it was parsed).
    pub fn date(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(self, BANK_DATE_FORMAT).unwrap_or_default()
    }
}

/// `^yyyyMMddHHmmss$`, a real date and time: what [`DateTime14`] reads.
pub fn date_time_14_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| format!("^{}{TIME_PATTERN}$", date_pattern("yyyyMMdd")))
}

bank_rule!(
    /// A date and time as the bank's switch writes it: `yyyyMMddHHmmss`, a real date and time.
    DateTime14: DateTime14Rule,
    schema = string_schema(None, None, Some(date_time_14_pattern().to_string())),
    check = |raw| {
        if matches(date_time_14_pattern(), raw) {
            Ok(())
        } else {
            Err(format!("must be a date-time yyyyMMddHHmmss, got `{raw}`"))
        }
    }
);

/// `dd/MM/yyyy hh:mm AM|PM`, a real date: what [`CollectByDate`] reads.
pub fn collect_by_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        format!(
            "^{} (?:0[1-9]|1[0-2]):[0-5][0-9] (?:AM|PM)$",
            date_pattern("dd/MM/yyyy")
        )
    })
}

/// A UPI collect's deadline as the bank's switch writes it, read in IST.
fn collect_by_instant(raw: &str) -> Option<DateTime<Utc>> {
    Some(raw)
        .filter(|raw| matches(collect_by_pattern(), raw))
        .and_then(|raw| NaiveDateTime::parse_from_str(raw, "%d/%m/%Y %I:%M %p").ok())
        .and_then(|local| ist().from_local_datetime(&local).single())
        .map(|at| at.with_timezone(&Utc))
}

bank_rule!(
    /// A UPI collect's deadline: `dd/MM/yyyy hh:mm a` in IST (`02/04/2026 06:30 PM`), a real date.
    CollectByDate: CollectByDateRule,
    schema = string_schema(None, None, Some(collect_by_pattern().to_string())),
    check = |raw| match collect_by_instant(raw) {
        Some(_) => Ok(()),
        None => Err(format!(
            "must be dd/MM/yyyy hh:mm a (e.g. 02/04/2026 06:30 PM), got `{raw}`"
        )),
    }
);

impl CollectByDate {
    /// The instant it names (checked when it was parsed).
    pub fn instant(&self) -> DateTime<Utc> {
        collect_by_instant(self).unwrap_or_default()
    }
}

/// Whether `raw` is wholly matched by `pattern` (compiled once per pattern and thread of use).
pub fn matches(pattern: &str, raw: &str) -> bool {
    use std::{collections::HashMap, sync::Mutex};
    static COMPILED: std::sync::OnceLock<Mutex<HashMap<String, regex::Regex>>> =
        std::sync::OnceLock::new();
    let compiled = COMPILED.get_or_init(Default::default);
    let mut compiled = compiled.lock().unwrap_or_else(|e| e.into_inner());
    let regex = compiled.entry(pattern.to_string()).or_insert_with(|| {
        regex::Regex::new(&format!("^(?:{pattern})$")).expect("patterns are valid")
    });
    regex.is_match(raw)
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn collect_by_dates_are_ist_12_hour_times() {
        let at = CollectByDate::parse("02/04/2026 06:30 PM")
            .unwrap()
            .instant();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 4, 2, 13, 0, 0).unwrap());
        assert!(CollectByDate::parse("2026-04-02 18:30").is_err());
        assert!(CollectByDate::parse("31/02/2026 06:30 PM").is_err());
    }

    #[test]
    fn the_date_pattern_is_the_calendar() {
        let pattern = date_pattern("yyyyMMdd");
        let mut day = chrono::NaiveDate::from_ymd_opt(1999, 1, 1).unwrap();
        let end = chrono::NaiveDate::from_ymd_opt(2004, 12, 31).unwrap();
        while day <= end {
            assert!(
                matches(&pattern, &day.format("%Y%m%d").to_string()),
                "{day}"
            );
            day = day.succ_opt().unwrap();
        }
        for bad in [
            "20230229", "19000229", "20260431", "20261301", "20260100", "2026011",
        ] {
            assert!(!matches(&pattern, bad), "{bad}");
        }
        for good in ["20000229", "00000229", "20240229"] {
            assert!(matches(&pattern, good), "{good}");
        }
        assert!(matches(&date_pattern("dd-MM-yyyy"), "31-12-2026"));
    }
}
