//! Callbacks in the database (migration 0005): the outbox a transaction writes its owed callbacks to
//! ([`owed`](owed()), [`Insert`], in the transaction's own commit batch), the claims and settlements of
//! delivery workers on every process, and the shared callback log, bounded per app.

use std::{future::Future, time::Duration};

use chrono::{DateTime, Utc};
use deadpool_postgres::{GenericClient, Pool};
use tokio::runtime::Handle;
use tokio_postgres::Row;

use crate::sandbox::bank::store::{
    postgres::state::failure,
    shared_callbacks::{AttemptRow, Claimed, OwedCallback, Pending, SharedCallbacks, Then},
    StoreError,
};

mod owed;

pub use owed::{owed, Insert};

/// The shared callbacks of a PostgreSQL store: its pool, and its runtime (the pool's connections
/// live there).
pub struct PgCallbacks {
    pool: Pool,
    runtime: Handle,
}

impl PgCallbacks {
    pub fn new(pool: Pool, runtime: Handle) -> Self {
        Self { pool, runtime }
    }

    /// Runs `work` on the store's runtime, for a caller to await from any runtime.
    fn pending<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, String>> + Send + 'static,
    ) -> Pending<T> {
        let task = self.runtime.spawn(work);
        Box::pin(async move {
            task.await
                .unwrap_or_else(|_| Err("postgres: the database task failed".into()))
                .map_err(StoreError)
        })
    }

    /// Runs `work` on the store's runtime and waits for it (a handler's synchronous read).
    fn wait<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, String>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        self.runtime.spawn(async move {
            let _ = sender.send(work.await);
        });
        super::bridge::wait(move || receiver.recv())
            .unwrap_or_else(|_| Err("postgres: the database task failed".into()))
            .map_err(StoreError)
    }
}

/// Due callbacks, at most `$2` in flight per app (counting live leases on every process), oldest
/// first, at most `$1`; locked without waiting for rows another claimer holds, then leased for `$3`
/// seconds with their next attempt number. A row found with an expired lease was lost mid-attempt.
const CLAIM: &str = "WITH ranked AS (SELECT id, due, leased, \
       row_number() OVER (PARTITION BY app_id, due AND NOT leased ORDER BY id) AS place, \
       count(*) FILTER (WHERE leased) OVER (PARTITION BY app_id) AS busy \
     FROM (SELECT id, app_id, due_at <= now() AS due, \
       coalesce(lease_until > now(), false) AS leased FROM outbox) AS state), \
   candidates AS (SELECT id FROM ranked WHERE due AND NOT leased AND place + busy <= $2 \
     ORDER BY id LIMIT $1), \
   claimable AS (SELECT o.id, o.lease_until IS NOT NULL AS lost FROM outbox o \
     JOIN candidates c ON c.id = o.id \
     WHERE o.due_at <= now() AND (o.lease_until IS NULL OR o.lease_until <= now()) \
     FOR UPDATE OF o SKIP LOCKED) \
 UPDATE outbox o SET attempt = o.attempt + 1, \
   lease_until = now() + make_interval(secs => $3::float8) \
 FROM claimable WHERE o.id = claimable.id \
 RETURNING o.id, o.app_id, o.delivery, o.kind, o.reference, o.url, o.body, o.content_type, \
   o.sealed, o.secret, o.owed_at, o.attempt, claimable.lost, \
   (SELECT clock FROM app_versions v WHERE v.app_id = o.app_id)";

const COLUMNS: &str = "seq, attempt, kind, reference, delivery, at, url, status, latency_ms, \
     request_body, response_body, response_truncated, error";

/// An instant as the tables keep it: RFC 3339 text, to the nanosecond (as the app's clock gave it).
pub(super) fn text_of(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn instant_of(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.to_utc())
        .unwrap_or_default()
}

fn claimed(row: &Row) -> Claimed {
    Claimed {
        seq: row.get::<_, i64>(0) as u64,
        app_id: row.get(1),
        callback: OwedCallback {
            delivery: row.get(2),
            kind: row.get(3),
            reference: row.get(4),
            url: row.get(5),
            body: row.get(6),
            content_type: row.get(7),
            sealed: row.get(8),
            secret: row.get(9),
            owed_at: instant_of(row.get(10)),
        },
        attempt: row.get::<_, i32>(11) as u32,
        lost: row.get(12),
        clock: row.get(13),
    }
}

fn attempt_row(row: &Row) -> AttemptRow {
    AttemptRow {
        seq: row.get::<_, i64>(0) as u64,
        attempt: row.get::<_, i32>(1) as u32,
        kind: row.get(2),
        reference: row.get(3),
        delivery: row.get(4),
        at: instant_of(row.get(5)),
        url: row.get(6),
        status: row.get::<_, Option<i32>>(7).map(|s| s as u16),
        latency_ms: row.get::<_, i64>(8) as u64,
        request_body: row.get(9),
        response_body: row.get(10),
        response_truncated: row.get(11),
        error: row.get(12),
    }
}

/// Keeps `attempts` in `app_id`'s log — when an outbox claim (`owner`: its row and attempt) made
/// them, only while that claim is the row's current one — then drops all but the newest `keep` (the
/// oldest callback's oldest attempts first).
async fn keep_attempts(
    client: &impl GenericClient,
    app_id: &str,
    attempts: &[AttemptRow],
    owner: Option<(i64, i32)>,
    keep: usize,
) -> Result<(), tokio_postgres::Error> {
    let insert = client
        .prepare_cached(&format!(
            "INSERT INTO callback_attempts (app_id, {COLUMNS}) \
             SELECT $1, $2::bigint, $3::integer, $4, $5, $6, $7, $8, $9::integer, \
             $10::bigint, $11, $12, $13::boolean, $14 \
             WHERE $15::bigint IS NULL \
             OR EXISTS (SELECT 1 FROM outbox WHERE id = $15 AND attempt = $16)"
        ))
        .await?;
    for a in attempts {
        let (seq, attempt) = (a.seq as i64, a.attempt as i32);
        let (status, latency) = (a.status.map(i32::from), a.latency_ms as i64);
        let at = text_of(&a.at);
        client
            .execute(
                &insert,
                &[
                    &app_id,
                    &seq,
                    &attempt,
                    &a.kind,
                    &a.reference,
                    &a.delivery,
                    &at,
                    &a.url,
                    &status,
                    &latency,
                    &a.request_body,
                    &a.response_body,
                    &a.response_truncated,
                    &a.error,
                    &owner.map(|(id, _)| id),
                    &owner.map(|(_, attempt)| attempt),
                ],
            )
            .await?;
    }
    let bound = client
        .prepare_cached(
            "DELETE FROM callback_attempts WHERE app_id = $1 AND (seq, attempt, id) < \
             (SELECT seq, attempt, id FROM callback_attempts WHERE app_id = $1 \
              ORDER BY seq DESC, attempt DESC, id DESC OFFSET $2 LIMIT 1)",
        )
        .await?;
    let last_kept = keep.saturating_sub(1) as i64;
    client.execute(&bound, &[&app_id, &last_kept]).await?;
    Ok(())
}

impl SharedCallbacks for PgCallbacks {
    fn claim(&self, limit: usize, per_app: usize, lease: Duration) -> Pending<Vec<Claimed>> {
        let pool = self.pool.clone();
        self.pending(async move {
            let client = pool.get().await.map_err(failure)?;
            let (limit, per_app) = (limit as i64, per_app as i64);
            let rows = client
                .query(CLAIM, &[&limit, &per_app, &lease.as_secs_f64()])
                .await
                .map_err(failure)?;
            let mut claimed: Vec<Claimed> = rows.iter().map(claimed).collect();
            claimed.sort_by_key(|c| c.seq);
            Ok(claimed)
        })
    }

    fn settle(
        &self,
        claimed: &Claimed,
        attempts: Vec<AttemptRow>,
        then: Then,
        keep: usize,
    ) -> Pending<()> {
        let pool = self.pool.clone();
        let (app_id, id, attempt) = (
            claimed.app_id.clone(),
            claimed.seq as i64,
            claimed.attempt as i32,
        );
        self.pending(async move {
            let mut client = pool.get().await.map_err(failure)?;
            let tx = client.transaction().await.map_err(failure)?;
            // Only the current claim records and settles: one taken over after its lease changes
            // nothing (its attempt is already recorded as lost, and the row is another's).
            keep_attempts(&tx, &app_id, &attempts, Some((id, attempt)), keep)
                .await
                .map_err(failure)?;
            let moved = match then {
                Then::Retry(wait) => {
                    let wait = wait.as_secs_f64();
                    tx.execute(
                        "UPDATE outbox SET due_at = now() + make_interval(secs => $3::float8), \
                         lease_until = NULL WHERE id = $1 AND attempt = $2",
                        &[&id, &attempt, &wait],
                    )
                    .await
                }
                Then::Done => {
                    tx.execute(
                        "DELETE FROM outbox WHERE id = $1 AND attempt = $2",
                        &[&id, &attempt],
                    )
                    .await
                }
            };
            moved.map_err(failure)?;
            tx.commit().await.map_err(failure)
        })
    }

    fn record(&self, app_id: &str, attempt: AttemptRow, keep: usize) -> Result<(), StoreError> {
        let (pool, app_id) = (self.pool.clone(), app_id.to_string());
        self.wait(async move {
            let mut client = pool.get().await.map_err(failure)?;
            let tx = client.transaction().await.map_err(failure)?;
            keep_attempts(&tx, &app_id, &[attempt], None, keep)
                .await
                .map_err(failure)?;
            tx.commit().await.map_err(failure)
        })
    }

    fn attempts(&self, app_id: &str) -> Result<Vec<AttemptRow>, StoreError> {
        let (pool, app_id) = (self.pool.clone(), app_id.to_string());
        self.wait(async move {
            let client = pool.get().await.map_err(failure)?;
            let select = format!(
                "SELECT {COLUMNS} FROM callback_attempts WHERE app_id = $1 \
                 ORDER BY seq DESC, attempt DESC, id DESC"
            );
            let rows = client.query(&select, &[&app_id]).await.map_err(failure)?;
            Ok(rows.iter().map(attempt_row).collect())
        })
    }

    fn latest(&self, app_id: &str, reference: &str) -> Result<Option<AttemptRow>, StoreError> {
        let (pool, app_id, reference) =
            (self.pool.clone(), app_id.to_string(), reference.to_string());
        self.wait(async move {
            let client = pool.get().await.map_err(failure)?;
            let select = format!(
                "SELECT {COLUMNS} FROM callback_attempts WHERE app_id = $1 AND reference = $2 \
                 ORDER BY seq DESC, attempt DESC, id DESC LIMIT 1"
            );
            let row = client
                .query_opt(&select, &[&app_id, &reference])
                .await
                .map_err(failure)?;
            Ok(row.as_ref().map(attempt_row))
        })
    }

    fn next_seq(&self) -> Result<u64, StoreError> {
        let pool = self.pool.clone();
        self.wait(async move {
            let client = pool.get().await.map_err(failure)?;
            let row = client
                .query_one("SELECT nextval('outbox_id_seq')", &[])
                .await
                .map_err(failure)?;
            Ok(row.get::<_, i64>(0) as u64)
        })
    }

    fn reset(&self, app_id: &str) -> Result<(), StoreError> {
        let (pool, app_id) = (self.pool.clone(), app_id.to_string());
        self.wait(async move {
            let mut client = pool.get().await.map_err(failure)?;
            let tx = client.transaction().await.map_err(failure)?;
            for table in ["outbox", "callback_attempts"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE app_id = $1"),
                    &[&app_id],
                )
                .await
                .map_err(failure)?;
            }
            tx.commit().await.map_err(failure)
        })
    }
}
