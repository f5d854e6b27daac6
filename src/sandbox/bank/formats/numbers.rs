//! Whole numbers with the bank's bounds, parsed once and stated in the schema inline.

use std::borrow::Cow;

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type},
};
use serde_json::Value;

/// Declares a `u32` newtype that accepts `$min..=$max`, refusing with `$reason` (given the value);
/// its schema states the bounds (`$schema_min`: whether `minimum` is written, as the bank's own
/// lower bound rather than `uint32`'s 0).
macro_rules! bounded_u32 {
    ($(#[$doc:meta])* $name:ident, $min:literal ..= $max:literal, schema_min = $schema_min:literal, $reason:literal) => {
        $(#[$doc])*
        // Debug as the bare number: request fingerprints are their Debug text.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl $name {
            /// The number, when it is within the bounds; else the reason it is not.
            pub fn parse(value: u32) -> Result<Self, String> {
                if ($min..=$max).contains(&value) {
                    Ok(Self(value))
                } else {
                    Err(format!($reason, value))
                }
            }

            /// The number.
            pub fn get(self) -> u32 {
                self.0
            }
        }

        impl From<$name> for u32 {
            fn from(value: $name) -> u32 {
                value.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Self::parse(u32::deserialize(deserializer)?).map_err(serde::de::Error::custom)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u32(self.0)
            }
        }

        impl Type for $name {
            crate::sandbox::bank::formats::type_plumbing!();

            fn name() -> Cow<'static, str> {
                Cow::Borrowed("integer_uint32")
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Inline(Box::new(MetaSchema {
                    maximum: Some(f64::from($max)),
                    minimum: $schema_min.then_some(f64::from($min)),
                    ..MetaSchema::new_with_format("integer", "uint32")
                }))
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                let value = value.unwrap_or_default();
                match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(n) => Self::parse(n).map_err(ParseError::custom),
                    None => Err(ParseError::expected_type(value)),
                }
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::from(self.0))
            }
        }
    };
}

bounded_u32!(
    /// A standing instruction's day of the month: 1 to 28 (every month has it).
    SiDay,
    1..=28,
    schema_min = true,
    "must be a day of the month from 1 to 28, got {}"
);

bounded_u32!(
    /// Days after a guarantee's expiry during which the beneficiary can still claim: 0 to 365.
    ClaimPeriodDays,
    0..=365,
    schema_min = false,
    "must be 0 to 365 days, got {}"
);

bounded_u32!(
    /// A loan's tenure in months: 12 to 84.
    TenureMonths,
    12..=84,
    schema_min = true,
    "must be 12 to 84 months, got {}"
);
