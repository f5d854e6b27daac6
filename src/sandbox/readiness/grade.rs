//! The report's grades: for the calling app's scopes (and the gateway), every item's state and its
//! evidence — from the app's ledger, and for callback items from the callback attempts the sandbox
//! recorded for it.

use std::collections::HashMap;

use super::{
    checklist::{Applies, Family, Item, Rule},
    checklists,
    ledger::{explain, Evidence, Mark},
};
use crate::sandbox::{callbacks::Attempt, state::App};

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Proven,
    NotYet,
    /// Wins over proven: the integration has shown it can get this wrong.
    DoneWrong,
}

/// One item, graded.
#[derive(Debug)]
pub struct Graded {
    pub item: &'static Item,
    pub state: State,
    pub proof: Evidence,
    pub wrong: Evidence,
}

/// One family's items, graded.
#[derive(Debug)]
pub struct FamilyGrades {
    pub family: &'static Family,
    pub items: Vec<Graded>,
}

impl FamilyGrades {
    pub fn count(&self, state: State) -> usize {
        self.items.iter().filter(|g| g.state == state).count()
    }
}

/// The app's callback attempts, per kind, as the callback items grade them: acknowledged (2xx)
/// proves; a genuine callback refused with a 4xx is done wrong (a 5xx or no answer is a transient
/// failure the retries cover). Fed newest first, one attempt at a time, so nothing is copied.
#[derive(Debug, Default)]
pub struct CallbackTally {
    kinds: HashMap<&'static str, Tallied>,
}

#[derive(Debug, Default)]
struct Tallied {
    acknowledged: Evidence,
    refused: Evidence,
    /// The latest refusal's reference and status, for the item's `why`.
    refusal: Option<(String, u16)>,
}

impl CallbackTally {
    pub fn add(&mut self, attempt: &Attempt) {
        let Some(status) = attempt.status else {
            return;
        };
        let tallied = self.kinds.entry(attempt.kind).or_default();
        let evidence = match status {
            200..=299 => &mut tallied.acknowledged,
            400..=499 => &mut tallied.refused,
            _ => return,
        };
        evidence.seen += 1;
        if evidence.callbacks.is_empty() {
            evidence.callbacks.push(format!(
                "{} {} #{}: {status}",
                attempt.kind, attempt.reference, attempt.attempt
            ));
            if status >= 400 {
                tallied.refusal = Some((attempt.reference.clone(), status));
            }
        }
    }

    fn mark(&self, item: &Item, kind: &str) -> Mark {
        let Some(tallied) = self.kinds.get(kind) else {
            return Mark::default();
        };
        let mut wrong = tallied.refused.clone();
        if let Some((reference, status)) = &tallied.refusal {
            wrong.note = explain(item, &[("key", reference), ("status", &status.to_string())]);
        }
        Mark {
            proof: tallied.acknowledged.clone(),
            wrong,
        }
    }
}

/// Grades every item that applies to `app`: the gateway's, and its scopes' families'.
pub fn grade(app: &App, marks: &[Mark], callbacks: &CallbackTally) -> Vec<FamilyGrades> {
    let Some(lists) = checklists() else {
        return Vec::new();
    };
    lists
        .families
        .iter()
        .filter(|f| f.scope.is_none_or(|s| app.may_call(s)))
        .map(|family| FamilyGrades {
            family,
            items: family
                .items
                .clone()
                .filter(|&at| lists.items[at].applies == Applies::All || app.encrypted())
                .map(|at| {
                    let item = &lists.items[at];
                    let mark = match &item.rule {
                        Rule::Callback { kind } => callbacks.mark(item, kind),
                        _ => marks.get(at).cloned().unwrap_or_default(),
                    };
                    graded(item, mark)
                })
                .collect(),
        })
        .collect()
}

fn graded(item: &'static Item, mark: Mark) -> Graded {
    let state = if mark.wrong.seen > 0 {
        State::DoneWrong
    } else if mark.proof.seen > 0 {
        State::Proven
    } else {
        State::NotYet
    };
    Graded {
        item,
        state,
        proof: mark.proof,
        wrong: mark.wrong,
    }
}
