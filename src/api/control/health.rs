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

/// `{"status":"ok","store":"memory"}`.
#[derive(Object)]
pub struct Health {
    /// Always `ok` while the server answers.
    pub status: String,
    /// Where the apps' state is kept (`--store`): `memory`, `sqlite` or `postgres`. With a database,
    /// the check asks it, and answers 503 while it does not answer.
    pub store: String,
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
        store: sandbox.store.kind().into(),
    }))
}
