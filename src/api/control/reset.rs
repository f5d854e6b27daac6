//! `POST /sandbox/reset`: the calling app's state back to fixtures.

use chrono::{DateTime, FixedOffset};
use poem_openapi::Object;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        clock::ist,
        store::outcome,
    },
    gateway::apps::App,
    Sandbox,
};

/// What `POST /sandbox/reset` cleared.
#[derive(Object)]
pub struct ResetDone {
    pub app: String,
    /// What was wiped back to its fresh state.
    pub cleared: Vec<String>,
    /// The app's clock after the reset (real time again).
    pub clock: DateTime<FixedOffset>,
}

impl Answered for ResetDone {
    const DESCRIPTION: &'static str = "The app's state is back to fixtures.";
}

pub fn reset(sandbox: &Sandbox, app: &App) -> Answer<ResetDone> {
    if let Err(error) = sandbox.reset(app) {
        // Answered 503 by the store's guard: the rows were not deleted.
        outcome::failed(&error);
    }
    Answer(ResetDone {
        app: app.id.clone(),
        // `requests`: the request log and the readiness report graded from it.
        cleared: ["clock", "objects", "callbacks", "requests", "quota"]
            .map(String::from)
            .to_vec(),
        clock: app.clock.now().with_timezone(&ist()),
    })
}
