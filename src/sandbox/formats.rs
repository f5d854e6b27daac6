//! The bank's identifier formats as types that parse (`Pan::parse`), so a value that reaches a handler is
//! already valid. Each type documents itself in the OpenAPI schema (pattern, example) from the same
//! definition that parses it, and parses the same way from request bodies, path parameters and fixtures.

use std::{borrow::Cow, fmt};

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef, Registry},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use rust_decimal::Decimal;
use serde_json::Value;

/// Declares a string newtype with a parser, an OpenAPI pattern and an example.
macro_rules! bank_string {
    ($(#[$doc:meta])* $name:ident, title = $title:literal, pattern = $pattern:literal, example = $example:literal, parse = $parse:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const PATTERN: &'static str = $pattern;

            pub fn parse(raw: &str) -> Result<Self, String> {
                $parse(raw).map(|()| Self(raw.to_string()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }

        impl Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Reference(Self::name().into_owned())
            }

            fn register(registry: &mut Registry) {
                registry.create_schema::<Self, _>(Self::name().into_owned(), |_| MetaSchema {
                    title: Some($title.to_string()),
                    pattern: Some($pattern.to_string()),
                    example: Some(Value::String($example.to_string())),
                    ..MetaSchema::new("string")
                });
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(self)
            }

            fn raw_element_iter<'a>(
                &'a self,
            ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                Box::new(self.as_raw_value().into_iter())
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                match value {
                    Some(Value::String(raw)) => Self::parse(&raw).map_err(ParseError::custom),
                    other => Err(ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }

        impl ParseFromParameter for $name {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                Self::parse(value).map_err(|reason| ParseError::custom(format!("{} {reason}", $title)))
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(self.0.clone()))
            }
        }
    };
}

bank_string!(
    /// Permanent Account Number: `AAAAA9999A`, the 4th letter the holder type (P individual, C company,
    /// H HUF, F firm, A AOP, T trust, B BOI, L local authority, J artificial juridical person, G government).
    Pan,
    title = "PAN",
    pattern = "^[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z]$",
    example = "ABCPE1234F",
    parse = parse_pan
);

bank_string!(
    /// Indian Financial System Code: 4 letters (the bank), `0`, 6 letters or digits (the branch).
    Ifsc,
    title = "IFSC",
    pattern = "^[A-Z]{4}0[A-Z0-9]{6}$",
    example = "ICIC0000004",
    parse = parse_ifsc
);

bank_string!(
    /// Indian mobile number: 10 digits, the first 6, 7, 8 or 9 (no +91, no leading 0).
    Mobile,
    title = "Mobile number",
    pattern = "^[6-9][0-9]{9}$",
    example = "9800000001",
    parse = parse_mobile
);

bank_string!(
    /// Bank account number: 9 to 18 digits.
    AccountNo,
    title = "Account number",
    pattern = "^[0-9]{9,18}$",
    example = "000405009999",
    parse = parse_account_no
);

bank_string!(
    /// The composite payment's `x-priority` header: one digit per rail, in the order UPI, IMPS, NEFT,
    /// RTGS; `1` names a rail, several are a fallback order (`0110` IMPS, then NEFT). At least one.
    RailPriority,
    title = "Rail priority",
    pattern = "^(1[01]{3}|01[01]{2}|001[01]|0001)$",
    example = "0100",
    parse = parse_rail_priority
);

bank_string!(
    /// A person's or organisation's name: 1 to 100 characters, the first not a space.
    HolderName,
    title = "Name",
    // ASCII white space only: regex engines disagree on Unicode's (see `NOT_BLANK`).
    pattern = "^[^ \\t\\n\\r\\x0B\\x0C][\\s\\S]{0,99}$",
    example = "Rahul Kumar Eswaran",
    parse = parse_holder_name
);

bank_string!(
    /// UPI virtual payment address: `name@handle` (2–256 letters, digits, `.`, `-`, `_`; the handle 2–64
    /// letters).
    Vpa,
    title = "VPA",
    pattern = "^[a-zA-Z0-9.\\-_]{2,256}@[a-zA-Z]{2,64}$",
    example = "success@icici",
    parse = parse_vpa
);

fn parse_vpa(raw: &str) -> Result<(), String> {
    let ok = raw.split_once('@').is_some_and(|(name, handle)| {
        (2..=256).contains(&name.len())
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b".-_".contains(&c))
            && (2..=64).contains(&handle.len())
            && handle.bytes().all(|c| c.is_ascii_alphabetic())
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "must be a VPA name@handle (letters, digits, . - _ before the @, letters after), got `{raw}`"
        ))
    }
}

impl Vpa {
    /// The PSP handle after the `@`, e.g. `icici`.
    pub fn handle(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, h)| h)
    }
}

bank_string!(
    /// SWIFT BIC (ISO 9362): 4 letters (the bank), 2 letters (the country), 2 letters or digits (the
    /// location), optionally 3 letters or digits (the branch).
    Bic,
    title = "SWIFT BIC",
    pattern = "^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$",
    example = "CHASUS33",
    parse = parse_bic
);

bank_string!(
    /// ISO 4217 currency code: 3 capital letters (`USD`, `EUR`, `INR`).
    CurrencyCode,
    title = "Currency (ISO 4217)",
    pattern = "^[A-Z]{3}$",
    example = "USD",
    parse = parse_currency_code
);

fn parse_bic(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    let alnum = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    let ok = (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(alnum);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "must be a SWIFT BIC of 8 or 11 characters AAAABBCC[DDD] (6 capital letters, then capital letters or digits), got `{raw}`"
        ))
    }
}

fn parse_currency_code(raw: &str) -> Result<(), String> {
    if raw.len() == 3 && raw.bytes().all(|c| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "must be an ISO 4217 currency code of 3 capital letters, got `{raw}`"
        ))
    }
}

impl Bic {
    /// The first 8 characters: the institution and location, without the branch.
    pub fn bic8(&self) -> &str {
        &self.0[..8]
    }

    /// The 2-letter ISO country code.
    pub fn country(&self) -> &str {
        &self.0[4..6]
    }
}

fn parse_holder_name(raw: &str) -> Result<(), String> {
    let length = raw.chars().count();
    let first_blank = raw.chars().next().is_none_or(|c| is_blank(&c.to_string()));
    if first_blank || length > 100 {
        Err(format!(
            "must be 1 to 100 characters and not start with a space, got {length} characters"
        ))
    } else {
        Ok(())
    }
}

const PAN_HOLDER_TYPES: &str = "PCHFATBLJG";

fn parse_pan(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    let shape_ok = b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && b[5..9].iter().all(u8::is_ascii_digit)
        && b[9].is_ascii_uppercase();
    if !shape_ok {
        return Err(format!(
            "must be 10 characters AAAAA9999A (5 capital letters, 4 digits, 1 capital letter), got `{raw}`"
        ));
    }
    if !PAN_HOLDER_TYPES.contains(char::from(b[3])) {
        return Err(format!(
            "4th letter `{}` is not a PAN holder type (one of {PAN_HOLDER_TYPES})",
            char::from(b[3])
        ));
    }
    Ok(())
}

fn parse_rail_priority(raw: &str) -> Result<(), String> {
    let digits = raw.len() == 4 && raw.bytes().all(|b| b == b'0' || b == b'1');
    if digits && raw != "0000" {
        Ok(())
    } else {
        Err(format!(
            "must be 4 digits 0/1 naming at least one rail (1000 UPI, 0100 IMPS, 0010 NEFT, 0001 RTGS), got `{raw}`"
        ))
    }
}

fn parse_ifsc(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    let ok = b.len() == 11
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && b[4] == b'0'
        && b[5..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "must be 11 characters AAAA0XXXXXX (4 capital letters, the digit 0, 6 capital letters or digits), got `{raw}`"
        ))
    }
}

fn parse_mobile(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    if b.len() == 10 && b.iter().all(u8::is_ascii_digit) && (b'6'..=b'9').contains(&b[0]) {
        Ok(())
    } else {
        Err(format!(
            "must be 10 digits starting with 6, 7, 8 or 9, got `{raw}`"
        ))
    }
}

fn parse_account_no(raw: &str) -> Result<(), String> {
    if (9..=18).contains(&raw.len()) && raw.bytes().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("must be 9 to 18 digits, got `{raw}`"))
    }
}

impl Pan {
    /// The four digits: the catalogue's magic values (`0000` not found, `9999` deactivated) live here.
    pub fn digits(&self) -> &str {
        &self.0[5..9]
    }

    /// The holder-type letter (4th character).
    pub fn holder_type(&self) -> char {
        char::from(self.0.as_bytes()[3])
    }
}

impl Ifsc {
    /// The 4-letter bank code.
    pub fn bank_code(&self) -> &str {
        &self.0[..4]
    }
}

/// A rupee amount: positive, at most 2 decimal places, at most ₹99,99,99,99,999.99. Answered as a
/// string (`"1500.50"`); accepted as a string or a JSON number (`1`, `5.5`, `1.5e2`), since partner
/// code written for the bank sends both. A request body's number is read from its decimal text as the
/// client wrote it (the raw JSON text of the value), never through a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

impl Amount {
    /// The largest amount, exclusive: ₹1,00,00,00,00,000.
    const CEILING: i64 = 100_000_000_000;

    /// An amount written as text, as the document states it and [`Amount::from_json`] checks it:
    /// rupees without leading zeros, at most 2 decimal places, more than zero, below the ceiling.
    pub const TEXT_PATTERN: &'static str =
        "^(?:[1-9][0-9]{0,10}(?:\\.[0-9]{1,2})?|0\\.(?:0[1-9]|[1-9][0-9]?))$";

    pub fn parse(raw: &str) -> Result<Self, String> {
        let text = raw.trim();
        // Past 28 digits the decimal type would round the text, and a rounded amount is not what
        // the client sent.
        let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
        if mantissa.bytes().filter(u8::is_ascii_digit).count() > 28 {
            return Err(format!("must have at most 2 decimal places, got `{raw}`"));
        }
        let parsed = if text.contains(['e', 'E']) {
            Decimal::from_scientific(text)
        } else {
            text.parse()
        };
        let value: Decimal = parsed.map_err(|_| {
            format!("must be a decimal amount like \"1500.50\" or 1500.5, got `{raw}`")
        })?;
        if value <= Decimal::ZERO {
            return Err(format!("must be greater than zero, got `{raw}`"));
        }
        if value.normalize().scale() > 2 {
            return Err(format!("must have at most 2 decimal places, got `{raw}`"));
        }
        if value >= Decimal::from(Self::CEILING) {
            return Err(format!("must be below 1,00,00,00,00,000, got `{raw}`"));
        }
        Ok(Self(value))
    }

    /// A JSON value as the client sent it: a string of [`Amount::TEXT_PATTERN`], or a number read
    /// from its text.
    fn from_json(value: &Value) -> Option<Result<Self, String>> {
        match value {
            Value::String(raw) if !matches(Self::TEXT_PATTERN, raw) => Some(Err(format!(
                "must be a decimal amount like \"1500.50\" (more than zero, at most 2 decimal places, no leading zeros), got `{raw}`"
            ))),
            Value::String(raw) => Some(Amount::parse(raw)),
            Value::Number(n) => Some(Amount::parse(&n.to_string())),
            _ => None,
        }
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    /// From the value's own JSON text, so `0.10000000000000000001` is refused rather than read as the
    /// float `0.1`. Request bodies are parsed from their bytes (`payload::parse`), where the text is
    /// at hand.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Box<serde_json::value::RawValue>>::deserialize(deserializer)?;
        let text = raw.get().trim();
        let parsed = if text.starts_with('"') {
            serde_json::from_str::<String>(text)
                .map_err(|e| e.to_string())
                .and_then(|s| Amount::parse(&s))
        } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            Amount::parse(text)
        } else {
            Err(format!(
                "must be a decimal amount like \"1500.50\" or 1500.5, got {text}"
            ))
        };
        parsed.map_err(serde::de::Error::custom)
    }
}

impl Type for Amount {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Amount")
    }

    /// A string or a number: `anyOf`, so a schema-valid request is never refused for its type. The
    /// `decimal` format stays on the whole, for tools that read it. Declared once, as a component.
    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Reference(Self::name().into_owned())
    }

    fn register(registry: &mut Registry) {
        registry.create_schema::<Self, _>(Self::name().into_owned(), |_| {
        let text = MetaSchema {
            pattern: Some(Self::TEXT_PATTERN.to_string()),
            ..MetaSchema::new("string")
        };
        let number = MetaSchema {
            minimum: Some(0.01),
            maximum: Some(99_999_999_999.99),
            multiple_of: Some(0.01),
            ..MetaSchema::new("number")
        };
        MetaSchema {
            title: Some("Amount (INR)".to_string()),
            description: Some(
                "Rupees, at most 2 decimal places: a string (\"1500.50\") or a JSON number (1500.5).",
            ),
            format: Some("decimal"),
            any_of: vec![
                MetaSchemaRef::Inline(Box::new(text)),
                MetaSchemaRef::Inline(Box::new(number)),
            ],
            example: Some(Value::String("150000.00".to_string())),
            ..MetaSchema::ANY
        }
        });
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ToJSON for Amount {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(rupees(self.0).to_string()))
    }
}

impl ParseFromJSON for Amount {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        let value = value.unwrap_or_default();
        match Amount::from_json(&value) {
            Some(parsed) => parsed.map_err(ParseError::custom),
            None => Err(ParseError::expected_type(value)),
        }
    }
}

/// Money as the bank prints it: rounded half away from zero to paise, always 2 places (`"1000.00"`).
pub fn rupees(value: Decimal) -> Decimal {
    let mut rounded =
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// Declares an answer-side decimal printed with exactly 2 places (`"1000.00"`), as the bank prints
/// money; poem-openapi's own `Decimal` would print `"1000"`.
macro_rules! fixed_two_places {
    ($(#[$doc:meta])* $name:ident, title = $title:literal, example = $example:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub Decimal);

        impl $name {
            pub fn value(self) -> Decimal {
                self.0
            }
        }

        impl From<Decimal> for $name {
            fn from(value: Decimal) -> Self {
                Self(rupees(value))
            }
        }

        impl Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Reference(Self::name().into_owned())
            }

            fn register(registry: &mut Registry) {
                registry.create_schema::<Self, _>(Self::name().into_owned(), |_| MetaSchema {
                    title: Some($title.to_string()),
                    pattern: Some("^-?[0-9]+\\.[0-9]{2}$".to_string()),
                    example: Some(Value::String($example.to_string())),
                    ..MetaSchema::new_with_format("string", "decimal")
                });
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(self)
            }

            fn raw_element_iter<'a>(
                &'a self,
            ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                Box::new(self.as_raw_value().into_iter())
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(rupees(self.0).to_string()))
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                match value {
                    Some(Value::String(raw)) => raw
                        .parse::<Decimal>()
                        .map(Self::from)
                        .map_err(ParseError::custom),
                    other => Err(ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }
    };
}

fixed_two_places!(
    /// Rupees in an answer, always with 2 decimal places: `"250000.00"`.
    Money,
    title = "Amount (INR)",
    example = "250000.00"
);

fixed_two_places!(
    /// A rate in percent a year, 2 decimal places: `"8.75"`.
    Percent,
    title = "Rate (% a year)",
    example = "8.75"
);

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

/// A client's own reference (`tranRefNo`, `seq-no`): 1 to 64 letters, digits or `-_/.`, or a JSON
/// integer taken as its digits — partner code often sends a timestamp (`"tranRefNo": 1712345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ClientRef(pub String);

impl ClientRef {
    /// The largest reference sent as a number.
    pub const MAX_NUMBER: u64 = 1_000_000_000_000_000_000;

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_json(value: &Value) -> Result<Self, String> {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(n) if n.as_u64().is_some_and(|n| n <= Self::MAX_NUMBER) => n.to_string(),
            other => {
                return Err(format!(
                    "must be a reference as text or a whole number, got {other}"
                ))
            }
        };
        check_reference(&text, 64).map(|()| Self(text))
    }
}

/// The bank's reference alphabet (client references, merchant ids, RRNs): 1 to `max` letters,
/// digits or `-_/.`.
pub fn check_reference(raw: &str, max: usize) -> Result<(), String> {
    let ok = (1..=max).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "must be 1 to {max} letters, digits or -_/. characters, got `{raw}`"
        ))
    }
}

impl<'de> serde::Deserialize<'de> for ClientRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_json(&value).map_err(serde::de::Error::custom)
    }
}

impl Type for ClientRef {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ClientRef")
    }

    /// Declared once, as a component.
    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Reference(Self::name().into_owned())
    }

    fn register(registry: &mut Registry) {
        registry.create_schema::<Self, _>(Self::name().into_owned(), |_| {
            let text = MetaSchema {
                pattern: Some("^[A-Za-z0-9/._-]{1,64}$".to_string()),
                ..MetaSchema::new("string")
            };
            let number = MetaSchema {
                minimum: Some(0.0),
                // 10^18, exact as a float (u64::MAX is not: a schema bound must say what is checked).
                maximum: Some(Self::MAX_NUMBER as f64),
                ..MetaSchema::new("integer")
            };
            MetaSchema {
                title: Some("Client reference".to_string()),
                description: Some(
                    "1 to 64 letters, digits or -_/. as text, or a whole number (its digits).",
                ),
                any_of: vec![
                    MetaSchemaRef::Inline(Box::new(text)),
                    MetaSchemaRef::Inline(Box::new(number)),
                ],
                example: Some(Value::String("IMPS20260401000001".to_string())),
                ..MetaSchema::ANY
            }
        });
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ToJSON for ClientRef {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

impl ParseFromJSON for ClientRef {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        Self::from_json(&value.unwrap_or_default()).map_err(ParseError::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(json: &str) -> Result<String, String> {
        serde_json::from_str::<Amount>(json)
            .map(|a| a.value().to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn amounts_are_read_from_the_text_the_client_sent() {
        assert_eq!(amount("\"1.00\"").unwrap(), "1.00");
        assert_eq!(amount("1").unwrap(), "1");
        assert_eq!(amount("5.5").unwrap(), "5.5");
        assert_eq!(amount("1.5e2").unwrap(), "150");
        assert_eq!(amount("99999999999.99").unwrap(), "99999999999.99");
        // Through a float these would round to 2 places and pass; their text has more.
        for (json, why) in [
            ("0.10000000000000000001", "decimal places"),
            ("1.00000000000000000000000000000001", "decimal places"),
            ("1.005", "decimal places"),
            ("99999999999.999999999", "decimal places"),
            ("-1", "greater than zero"),
            ("0", "greater than zero"),
            ("1e400", "decimal amount"),
            ("1e-400", "decimal amount"),
            ("100000000000", "below"),
            ("true", "decimal amount"),
        ] {
            let refused = amount(json).expect_err(json);
            assert!(refused.contains(why), "{json}: {refused}");
        }
    }

    #[test]
    fn client_references_are_text_or_whole_numbers() {
        let parse = |json: &str| serde_json::from_str::<ClientRef>(json).map(|r| r.0);
        assert_eq!(parse("\"IMPS-1\"").unwrap(), "IMPS-1");
        assert_eq!(parse("1712345678").unwrap(), "1712345678");
        for refused in [
            "-1",
            "1.5",
            "1e3",
            "null",
            "[]",
            "\"\"",
            "\"a b\"",
            "\"<script>\"",
        ] {
            assert!(parse(refused).is_err(), "{refused}");
        }
    }
}

/// "Not blank", as a pattern: some character other than ASCII white space. Regex engines (and
/// Rust's `trim`) disagree on Unicode white space, so both sides of the rule use ASCII's: this
/// pattern in the document, [`is_blank`] in the check.
pub const NOT_BLANK: &str = "[^ \\t\\n\\r\\x0B\\x0C]";

/// Only ASCII white space (or nothing): what [`NOT_BLANK`] refuses.
pub fn is_blank(raw: &str) -> bool {
    raw.chars()
        .all(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0B' | '\x0C'))
}

/// A field of free text, 1 to `max` characters and not blank, as a schema.
pub fn text_schema(max: usize) -> serde_json::Value {
    serde_json::json!({ "minLength": 1, "maxLength": max, "pattern": NOT_BLANK })
}
