//! The checklists: one TOML file per family under `checklists/`, embedded in the binary, compiled once
//! and checked at start-up. Each item names what a production integration must handle, how to make
//! the sandbox produce it, and the rule that grades it from the app's requests:
//!
//! - `outcome` (the default): proven when an exchange matches `proof` (e.g. a payment answered
//!   `RESPONSECODE 100030`);
//! - `follow-up`: an exchange matching `after` (a timeout, a pending payment) opens an obligation on
//!   its `key` (the UNIQUEID); a later `proof` with the same key proves it, and a `wrong` exchange
//!   first — the `same` fields, and a different key when `wrong.key` is given — is done wrong;
//! - `retry-after`: after a 429 matching `after`, the app's next business call proves it when it
//!   waited the `Retry-After` seconds (on the app's sandbox clock), else it is done wrong;
//! - `changed-retry`: after a refusal matching `after`, the next business call (to the same operation,
//!   comparing `body`) must differ in what was refused — the `credential` or the `body`;
//! - `token-refresh`: a successful bearer call with a token other than the previous call's;
//! - `callback`: a callback of that kind acknowledged (2xx) by the partner's receiver; a genuine one
//!   refused with a 4xx is done wrong;
//! - `drill`: the latest callback receiver drill of that case (`POST /sandbox/callbacks/drill`)
//!   passed, or failed — a re-run replaces the grade.
//!
//! A family's file names its scope in `family`; a file with `every-app = true` (the gateway, the
//! callback receiver) applies to every app whatever its scopes.

use std::{collections::HashMap, ops::Range, sync::OnceLock};

use serde::Deserialize;

mod compile;

use crate::sandbox::gateway::readiness::{fields::Fields, matcher::Matcher, Seen};
use crate::sandbox::gateway::scopes::Scope;
use compile::{compile_item, RawFamily};

/// The embedded checklist files, in the order the report lists them.
const FILES: &[(&str, &str)] = &[
    ("gateway.toml", include_str!("../checklists/gateway.toml")),
    (
        "callbacks.toml",
        include_str!("../checklists/callbacks.toml"),
    ),
    (
        "building-blocks.toml",
        include_str!("../checklists/building-blocks.toml"),
    ),
    (
        "auto-loan.toml",
        include_str!("../checklists/auto-loan.toml"),
    ),
    ("iwish.toml", include_str!("../checklists/iwish.toml")),
    (
        "cash-management.toml",
        include_str!("../checklists/cash-management.toml"),
    ),
    ("payments.toml", include_str!("../checklists/payments.toml")),
    ("trade.toml", include_str!("../checklists/trade.toml")),
    ("offers.toml", include_str!("../checklists/offers.toml")),
];

/// Which apps an item applies to.
#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Applies {
    #[default]
    All,
    /// Apps created with `encryption: true`.
    Encrypted,
}

/// What a `changed-retry` item compares between the refused request and the next.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Compare {
    Credential,
    Body,
}

/// How an item is graded.
#[derive(Debug)]
pub enum Rule {
    Outcome {
        proof: Matcher,
    },
    FollowUp {
        after: Matcher,
        proof: Matcher,
        wrong: Option<Box<Matcher>>,
    },
    RetryAfter {
        after: Matcher,
    },
    ChangedRetry {
        after: Matcher,
        compare: Compare,
    },
    TokenRefresh,
    Callback {
        kind: String,
    },
    /// The callback receiver drill's case (`duplicate`, ...).
    Drill {
        case: String,
    },
}

/// One scenario a production integration must handle.
#[derive(Debug)]
pub struct Item {
    pub id: String,
    pub title: String,
    /// How to make the sandbox produce it (the magic value or scenario).
    pub how: String,
    pub applies: Applies,
    /// Set while the operations it needs are not served yet: why.
    pub upcoming: Option<String>,
    pub rule: Rule,
    /// Why an exchange graded done wrong is wrong (`{trigger}`, `{key}`, `{waited}`, `{retry_after}`
    /// are filled in).
    pub why: Option<String>,
}

/// One family's checklist.
#[derive(Debug)]
pub struct Family {
    /// The family's scope name (`cash-management`), or the name of a checklist for every app
    /// (`gateway`, `callbacks`).
    pub slug: String,
    pub name: String,
    /// Its tag in Swagger UI.
    pub tag: String,
    /// Its guide in the repository (`docs/cash-management.md`).
    pub guide: String,
    /// `None` for a checklist that applies to every app (the gateway's, the callback receiver's).
    pub scope: Option<Scope>,
    /// Its items' indexes in [`Checklists::items`].
    pub items: Range<usize>,
}

/// Every family's checklist, and which items each operation concerns.
#[derive(Debug)]
pub struct Checklists {
    pub families: Vec<Family>,
    pub items: Vec<Item>,
    /// The request and answer fields the items read.
    pub request_fields: Fields,
    pub answer_fields: Fields,
    by_operation: HashMap<String, Vec<usize>>,
    any_business: Vec<usize>,
}

impl Checklists {
    /// The items an exchange may prove, trigger or resolve, by its operation.
    pub fn candidates<'a>(&'a self, seen: &Seen) -> impl Iterator<Item = usize> + 'a {
        let named = self
            .by_operation
            .get(seen.operation)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let any: &[usize] = if seen.business {
            &self.any_business
        } else {
            &[]
        };
        named.iter().chain(any).copied()
    }

    /// Every operation id the checklists name, with the item naming it.
    pub fn operations(&self) -> impl Iterator<Item = (&Item, &str)> {
        self.items.iter().flat_map(|item| {
            matchers(&item.rule)
                .into_iter()
                .flat_map(|m| m.operations.iter().map(String::as_str))
                .map(move |op| (item, op))
        })
    }

    fn compile(files: &[(&str, &str)]) -> Result<Self, String> {
        let mut lists = Self {
            families: Vec::new(),
            items: Vec::new(),
            request_fields: Fields::default(),
            answer_fields: Fields::default(),
            by_operation: HashMap::new(),
            any_business: Vec::new(),
        };
        for (name, text) in files {
            let raw: RawFamily = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            lists.add(raw).map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(lists)
    }

    fn add(&mut self, raw: RawFamily) -> Result<(), String> {
        let scope = match (raw.every_app, raw.family.as_str()) {
            (true, slug) if Scope::parse(slug).is_some() => {
                return Err(format!("`{slug}` is a family: drop `every-app`"))
            }
            (true, _) => None,
            (false, slug) => Some(Scope::parse(slug).ok_or_else(|| format!("no family `{slug}`"))?),
        };
        let start = self.items.len();
        for raw_item in raw.items {
            let id = raw_item.id.clone();
            if self.items.iter().any(|i| i.id == id) {
                return Err(format!("item `{id}` twice"));
            }
            let fields = (&mut self.request_fields, &mut self.answer_fields);
            let item = compile_item(raw_item, fields).map_err(|e| format!("item `{id}`: {e}"))?;
            self.index(self.items.len(), &item);
            self.items.push(item);
        }
        self.families.push(Family {
            slug: raw.family,
            name: raw.name,
            tag: raw.tag,
            guide: raw.guide,
            scope,
            items: start..self.items.len(),
        });
        Ok(())
    }

    fn index(&mut self, at: usize, item: &Item) {
        let everything = matches!(
            item.rule,
            Rule::RetryAfter { .. } | Rule::ChangedRetry { .. }
        );
        let mut any = everything;
        for matcher in matchers(&item.rule) {
            if matcher.operations.is_empty() {
                any = true;
            }
            for op in &matcher.operations {
                let list = self.by_operation.entry(op.clone()).or_default();
                if !list.contains(&at) {
                    list.push(at);
                }
            }
        }
        if any {
            self.any_business.push(at);
            for list in self.by_operation.values_mut() {
                list.retain(|i| *i != at);
            }
        }
    }
}

fn matchers(rule: &Rule) -> Vec<&Matcher> {
    match rule {
        Rule::Outcome { proof } => vec![proof],
        Rule::FollowUp {
            after,
            proof,
            wrong,
        } => [Some(after), Some(proof), wrong.as_deref()]
            .into_iter()
            .flatten()
            .collect(),
        Rule::RetryAfter { after } | Rule::ChangedRetry { after, .. } => vec![after],
        Rule::TokenRefresh | Rule::Callback { .. } | Rule::Drill { .. } => vec![],
    }
}

static CHECKLISTS: OnceLock<Result<Checklists, String>> = OnceLock::new();

/// The embedded checklists, compiled on first use: the sandbox checks them at start-up
/// ([`load`]), so a bad file stops it there rather than on a request.
pub fn load() -> Result<&'static Checklists, String> {
    CHECKLISTS
        .get_or_init(|| Checklists::compile(FILES))
        .as_ref()
        .map_err(Clone::clone)
}

/// The checklists, once [`load`] has succeeded (`None` before: grading then does nothing, rather than
/// panic on a request).
pub fn checklists() -> Option<&'static Checklists> {
    load().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_checklists_compile() {
        let lists = load().expect("the embedded checklists compile");
        let every_app: Vec<&str> = lists
            .families
            .iter()
            .filter(|f| f.scope.is_none())
            .map(|f| f.slug.as_str())
            .collect();
        assert_eq!(every_app, ["gateway", "callbacks"]);
        for family in &lists.families {
            assert!(!family.items.is_empty(), "{} has items", family.slug);
        }
    }
}
