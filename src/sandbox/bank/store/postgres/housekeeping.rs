//! Everything but transactions: snapshots, the signing secret, the clock at start-up, reset, expiry
//! and the start-up clean-up. Each is one short database transaction.

use deadpool_postgres::Pool;

use crate::sandbox::bank::store::{postgres::state::failure, SHELF_BYTES, SHELF_SNAPSHOTS};

/// Every table with an app's rows (but `apps`).
const APP_TABLES: [&str; 8] = [
    "app_rows",
    "app_versions",
    "app_calls",
    "request_log",
    "request_log_ids",
    "snapshots",
    "outbox",
    "callback_attempts",
];

/// Keeps a snapshot as the newest of the app's, then lets the oldest go past [`SHELF_SNAPSHOTS`] or
/// [`SHELF_BYTES`]: the memory store's rule, in one transaction.
pub async fn shelve(
    pool: Pool,
    app_id: String,
    id: String,
    document: String,
) -> Result<(), String> {
    let mut client = pool.get().await.map_err(failure)?;
    let tx = client.transaction().await.map_err(failure)?;
    tx.execute(
        "DELETE FROM snapshots WHERE app_id = $1 AND id = $2",
        &[&app_id, &id],
    )
    .await
    .map_err(failure)?;
    tx.execute(
        "INSERT INTO snapshots (app_id, id, position, document) VALUES ($1, $2, \
         (SELECT coalesce(max(position), 0) + 1 FROM snapshots WHERE app_id = $1), $3)",
        &[&app_id, &id, &document],
    )
    .await
    .map_err(failure)?;
    loop {
        let row = tx
            .query_one(
                "SELECT count(*), coalesce(sum(octet_length(document)), 0)::bigint \
                 FROM snapshots WHERE app_id = $1",
                &[&app_id],
            )
            .await
            .map_err(failure)?;
        let (count, bytes): (i64, i64) = (row.get(0), row.get(1));
        if count as usize <= SHELF_SNAPSHOTS && bytes as usize <= SHELF_BYTES {
            break;
        }
        tx.execute(
            "DELETE FROM snapshots WHERE app_id = $1 AND position = \
             (SELECT min(position) FROM snapshots WHERE app_id = $1)",
            &[&app_id],
        )
        .await
        .map_err(failure)?;
    }
    tx.commit().await.map_err(failure)
}

pub async fn shelved(pool: Pool, app_id: String, id: String) -> Result<Option<String>, String> {
    let client = pool.get().await.map_err(failure)?;
    let row = client
        .query_opt(
            "SELECT document FROM snapshots WHERE app_id = $1 AND id = $2",
            &[&app_id, &id],
        )
        .await
        .map_err(failure)?;
    Ok(row.map(|row| row.get(0)))
}

/// The OAuth2 signing secret: `candidate` if none was kept yet, else the kept one.
pub async fn signing_secret(pool: Pool, candidate: String) -> Result<String, String> {
    let client = pool.get().await.map_err(failure)?;
    client
        .execute(
            "INSERT INTO secrets (name, value) VALUES ('jwt', $1) ON CONFLICT (name) DO NOTHING",
            &[&candidate],
        )
        .await
        .map_err(failure)?;
    let row = client
        .query_one("SELECT value FROM secrets WHERE name = 'jwt'", &[])
        .await
        .map_err(failure)?;
    Ok(row.get(0))
}

/// The clock setting kept for `app_id`.
pub async fn clock(pool: Pool, app_id: String) -> Result<Option<String>, String> {
    let client = pool.get().await.map_err(failure)?;
    let row = client
        .query_opt(
            "SELECT clock FROM app_versions WHERE app_id = $1",
            &[&app_id],
        )
        .await
        .map_err(failure)?;
    Ok(row.and_then(|row| row.get(0)))
}

/// Forgets what `app_id` created and sets its clock to `clock`, as a new version (so that every
/// process reads it again).
pub async fn reset(pool: Pool, app_id: String, clock: String) -> Result<(), String> {
    let mut client = pool.get().await.map_err(failure)?;
    let tx = client.transaction().await.map_err(failure)?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&app_id],
    )
    .await
    .map_err(failure)?;
    for table in ["app_rows", "app_calls", "request_log"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE app_id = $1"),
            &[&app_id],
        )
        .await
        .map_err(failure)?;
    }
    tx.execute(
        "INSERT INTO app_versions (app_id, version, clock) VALUES ($1, 1, $2) \
         ON CONFLICT (app_id) DO UPDATE SET version = app_versions.version + 1, \
         base = app_versions.version + 1, clock = excluded.clock, used_at = now()",
        &[&app_id, &clock],
    )
    .await
    .map_err(failure)?;
    tx.commit().await.map_err(failure)
}

/// Forgets `app_id` entirely, unless it wrote within the last `idle_secs` seconds (through another
/// process: then only this process lets it go). Whether it was forgotten.
pub async fn forget(pool: Pool, app_id: String, idle_secs: Option<f64>) -> Result<bool, String> {
    let mut client = pool.get().await.map_err(failure)?;
    let tx = client.transaction().await.map_err(failure)?;
    let gone = tx
        .execute(
            "DELETE FROM apps WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM app_versions \
             WHERE app_id = $1 AND $2::float8 IS NOT NULL \
             AND used_at > now() - make_interval(secs => $2::float8))",
            &[&app_id, &idle_secs],
        )
        .await
        .map_err(failure)?;
    if gone == 0 {
        return Ok(false);
    }
    for table in APP_TABLES {
        tx.execute(
            &format!("DELETE FROM {table} WHERE app_id = $1"),
            &[&app_id],
        )
        .await
        .map_err(failure)?;
    }
    tx.commit().await.map_err(failure)?;
    Ok(true)
}

/// Deletes the state of apps that are neither in `kept` nor in the `apps` table (the start-up
/// clean-up: an app another process creates meanwhile is in the table before it has state).
pub async fn retain(pool: Pool, kept: Vec<String>) -> Result<(), String> {
    let mut client = pool.get().await.map_err(failure)?;
    let tx = client.transaction().await.map_err(failure)?;
    for table in APP_TABLES {
        tx.execute(
            &format!(
                "DELETE FROM {table} WHERE app_id <> ALL($1) \
                 AND app_id NOT IN (SELECT id FROM apps)"
            ),
            &[&kept],
        )
        .await
        .map_err(failure)?;
    }
    tx.commit().await.map_err(failure)
}
