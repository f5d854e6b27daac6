//! The quick line: one connection, shared by every request of this process, for the small writes
//! each request makes besides its transaction (its count against the plan, its request-log entry),
//! their reads, and the app's head that a read checks its copy against. tokio-postgres pipelines
//! what concurrent callers send on one connection, and the heads and log entries asked for at once
//! go as one statement (`batches.rs`), so a burst of requests costs a few statements, not one or
//! two each, and no pool checkout. The session runs
//! with `synchronous_commit` off: a database crash may forget the last few counts or log entries,
//! never money or an acknowledged state write (those go through the pool, durably).

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
};

use tokio::{runtime::Handle, sync::mpsc};
use tokio_postgres::{Client, NoTls, Statement};

use crate::sandbox::bank::store::{
    postgres::{
        batches::{self, Ask, Reply},
        bridge,
        state::failure,
    },
    LoggedRow,
};

const COUNT: &str = "INSERT INTO app_calls (app_id, day, calls) VALUES ($1, $2, 1) \
     ON CONFLICT (app_id, day) DO UPDATE SET calls = app_calls.calls + 1 \
     WHERE app_calls.calls < $3 RETURNING calls";

const CALLS: &str = "SELECT calls FROM app_calls WHERE app_id = $1 AND day = $2";

/// Numbers a batch of one app's entries ($2 of them) after its last, keeps the last $7 of them, and
/// drops the entries this batch pushed past that capacity: the batch's last number. The drop names
/// its range from both ends, so its index scan starts there instead of walking the app's dropped
/// entries that vacuum has not yet cleared.
const LOG: &str = "WITH numbered AS (INSERT INTO request_log_ids (app_id, last) VALUES ($1, $2) \
     ON CONFLICT (app_id) DO UPDATE SET last = request_log_ids.last + $2 RETURNING last), \
     kept AS (INSERT INTO request_log (app_id, id, scope, path, status, entry) \
     SELECT $1, numbered.last - $2 + e.n, e.scope, e.path, e.status, e.entry FROM numbered, \
     unnest($3::text[], $4::text[], $5::int4[], $6::text[]) WITH ORDINALITY \
     AS e(scope, path, status, entry, n) WHERE e.n > $2 - $7), \
     dropped AS (DELETE FROM request_log WHERE app_id = $1 \
     AND id > (SELECT last FROM numbered) - $2 - $7 AND id <= (SELECT last FROM numbered) - $7) \
     SELECT last FROM numbered";

/// Apps' committed versions, clock settings and whether they are enabled (as `state::begin` reads
/// them, without their locks).
const HEADS: &str =
    "SELECT a.id, v.version, v.clock, apps.enabled FROM unnest($1::text[]) AS a(id) \
     LEFT JOIN app_versions AS v ON v.app_id = a.id LEFT JOIN apps ON apps.id = a.id";

const CLOSED: &str = "postgres: the store is closing";

const LOGGED: &str = "SELECT id, scope, path, status, entry FROM request_log \
     WHERE app_id = $1 ORDER BY id DESC";

/// The connection with its statements prepared.
pub(super) struct Connected {
    pub(super) client: Client,
    count: Statement,
    calls: Statement,
    pub(super) log: Statement,
    logged: Statement,
    pub(super) heads: Statement,
}

/// What an app's committed head says, read without its lock.
pub struct Head {
    /// Its version (0: it never wrote).
    pub version: i64,
    pub clock: Option<String>,
    /// Whether the `apps` table has it enabled (`None`: not there, as the demo app).
    pub enabled: Option<bool>,
}

/// The quick line: its connection, and the batches gathered for it.
pub struct Line {
    connector: Arc<Connector>,
    asks: mpsc::UnboundedSender<Ask>,
}

/// The line's connection: connected on first use, and again after the connection is lost.
pub(super) struct Connector {
    config: tokio_postgres::Config,
    connected: Mutex<Option<Arc<Connected>>>,
}

impl Line {
    /// The line, its batches sent by a task on `runtime` (ending with the line).
    pub fn new(config: tokio_postgres::Config, runtime: &Handle) -> Self {
        let connector = Arc::new(Connector {
            config,
            connected: Mutex::new(None),
        });
        let (asks, asked) = mpsc::unbounded_channel();
        runtime.spawn(batches::serve(connector.clone(), asked));
        Self { connector, asks }
    }

    /// Sends the ask `make` builds to the next batch and waits for its answer.
    fn ask_waited<T: Send + 'static>(
        &self,
        make: impl FnOnce(Reply<T>) -> Ask,
    ) -> Result<T, String> {
        let (reply, answer) = Reply::waited();
        if self.asks.send(make(reply)).is_err() {
            return Err(CLOSED.into());
        }
        batches::wait(answer)
    }

    /// Sends the ask `make` builds to the next batch now; its answer for a task to await.
    fn ask_awaited<T: Send + 'static>(
        &self,
        make: impl FnOnce(Reply<T>) -> Ask,
    ) -> impl Future<Output = Result<T, String>> + Send + 'static {
        let (reply, answer) = Reply::awaited();
        let asked = self.asks.send(make(reply)).is_ok();
        async move {
            if !asked {
                return Err(CLOSED.into());
            }
            batches::answered(answer).await
        }
    }
}

impl Connector {
    /// The live connection, connecting when there is none. Two callers racing to connect may both
    /// connect; the later one's connection is kept and the other's closes when its users are done.
    pub(super) async fn connected(&self) -> Result<Arc<Connected>, String> {
        if let Some(live) = self.live() {
            return Ok(live);
        }
        let (client, connection) = self.config.connect(NoTls).await.map_err(failure)?;
        tokio::spawn(async move {
            // Ends when the connection closes; a lost one is noticed by the next caller.
            let _ = connection.await;
        });
        // Its statements take arrays whose sizes vary: planned once, not for each batch.
        client
            .batch_execute(
                "SET synchronous_commit TO off; SET plan_cache_mode TO force_generic_plan",
            )
            .await
            .map_err(failure)?;
        let (count, calls, log, logged, heads) = futures_util::try_join!(
            client.prepare(COUNT),
            client.prepare(CALLS),
            client.prepare(LOG),
            client.prepare(LOGGED),
            client.prepare(HEADS),
        )
        .map_err(failure)?;
        let connected = Arc::new(Connected {
            client,
            count,
            calls,
            log,
            logged,
            heads,
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
}

impl Line {
    /// Counts one call of `app_id` on `day` unless `limit` calls were counted: the day's count with
    /// it, or `None` when refused.
    pub async fn count_call(
        &self,
        app_id: &str,
        day: u32,
        limit: u32,
    ) -> Result<Option<u32>, String> {
        let line = self.connector.connected().await?;
        let (day, limit) = (day as i32, limit as i32);
        let counted = line
            .client
            .query_opt(&line.count, &[&app_id, &day, &limit])
            .await
            .map_err(failure)?;
        Ok(counted.map(|row| row.get::<_, i32>(0) as u32))
    }

    /// `app_id`'s committed head, read by a statement sent after this was asked: what a request
    /// that only reads checks its copy against. Waits for it.
    pub fn head(&self, app_id: &str) -> Result<Head, String> {
        let app_id = app_id.to_string();
        self.ask_waited(|reply| Ask::Head { app_id, reply })
    }

    /// [`Self::head`] for a task to await: asked now, read by a statement sent after this.
    pub fn head_later(&self, app_id: &str) -> impl Future<Output = Result<Head, String>> + Send {
        let app_id = app_id.to_string();
        self.ask_awaited(|reply| Ask::Head { app_id, reply })
    }

    /// The calls of `app_id` counted on `day`.
    pub async fn calls_on(&self, app_id: &str, day: u32) -> Result<u32, String> {
        let line = self.connector.connected().await?;
        let row = line
            .client
            .query_opt(&line.calls, &[&app_id, &(day as i32)])
            .await
            .map_err(failure)?;
        Ok(row.map_or(0, |row| row.get::<_, i32>(0) as u32))
    }

    /// Keeps one request in `app_id`'s log, numbered after its last, and drops those past
    /// `capacity`: its number, once its batch is written; awaited where the caller's runtime
    /// allows (`bridge::awaits`), else waited for before this returns.
    pub fn log_request(
        &self,
        app_id: &str,
        request: LoggedRow,
        capacity: usize,
    ) -> Pin<Box<dyn Future<Output = Result<u64, String>> + Send>> {
        let ask = |reply| Ask::Log {
            app_id: app_id.to_string(),
            row: request,
            capacity,
            reply,
        };
        if bridge::awaits() {
            Box::pin(self.ask_awaited(ask))
        } else {
            Box::pin(std::future::ready(self.ask_waited(ask)))
        }
    }

    /// `app_id`'s logged requests, newest first. On the same connection as the entries are written,
    /// so this process's last entry is always among them.
    pub async fn logged_requests(&self, app_id: &str) -> Result<Vec<LoggedRow>, String> {
        let line = self.connector.connected().await?;
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
