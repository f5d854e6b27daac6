//! The SQLite store (`--store sqlite:PATH`): one node whose state survives restarts. Every app's state
//! is kept as rows ([`crate::sandbox::bank::rows`]) in one database file; the in-memory state stays the
//! cache. An app's rows load on its first request; each transaction that changed something writes its
//! rows in one SQLite transaction before the answer goes out. A write that fails drops the app's cache
//! (it reloads from what was committed) and the request answers 503. The gateway's quota counts and
//! request log are kept in the same file (`usage.rs`).

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, Mutex, MutexGuard},
};

use rusqlite::{params, Connection, OptionalExtension};

use crate::sandbox::{
    bank::clock::ClockSetting,
    bank::rows::{Row, RowChange},
    bank::store::{
        at_least_once, rows::Changes, AppState, Effects, Later, LoggedRow, RowCodec, Seeder,
        Shelving, Store, StoreError, SHELF_BYTES, SHELF_SNAPSHOTS,
    },
    gateway::apps::{App, KeptApp},
};

mod apps;
mod schema;
mod usage;

pub use schema::VERSION as SCHEMA_VERSION;

/// One app's cached state: `None` until its rows are loaded (or after a failed write).
#[derive(Default)]
struct Cached {
    state: Option<AppState>,
    /// The clock setting as last written.
    clock: Option<String>,
}

/// The SQLite store: one connection to the database file, and the apps' state cached in memory.
pub struct SqliteStore {
    db: Arc<Mutex<Connection>>,
    apps: Mutex<HashMap<String, Arc<Mutex<Cached>>>>,
    /// Quota counts and the request log.
    usage: usage::Usage,
    seeder: Seeder,
    codecs: Vec<RowCodec>,
    object_limit: usize,
}

/// The tables that hold an app's rows besides its settings (`apps`): what an expired app loses.
const APP_TABLES: [&str; 6] = [
    "app_rows",
    "app_clocks",
    "snapshots",
    "app_calls",
    "request_log",
    "request_log_ids",
];

fn failed(e: impl std::fmt::Display) -> StoreError {
    StoreError(format!("sqlite: {e}"))
}

impl SqliteStore {
    /// Opens the database at `path` and migrates it; the message says why when it cannot.
    pub fn open(
        path: &Path,
        seeder: Seeder,
        codecs: Vec<RowCodec>,
        object_limit: usize,
    ) -> Result<Self, String> {
        let db = Arc::new(Mutex::new(schema::open(path)?));
        Ok(Self {
            usage: usage::Usage::start(db.clone())?,
            db,
            apps: Mutex::new(HashMap::new()),
            seeder,
            codecs,
            object_limit,
        })
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn slot(&self, app_id: &str) -> Arc<Mutex<Cached>> {
        let mut apps = self.apps.lock().unwrap_or_else(|e| e.into_inner());
        apps.entry(app_id.to_string()).or_default().clone()
    }

    fn load(&self, app: &App) -> Result<AppState, StoreError> {
        let rows = {
            let db = self.db();
            let mut query = db
                .prepare_cached(
                    "SELECT family, collection, key, body FROM app_rows WHERE app_id = ?1",
                )
                .map_err(failed)?;
            let rows = query
                .query_map([&app.id], |row| {
                    Ok(Row {
                        family: row.get(0)?,
                        collection: row.get(1)?,
                        key: row.get(2)?,
                        body: row.get(3)?,
                    })
                })
                .map_err(failed)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(failed)?
        };
        let state = AppState::from_rows(rows, &self.codecs, self.object_limit).map_err(failed)?;
        Ok(state.unwrap_or_else(|| (self.seeder)(app)))
    }

    /// Writes a transaction's rows, and the app's clock when it changed, in one SQLite transaction.
    fn write(&self, app_id: &str, changes: &Changes, clock: Option<&str>) -> rusqlite::Result<()> {
        let mut db = self.db();
        let tx = db.transaction()?;
        if changes.whole {
            tx.execute("DELETE FROM app_rows WHERE app_id = ?1", [app_id])?;
        }
        for change in &changes.rows {
            write_row(&tx, app_id, change)?;
        }
        if let Some(clock) = clock {
            tx.execute(
                "INSERT INTO app_clocks (app_id, setting) VALUES (?1, ?2) \
                 ON CONFLICT (app_id) DO UPDATE SET setting = excluded.setting",
                params![app_id, clock],
            )?;
        }
        tx.commit()
    }

    /// Runs `f` on the cached state (loading it first), then writes what changed.
    fn run(
        &self,
        app: &App,
        cached: &mut Cached,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
    ) -> Result<Effects, StoreError> {
        if cached.state.is_none() {
            cached.state = Some(self.load(app)?);
        }
        let state = cached.state.as_mut().expect("loaded above");
        let mut effects = Effects::default();
        state.advance(app, &mut effects);
        f(state, &mut effects);
        let changes = state.take_rows(&self.codecs).map_err(failed)?;
        let clock = serde_json::to_string(&app.clock.setting()).map_err(failed)?;
        let clock_changed = cached.clock.as_deref() != Some(clock.as_str());
        if !changes.rows.is_empty() || changes.whole || clock_changed {
            self.write(&app.id, &changes, clock_changed.then_some(clock.as_str()))
                .map_err(failed)?;
            cached.clock = Some(clock);
        }
        Ok(effects)
    }
}

fn write_row(
    tx: &rusqlite::Transaction<'_>,
    app_id: &str,
    change: &RowChange,
) -> rusqlite::Result<()> {
    match change {
        RowChange::Put(row) => {
            tx.prepare_cached(
                "INSERT INTO app_rows (app_id, family, collection, key, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (app_id, family, collection, key) DO UPDATE SET body = excluded.body",
            )?
            .execute(params![
                app_id,
                row.family,
                row.collection,
                row.key,
                row.body
            ])?;
        }
        RowChange::Delete {
            family,
            collection,
            key,
        } => {
            tx.prepare_cached(
                "DELETE FROM app_rows WHERE app_id = ?1 AND family = ?2 AND collection = ?3 \
                 AND key = ?4",
            )?
            .execute(params![app_id, family, collection, key])?;
        }
        RowChange::DeletePrefix {
            family,
            collection,
            prefix,
        } => {
            // Keys from `prefix` up to (not including) `prefix` with its last character bumped.
            let mut end = prefix.clone();
            let last = end
                .pop()
                .map_or('\u{1}', |c| char::from_u32(c as u32 + 1).unwrap_or(c));
            end.push(last);
            tx.prepare_cached(
                "DELETE FROM app_rows WHERE app_id = ?1 AND family = ?2 AND collection = ?3 \
                 AND key >= ?4 AND key < ?5",
            )?
            .execute(params![app_id, family, collection, prefix, end])?;
        }
    }
    Ok(())
}

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn transact(
        &self,
        app: &App,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
    ) -> Result<Effects, StoreError> {
        let slot = self.slot(&app.id);
        let mut cached = slot.lock().unwrap_or_else(|e| e.into_inner());
        let result = at_least_once(app, &self.seeder, f, |f| self.run(app, &mut cached, f));
        if result.is_err() {
            // What is cached may hold what was not committed: reload from the database next time.
            cached.state = None;
            cached.clock = None;
        }
        result
    }

    fn reset(&self, app_id: &str) -> Result<(), StoreError> {
        let slot = self.slot(app_id);
        let mut cached = slot.lock().unwrap_or_else(|e| e.into_inner());
        cached.state = None;
        cached.clock = None;
        let mut db = self.db();
        let tx = db.transaction().map_err(failed)?;
        tx.execute("DELETE FROM app_rows WHERE app_id = ?1", [app_id])
            .and_then(|_| tx.execute("DELETE FROM app_clocks WHERE app_id = ?1", [app_id]))
            .map_err(failed)?;
        tx.commit().map_err(failed)?;
        drop(db);
        // The log's numbering goes on, as in memory.
        self.usage.forget(app_id, true).map_err(failed)
    }

    fn restore_clock(&self, app: &App) -> Result<(), StoreError> {
        let setting: Option<String> = self
            .db()
            .query_row(
                "SELECT setting FROM app_clocks WHERE app_id = ?1",
                [&app.id],
                |row| row.get(0),
            )
            .optional()
            .map_err(failed)?;
        if let Some(setting) = setting {
            let clock: ClockSetting = serde_json::from_str(&setting).map_err(failed)?;
            app.clock.set(&clock).map_err(failed)?;
            self.slot(&app.id)
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clock = Some(setting);
        }
        Ok(())
    }

    fn keep_app(&self, app: &KeptApp) -> Result<(), StoreError> {
        apps::keep(&self.db(), app).map_err(failed)
    }

    fn kept_apps(&self) -> Result<Vec<KeptApp>, StoreError> {
        apps::kept(&self.db()).map_err(failed)
    }

    fn retain_apps(&self, kept: &[String]) -> Result<(), StoreError> {
        let kept = serde_json::to_string(kept).map_err(failed)?;
        let mut db = self.db();
        let tx = db.transaction().map_err(failed)?;
        for table in APP_TABLES {
            tx.execute(
                &format!(
                    "DELETE FROM {table} WHERE app_id NOT IN (SELECT value FROM json_each(?1))"
                ),
                [&kept],
            )
            .map_err(failed)?;
        }
        tx.commit().map_err(failed)
    }

    fn count_call(
        &self,
        app_id: &str,
        day: u32,
        limit: u32,
    ) -> Result<Option<Option<u32>>, StoreError> {
        self.usage
            .count_call(app_id, day, limit)
            .map(Some)
            .map_err(failed)
    }

    fn calls_on(&self, app_id: &str, day: u32) -> Result<Option<u32>, StoreError> {
        self.usage.calls_on(app_id, day).map(Some).map_err(failed)
    }

    fn shares_logs(&self) -> bool {
        true
    }

    fn log_request(&self, app_id: &str, request: LoggedRow, capacity: usize) -> Later<Option<u64>> {
        let logged = self
            .usage
            .log_request(app_id, request, capacity)
            .map(Some)
            .map_err(failed);
        Box::pin(std::future::ready(logged))
    }

    fn logged_requests(&self, app_id: &str) -> Result<Option<Vec<LoggedRow>>, StoreError> {
        self.usage.logged_requests(app_id).map(Some).map_err(failed)
    }

    fn signing_secret(&self) -> Result<Option<String>, StoreError> {
        let db = self.db();
        db.execute(
            "INSERT INTO secrets (name, value) VALUES ('jwt', ?1) ON CONFLICT (name) DO NOTHING",
            [crate::sandbox::gateway::apps::new_secret("sbj_")],
        )
        .map_err(failed)?;
        db.query_row("SELECT value FROM secrets WHERE name = 'jwt'", [], |row| {
            row.get(0)
        })
        .map(Some)
        .map_err(failed)
    }

    fn check(&self) -> Result<(), StoreError> {
        self.db()
            .query_row(
                "SELECT count(*) FROM (SELECT 1 FROM app_rows LIMIT 1)",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|_| ())
            .map_err(failed)
    }

    fn app_ids(&self) -> Vec<String> {
        let apps = self.apps.lock().unwrap_or_else(|e| e.into_inner());
        apps.keys().cloned().collect()
    }

    fn shelve(&self, app_id: &str, id: &str, document: Arc<str>) -> Result<(), Shelving> {
        if document.len() > SHELF_BYTES {
            return Err(Shelving::TooLarge(document.len()));
        }
        shelve(&mut self.db(), app_id, id, &document).map_err(|e| Shelving::Store(failed(e)))
    }

    fn shelved(&self, app_id: &str, id: &str) -> Result<Option<Arc<str>>, StoreError> {
        let document: Option<String> = self
            .db()
            .query_row(
                "SELECT document FROM snapshots WHERE app_id = ?1 AND id = ?2",
                [app_id, id],
                |row| row.get(0),
            )
            .optional()
            .map_err(failed)?;
        Ok(document.map(Arc::from))
    }

    fn forget(&self, app_id: &str) -> Result<(), StoreError> {
        // Past a transaction in flight, then no cache: the app is gone.
        let slot = self.slot(app_id);
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Cached::default();
        self.apps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(app_id);
        // After what was queued for it.
        self.usage.forget(app_id, false).map_err(failed)?;
        let mut db = self.db();
        let tx = db.transaction().map_err(failed)?;
        for table in APP_TABLES {
            tx.execute(&format!("DELETE FROM {table} WHERE app_id = ?1"), [app_id])
                .map_err(failed)?;
        }
        tx.execute("DELETE FROM apps WHERE id = ?1", [app_id])
            .map_err(failed)?;
        tx.commit().map_err(failed)
    }
}

/// Keeps a snapshot as the newest of the app's, then lets the oldest go past [`SHELF_SNAPSHOTS`] or
/// [`SHELF_BYTES`]: the memory store's rule, in one transaction.
fn shelve(db: &mut Connection, app_id: &str, id: &str, document: &str) -> rusqlite::Result<()> {
    let tx = db.transaction()?;
    tx.execute(
        "DELETE FROM snapshots WHERE app_id = ?1 AND id = ?2",
        [app_id, id],
    )?;
    tx.execute(
        "INSERT INTO snapshots (app_id, id, position, document) VALUES (?1, ?2, \
         (SELECT coalesce(max(position), 0) + 1 FROM snapshots WHERE app_id = ?1), ?3)",
        [app_id, id, document],
    )?;
    loop {
        let (count, bytes): (i64, i64) = tx.query_row(
            "SELECT count(*), coalesce(sum(length(CAST(document AS BLOB))), 0) FROM snapshots \
             WHERE app_id = ?1",
            [app_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if count as usize <= SHELF_SNAPSHOTS && bytes as usize <= SHELF_BYTES {
            break;
        }
        tx.execute(
            "DELETE FROM snapshots WHERE app_id = ?1 AND position = \
             (SELECT min(position) FROM snapshots WHERE app_id = ?1)",
            [app_id],
        )?;
    }
    tx.commit()
}
