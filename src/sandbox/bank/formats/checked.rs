//! [`Checked<R>`]: text that obeys a bank rule `R`, parsed once by serde (request bodies) and stated
//! by the same rule in the OpenAPI document, inline on the field that carries it. A field's own `///`
//! text stays its description; the rule adds only what it checks (`pattern`, `minLength`,
//! `maxLength`), so `Checked<CibIdRule>` publishes what `String` with a `validator` did.

use std::{borrow::Cow, fmt, hash::Hash, marker::PhantomData, ops::Deref};

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type},
};
use serde_json::Value;

/// A bank rule for a string field: what it accepts, with the refusal a partner reads, and how the
/// schema states it.
pub trait Rule: 'static {
    /// `Err` holds the reason, worded for the field (`must be …, got …`).
    fn check(raw: &str) -> Result<(), String>;

    /// The field's schema: `type: string` and the rule's keywords, no description (the field's).
    fn schema() -> MetaSchema;

    /// The value kept once it passed (the bank's own spelling, e.g. lower-case hex).
    fn normalize(raw: String) -> String {
        raw
    }
}

/// A string schema with the given keywords, in the order poem-openapi writes them.
pub fn string_schema(
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<String>,
) -> MetaSchema {
    MetaSchema {
        min_length,
        max_length,
        pattern,
        ..MetaSchema::new("string")
    }
}

/// Text that obeys `R`: it can only be made by [`Checked::parse`] (or serde, which calls it).
pub struct Checked<R: Rule>(String, PhantomData<fn() -> R>);

impl<R: Rule> Checked<R> {
    /// The text, when it obeys `R` (normalised as `R` says); else the reason it does not.
    pub fn parse(raw: impl Into<String>) -> Result<Self, String> {
        let raw = raw.into();
        R::check(&raw).map(|()| Self(R::normalize(raw), PhantomData))
    }

    /// Text the sandbox itself made within the rule (a bulk file's derived `UNIQUEID`, a narration
    /// cut to length), not a client's: checked in debug builds only.
    pub fn derived(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        debug_assert!(
            R::check(&raw).is_ok(),
            "derived text breaks its rule: {raw}"
        );
        Self(raw, PhantomData)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For maps keyed by the plain text.
    pub fn as_string(&self) -> &String {
        &self.0
    }

    /// The text, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<R: Rule> Clone for Checked<R> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

impl<R: Rule> PartialEq for Checked<R> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<R: Rule> Eq for Checked<R> {}

impl<R: Rule> Hash for Checked<R> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<R: Rule> PartialEq<str> for Checked<R> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl<R: Rule> PartialEq<&str> for Checked<R> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl<R: Rule> PartialEq<Checked<R>> for String {
    fn eq(&self, other: &Checked<R>) -> bool {
        *self == other.0
    }
}

impl<R: Rule> PartialEq<Checked<R>> for &str {
    fn eq(&self, other: &Checked<R>) -> bool {
        *self == other.0
    }
}

/// Debug as the bare text: request fingerprints are their Debug text, as with `String`.
impl<R: Rule> fmt::Debug for Checked<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<R: Rule> fmt::Display for Checked<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<R: Rule> Deref for Checked<R> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<R: Rule> AsRef<str> for Checked<R> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<R: Rule> From<Checked<R>> for String {
    fn from(checked: Checked<R>) -> String {
        checked.0
    }
}

impl<R: Rule> serde::Serialize for Checked<R> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, R: Rule> serde::Deserialize<'de> for Checked<R> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(raw).map_err(serde::de::Error::custom)
    }
}

impl<R: Rule> Type for Checked<R> {
    crate::sandbox::bank::formats::type_plumbing!();

    fn name() -> Cow<'static, str> {
        Cow::Borrowed("string")
    }

    /// Inline, as a `String` field's schema is: the rule belongs to the field, not to a component.
    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(R::schema()))
    }
}

impl<R: Rule> ParseFromJSON for Checked<R> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(raw)) => Self::parse(raw).map_err(ParseError::custom),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl<R: Rule> ToJSON for Checked<R> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// Declares a [`Rule`] and the type of the text that obeys it:
/// `bank_rule!(/// doc, CibId: CibIdRule, schema = …, check = |raw| …)`.
macro_rules! bank_rule {
    ($(#[$doc:meta])* $name:ident : $rule:ident, schema = $schema:expr, check = $check:expr) => {
        bank_rule!($(#[$doc])* $name: $rule, schema = $schema, check = $check, normalize = |raw| raw);
    };
    ($(#[$doc:meta])* $name:ident : $rule:ident, schema = $schema:expr, check = $check:expr, normalize = $normalize:expr) => {
        #[doc = concat!("The rule of [`", stringify!($name), "`].")]
        pub struct $rule;

        impl $crate::sandbox::bank::formats::Rule for $rule {
            fn check(raw: &str) -> Result<(), String> {
                let check: fn(&str) -> Result<(), String> = $check;
                check(raw)
            }

            fn schema() -> poem_openapi::registry::MetaSchema {
                $schema
            }

            fn normalize(raw: String) -> String {
                let normalize: fn(String) -> String = $normalize;
                normalize(raw)
            }
        }

        $(#[$doc])*
        pub type $name = $crate::sandbox::bank::formats::Checked<$rule>;
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::bank::formats::{CibId, MaxChars, Text};

    #[test]
    fn checked_text_parses_with_serde_and_states_its_rule_inline() {
        let id: CibId = serde_json::from_str("\"SANDCORP1\"").unwrap();
        assert_eq!(id, "SANDCORP1");
        let refused = serde_json::from_str::<CibId>("\"a b\"")
            .unwrap_err()
            .to_string();
        assert!(
            refused.starts_with("must be 1 to 32 letters, digits, _ or -, got `a b`"),
            "{refused}"
        );
        assert!(serde_json::from_str::<Text<3>>("\" \\t \"").is_err());
        assert!(serde_json::from_str::<Text<3>>("\"abcd\"").is_err());
        assert!(serde_json::from_str::<MaxChars<3>>("\"\"").is_ok());

        let schema = serde_json::to_value(<Text<64> as Type>::schema_ref()).unwrap();
        assert_eq!(
            schema,
            serde_json::json!({
                "type": "string",
                "maxLength": 64,
                "minLength": 1,
                "pattern": "[^ \\t\\n\\r\\x0B\\x0C]",
            })
        );
    }
}
