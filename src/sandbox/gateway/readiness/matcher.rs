//! Matching one exchange (a request and its answer, as the gateway saw them) against a checklist
//! condition: the operation, the HTTP status, the scenario asked for, and field values in the request
//! and the answer. Values compare as the bank's JSON writes them (`"0"`, `0` and `"0.00"` are the same
//! amount), so a checklist does not care whether a client sent a number or a string.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::gateway::readiness::{fields::Fields, Seen};

/// One value or a list of them, as a checklist writes either.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }
}

/// A value in a checklist: text, a whole number or a boolean.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum Scalar {
    Text(String),
    Integer(i64),
    Bool(bool),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Text(text) => text.clone(),
            Scalar::Integer(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// What a field must hold, as written: a value, any of several, or a rule.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum RawExpect {
    Equals(Scalar),
    AnyOf(Vec<Scalar>),
    Rule(RawRule),
}

/// `{ present = true }` or `{ not = "0.00" }` / `{ not = ["a", "b"] }`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    present: Option<bool>,
    not: Option<OneOrMany<Scalar>>,
}

/// A field condition, ready to evaluate.
#[derive(Debug, Clone)]
enum Expect {
    AnyOf(Vec<String>),
    Not(Vec<String>),
    Present(bool),
}

impl Expect {
    fn compile(raw: RawExpect) -> Result<Self, String> {
        let texts = |values: Vec<Scalar>| values.iter().map(Scalar::text).collect();
        match raw {
            RawExpect::Equals(one) => Ok(Expect::AnyOf(vec![one.text()])),
            RawExpect::AnyOf(many) if !many.is_empty() => Ok(Expect::AnyOf(texts(many))),
            RawExpect::AnyOf(_) => Err("an empty list matches nothing".into()),
            RawExpect::Rule(RawRule {
                present: Some(present),
                not: None,
            }) => Ok(Expect::Present(present)),
            RawExpect::Rule(RawRule {
                present: None,
                not: Some(not),
            }) => Ok(Expect::Not(texts(not.into_vec()))),
            RawExpect::Rule(_) => Err("write exactly one of `present` or `not`".into()),
        }
    }

    fn holds(&self, actual: Option<&str>) -> bool {
        match (self, actual) {
            (Expect::Present(wanted), actual) => *wanted == actual.is_some_and(|t| !t.is_empty()),
            (Expect::AnyOf(values), Some(actual)) => values.iter().any(|v| same_value(v, actual)),
            (Expect::AnyOf(_), None) => false,
            (Expect::Not(values), Some(actual)) => !values.iter().any(|v| same_value(v, actual)),
            (Expect::Not(_), None) => true,
        }
    }
}

/// A condition on one exchange, as a checklist writes it. `key` and `same` are read by the follow-up
/// rules only (see `checklist`).
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawMatcher {
    #[serde(default)]
    pub operation: OneOrMany<String>,
    #[serde(default)]
    pub status: OneOrMany<u16>,
    pub scenario: Option<String>,
    #[serde(default)]
    pub request: BTreeMap<String, RawExpect>,
    #[serde(default)]
    pub answer: BTreeMap<String, RawExpect>,
    /// The request fields naming the object (a payment's UNIQUEID): the first present one counts.
    #[serde(default)]
    pub key: OneOrMany<String>,
    /// Request fields that must hold the same values as the trigger's (a follow-up's `wrong`).
    #[serde(default)]
    pub same: Vec<String>,
}

/// A condition on one exchange, ready to evaluate. Fields are indexes into the checklists'
/// request and answer [`Fields`].
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Empty: any business operation.
    pub operations: Vec<String>,
    statuses: Vec<u16>,
    scenario: Option<String>,
    request: Vec<(usize, Expect)>,
    answer: Vec<(usize, Expect)>,
    /// See [`RawMatcher::key`].
    pub key: Vec<usize>,
    pub same: Vec<usize>,
}

impl Matcher {
    /// Compiles `raw`, numbering the body fields it names in `request` and `answer`.
    pub fn compile(
        raw: RawMatcher,
        request: &mut Fields,
        answer: &mut Fields,
    ) -> Result<Self, String> {
        let conditions = |map: BTreeMap<String, RawExpect>, fields: &mut Fields| {
            map.into_iter()
                .map(|(path, raw)| {
                    Expect::compile(raw)
                        .map(|expect| (fields.index(&path), expect))
                        .map_err(|e| format!("field `{path}`: {e}"))
                })
                .collect::<Result<Vec<_>, String>>()
        };
        Ok(Self {
            operations: raw.operation.into_vec(),
            statuses: raw.status.into_vec(),
            scenario: raw.scenario,
            request: conditions(raw.request, request)?,
            answer: conditions(raw.answer, answer)?,
            key: raw
                .key
                .into_vec()
                .iter()
                .map(|p| request.index(p))
                .collect(),
            same: raw.same.iter().map(|p| request.index(p)).collect(),
        })
    }

    /// Whether the exchange meets every condition (bodies are read only if the rest holds).
    pub fn matches(&self, seen: &Seen) -> bool {
        let operation_ok = if self.operations.is_empty() {
            seen.business
        } else {
            self.operations.iter().any(|op| op == seen.operation)
        };
        operation_ok
            && (self.statuses.is_empty() || self.statuses.contains(&seen.status))
            && self
                .scenario
                .as_deref()
                .is_none_or(|s| seen.scenario.as_deref() == Some(s))
            && self
                .request
                .iter()
                .all(|(at, expect)| expect.holds(seen.request(*at)))
            && self
                .answer
                .iter()
                .all(|(at, expect)| expect.holds(seen.answer(*at)))
    }

    /// The object's key in the exchange's request: the first of `key` present.
    pub fn key_of(&self, seen: &Seen) -> Option<String> {
        self.key
            .iter()
            .find_map(|at| seen.request(*at))
            .map(bounded)
    }

    /// The values of `same` in the exchange's request.
    pub fn same_of(&self, seen: &Seen) -> Vec<Option<String>> {
        self.same
            .iter()
            .map(|at| seen.request(*at).map(bounded))
            .collect()
    }
}

/// Whether two values recorded by [`Matcher::same_of`] are the same (amounts as decimals).
pub fn same_values(a: &[Option<String>], b: &[Option<String>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => same_value(a, b),
            _ => false,
        })
}

/// Keys and values are kept short: the ledger stays bounded whatever a client sends.
fn bounded(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => text[..at].to_string(),
        None => text.to_string(),
    }
}

/// The same text, or the same amount when either is written with a decimal point (`"1.50"` and
/// `1.5`); `"0001"` and `"1"` stay different (account numbers, references).
fn same_value(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if !(a.contains('.') || b.contains('.')) {
        return false;
    }
    match (a.parse::<Decimal>(), b.parse::<Decimal>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_compare_as_decimals_and_references_as_text() {
        assert!(same_value("1.96", "1.960"));
        assert!(same_value("0.00", "0"));
        assert!(same_value("100", "100.00"));
        assert!(!same_value("0001", "1"));
        assert!(!same_value("00ZA", "0"));
    }

    #[test]
    fn expectations() {
        let equals = Expect::compile(RawExpect::Equals(Scalar::Text("0.00".into()))).unwrap();
        assert!(equals.holds(Some("0")));
        assert!(!equals.holds(None));
        let not = Expect::compile(RawExpect::Rule(RawRule {
            present: None,
            not: Some(OneOrMany::One(Scalar::Text("0.00".into()))),
        }))
        .unwrap();
        assert!(not.holds(Some("10.00")));
        assert!(!not.holds(Some("0.00")));
        let present = Expect::Present(true);
        assert!(present.holds(Some("x")));
        assert!(!present.holds(Some("")));
        assert!(!present.holds(None));
        assert!(Expect::compile(RawExpect::AnyOf(vec![])).is_err());
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(500);
        assert_eq!(bounded(&long).len(), 64);
        assert_eq!(bounded("é"), "é");
    }
}
