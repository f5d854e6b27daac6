//! `GET /healthz`: whether the server answers.

use poem_openapi::Object;

use crate::sandbox::bank::answer::{Answer, Answered};

/// `{"status":"ok"}`.
#[derive(Object)]
pub struct Health {
    /// Always `ok` while the server answers.
    pub status: String,
}

impl Answered for Health {
    const DESCRIPTION: &'static str = "The server is up.";
}

pub fn health() -> Answer<Health> {
    Answer(Health {
        status: "ok".into(),
    })
}
