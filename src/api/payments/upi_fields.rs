//! The merchant UPI requests' field rules, written once for the schema and the handlers: merchant-side
//! ids, free texts and `collectByDate`.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::json;

use crate::sandbox::{
    bank::{
        clock::ist,
        formats::{check_reference, date_pattern, is_blank, matches, text_schema},
    },
    gateway::error::Rejection,
};

/// What [`check_id`] accepts, as a schema.
pub fn id_schema(max: usize) -> serde_json::Value {
    serde_json::json!({ "pattern": format!("^[A-Za-z0-9/._-]{{1,{max}}}$") })
}

/// `dd/MM/yyyy hh:mm AM|PM`, a real date: what [`parse_collect_by`] reads.
pub fn collect_by_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        format!(
            "^{} (?:0[1-9]|1[0-2]):[0-5][0-9] (?:AM|PM)$",
            date_pattern("dd/MM/yyyy")
        )
    })
}

/// The merchant UPI requests' field rules, as [`check_id`], [`check_text`] and
/// [`parse_collect_by`] apply them.
pub fn schema_rules() -> Vec<crate::api::SchemaRule> {
    use crate::api::SchemaRule;
    let rule = |schema: &'static str, properties: serde_json::Value| SchemaRule {
        schema,
        rule: json!({ "properties": properties }),
    };
    vec![
        rule(
            "QrRequest",
            json!({ "merchantTranId": id_schema(35), "billNumber": id_schema(35) }),
        ),
        rule(
            "CollectPayRequest",
            json!({
                "note": text_schema(50),
                "merchantName": text_schema(100),
                "subMerchantName": text_schema(100),
                "merchantTranId": id_schema(35),
                "billNumber": id_schema(35),
                "collectByDate": { "pattern": collect_by_pattern() },
            }),
        ),
        rule(
            "TransactionStatusRequest",
            json!({ "merchantTranId": id_schema(35) }),
        ),
        rule(
            "RefundRequest",
            json!({
                "merchantTranId": id_schema(35),
                "originalBankRRN": id_schema(35),
                "originalmerchantTranId": id_schema(35),
                "note": text_schema(50),
                "onlineRefund": { "enum": ["Y", "N"] },
            }),
        ),
        rule("CallbackStatusRequest", json!({ "BankRRN": id_schema(35) })),
    ]
}

/// A merchant-side identifier (`merchantTranId`, `billNumber`, ids): 1 to `max` letters, digits or
/// `-_/.`, else 8017 naming `field`.
pub fn check_id(raw: &str, field: &str, max: usize) -> Result<(), Rejection> {
    check_reference(raw, max).map_err(|reason| Rejection::schema(field, reason))
}

/// Free text (`note`, names): 1 to `max` characters, not blank, else 8017 naming `field`.
pub fn check_text(raw: &str, field: &str, max: usize) -> Result<(), Rejection> {
    let length = raw.chars().count();
    if is_blank(raw) || length > max {
        Err(Rejection::schema(
            field,
            format!("must be 1 to {max} characters and not blank, got {length} characters"),
        ))
    } else {
        Ok(())
    }
}

/// Parses `collectByDate`, `dd/MM/yyyy hh:mm a` in IST (`02/04/2026 06:30 PM`).
pub fn parse_collect_by(raw: &str) -> Result<DateTime<Utc>, Rejection> {
    Some(raw)
        .filter(|raw| matches(collect_by_pattern(), raw))
        .and_then(|raw| NaiveDateTime::parse_from_str(raw, "%d/%m/%Y %I:%M %p").ok())
        .and_then(|local| ist().from_local_datetime(&local).single())
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| {
            Rejection::schema(
                "collectByDate",
                format!("must be dd/MM/yyyy hh:mm a (e.g. 02/04/2026 06:30 PM), got `{raw}`"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collect_by_dates_are_ist_12_hour_times() {
        let at = parse_collect_by("02/04/2026 06:30 PM").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 4, 2, 13, 0, 0).unwrap());
        assert!(parse_collect_by("2026-04-02 18:30").is_err());
        assert!(parse_collect_by("31/02/2026 06:30 PM").is_err());
    }
}
