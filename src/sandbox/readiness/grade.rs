//! The report's grades: for the calling app's scopes (and the gateway), every item's state and its
//! evidence — from the app's ledger, and for callback items from the callback attempts the sandbox
//! recorded for it.

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

/// Grades every item that applies to `app`: the gateway's, and its scopes' families'.
/// `attempts` are the app's callback attempts, newest first.
pub fn grade(app: &App, marks: &[Mark], attempts: &[Attempt]) -> Vec<FamilyGrades> {
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
                        Rule::Callback { kind } => callbacks(item, kind, attempts),
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

/// A callback item: acknowledged (2xx) by the partner's receiver proves it; a genuine callback
/// refused with a 4xx is done wrong (a 5xx or no answer is a transient failure the retries cover).
fn callbacks(item: &Item, kind: &str, attempts: &[Attempt]) -> Mark {
    let mut mark = Mark::default();
    for attempt in attempts.iter().filter(|a| a.kind == kind) {
        let Some(status) = attempt.status else {
            continue;
        };
        let described = format!(
            "{} {} #{}: {}",
            attempt.kind, attempt.reference, attempt.attempt, status
        );
        let evidence = match status {
            200..=299 => &mut mark.proof,
            400..=499 => &mut mark.wrong,
            _ => continue,
        };
        evidence.seen += 1;
        if evidence.callbacks.is_empty() {
            // Newest first: the first seen is the latest.
            evidence.callbacks.push(described);
            if status >= 400 {
                let status = status.to_string();
                evidence.note = explain(item, &[("key", &attempt.reference), ("status", &status)]);
            }
        }
    }
    mark
}
