//! Money: [`Amount`] as requests send it (a string or a JSON number, read from its text), and
//! [`Money`] / [`Percent`] as the bank prints them (always 2 places).

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseResult, ToJSON},
};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::sandbox::bank::formats::matches;

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

    /// An amount from its text: more than zero, at most 2 decimal places, below the ceiling.
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

    /// The amount in rupees.
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

impl Amount {
    /// A string or a number: `anyOf`, so a schema-valid request is never refused for its type. The
    /// `decimal` format stays on the whole, for tools that read it. Declared once, as a component.
    fn schema() -> MetaSchema {
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
    }
}

component_type!(Amount, Amount::schema());

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
            /// The amount in rupees.
            pub fn value(self) -> Decimal {
                self.0
            }
        }

        impl From<Decimal> for $name {
            fn from(value: Decimal) -> Self {
                Self(rupees(value))
            }
        }

        component_type!($name, MetaSchema {
            title: Some($title.to_string()),
            pattern: Some("^-?[0-9]+\\.[0-9]{2}$".to_string()),
            example: Some(Value::String($example.to_string())),
            ..MetaSchema::new_with_format("string", "decimal")
        });

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
}
