//! The `apps` table: created apps' settings, one row each, shared by every process on the database.
//! A process reads them all at start-up, and one it does not know yet (created by another process)
//! when a request names its apikey or OAuth client.

use deadpool_postgres::Pool;
use tokio_postgres::Row;

use crate::sandbox::{
    bank::store::{postgres::state::failure, Named},
    gateway::apps::{AppColumns, KeptApp},
};

const COLUMNS: &str = "id, name, apikey, client_id, client_secret, callback_secret, plan, \
     daily_limit, callback_url, scopes, public_key_pem, callback_sealing, created_at, enabled";

/// Writes `app`'s row, replacing the one it had.
pub async fn keep(pool: Pool, app: KeptApp) -> Result<(), String> {
    let client = pool.get().await.map_err(failure)?;
    let sql = format!(
        "INSERT INTO apps ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14) ON CONFLICT (id) DO UPDATE SET name = excluded.name, apikey = excluded.apikey, \
         client_id = excluded.client_id, client_secret = excluded.client_secret, \
         callback_secret = excluded.callback_secret, plan = excluded.plan, \
         daily_limit = excluded.daily_limit, callback_url = excluded.callback_url, \
         scopes = excluded.scopes, public_key_pem = excluded.public_key_pem, \
         callback_sealing = excluded.callback_sealing, created_at = excluded.created_at, \
         enabled = excluded.enabled"
    );
    let statement = client.prepare_cached(&sql).await.map_err(failure)?;
    client
        .execute(
            &statement,
            &[
                &app.id,
                &app.name,
                &app.credentials.apikey,
                &app.credentials.client_id,
                &app.credentials.client_secret,
                &app.credentials.callback_secret,
                &app.plan,
                &app.daily_limit.map(i64::from),
                &app.callback_url,
                &app.scopes,
                &app.public_key_pem,
                &app.callback_sealing,
                &app.created_at.to_rfc3339(),
                &app.enabled,
            ],
        )
        .await
        .map(|_| ())
        .map_err(failure)
}

/// Every kept app, by id.
pub async fn kept(pool: Pool) -> Result<Vec<KeptApp>, String> {
    let client = pool.get().await.map_err(failure)?;
    let rows = client
        .query(&format!("SELECT {COLUMNS} FROM apps ORDER BY id"), &[])
        .await
        .map_err(failure)?;
    rows.iter().map(read).collect()
}

/// The kept app `credential` names, if any.
pub async fn named(
    pool: Pool,
    named: Named,
    credential: String,
) -> Result<Option<KeptApp>, String> {
    let client = pool.get().await.map_err(failure)?;
    let column = match named {
        Named::ApiKey => "apikey",
        Named::ClientId => "client_id",
    };
    let statement = client
        .prepare_cached(&format!("SELECT {COLUMNS} FROM apps WHERE {column} = $1"))
        .await
        .map_err(failure)?;
    let row = client
        .query_opt(&statement, &[&credential])
        .await
        .map_err(failure)?;
    row.as_ref().map(read).transpose()
}

/// The next app number, never given out twice.
pub async fn next_number(pool: Pool) -> Result<u64, String> {
    let client = pool.get().await.map_err(failure)?;
    let row = client
        .query_one("SELECT nextval('app_numbers')", &[])
        .await
        .map_err(failure)?;
    Ok(row.get::<_, i64>(0) as u64)
}

fn read(row: &Row) -> Result<KeptApp, String> {
    KeptApp::read(row)
}

impl AppColumns for Row {
    type Error = String;

    fn text(&self, at: usize) -> Result<Option<String>, String> {
        self.try_get(at).map_err(failure)
    }

    fn number(&self, at: usize) -> Result<Option<i64>, String> {
        self.try_get(at).map_err(failure)
    }

    fn flag(&self, at: usize) -> Result<bool, String> {
        self.try_get(at).map_err(failure)
    }

    fn bad(&self, at: usize, what: String) -> String {
        format!("postgres: apps column {at}: {what}")
    }
}
