//! Identifiers as types that parse: PAN, IFSC, mobile, account number, rail priority, holder name,
//! VPA, BIC, currency code — one `bank_string!` each, so the schema and the parser are one definition.

use std::{borrow::Cow, fmt};

use poem_openapi::{
    registry::MetaSchema,
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON},
};
use serde_json::Value;

use crate::sandbox::bank::formats::is_blank;

/// Declares a string newtype with a parser, an OpenAPI pattern and an example.
macro_rules! bank_string {
    ($(#[$doc:meta])* $name:ident, title = $title:literal, pattern = $pattern:literal, example = $example:literal, parse = $parse:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The OpenAPI `pattern` of the format.
            pub const PATTERN: &'static str = $pattern;

            /// The value, when `raw` is in the format; else the reason it is not.
            pub fn parse(raw: &str) -> Result<Self, String> {
                $parse(raw).map(|()| Self(raw.to_string()))
            }

            /// The value as text.
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

        component_type!($name, MetaSchema {
            title: Some($title.to_string()),
            pattern: Some($pattern.to_string()),
            example: Some(Value::String($example.to_string())),
            ..MetaSchema::new("string")
        });

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
