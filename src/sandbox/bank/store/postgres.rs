//! The PostgreSQL store (`--store postgres://…`): any number of sandbank processes over one database.
//! Each process keeps the apps' state in memory as a cache, tagged with the app's version. A
//! transaction takes the app's advisory lock in the database (processes take turns on one app; a
//! reused UNIQUEID sent to two processes at once still moves money once), reads the app's version,
//! catches up on the rows other processes wrote since (or loads the app whole when its copy is too
//! old, or catching up fails), runs, and writes the rows it changed with the next version before the
//! answer goes out (`locked.rs`). A request on a copy the database confirms current runs without the
//! transaction, and takes the lock only if it writes (`current.rs`). The requests of this process
//! that queue for one app share a transaction and its commit (`group.rs`); the heads and log entries
//! of concurrent requests share statements on one connection (`line.rs`, `batches.rs`). A request
//! served through the gateway awaits the database instead of holding a thread where it can: its
//! app's head is read ahead and its group's commit awaited after its handler (`serve`). A database
//! that does not answer makes the request answer 503; the next request reconnects.

use std::{
    collections::HashMap,
    future::Future,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex, MutexGuard,
    },
};

use deadpool_postgres::Pool;

use clock::{adopt_clock, clock_text, REAL};

use crate::sandbox::{
    bank::store::{
        at_least_once, outcome, shared_callbacks::SharedCallbacks, AppState, Effects, Later,
        LoggedRow, Named, RowCodec, Seeder, Serving, Shelving, Store, StoreError, SHELF_BYTES,
    },
    gateway::apps::{App, KeptApp},
};

mod apps;
mod batches;
mod bridge;
mod clock;
mod current;
mod group;
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
    /// A transaction left open for the requests queued on the app, `state` holding its rows.
    open: Option<group::Group>,
}

/// One app's place in this process: its copy, and whether its next request may try the copy.
struct Slot {
    cached: Mutex<Cached>,
    /// What `cached.current_from()` said when its last request ended, read without its lock.
    current_from: AtomicU64,
    /// Requests of this process waiting for their turn on the app.
    queued: AtomicUsize,
}

impl Default for Slot {
    fn default() -> Self {
        Self {
            cached: Mutex::default(),
            current_from: AtomicU64::new(u64::MAX),
            queued: AtomicUsize::new(0),
        }
    }
}

impl Slot {
    /// Whether the app's next request may run on the copy (`Cached::may_run_current`), as far as
    /// can be told without its lock: worth reading the app's head for.
    fn reads_current(&self) -> bool {
        current::since_epoch(std::time::Instant::now()) >= self.current_from.load(Ordering::Relaxed)
    }
}

/// The PostgreSQL store: a pool of connections, and the apps' state cached in memory by version.
pub struct PostgresStore {
    pool: Pool,
    /// The connection for each request's count and log entry.
    line: Arc<line::Line>,
    bridge: bridge::Bridge,
    apps: Mutex<HashMap<String, Arc<Slot>>>,
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
            line: Arc::new(line::Line::new(config, &runtime)),
            callbacks: Arc::new(outbox::PgCallbacks::new(pool.clone(), runtime)),
            pool,
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

    fn slot(&self, app_id: &str) -> Arc<Slot> {
        let mut apps = self.apps.lock().unwrap_or_else(|e| e.into_inner());
        apps.entry(app_id.to_string()).or_default().clone()
    }
}

fn lock(slot: &Mutex<Cached>) -> MutexGuard<'_, Cached> {
    slot.lock().unwrap_or_else(|e| e.into_inner())
}

const LOST: &str = "postgres: the shared commit was lost";

/// What the request a task serves (`serve`) has with the store: the head read ahead for its app,
/// and the commits of groups it joined, awaited before it answers.
#[derive(Default)]
struct InService {
    ahead: Option<(String, line::Head)>,
    owed: Vec<tokio::sync::oneshot::Receiver<group::Outcome>>,
}

tokio::task_local! {
    static SERVING: Arc<Mutex<InService>>;
}

fn in_service<T>(f: impl FnOnce(&mut InService) -> T) -> Option<T> {
    SERVING
        .try_with(|serving| f(&mut serving.lock().unwrap_or_else(|e| e.into_inner())))
        .ok()
}

/// Whether this task serves a request that awaits its commits (see `group.rs`).
fn serving() -> bool {
    in_service(|_| ()).is_some()
}

/// The head read ahead for `app_id` by the request this task serves, once.
fn read_ahead(app_id: &str) -> Option<line::Head> {
    in_service(|serving| match serving.ahead.take() {
        Some((read_for, head)) if read_for == app_id => Some(head),
        other => {
            serving.ahead = other;
            None
        }
    })
    .flatten()
}

/// Leaves a group's commit to the request's task to await.
fn owe(commit: tokio::sync::oneshot::Receiver<group::Outcome>) {
    in_service(|serving| serving.owed.push(commit));
}

/// The app's turn: at once when free, else waited for off the worker, like waiting on the database
/// (handing the worker on costs thread switches that a free lock need not pay).
fn turn(slot: &Mutex<Cached>) -> MutexGuard<'_, Cached> {
    match slot.try_lock() {
        Ok(cached) => cached,
        Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => bridge::wait(|| lock(slot)),
    }
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
        // The head is read before the app's turn is taken: the reads waiting for one app share a
        // statement (`batches.rs`) instead of each holding the turn through its own round trip.
        // Usually it was read ahead while the request's task awaited it (`serve`).
        let head = slot
            .reads_current()
            .then(|| read_ahead(&app.id).or_else(|| self.line.head(&app.id).ok()))
            .flatten();
        slot.queued.fetch_add(1, Ordering::SeqCst);
        let mut cached = turn(&slot.cached);
        slot.queued.fetch_sub(1, Ordering::SeqCst);
        let mut commit = None;
        let result = at_least_once(app, &self.seeder, f, |f| {
            if let Some(head) = head.filter(|_| cached.may_run_current()) {
                if let current::Tried::Done(effects) =
                    self.run_current(app, &mut cached, head, f)?
                {
                    return Ok(effects);
                }
            }
            let queued = slot.queued.load(Ordering::SeqCst) > 0;
            self.run_locked(app, &mut cached, f, queued, &mut commit)
        });
        if result.is_err() {
            // What is cached may hold what was not committed: read the database again next time.
            *cached = Cached::default();
        }
        slot.current_from
            .store(cached.current_from(), Ordering::Relaxed);
        drop(cached);
        // Left to a queued request to commit: answered once it has (by `serve`, when it serves).
        match commit {
            Some(group::Commit::Waited(commit)) => match bridge::wait(move || commit.recv()) {
                Ok(Ok(())) => result,
                Ok(Err(e)) => Err(StoreError(e)),
                Err(_) => Err(StoreError(LOST.into())),
            },
            Some(group::Commit::Awaited(commit)) => {
                owe(commit);
                result
            }
            None => result,
        }
    }

    fn reset(&self, app_id: &str) -> Result<(), StoreError> {
        let slot = self.slot(app_id);
        let mut cached = turn(&slot.cached);
        self.settle_open(&mut cached)?;
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
        let mut cached = turn(&slot.cached);
        self.settle_open(&mut cached)?;
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

    fn serve<'a>(&'a self, app_id: &'a str, request: Serving<'a>) -> Serving<'a> {
        if !bridge::awaits() {
            // Its transaction waits for the head and the commit itself.
            return request;
        }
        let slot = self.slot(app_id);
        let head = slot.reads_current().then(|| self.line.head_later(app_id));
        Box::pin(async move {
            let ahead = match head {
                Some(head) => head.await.ok().map(|head| (app_id.to_string(), head)),
                None => None,
            };
            let serving = Arc::new(Mutex::new(InService {
                ahead,
                owed: Vec::new(),
            }));
            SERVING.scope(serving.clone(), request).await;
            let owed = std::mem::take(&mut serving.lock().unwrap_or_else(|e| e.into_inner()).owed);
            for commit in owed {
                if let Err(e) = commit.await.unwrap_or_else(|_| Err(LOST.into())) {
                    // Inside the handlers' watch: the request answers 503.
                    outcome::failed(&StoreError(e));
                }
            }
        })
    }

    fn shares_logs(&self) -> bool {
        true
    }

    fn log_request(&self, app_id: &str, request: LoggedRow, capacity: usize) -> Later<Option<u64>> {
        let logged = self.line.log_request(app_id, request, capacity);
        Box::pin(async move { logged.await.map(Some).map_err(StoreError) })
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
        {
            let mut cached = turn(&slot.cached);
            self.settle_open(&mut cached)?;
            *cached = Cached::default();
        }
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
