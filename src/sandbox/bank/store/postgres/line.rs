//! The quick line: one connection, shared by every request of this process, for the small writes
//! each request makes besides its transaction (its count against the plan, its request-log entry),
//! their reads, and the app's head that a read checks its copy against. tokio-postgres pipelines what concurrent callers send on one connection, so a
//! burst of requests costs a few round trips, not one each, and no pool checkout. The session runs
//! with `synchronous_commit` off: a database crash may forget the last few counts or log entries,
//! never money or an acknowledged state write (those go through the pool, durably).

use std::sync::{Arc, Mutex};

use tokio_postgres::{types::ToSql, Client, NoTls, Statement};

use crate::sandbox::bank::store::{postgres::state::failure, LoggedRow};

const COUNT: &str = "INSERT INTO app_calls (app_id, day, calls) VALUES ($1, $2, 1) \
     ON CONFLICT (app_id, day) DO UPDATE SET calls = app_calls.calls + 1 \
     WHERE app_calls.calls < $3 RETURNING calls";

const CALLS: &str = "SELECT calls FROM app_calls WHERE app_id = $1 AND day = $2";

/// Numbers the entry after the app's last, keeps it, and drops those past the capacity ($6).
const LOG: &str = "WITH numbered AS (INSERT INTO request_log_ids (app_id, last) VALUES ($1, 1) \
     ON CONFLICT (app_id) DO UPDATE SET last = request_log_ids.last + 1 RETURNING last), \
     kept AS (INSERT INTO request_log (app_id, id, scope, path, status, entry) \
     SELECT $1, last, $2, $3, $4, $5 FROM numbered RETURNING id), \
     dropped AS (DELETE FROM request_log WHERE app_id = $1 \
     AND id <= (SELECT id FROM kept) - $6) \
     SELECT id FROM kept";

/// An app's committed version, clock setting and whether it is enabled (as `state::begin` reads
/// them, without its lock).
const HEAD: &str = "SELECT v.version, v.clock, (SELECT enabled FROM apps WHERE id = $1) \
     FROM (SELECT 1) AS one LEFT JOIN app_versions AS v ON v.app_id = $1";

const LOGGED: &str = "SELECT id, scope, path, status, entry FROM request_log \
     WHERE app_id = $1 ORDER BY id DESC";

/// The connection with its statements prepared.
struct Connected {
    client: Client,
    count: Statement,
    calls: Statement,
    log: Statement,
    logged: Statement,
    head: Statement,
}

/// What an app's committed head says, read without its lock.
pub struct Head {
    /// Its version (0: it never wrote).
    pub version: i64,
    pub clock: Option<String>,
    /// Whether the `apps` table has it enabled (`None`: not there, as the demo app).
    pub enabled: Option<bool>,
}

/// The quick line: connected on first use, and again after the connection is lost.
pub struct Line {
    config: tokio_postgres::Config,
    connected: Mutex<Option<Arc<Connected>>>,
}

impl Line {
    pub fn new(config: tokio_postgres::Config) -> Self {
        Self {
            config,
            connected: Mutex::new(None),
        }
    }

    /// The live connection, connecting when there is none. Two callers racing to connect may both
    /// connect; the later one's connection is kept and the other's closes when its users are done.
    async fn connected(&self) -> Result<Arc<Connected>, String> {
        if let Some(live) = self.live() {
            return Ok(live);
        }
        let (client, connection) = self.config.connect(NoTls).await.map_err(failure)?;
        tokio::spawn(async move {
            // Ends when the connection closes; a lost one is noticed by the next caller.
            let _ = connection.await;
        });
        client
            .batch_execute("SET synchronous_commit TO off")
            .await
            .map_err(failure)?;
        let (count, calls, log, logged, head) = futures_util::try_join!(
            client.prepare(COUNT),
            client.prepare(CALLS),
            client.prepare(LOG),
            client.prepare(LOGGED),
            client.prepare(HEAD),
        )
        .map_err(failure)?;
        let connected = Arc::new(Connected {
            client,
            count,
            calls,
            log,
            logged,
            head,
        });
        *self.slot() = Some(connected.clone());
        Ok(connected)
    }

    fn live(&self) -> Option<Arc<Connected>> {
        let slot = self.slot();
        slot.as_ref()
            .filter(|connected| !connected.client.is_closed())
            .cloned()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Arc<Connected>>> {
        self.connected.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts one call of `app_id` on `day` unless `limit` calls were counted: the day's count with
    /// it, or `None` when refused.
    pub async fn count_call(
        &self,
        app_id: &str,
        day: u32,
        limit: u32,
    ) -> Result<Option<u32>, String> {
        let line = self.connected().await?;
        let (day, limit) = (day as i32, limit as i32);
        let counted = line
            .client
            .query_opt(&line.count, &[&app_id, &day, &limit])
            .await
            .map_err(failure)?;
        Ok(counted.map(|row| row.get::<_, i32>(0) as u32))
    }

    /// `app_id`'s committed head: what a request that only reads checks its copy against.
    pub async fn head(&self, app_id: &str) -> Result<Head, String> {
        let line = self.connected().await?;
        let row = line
            .client
            .query_one(&line.head, &[&app_id])
            .await
            .map_err(failure)?;
        Ok(Head {
            version: row.get::<_, Option<i64>>(0).unwrap_or(0),
            clock: row.get(1),
            enabled: row.get(2),
        })
    }

    /// The calls of `app_id` counted on `day`.
    pub async fn calls_on(&self, app_id: &str, day: u32) -> Result<u32, String> {
        let line = self.connected().await?;
        let row = line
            .client
            .query_opt(&line.calls, &[&app_id, &(day as i32)])
            .await
            .map_err(failure)?;
        Ok(row.map_or(0, |row| row.get::<_, i32>(0) as u32))
    }

    /// Keeps one request in `app_id`'s log, numbered after its last, and drops those past
    /// `capacity`: its number.
    pub async fn log_request(
        &self,
        app_id: &str,
        request: &LoggedRow,
        capacity: usize,
    ) -> Result<u64, String> {
        let line = self.connected().await?;
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
        let kept = line
            .client
            .query_opt(&line.log, &params)
            .await
            .map_err(failure)?
            .ok_or("postgres: the request log kept nothing")?;
        Ok(kept.get::<_, i64>(0) as u64)
    }

    /// `app_id`'s logged requests, newest first. On the same connection as the entries are written,
    /// so this process's last entry is always among them.
    pub async fn logged_requests(&self, app_id: &str) -> Result<Vec<LoggedRow>, String> {
        let line = self.connected().await?;
        let rows = line
            .client
            .query(&line.logged, &[&app_id])
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
}
