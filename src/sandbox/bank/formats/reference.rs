//! A client's own reference (`tranRefNo`, `seq-no`): text, or a whole number taken as its digits.

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseResult, ToJSON},
};
use serde_json::Value;

use super::checked::{string_schema, Checked, Rule};

/// A client's own reference (`tranRefNo`, `seq-no`): 1 to 64 letters, digits or `-_/.`, or a JSON
/// integer taken as its digits — partner code often sends a timestamp (`"tranRefNo": 1712345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ClientRef(pub String);

impl ClientRef {
    /// The largest reference sent as a number.
    pub const MAX_NUMBER: u64 = 1_000_000_000_000_000_000;

    /// The reference as text (a number sent is kept as its digits).
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
fn check_reference(raw: &str, max: usize) -> Result<(), String> {
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

/// The rule of [`Reference`]: [`check_reference`]'s alphabet, 1 to `MAX` characters.
pub struct ReferenceRule<const MAX: usize>;

impl<const MAX: usize> Rule for ReferenceRule<MAX> {
    fn check(raw: &str) -> Result<(), String> {
        check_reference(raw, MAX)
    }

    fn schema() -> MetaSchema {
        string_schema(None, None, Some(format!("^[A-Za-z0-9/._-]{{1,{MAX}}}$")))
    }
}

/// A reference in the bank's alphabet, 1 to `MAX` letters, digits or `-_/.`, sent as text only.
pub type Reference<const MAX: usize> = Checked<ReferenceRule<MAX>>;

bank_rule!(
    /// A client reference on the SWIFT rails: 1 to 35 letters, digits or `-/.` (field 20's length).
    SwiftReference: SwiftReferenceRule,
    schema = string_schema(None, None, Some("^[A-Za-z0-9/.-]{1,35}$".to_string())),
    check = |raw| {
        let ok = (1..=35).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!("must be 1 to 35 letters, digits or -/. characters, got `{raw}`"))
        }
    }
);

impl<'de> serde::Deserialize<'de> for ClientRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_json(&value).map_err(serde::de::Error::custom)
    }
}

impl ClientRef {
    /// Text or a whole number, `anyOf`. Declared once, as a component.
    fn schema() -> MetaSchema {
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
    }
}

component_type!(ClientRef, ClientRef::schema());

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
