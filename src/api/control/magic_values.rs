//! `GET /sandbox/magic-values`: the demo identities and every input that chooses an outcome, per family.
//!
//! One source of truth, `magic_values.json` beside this file, embedded in the binary: this operation
//! serves it, docs/magic-values.md is rendered from it, and the tests run each row's `check` against the
//! server — so the table partners read is the one the server honours.

use std::sync::OnceLock;

use poem_openapi::{
    registry::{MetaResponses, Registry},
    ApiResponse, Enum, Object,
};
use serde::Deserialize;

use crate::sandbox::{
    bank::answer::{Answer, Answered},
    gateway::error::Rejection,
};

/// The table, as embedded.
const DATA: &str = include_str!("magic_values.json");

/// A family of the catalogue, by its OAuth2 scope name; `gateway` for what the gateway itself honours.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum MagicFamily {
    BuildingBlocks,
    AutoLoan,
    Iwish,
    CashManagement,
    Payments,
    Trade,
    Offers,
    Gateway,
}

/// A fixed identity the fixtures hold in every app.
#[derive(Object, Deserialize, Debug, Clone)]
pub struct DemoIdentity {
    /// What it is: `demo app`, `demo person`, ...
    pub what: String,
    /// Its identifiers (Markdown).
    pub value: String,
}

/// One input that chooses an outcome.
#[derive(Object, Deserialize, Debug, Clone)]
pub struct MagicValue {
    pub family: MagicFamily,
    /// The request field, header or path parameter that carries it (Markdown).
    pub field: String,
    /// The value, or the pattern of values (Markdown).
    pub value: String,
    /// What the sandbox answers (Markdown).
    pub outcome: String,
}

/// The demo identities and the magic values, in the order of docs/magic-values.md.
#[derive(Object, Deserialize, Debug, Clone)]
#[oai(rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct MagicValues {
    /// The identities every app's fixtures hold.
    pub demo_identities: Vec<DemoIdentity>,
    /// Every magic value (only the asked family's with `?family=`).
    pub values: Vec<MagicValue>,
}

impl Answered for MagicValues {
    const DESCRIPTION: &'static str = "The table.";
}

/// What the gateway can answer in front of this open operation, plus the 400 of an unknown `family`.
pub struct MagicValuesRejection(pub Rejection);

impl From<MagicValuesRejection> for poem::Error {
    fn from(rejection: MagicValuesRejection) -> Self {
        rejection.0.into()
    }
}

impl ApiResponse for MagicValuesRejection {
    fn meta() -> MetaResponses {
        let mut meta = Rejection::meta();
        meta.responses
            .retain(|r| matches!(r.status, Some(400 | 413 | 429 | 500 | 504)));
        meta
    }

    fn register(registry: &mut Registry) {
        Rejection::register(registry);
    }
}

/// The embedded table, parsed once (a unit test keeps it parseable).
fn table() -> &'static MagicValues {
    static TABLE: OnceLock<MagicValues> = OnceLock::new();
    TABLE.get_or_init(|| serde_json::from_str(DATA).expect("magic_values.json parses"))
}

pub fn list(family: Option<MagicFamily>) -> Answer<MagicValues> {
    let table = table();
    Answer(MagicValues {
        demo_identities: table.demo_identities.clone(),
        values: table
            .values
            .iter()
            .filter(|v| family.is_none_or(|f| v.family == f))
            .cloned()
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_table_parses_and_covers_every_family() {
        let table = super::table();
        assert!(!table.demo_identities.is_empty());
        // Every variant, as the OpenAPI document lists them.
        let mut registry = poem_openapi::registry::Registry::new();
        <super::MagicFamily as poem_openapi::types::Type>::register(&mut registry);
        let families = &registry.schemas["MagicFamily"].enum_items;
        assert!(!families.is_empty());
        for family in families {
            let family: super::MagicFamily =
                serde_json::from_value(family.clone()).expect("a family the table can name");
            assert!(
                table.values.iter().any(|v| v.family == family),
                "no magic value for {family:?}"
            );
        }
    }
}
