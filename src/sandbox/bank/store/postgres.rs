//! The PostgreSQL store (`--store postgres://…`): any number of sandbank processes over one database.
//! Each process keeps the apps' state in memory as a cache, tagged with the app's version. A
//! transaction takes the app's advisory lock in the database (processes take turns on one app; a
//! reused UNIQUEID sent to two processes at once still moves money once), reads the app's version,
//! catches up on the rows other processes wrote since (or loads the app whole when its copy is too
//! old, or catching up fails), runs, and writes the rows it changed with the next version before the
//! answer goes out (`locked.rs`). A request on a copy the database confirms current runs without the
//! transaction, and takes the lock only if it writes (`current.rs`). A database that does not answer makes the
//! request answer 503; the next request reconnects.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex, MutexGuard},
};

use deadpool_postgres::Pool;

use clock::{adopt_clock, clock_text, REAL};

use crate::sandbox::{
    bank::store::{
        exactly_once, shared_callbacks::SharedCallbacks, AppState, Effects, LoggedRow, Named,
        RowCodec, Seeder, Shelving, Store, StoreError, SHELF_BYTES,
    },
    gateway::apps::{App, KeptApp},
};

mod apps;
mod bridge;
mod clock;
mod current;
mod housekeeping;
mod line;
mod loads;
mod locked;
mod outbox;
mod schema;
mod state;
mod write;

pub use loads::{loads, LoadCount};
pub use schema::{redacted, VERSION as SCHEMA_VERSION};

/// One app's cached state: `None` until loaded (or after a failed write).
#[derive(Default)]
struct Cached {
    state: Option<AppState>,
    /// The version `state` is at.
    version: i64,
    /// The clock setting as last read or written.
    clock: Option<String>,
    /// The last request on the copy only read.
    last_read: bool,
    /// When the copy last caught up with another process's write.
    foreign_at: Option<std::time::Instant>,
}

/// The PostgreSQL store: a pool of connections, and the apps' state cached in memory by version.
pub struct PostgresStore {
    pool: Pool,
    /// The connection for each request's count and log entry.
    line: Arc<line::Line>,
    bridge: bridge::Bridge,
    apps: Mutex<HashMap<String, Arc<Mutex<Cached>>>>,
    seeder: Seeder,
    codecs: Vec<RowCodec>,
    object_limit: usize,
    /// `--app-idle-expiry-hours`, in seconds: an app another process used since is not forgotten.
    idle_secs: Option<f64>,
    /// The outbox and the callback log, shared with the dispatcher.
    callbacks: Arc<outbox::PgCallbacks>,
    loads: Arc<loads::Loads>,
}

impl PostgresStore {
    /// Connects to `url` and migrates its schema; the message says why when it cannot.
    pub fn open(
        url: &str,
        seeder: Seeder,
        codecs: Vec<RowCodec>,
        object_limit: usize,
        idle: Option<std::time::Duration>,
    ) -> Result<Self, String> {
        let bridge = bridge::Bridge::new().map_err(|e| format!("cannot start: {e}"))?;
        let pool = bridge
            .run(schema::open(url.to_string()))
            .ok_or("the connection task failed")??;
        // The URL parsed when the pool was made.
        let config = url.parse().map_err(|e| format!("{e}"))?;
        let runtime = bridge
            .run(async { tokio::runtime::Handle::current() })
            .ok_or("the connection task failed")?;
        Ok(Self {
            callbacks: Arc::new(outbox::PgCallbacks::new(pool.clone(), runtime)),
            pool,
            line: Arc::new(line::Line::new(config)),
            bridge,
            apps: Mutex::new(HashMap::new()),
            seeder,
            codecs,
            object_limit,
            idle_secs: idle.map(|idle| idle.as_secs_f64()),
            loads: loads::register(url),
        })
    }

    /// Runs database work on the store's runtime and waits for it.
    fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, String>> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.bridge
            .run(work)
            .unwrap_or_else(|| Err("postgres: the database task failed".into()))
            .map_err(StoreError)
    }

    fn slot(&self, app_id: &str) -> Arc<Mutex<Cached>> {
        let mut apps = self.apps.lock().unwrap_or_else(|e| e.into_inner());
        apps.entry(app_id.to_string()).or_default().clone()
    }
}

fn lock(slot: &Mutex<Cached>) -> MutexGuard<'_, Cached> {
    slot.lock().unwrap_or_else(|e| e.into_inner())
}

impl Store for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn transact(
        &self,
        app: &App,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
    ) -> Result<Effects, StoreError> {
        let slot = self.slot(&app.id);
        // Waiting for the app's turn in this process leaves the worker, like waiting on the database.
        let mut cached = bridge::wait(|| lock(&slot));
        let result = exactly_once(app, &self.seeder, f, |f| {
            if cached.may_run_current() {
                if let current::Tried::Done(effects) = self.run_current(app, &mut cached, f)? {
                    return Ok(effects);
                }
            }
            self.run_locked(app, &mut cached, f)
        });
        if result.is_err() {
            // What is cached may hold what was not committed: read the database again next time.
            *cached = Cached::default();
        }
        result
    }

    fn reset(&self, app_id: &str) -> Result<(), StoreError> {
        let slot = self.slot(app_id);
        let mut cached = bridge::wait(|| lock(&slot));
        *cached = Cached::default();
        self.run(housekeeping::reset(
            self.pool.clone(),
            app_id.to_string(),
            clock_text(&REAL),
        ))?;
        // In step with the clock it wrote, so that a clock set through another process since is
        // taken (not written over with real time).
        cached.clock = Some(clock_text(&REAL));
        Ok(())
    }

    fn restore_clock(&self, app: &App) -> Result<(), StoreError> {
        let slot = self.slot(&app.id);
        let mut cached = bridge::wait(|| lock(&slot));
        let committed = self.run(housekeeping::clock(self.pool.clone(), app.id.clone()))?;
        // As if in step with the database, so that what it holds is taken.
        cached.clock = Some(clock_text(&app.clock.setting()));
        adopt_clock(app, &mut cached, committed);
        Ok(())
    }

    fn retain_apps(&self, kept: &[String]) -> Result<(), StoreError> {
        self.run(housekeeping::retain(self.pool.clone(), kept.to_vec()))
    }

    fn keep_app(&self, app: &KeptApp) -> Result<(), StoreError> {
        self.run(apps::keep(self.pool.clone(), app.clone()))
    }

    fn kept_apps(&self) -> Result<Vec<KeptApp>, StoreError> {
        self.run(apps::kept(self.pool.clone()))
    }

    fn kept_app(&self, named: Named, credential: &str) -> Result<Option<KeptApp>, StoreError> {
        self.run(apps::named(
            self.pool.clone(),
            named,
            credential.to_string(),
        ))
    }

    fn next_app_number(&self) -> Result<Option<u64>, StoreError> {
        self.run(apps::next_number(self.pool.clone())).map(Some)
    }

    fn count_call(
        &self,
        app_id: &str,
        day: u32,
        limit: u32,
    ) -> Result<Option<Option<u32>>, StoreError> {
        let (line, app_id) = (self.line.clone(), app_id.to_string());
        self.run(async move { line.count_call(&app_id, day, limit).await })
            .map(Some)
    }

    fn calls_on(&self, app_id: &str, day: u32) -> Result<Option<u32>, StoreError> {
        let (line, app_id) = (self.line.clone(), app_id.to_string());
        self.run(async move { line.calls_on(&app_id, day).await })
            .map(Some)
    }

    fn shares_logs(&self) -> bool {
        true
    }

    fn log_request(
        &self,
        app_id: &str,
        request: &LoggedRow,
        capacity: usize,
    ) -> Result<Option<u64>, StoreError> {
        let (line, app_id, request) = (self.line.clone(), app_id.to_string(), request.clone());
        self.run(async move { line.log_request(&app_id, &request, capacity).await })
            .map(Some)
    }

    fn logged_requests(&self, app_id: &str) -> Result<Option<Vec<LoggedRow>>, StoreError> {
        let (line, app_id) = (self.line.clone(), app_id.to_string());
        self.run(async move { line.logged_requests(&app_id).await })
            .map(Some)
    }

    fn signing_secret(&self) -> Result<Option<String>, StoreError> {
        let candidate = crate::sandbox::gateway::apps::new_secret("sbj_");
        self.run(housekeeping::signing_secret(self.pool.clone(), candidate))
            .map(Some)
    }

    fn shared_callbacks(&self) -> Option<Arc<dyn SharedCallbacks>> {
        Some(self.callbacks.clone())
    }

    fn check(&self) -> Result<(), StoreError> {
        let pool = self.pool.clone();
        self.run(async move {
            let client = pool.get().await.map_err(state::failure)?;
            // The table every transaction uses, so that a schema gone wrong fails the check too.
            client
                .simple_query("SELECT count(*) FROM (SELECT 1 FROM app_rows LIMIT 1) AS probe")
                .await
                .map(|_| ())
                .map_err(state::failure)
        })
    }

    fn app_ids(&self) -> Vec<String> {
        let apps = self.apps.lock().unwrap_or_else(|e| e.into_inner());
        apps.keys().cloned().collect()
    }

    fn shelve(&self, app_id: &str, id: &str, document: Arc<str>) -> Result<(), Shelving> {
        if document.len() > SHELF_BYTES {
            return Err(Shelving::TooLarge(document.len()));
        }
        self.run(housekeeping::shelve(
            self.pool.clone(),
            app_id.to_string(),
            id.to_string(),
            document.to_string(),
        ))
        .map_err(Shelving::Store)
    }

    fn shelved(&self, app_id: &str, id: &str) -> Result<Option<Arc<str>>, StoreError> {
        self.run(housekeeping::shelved(
            self.pool.clone(),
            app_id.to_string(),
            id.to_string(),
        ))
        .map(|document| document.map(Arc::from))
    }

    fn forget(&self, app_id: &str) -> Result<(), StoreError> {
        let slot = self.slot(app_id);
        *bridge::wait(|| lock(&slot)) = Cached::default();
        self.apps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(app_id);
        // Its callbacks go with it when it goes (the outbox and their log are among its tables).
        self.run(housekeeping::forget(
            self.pool.clone(),
            app_id.to_string(),
            self.idle_secs,
        ))?;
        Ok(())
    }
}
