//! The report's grades: for the calling app's scopes (and the checklists for every app), every item's
//! state and its evidence, from the app's ledger.

use crate::sandbox::gateway::apps::App;
use crate::sandbox::gateway::readiness::{
    checklist::{Applies, Family, Item},
    checklists,
    ledger::{Evidence, Mark},
};

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

/// Grades every item that applies to `app`: those for every app, and its scopes' families'.
pub fn grade(app: &App, marks: &[Mark]) -> Vec<FamilyGrades> {
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
                .map(|at| graded(&lists.items[at], marks.get(at).cloned().unwrap_or_default()))
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
