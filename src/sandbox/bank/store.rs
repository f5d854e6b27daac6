//! Per-app state behind one narrow interface. Families never hold state of their own: they run a
//! transaction on the calling app's [`AppState`] — its ledger plus one typed slot per family — through
//! [`Store`], and the store makes each transaction atomic (so a reused UNIQUEID sent by many requests at
//! once still moves money once).
//!
//! The in-memory store is the embedded default. A shared-database store (several replicas, one hosted
//! sandbox) implements the same trait by loading the app's state under a row lock, running the
//! transaction and writing it back; nothing outside this module would change.

use std::{
    any::Any,
    collections::{BTreeMap, HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Utc};

use crate::sandbox::{bank::ledger::Ledger, gateway::apps::App};

pub use crate::sandbox::bank::bounded::{Bounded, Full, Settled, OBJECT_BOUND};

/// The default bound on objects per app.
pub const DEFAULT_OBJECT_LIMIT: usize = 100_000;

/// A callback the sandbox owes a partner, collected during a transaction and sent after it commits.
#[derive(Debug, Clone)]
pub struct Callback {
    /// What it is (`upi-collect`, `ecollection-mis`, ...), shown at `GET /sandbox/callbacks`.
    pub kind: &'static str,
    /// Where to POST it; `None` means the app's callback URL.
    pub url: Option<String>,
    pub body: serde_json::Value,
    /// Which object it is about, so the family can record the partner's answer.
    pub reference: String,
}

/// What a transaction asks the world to do once it has committed.
#[derive(Debug, Default)]
pub struct Effects {
    pub callbacks: Vec<Callback>,
}

/// A family's slice of an app's state.
pub trait Family: Any + Send {
    /// Moves pending work along once the app's clock has reached `now` (NEFT batches, collect
    /// expiries, interest, dues). Called before every transaction and by the background ticker.
    fn advance(&mut self, _ctx: &mut Ctx<'_>) {}

    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// What a family works with inside a transaction.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub now: DateTime<Utc>,
    pub ledger: &'a mut Ledger,
    pub effects: &'a mut Effects,
    /// The bound to pass to [`Bounded::new`].
    pub object_limit: usize,
}

/// One app's state.
pub struct AppState {
    pub ledger: Ledger,
    /// By type name, so that families settle due work in the same order on every machine and run
    /// (a `HashMap`'s random order numbered ledger entries differently when two settled at once).
    families: BTreeMap<&'static str, Box<dyn Family>>,
    object_limit: usize,
}

impl AppState {
    pub fn new(ledger: Ledger, object_limit: usize) -> Self {
        Self {
            ledger,
            families: BTreeMap::new(),
            object_limit,
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
        let slot = self
            .families
            .entry(std::any::type_name::<T>())
            .or_insert_with(|| Box::new(create(limit)));
        let family = slot
            .as_any_mut()
            .downcast_mut::<T>()
            .expect("slot holds its own type");
        let mut ctx = Ctx {
            app,
            now: app.clock.now(),
            ledger: &mut self.ledger,
            effects,
            object_limit: limit,
        };
        f(family, &mut ctx)
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
    fn advance(&mut self, app: &App, effects: &mut Effects) {
        let limit = self.object_limit;
        let mut ctx = Ctx {
            app,
            now: app.clock.now(),
            ledger: &mut self.ledger,
            effects,
            object_limit: limit,
        };
        for family in self.families.values_mut() {
            family.advance(&mut ctx);
        }
    }
}

/// The one interface families reach state through.
pub trait Store: Send + Sync {
    /// Runs `f` atomically on `app`'s state, after letting due work settle; returns the effects to
    /// perform once committed. Never call it while holding another lock, nor across an `.await`.
    fn transact(&self, app: &App, f: &mut dyn FnMut(&mut AppState, &mut Effects)) -> Effects;

    /// Forgets everything `app` created: its next transaction starts from the fixtures again.
    fn reset(&self, app_id: &str);

    /// The ids of the apps that have state (for the background ticker).
    fn app_ids(&self) -> Vec<String>;

    /// Keeps a snapshot document of `app_id`'s under `id` (see [`Shelf`]); `Err` carries its size
    /// when it is too large to keep.
    fn shelve(&self, app_id: &str, id: &str, document: Arc<str>) -> Result<(), usize>;

    /// A snapshot document `app_id` saved, if it is still kept.
    fn shelved(&self, app_id: &str, id: &str) -> Option<Arc<str>>;

    /// Forgets `app_id` entirely, its snapshots too (an expired app). A reset keeps them.
    fn forget(&self, app_id: &str);
}

/// Builds a fresh [`AppState`] for an app from the fixtures.
pub type Seeder = Box<dyn Fn(&App) -> AppState + Send + Sync>;

/// The embedded store: a map of per-app mutexes. The outer lock is held only to find the app.
pub struct InMemoryStore {
    apps: Mutex<HashMap<String, Arc<Mutex<AppState>>>>,
    shelves: Mutex<HashMap<String, Shelf>>,
    seeder: Seeder,
}

impl InMemoryStore {
    pub fn new(seeder: Seeder) -> Self {
        Self {
            apps: Mutex::new(HashMap::new()),
            shelves: Mutex::new(HashMap::new()),
            seeder,
        }
    }

    fn slot(&self, app: &App) -> Arc<Mutex<AppState>> {
        if let Some(slot) = self.lock_apps().get(&app.id) {
            return slot.clone();
        }
        // Seed outside the map lock (it builds a ledger), then insert unless another request won.
        let fresh = Arc::new(Mutex::new((self.seeder)(app)));
        self.lock_apps()
            .entry(app.id.clone())
            .or_insert(fresh)
            .clone()
    }

    fn lock_shelves(&self) -> std::sync::MutexGuard<'_, HashMap<String, Shelf>> {
        self.shelves.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_apps(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Mutex<AppState>>>> {
        self.apps.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for InMemoryStore {
    fn transact(&self, app: &App, f: &mut dyn FnMut(&mut AppState, &mut Effects)) -> Effects {
        let slot = self.slot(app);
        let mut state = slot.lock().unwrap_or_else(|e| e.into_inner());
        let mut effects = Effects::default();
        state.advance(app, &mut effects);
        f(&mut state, &mut effects);
        effects
    }

    fn reset(&self, app_id: &str) {
        self.lock_apps().remove(app_id);
    }

    fn app_ids(&self) -> Vec<String> {
        self.lock_apps().keys().cloned().collect()
    }

    fn shelve(&self, app_id: &str, id: &str, document: Arc<str>) -> Result<(), usize> {
        self.lock_shelves()
            .entry(app_id.to_string())
            .or_default()
            .keep(id, document)
    }

    fn shelved(&self, app_id: &str, id: &str) -> Option<Arc<str>> {
        self.lock_shelves().get(app_id)?.get(id)
    }

    fn forget(&self, app_id: &str) {
        self.reset(app_id);
        self.lock_shelves().remove(app_id);
    }
}

/// How many snapshots an app keeps, and how many bytes of them; past either, the oldest go.
pub const SHELF_SNAPSHOTS: usize = 16;
pub const SHELF_BYTES: usize = 64 * 1024 * 1024;

/// An app's saved snapshots, oldest first. Saving one it already holds makes it the newest again.
#[derive(Debug, Default)]
pub struct Shelf {
    kept: VecDeque<(String, Arc<str>)>,
}

impl Shelf {
    /// Keeps `document` under `id`; refused when it alone is over [`SHELF_BYTES`].
    pub fn keep(&mut self, id: &str, document: Arc<str>) -> Result<(), usize> {
        if document.len() > SHELF_BYTES {
            return Err(document.len());
        }
        self.kept.retain(|(kept, _)| kept != id);
        self.kept.push_back((id.to_string(), document));
        let mut bytes: usize = self.kept.iter().map(|(_, d)| d.len()).sum();
        while self.kept.len() > SHELF_SNAPSHOTS || bytes > SHELF_BYTES {
            if let Some((_, gone)) = self.kept.pop_front() {
                bytes -= gone.len();
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<Arc<str>> {
        self.kept
            .iter()
            .find(|(kept, _)| kept == id)
            .map(|(_, document)| document.clone())
    }
}
