//! `GET /sandbox/readiness` as JSON: the report's shape, built from the grades.

use poem_openapi::{Enum, Object};
use serde::Serialize;

use crate::sandbox::gateway::{
    apps::App,
    readiness::{
        grade::{grade, FamilyGrades, Graded, State},
        ledger::Evidence,
    },
};

/// The calling app's go-live readiness: per family, the scenarios a production integration must
/// handle, and which its requests have proven.
#[derive(Object, Serialize, Debug)]
#[oai(rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct ReadinessReport {
    /// The app whose requests were graded.
    pub app: String,
    /// `true` when every item is proven and none was done wrong.
    pub ready: bool,
    pub summary: Tally,
    /// This report as a page for people: the link carries a read-only view token for this report
    /// only, valid 24 hours of the app's sandbox clock.
    pub html: String,
    /// The checklists for every app (the gateway, the callback receiver), then one per family the
    /// app may call.
    pub families: Vec<FamilyReport>,
}

/// How many items stand where.
#[derive(Object, Serialize, Debug, Default, Clone, Copy)]
#[oai(rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub total: u32,
    pub proven: u32,
    pub not_yet: u32,
    pub done_wrong: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.total += other.total;
        self.proven += other.proven;
        self.not_yet += other.not_yet;
        self.done_wrong += other.done_wrong;
    }
}

/// One family's checklist, graded.
#[derive(Object, Serialize, Debug)]
#[oai(rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct FamilyReport {
    /// The family's scope name (`cash-management`), or `gateway` / `callbacks` (for every app).
    pub family: String,
    pub name: String,
    /// The family's guide in the sandbank repository.
    pub guide: String,
    /// The family's operations in this server's Swagger UI.
    pub reference: String,
    pub summary: Tally,
    pub items: Vec<ItemReport>,
}

/// Where an item stands.
#[derive(Enum, Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub enum ItemState {
    /// The app's requests show it handled.
    Proven,
    /// Not exercised yet: see `how`.
    NotYet,
    /// Exercised, and handled wrongly at least once (see `wrong`); wins over proven.
    DoneWrong,
}

/// One scenario a production integration must handle.
#[derive(Object, Serialize, Debug)]
#[oai(rename_all = "camelCase", skip_serializing_if_is_none)]
#[serde(rename_all = "camelCase")]
pub struct ItemReport {
    /// Stable across releases: CI may refer to it.
    pub id: String,
    pub title: String,
    pub state: ItemState,
    /// How to make the sandbox produce it: the magic value or scenario.
    pub how: String,
    /// Set while the operations it needs are not served yet: it cannot be proven before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upcoming: Option<String>,
    /// The latest exchange that proved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
    /// The latest exchange that did it wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrong: Option<Proof>,
}

/// The exchanges behind a grade.
#[derive(Object, Serialize, Debug)]
#[oai(rename_all = "camelCase", skip_serializing_if_is_none)]
#[serde(rename_all = "camelCase")]
pub struct Proof {
    /// How many times it happened.
    pub seen: u32,
    /// The latest time's request ids, as `GET /sandbox/requests` numbers them (the trigger first,
    /// then what followed it). The log keeps the last 200 requests; the grade outlives them.
    pub requests: Vec<u64>,
    /// The latest time's callback attempts, for callback items.
    #[oai(skip_serializing_if_is_empty, default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<String>,
    /// What was wrong, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The report for `app`, with `html` as its page's link.
pub fn build(app: &App, html: String) -> ReadinessReport {
    let marks = app.readiness.marks();
    let families: Vec<FamilyReport> = grade(app, &marks).into_iter().map(family).collect();
    let mut summary = Tally::default();
    for family in &families {
        summary.add(family.summary);
    }
    ReadinessReport {
        app: app.id.clone(),
        ready: summary.total > 0 && summary.proven == summary.total,
        summary,
        html,
        families,
    }
}

fn family(grades: FamilyGrades) -> FamilyReport {
    let count = |state| grades.count(state) as u32;
    let summary = Tally {
        total: grades.items.len() as u32,
        proven: count(State::Proven),
        not_yet: count(State::NotYet),
        done_wrong: count(State::DoneWrong),
    };
    let family = grades.family;
    FamilyReport {
        family: family.slug.clone(),
        name: family.name.clone(),
        guide: family.guide.clone(),
        reference: format!("/docs#/{}", encode_fragment(&family.tag)),
        summary,
        items: grades.items.into_iter().map(item).collect(),
    }
}

fn item(graded: Graded) -> ItemReport {
    let proof = |evidence: Evidence| {
        (evidence.seen > 0).then_some(Proof {
            seen: evidence.seen,
            requests: evidence.requests,
            callbacks: evidence.callbacks,
            note: evidence.note,
        })
    };
    ItemReport {
        id: graded.item.id.clone(),
        title: graded.item.title.clone(),
        state: match graded.state {
            State::Proven => ItemState::Proven,
            State::NotYet => ItemState::NotYet,
            State::DoneWrong => ItemState::DoneWrong,
        },
        how: graded.item.how.clone(),
        upcoming: graded.item.upcoming.clone(),
        proof: proof(graded.proof),
        wrong: proof(graded.wrong),
    }
}

/// A Swagger UI tag as its deep link writes it (`Payments & UPI` → `Payments%20%26%20UPI`).
fn encode_fragment(tag: &str) -> String {
    tag.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_are_encoded_for_the_fragment() {
        assert_eq!(
            super::encode_fragment("Payments & UPI"),
            "Payments%20%26%20UPI"
        );
        assert_eq!(super::encode_fragment("iWish"), "iWish");
    }
}
