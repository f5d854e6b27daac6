//! `/sandbox/snapshots`: save the calling app's bank state, export it as JSON, import one, and put one
//! back. A saved or imported document is kept under an id derived from its content, so a partner can
//! import the same file at the start of every CI run and restore it by the same id.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use poem::http::StatusCode;
use poem_openapi::{payload::Json, ApiResponse, Object};

use crate::sandbox::{
    bank::{
        answer::{Answered, Created},
        clock::ist,
        snapshot::{self, FamilyCodec, Snapshot, SnapshotDocument},
        store,
    },
    gateway::{
        apps::App,
        error::{GatewayError, Rejection},
    },
    Sandbox,
};

/// A snapshot the app keeps.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct SnapshotKept {
    /// `snap_` and 16 hex digits of the document's SHA-256: the same state always has the same id.
    pub id: String,
    /// The families it holds objects of, by name.
    pub families: Vec<String>,
    /// How many accounts its ledger holds.
    pub accounts: usize,
    /// The document's size in bytes.
    pub bytes: usize,
}

impl Answered for SnapshotKept {
    const DESCRIPTION: &'static str = "Kept: restore it with `POST /sandbox/snapshots/{id}/restore`, export it with\n`GET /sandbox/snapshots/{id}`.";
}

#[derive(ApiResponse)]
pub enum ExportAnswer {
    /// The snapshot document.
    #[oai(status = 200)]
    Ok(Json<SnapshotDocument>),
    /// The app keeps no snapshot with this id (`response` 404).
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
}

/// The app after a restore.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct SnapshotRestored {
    pub id: String,
    /// The app's clock as the snapshot held it, in IST.
    pub clock: DateTime<FixedOffset>,
    /// `true` while the clock is frozen.
    pub frozen: bool,
}

#[derive(ApiResponse)]
pub enum RestoreAnswer {
    /// The app's ledger, objects and clock are the snapshot's.
    #[oai(status = 200)]
    Ok(Json<SnapshotRestored>),
    /// The app keeps no snapshot with this id (`response` 404).
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
}

/// `POST /sandbox/snapshots`: saves the app's state, or imports `document`.
pub fn save(
    sandbox: &Sandbox,
    codecs: &[FamilyCodec],
    app: &Arc<App>,
    document: Option<SnapshotDocument>,
) -> Result<Created<SnapshotKept>, Rejection> {
    let written = match document {
        // Read whole and written again: what is kept is always the server's own form of it.
        Some(document) => {
            let read = Snapshot::read(document, codecs, sandbox.object_limit)
                .map_err(|refusal| Rejection::schema(&refusal.field, refusal.reason))?;
            Snapshot::write(&read.state, read.clock, codecs)
        }
        None => sandbox.transact(app, |state, _| {
            Snapshot::write(state, app.clock.setting(), codecs)
        }),
    }
    .map_err(internal)?;
    let (document, json) = written;
    let id = snapshot::id_of(&json);
    let bytes = json.len();
    sandbox
        .store
        .shelve(&app.id, &id, json.into())
        .map_err(|refused| match refused {
            store::Shelving::TooLarge(size) => Rejection::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                413,
                format!(
                    "the snapshot is {size} bytes; an app keeps snapshots of at most {} bytes",
                    store::SHELF_BYTES
                ),
            ),
            store::Shelving::Store(error) => {
                store::outcome::failed(&error);
                store::outcome::unavailable()
            }
        })?;
    Ok(Created(SnapshotKept {
        id,
        families: document.families.keys().cloned().collect(),
        accounts: document.ledger["accounts"].as_array().map_or(0, Vec::len),
        bytes,
    }))
}

/// `GET /sandbox/snapshots/{id}`.
pub fn export(sandbox: &Sandbox, app: &App, id: &str) -> Result<ExportAnswer, Rejection> {
    let Some(json) = shelved(sandbox, app, id)? else {
        return Ok(ExportAnswer::NotFound(not_found(id)));
    };
    let document = serde_json::from_str(&json).map_err(|e| internal(e.to_string()))?;
    Ok(ExportAnswer::Ok(Json(document)))
}

/// `POST /sandbox/snapshots/{id}/restore`: the app's state becomes the snapshot's, in one transaction.
pub fn restore(
    sandbox: &Sandbox,
    codecs: &[FamilyCodec],
    app: &Arc<App>,
    id: &str,
) -> Result<RestoreAnswer, Rejection> {
    let Some(json) = shelved(sandbox, app, id)? else {
        return Ok(RestoreAnswer::NotFound(not_found(id)));
    };
    let read = || -> Result<Snapshot, Rejection> {
        let document = serde_json::from_str(&json).map_err(|e| internal(e.to_string()))?;
        Snapshot::read(document, codecs, sandbox.object_limit)
            .map_err(|refusal| internal(format!("{}: {}", refusal.field, refusal.reason)))
    };
    let mut snapshot = Some(read()?);
    sandbox.transact(app, |live, _| {
        // A second run (the first met another process's write) reads the snapshot again.
        let Snapshot { state, clock } = match snapshot.take() {
            Some(snapshot) => snapshot,
            None => read()?,
        };
        app.clock.set(&clock).map_err(internal)?;
        *live = state;
        Ok::<_, Rejection>(())
    })?;
    Ok(RestoreAnswer::Ok(Json(SnapshotRestored {
        id: id.to_string(),
        clock: app.clock.now().with_timezone(&ist()),
        frozen: app.clock.is_frozen(),
    })))
}

/// A kept document; a store that cannot read it answers 503.
fn shelved(sandbox: &Sandbox, app: &App, id: &str) -> Result<Option<Arc<str>>, Rejection> {
    sandbox.store.shelved(&app.id, id).map_err(|error| {
        store::outcome::failed(&error);
        store::outcome::unavailable()
    })
}

fn not_found(id: &str) -> Json<GatewayError> {
    Json(
        Rejection::not_found(format!(
            "no snapshot {id}: this app keeps its last {} (POST /sandbox/snapshots saves or imports one)",
            store::SHELF_SNAPSHOTS
        ))
        .body,
    )
}

/// A snapshot the server wrote that it cannot read back: a defect, answered as the bank's 500.
fn internal(reason: impl std::fmt::Display) -> Rejection {
    tracing::error!(%reason, "snapshot");
    Rejection::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        crate::sandbox::gateway::error::BACKEND_ERROR,
        format!("Backend error: the snapshot could not be written or read: {reason}"),
    )
}

/// The id of the document `POST /sandbox/snapshots` shows as its example.
pub fn id_example() -> String {
    EXAMPLE_ID.into()
}

pub const EXAMPLE_ID: &str = "snap_d0e29a901b75a58b";
