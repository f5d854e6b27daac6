//! Everything but transactions: snapshots, the signing secret, the clock at start-up, reset, expiry
//! and the start-up clean-up. Each is one short database transaction.

use deadpool_postgres::{Object, Pool};
use tokio_postgres::{types::ToSql, Statement};

use crate::sandbox::bank::store::{
    postgres::state::failure, LoggedRow, SHELF_BYTES, SHELF_SNAPSHOTS,
};

/// Every table with an app's rows (but `apps`).
const APP_TABLES: [&str; 6] = [
    "app_rows",
    "app_versions",
    "app_calls",
    "request_log",
    "request_log_ids",
    "snapshots",
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

/// Counts one call of `app_id` on `day` unless `limit` calls were counted: the day's count with it,
/// or `None` when refused. Not waited onto disk (`synchronous_commit` off for it): a database crash
/// may forget the last few counts, never money.
pub async fn count_call(
    pool: Pool,
    app_id: String,
    day: u32,
    limit: u32,
) -> Result<Option<u32>, String> {
    let client = pool.get().await.map_err(failure)?;
    let count = client
        .prepare_cached(
            "INSERT INTO app_calls (app_id, day, calls) VALUES ($1, $2, 1) \
             ON CONFLICT (app_id, day) DO UPDATE SET calls = app_calls.calls + 1 \
             WHERE app_calls.calls < $3 RETURNING calls",
        )
        .await
        .map_err(failure)?;
    let (day, limit) = (day as i32, limit as i32);
    let counted = unsynced(&client, &count, &[&app_id, &day, &limit]).await?;
    Ok(counted.map(|row| row.get::<_, i32>(0) as u32))
}

/// The calls of `app_id` counted on `day`.
pub async fn calls_on(pool: Pool, app_id: String, day: u32) -> Result<u32, String> {
    let client = pool.get().await.map_err(failure)?;
    let row = client
        .query_opt(
            "SELECT calls FROM app_calls WHERE app_id = $1 AND day = $2",
            &[&app_id, &(day as i32)],
        )
        .await
        .map_err(failure)?;
    Ok(row.map_or(0, |row| row.get::<_, i32>(0) as u32))
}

/// Keeps one request in `app_id`'s log, numbered after its last, and drops those past `capacity`:
/// one statement, not waited onto disk (a database crash may forget the last few entries).
pub async fn log_request(
    pool: Pool,
    app_id: String,
    request: LoggedRow,
    capacity: usize,
) -> Result<u64, String> {
    let client = pool.get().await.map_err(failure)?;
    let keep = client
        .prepare_cached(
            "WITH numbered AS (INSERT INTO request_log_ids (app_id, last) VALUES ($1, 1) \
             ON CONFLICT (app_id) DO UPDATE SET last = request_log_ids.last + 1 RETURNING last), \
             kept AS (INSERT INTO request_log (app_id, id, scope, path, status, entry) \
             SELECT $1, last, $2, $3, $4, $5 FROM numbered RETURNING id), \
             dropped AS (DELETE FROM request_log WHERE app_id = $1 \
             AND id <= (SELECT id FROM kept) - $6) \
             SELECT id FROM kept",
        )
        .await
        .map_err(failure)?;
    let status = i32::from(request.status);
    let capacity = capacity as i64;
    let params: [&(dyn ToSql + Sync); 6] = [
        &app_id,
        &request.scope,
        &request.path,
        &status,
        &request.entry,
        &capacity,
    ];
    let kept = unsynced(&client, &keep, &params)
        .await?
        .ok_or("postgres: the request log kept nothing")?;
    Ok(kept.get::<_, i64>(0) as u64)
}

/// `app_id`'s logged requests, newest first.
pub async fn logged_requests(pool: Pool, app_id: String) -> Result<Vec<LoggedRow>, String> {
    let client = pool.get().await.map_err(failure)?;
    let rows = client
        .query(
            "SELECT id, scope, path, status, entry FROM request_log WHERE app_id = $1 \
             ORDER BY id DESC",
            &[&app_id],
        )
        .await
        .map_err(failure)?;
    Ok(rows
        .iter()
        .map(|row| LoggedRow {
            id: row.get::<_, i64>(0) as u64,
            scope: row.get(1),
            path: row.get(2),
            status: row.get::<_, i32>(3) as u16,
            entry: row.get(4),
        })
        .collect())
}

/// Runs `statement` in a transaction of its own that is not waited onto disk (`synchronous_commit`
/// off): four messages, one round trip. The row it returned, if any.
async fn unsynced(
    client: &Object,
    statement: &Statement,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<tokio_postgres::Row>, String> {
    let ((), (), row, ()) = futures_util::try_join!(
        client.batch_execute("BEGIN"),
        client.batch_execute("SET LOCAL synchronous_commit TO off"),
        async { client.query_opt(statement, params).await },
        client.batch_execute("COMMIT"),
    )
    .map_err(failure)?;
    Ok(row)
}
