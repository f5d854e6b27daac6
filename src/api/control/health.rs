//! `GET /healthz`: whether the server answers, and its store's database with it.

use poem_openapi::Object;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        store::outcome,
    },
    gateway::error::Rejection,
    Sandbox,
};

/// `{"status":"ok"}`.
#[derive(Object)]
pub struct Health {
    /// Always `ok` while the server answers.
    pub status: String,
}

impl Answered for Health {
    const DESCRIPTION: &'static str = "The server is up.";
}

/// `ok`, or 503 with the bank's envelope when the store's database does not answer.
pub fn health(sandbox: &Sandbox) -> Result<Answer<Health>, Rejection> {
    if let Err(error) = sandbox.store.check() {
        tracing::error!(%error, "healthz");
        return Err(outcome::unavailable());
    }
    Ok(Answer(Health {
        status: "ok".into(),
    }))
}
