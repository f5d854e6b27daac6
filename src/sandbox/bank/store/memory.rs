//! The embedded store: every app's state in this process's memory, nothing written anywhere.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use crate::sandbox::{
    bank::store::{AppState, Effects, Seeder, Shelf, Shelving, Store, StoreError},
    gateway::apps::App,
};

/// The embedded store: a map of per-app mutexes. The outer lock is held only to find the app.
pub struct InMemoryStore {
    apps: Mutex<HashMap<String, Arc<Mutex<AppState>>>>,
    shelves: Mutex<HashMap<String, Shelf>>,
    seeder: Seeder,
}

impl InMemoryStore {
    /// An empty store that seeds each app's state with `seeder` on its first transaction.
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
    fn kind(&self) -> &'static str {
        "memory"
    }

    fn may_fail(&self) -> bool {
        false
    }

    fn transact(
        &self,
        app: &App,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
    ) -> Result<Effects, StoreError> {
        let slot = self.slot(app);
        let mut state = slot.lock().unwrap_or_else(|e| e.into_inner());
        // Nothing is written, so nothing notes which rows change (a seeded or restored state did).
        state.stop_tracking();
        let mut effects = Effects::default();
        state.advance(app, &mut effects);
        f(&mut state, &mut effects);
        Ok(effects)
    }

    fn reset(&self, app_id: &str) -> Result<(), StoreError> {
        self.lock_apps().remove(app_id);
        Ok(())
    }

    fn app_ids(&self) -> Vec<String> {
        self.lock_apps().keys().cloned().collect()
    }

    fn shelve(&self, app_id: &str, id: &str, document: Arc<str>) -> Result<(), Shelving> {
        self.lock_shelves()
            .entry(app_id.to_string())
            .or_default()
            .keep(id, document)
            .map_err(Shelving::TooLarge)
    }

    fn shelved(&self, app_id: &str, id: &str) -> Result<Option<Arc<str>>, StoreError> {
        Ok(self
            .lock_shelves()
            .get(app_id)
            .and_then(|shelf| shelf.get(id)))
    }

    fn forget(&self, app_id: &str) -> Result<(), StoreError> {
        self.lock_apps().remove(app_id);
        self.lock_shelves().remove(app_id);
        Ok(())
    }
}
