//! Per-app state behind one narrow interface. Families never hold state of their own: they run a
//! transaction on the calling app's [`AppState`] — its ledger plus one typed slot per family — through
//! [`Store`], and the store makes each transaction atomic (so a reused UNIQUEID sent by many requests at
//! once still moves money once).
//!
//! The in-memory store ([`memory`]) is the embedded default. The SQLite store ([`sqlite`], `--store
//! sqlite:PATH`) keeps the same in-memory state as a cache and writes each transaction's changed rows
//! ([`crate::sandbox::bank::rows`]) before the answer goes out; a store that could not commit says so
//! ([`StoreError`]) and the request answers 503 ([`outcome`]).

use std::{any::Any, collections::BTreeMap, sync::Arc};

use chrono::{DateTime, Utc};

use crate::sandbox::{
    bank::ledger::Ledger,
    gateway::apps::{App, KeptApp},
};

pub use crate::sandbox::bank::bounded::{Bounded, Full, Settled, OBJECT_BOUND};
pub use memory::InMemoryStore;
pub use shelf::{Shelf, SHELF_BYTES, SHELF_SNAPSHOTS};

use crate::sandbox::bank::rows::Collection;

mod memory;
pub mod outcome;
mod rows;
pub mod shared_callbacks;
mod shelf;

pub use rows::RowCodec;
pub mod postgres;
pub mod sqlite;

/// The default bound on objects per app.
pub const DEFAULT_OBJECT_LIMIT: usize = 100_000;

/// A callback the sandbox owes a partner, collected during a transaction and sent after it commits.
#[derive(Debug, Clone)]
pub struct Callback {
    /// What it is (`upi-collect`, `ecollection-mis`, ...), shown at `GET /sandbox/callbacks`.
    pub kind: &'static str,
    /// Where to POST it; `None` means the app's callback URL.
    pub url: Option<String>,
    /// What is POSTed (before signing or sealing).
    pub body: serde_json::Value,
    /// Which object it is about, so the family can record the partner's answer.
    pub reference: String,
}

/// What a transaction asks the world to do once it has committed.
#[derive(Debug, Default)]
pub struct Effects {
    /// The callbacks owed, in the order they were made.
    pub callbacks: Vec<Callback>,
}

/// A family's slice of an app's state.
pub trait Family: Any + Send {
    /// Moves pending work along once the app's clock has reached `now` (NEFT batches, collect
    /// expiries, interest, dues). Called before every transaction and by the background ticker.
    fn advance(&mut self, _ctx: &mut Ctx<'_>) {}

    /// Calls `f` on each collection the family keeps row by row, by name (a database store writes
    /// their changed objects; see [`crate::sandbox::bank::rows`]).
    fn visit_collections(&mut self, _f: &mut dyn FnMut(&'static str, &mut dyn Collection)) {}

    /// The family as `Any`, to reach its concrete type.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// What a family works with inside a transaction.
pub struct Ctx<'a> {
    /// The calling app.
    pub app: &'a App,
    /// The app's clock, read once for the transaction.
    pub now: DateTime<Utc>,
    /// The app's accounts and entries.
    pub ledger: &'a mut Ledger,
    /// What the transaction owes once committed.
    pub effects: &'a mut Effects,
    /// The bound to pass to [`Bounded::new`].
    pub object_limit: usize,
}

impl<'a> Ctx<'a> {
    /// A transaction's context, at the app's clock's now.
    fn new(
        app: &'a App,
        ledger: &'a mut Ledger,
        effects: &'a mut Effects,
        object_limit: usize,
    ) -> Self {
        Self {
            app,
            now: app.clock.now(),
            ledger,
            effects,
            object_limit,
        }
    }
}

/// One app's state.
pub struct AppState {
    /// The app's accounts and entries.
    pub ledger: Ledger,
    /// By type name, so that families settle due work in the same order on every machine and run
    /// (a `HashMap`'s random order numbered ledger entries differently when two settled at once).
    families: BTreeMap<&'static str, Box<dyn Family>>,
    object_limit: usize,
    /// Whether a store must write this state whole (it was seeded or put in place from a snapshot)
    /// rather than the rows a transaction changed.
    whole: bool,
    /// Each family's header row as last written, so that an unchanged one is not written again.
    headers: BTreeMap<&'static str, String>,
    /// Whether the ledger and the families' collections note what changes (see
    /// [`AppState::stop_tracking`]).
    tracking: bool,
}

impl AppState {
    /// A state with `ledger` and no family's slot yet.
    pub fn new(ledger: Ledger, object_limit: usize) -> Self {
        Self {
            ledger,
            families: BTreeMap::new(),
            object_limit,
            whole: true,
            headers: BTreeMap::new(),
            tracking: true,
        }
    }

    /// Runs `f` on family `T`'s slot (created empty on first use) with the ledger beside it.
    pub fn with_family<T, R>(
        &mut self,
        app: &App,
        effects: &mut Effects,
        create: impl FnOnce(usize) -> T,
        f: impl FnOnce(&mut T, &mut Ctx<'_>) -> R,
    ) -> R
    where
        T: Family,
    {
        let limit = self.object_limit;
        let tracking = self.tracking;
        let slot = self
            .families
            .entry(std::any::type_name::<T>())
            .or_insert_with(|| {
                let mut family: Box<dyn Family> = Box::new(create(limit));
                if !tracking {
                    rows::stop_tracking(&mut *family);
                }
                family
            });
        let family = slot
            .as_any_mut()
            .downcast_mut::<T>()
            .expect("slot holds its own type");
        f(family, &mut Ctx::new(app, &mut self.ledger, effects, limit))
    }

    /// The families the app has used, by type name.
    pub fn families(&self) -> impl Iterator<Item = (&'static str, &dyn Family)> {
        self.families
            .iter()
            .map(|(name, family)| (*name, &**family))
    }

    /// Puts a family's state in place (a snapshot's).
    pub fn put_family(&mut self, type_name: &'static str, family: Box<dyn Family>) {
        self.families.insert(type_name, family);
    }

    /// Lets every family settle what is due.
    pub(crate) fn advance(&mut self, app: &App, effects: &mut Effects) {
        let mut ctx = Ctx::new(app, &mut self.ledger, effects, self.object_limit);
        for family in self.families.values_mut() {
            family.advance(&mut ctx);
        }
    }
}

/// Which store keeps the apps' state (`--store`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum StoreChoice {
    /// This process's memory: nothing survives a restart (the default).
    #[default]
    Memory,
    /// A SQLite database file.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL database (its URL), shared by any number of sandbank processes.
    Postgres(String),
}

impl std::str::FromStr for StoreChoice {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        if raw == "memory" {
            return Ok(StoreChoice::Memory);
        }
        if let Some(path) = raw.strip_prefix("sqlite:") {
            if path.is_empty() {
                return Err("`sqlite:` needs a file path: sqlite:PATH".into());
            }
            return Ok(StoreChoice::Sqlite(path.into()));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(StoreChoice::Postgres(raw.into()));
        }
        Err(format!(
            "`{raw}` is not a store: use memory (the default), sqlite:PATH or postgres://…"
        ))
    }
}

/// A store that could not read or commit an app's state (its database is unusable). Nothing of the
/// transaction was kept; the request answers 503.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The one interface families reach state through.
pub trait Store: Send + Sync {
    /// `memory`, `sqlite` or `postgres`, as the start-up log line reports it.
    fn kind(&self) -> &'static str;

    /// Whether a transaction can fail to commit (a database that does not answer): the requests of
    /// a store that cannot skip the failure watch ([`outcome::Watched`]).
    fn may_fail(&self) -> bool {
        true
    }

    /// Runs `f` atomically on `app`'s state, after letting due work settle; returns the effects to
    /// perform once committed. `f` runs at least once even when the store fails, but then nothing
    /// it did is kept (`Err`). It runs again, on the committed state, when its first run turns out
    /// to have raced another process's write: only the last run is kept, so `f` touches nothing but
    /// what it is given. Never call it while holding another lock, nor across an `.await`.
    fn transact(
        &self,
        app: &App,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
    ) -> Result<Effects, StoreError>;

    /// Forgets everything `app` created: its next transaction starts from the fixtures again.
    fn reset(&self, app_id: &str) -> Result<(), StoreError>;

    /// Puts back the clock setting the store kept for `app` (at start-up).
    fn restore_clock(&self, _app: &App) -> Result<(), StoreError> {
        Ok(())
    }

    /// Forgets the state of every app but `kept` (at start-up: the demo app and the apps the store
    /// kept; what else it holds is stale, and a new app must never find it).
    fn retain_apps(&self, _kept: &[String]) -> Result<(), StoreError> {
        Ok(())
    }

    /// Keeps a created app's settings (on creation, and whenever they change) so that it outlives a
    /// restart; a store that keeps nothing across restarts keeps nothing.
    fn keep_app(&self, _app: &KeptApp) -> Result<(), StoreError> {
        Ok(())
    }

    /// The created apps the store kept, to register at start-up.
    fn kept_apps(&self) -> Result<Vec<KeptApp>, StoreError> {
        Ok(Vec::new())
    }

    /// The created app a store kept that `credential` names, for a process that does not know it yet
    /// (another process sharing the database created it).
    fn kept_app(&self, _named: Named, _credential: &str) -> Result<Option<KeptApp>, StoreError> {
        Ok(None)
    }

    /// The number of the next created app, when processes sharing the store must not give out the
    /// same one; `None`: this process counts.
    fn next_app_number(&self) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }

    /// Counts one business call of `app_id` on `day` (see [`crate::sandbox::gateway::quota`]) when
    /// the store keeps the count (across restarts, and for every process sharing it): `Some(Some(calls))` admitted, the day's
    /// count with it; `Some(None)` refused (the day's `limit` is spent); `None`: this process counts.
    fn count_call(
        &self,
        _app_id: &str,
        _day: u32,
        _limit: u32,
    ) -> Result<Option<Option<u32>>, StoreError> {
        Ok(None)
    }

    /// The calls of `app_id` counted on `day` by [`Store::count_call`]; `None`: this process counts.
    fn calls_on(&self, _app_id: &str, _day: u32) -> Result<Option<u32>, StoreError> {
        Ok(None)
    }

    /// Runs `request`, one request of `app_id`'s that is about to call the store on this task. A
    /// store that checks its copy against a shared database reads ahead here what the request's
    /// transaction will check, awaiting it instead of holding a thread.
    fn serve<'a>(&'a self, _app_id: &'a str, request: Serving<'a>) -> Serving<'a> {
        request
    }

    /// Whether the request log lives in the store ([`Store::log_request`]).
    fn shares_logs(&self) -> bool {
        false
    }

    /// Keeps one request of `app_id`'s in the store's log, which outlives a restart and which every
    /// process sharing the store reads (see [`crate::sandbox::gateway::request_log`]), dropping the
    /// oldest past `capacity`: its number in the app's log, for the request's task to await;
    /// `None`: this process keeps its own log.
    fn log_request(
        &self,
        _app_id: &str,
        _request: LoggedRow,
        _capacity: usize,
    ) -> Later<Option<u64>> {
        Box::pin(std::future::ready(Ok(None)))
    }

    /// `app_id`'s requests as [`Store::log_request`] kept them, newest first; `None`: this process
    /// keeps its own log.
    fn logged_requests(&self, _app_id: &str) -> Result<Option<Vec<LoggedRow>>, StoreError> {
        Ok(None)
    }

    /// The OAuth2 signing secret kept for tokens to outlive a restart (generated on first use), when
    /// the store keeps one; `None`: a random one per process.
    fn signing_secret(&self) -> Result<Option<String>, StoreError> {
        Ok(None)
    }

    /// The outbox and callback log processes sharing the store deliver from and read; `None`: this
    /// process delivers the callbacks its transactions owe and keeps their history.
    fn shared_callbacks(&self) -> Option<Arc<dyn shared_callbacks::SharedCallbacks>> {
        None
    }

    /// Whether the store can serve requests (its database answers).
    fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// The ids of the apps that have state (for the background ticker).
    fn app_ids(&self) -> Vec<String>;

    /// Keeps a snapshot document of `app_id`'s under `id` (see [`Shelf`]); `Err` carries its size
    /// when it is too large to keep.
    fn shelve(&self, app_id: &str, id: &str, document: Arc<str>) -> Result<(), Shelving>;

    /// A snapshot document `app_id` saved, if it is still kept.
    fn shelved(&self, app_id: &str, id: &str) -> Result<Option<Arc<str>>, StoreError>;

    /// Forgets `app_id` entirely, its snapshots and kept settings too (an expired app). A reset keeps
    /// them.
    fn forget(&self, app_id: &str) -> Result<(), StoreError>;
}

/// One request as a shared request log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRow {
    /// Its number in the app's log (0 until kept).
    pub id: u64,
    /// The family it called (`None`: the control plane).
    pub scope: Option<String>,
    /// The path called.
    pub path: String,
    /// The HTTP status answered.
    pub status: u16,
    /// The request as the log shows it, JSON.
    pub entry: String,
}

/// Which of an app's credentials a lookup names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// The `apikey` header's value.
    ApiKey,
    /// The OAuth2 `client_id`.
    ClientId,
}

/// Why a snapshot was not kept.
#[derive(Debug)]
pub enum Shelving {
    /// It alone is over [`SHELF_BYTES`] (its size).
    TooLarge(usize),
    /// The store did not answer.
    Store(StoreError),
}

/// Runs a database store's `transaction` with `f`, keeping [`Store::transact`]'s promise that `f`
/// runs at least once: when the store failed before it ran (the state could not be read), it runs
/// on a throwaway state.
pub(crate) fn at_least_once(
    app: &App,
    seeder: &Seeder,
    f: &mut dyn FnMut(&mut AppState, &mut Effects),
    transaction: impl FnOnce(&mut dyn FnMut(&mut AppState, &mut Effects)) -> Result<Effects, StoreError>,
) -> Result<Effects, StoreError> {
    let mut ran = false;
    let result = transaction(&mut |state, effects| {
        ran = true;
        f(state, effects);
    });
    if result.is_err() && !ran {
        f(&mut seeder(app), &mut Effects::default());
    }
    result
}

/// A request being answered ([`Store::serve`]).
pub type Serving<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

/// What a store answers later, for an async caller to await.
pub type Later<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, StoreError>> + Send>>;

/// Builds a fresh [`AppState`] for an app from the fixtures.
pub type Seeder = Box<dyn Fn(&App) -> AppState + Send + Sync>;
