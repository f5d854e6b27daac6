//! The `apps` table: created apps' settings, one row each (migration 2), written on creation and on
//! every change, read once at start-up.

use rusqlite::{params, Connection, Row};

use crate::sandbox::gateway::apps::{AppColumns, KeptApp};

/// Writes `app`'s row, replacing the one it had.
pub fn keep(db: &Connection, app: &KeptApp) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO apps (id, name, apikey, client_id, client_secret, callback_secret, plan, \
         daily_limit, callback_url, scopes, public_key_pem, callback_sealing, created_at, enabled) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, apikey = excluded.apikey, \
         client_id = excluded.client_id, client_secret = excluded.client_secret, \
         callback_secret = excluded.callback_secret, plan = excluded.plan, \
         daily_limit = excluded.daily_limit, callback_url = excluded.callback_url, \
         scopes = excluded.scopes, public_key_pem = excluded.public_key_pem, \
         callback_sealing = excluded.callback_sealing, created_at = excluded.created_at, \
         enabled = excluded.enabled",
    )?
    .execute(params![
        app.id,
        app.name,
        app.credentials.apikey,
        app.credentials.client_id,
        app.credentials.client_secret,
        app.credentials.callback_secret,
        app.plan,
        app.daily_limit,
        app.callback_url,
        app.scopes,
        app.public_key_pem,
        app.callback_sealing,
        app.created_at.to_rfc3339(),
        app.enabled,
    ])?;
    Ok(())
}

/// Every kept app, by id.
pub fn kept(db: &Connection) -> rusqlite::Result<Vec<KeptApp>> {
    let mut query = db.prepare(
        "SELECT id, name, apikey, client_id, client_secret, callback_secret, plan, daily_limit, \
         callback_url, scopes, public_key_pem, callback_sealing, created_at, enabled \
         FROM apps ORDER BY id",
    )?;
    let apps = query.query_map([], read)?;
    apps.collect()
}

fn read(row: &Row<'_>) -> rusqlite::Result<KeptApp> {
    KeptApp::read(row)
}

impl AppColumns for Row<'_> {
    type Error = rusqlite::Error;

    fn text(&self, at: usize) -> rusqlite::Result<Option<String>> {
        self.get(at)
    }

    fn number(&self, at: usize) -> rusqlite::Result<Option<i64>> {
        self.get(at)
    }

    fn flag(&self, at: usize) -> rusqlite::Result<bool> {
        self.get(at)
    }

    fn bad(&self, at: usize, what: String) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, what.into())
    }
}
