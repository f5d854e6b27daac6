//! What the gateway counts per app, kept in the database file (migration 3) so that a restart finds
//! it: today's calls against the plan, and the request log (its last [`CAPACITY`] requests, numbered
//! from 1 per app).
//!
//! SQLite serves one process, so this process counts and numbers in memory (exactly, under a lock)
//! and a writer thread keeps what it counted: it takes whatever has queued and writes it in one
//! transaction. A commit per request would cost each read a write (a quarter of the reads a second,
//! measured); a batch costs a burst one commit. Like PostgreSQL's `synchronous_commit = off` for the
//! same rows, a `kill -9` may lose the last moment's counts and entries, never money or an
//! acknowledged state write. Reading the log, a reset, and dropping the store (a clean stop) wait for
//! the queue to be written first.
//!
//! [`CAPACITY`]: crate::sandbox::gateway::request_log::CAPACITY

use std::{
    collections::HashMap,
    sync::{mpsc, Arc, Mutex, MutexGuard},
};

use rusqlite::{params, Connection, OptionalExtension};

use crate::sandbox::bank::store::LoggedRow;

/// The most queued writes one transaction takes.
const BATCH: usize = 1024;

/// How long the writer lets writes gather before it takes them (unless asked to flush).
const GATHER: std::time::Duration = std::time::Duration::from_millis(5);

/// One thing for the writer to keep, in the order it was counted.
enum Write {
    /// A logged request, numbered (`row.id`), dropping the app's entries past `capacity`.
    Log {
        app_id: String,
        row: LoggedRow,
        capacity: usize,
    },
    /// The app's count on `day` is now `calls`.
    Count {
        app_id: String,
        day: u32,
        calls: u32,
    },
    /// The app's counts and log go (a reset keeps the log's numbering; an expired app does not).
    Forget { app_id: String, numbering: bool },
    /// Answers once everything queued before it is written.
    Flush(mpsc::Sender<Result<(), String>>),
}

/// An app's count and log numbering as this process holds them, loaded on first use.
#[derive(Default)]
struct Counted {
    /// The day counted, and its calls.
    day: Option<(u32, u32)>,
    /// The number of the app's last logged request.
    last: Option<u64>,
}

/// The counts and log numbering in memory, and the queue to the writer thread.
pub struct Usage {
    db: Arc<Mutex<Connection>>,
    apps: Mutex<HashMap<String, Counted>>,
    queue: mpsc::Sender<Write>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Usage {
    /// Starts the writer thread on `db`, the store's connection (one writer: no lock contention
    /// between two connections).
    pub fn start(db: Arc<Mutex<Connection>>) -> Result<Self, String> {
        let (queue, queued) = mpsc::channel();
        let writer_db = db.clone();
        std::thread::Builder::new()
            .name("sqlite-usage".into())
            .spawn(move || write_queued(&writer_db, &queued))
            .map_err(|e| format!("cannot start the request-log writer: {e}"))?;
        Ok(Self {
            db,
            apps: Mutex::new(HashMap::new()),
            queue,
        })
    }

    /// Waits until everything queued so far is written.
    pub fn flush(&self) -> Result<(), String> {
        let (done, written) = mpsc::channel();
        self.queue
            .send(Write::Flush(done))
            .map_err(|_| "the request-log writer stopped".to_string())?;
        written
            .recv()
            .map_err(|_| "the request-log writer stopped".to_string())?
    }

    fn send(&self, write: Write) {
        // The writer only stops when the store is dropped, which this call outlives.
        let _ = self.queue.send(write);
    }

    /// Counts one call of `app_id` on `day` unless `limit` were counted: the day's count with it, or
    /// `None` when refused.
    pub fn count_call(&self, app_id: &str, day: u32, limit: u32) -> Result<Option<u32>, String> {
        let mut apps = lock(&self.apps);
        let calls = self.calls_held(&mut apps, app_id, day)?;
        if *calls >= limit {
            return Ok(None);
        }
        *calls += 1;
        let calls = *calls;
        self.send(Write::Count {
            app_id: app_id.to_string(),
            day,
            calls,
        });
        Ok(Some(calls))
    }

    /// The calls of `app_id` counted on `day`.
    pub fn calls_on(&self, app_id: &str, day: u32) -> Result<u32, String> {
        let mut apps = lock(&self.apps);
        self.calls_held(&mut apps, app_id, day).map(|calls| *calls)
    }

    /// The count of `app_id` on `day` as held in memory, read from the database first when another
    /// day (or none) is held.
    fn calls_held<'a>(
        &self,
        apps: &'a mut HashMap<String, Counted>,
        app_id: &str,
        day: u32,
    ) -> Result<&'a mut u32, String> {
        let counted = held(apps, app_id);
        if counted.day.is_none_or(|(held, _)| held != day) {
            let calls = self.read_kept(
                "SELECT calls FROM app_calls WHERE app_id = ?1 AND day = ?2",
                params![app_id, day],
            )?;
            counted.day = Some((day, calls as u32));
        }
        Ok(&mut counted.day.as_mut().expect("held above").1)
    }

    /// Numbers `request` after `app_id`'s last and queues it, dropping the entries past `capacity`:
    /// its number.
    pub fn log_request(
        &self,
        app_id: &str,
        request: LoggedRow,
        capacity: usize,
    ) -> Result<u64, String> {
        let mut apps = lock(&self.apps);
        let counted = held(&mut apps, app_id);
        let last = match counted.last {
            Some(last) => last,
            None => self.read_kept(
                "SELECT last FROM request_log_ids WHERE app_id = ?1",
                params![app_id],
            )? as u64,
        };
        let id = last + 1;
        counted.last = Some(id);
        self.send(Write::Log {
            app_id: app_id.to_string(),
            row: LoggedRow { id, ..request },
            capacity,
        });
        Ok(id)
    }

    /// The number `sql` reads (0 when no row), once everything queued is written.
    fn read_kept(&self, sql: &str, args: impl rusqlite::Params) -> Result<i64, String> {
        self.flush()?;
        lock(&self.db)
            .prepare_cached(sql)
            .and_then(|mut query| query.query_row(args, |row| row.get(0)).optional())
            .map(Option::unwrap_or_default)
            .map_err(|e| e.to_string())
    }

    /// `app_id`'s logged requests, newest first, once every queued entry is written.
    pub fn logged_requests(&self, app_id: &str) -> Result<Vec<LoggedRow>, String> {
        self.flush()?;
        let db = lock(&self.db);
        let mut query = db
            .prepare_cached(
                "SELECT id, scope, path, status, entry FROM request_log WHERE app_id = ?1 \
                 ORDER BY id DESC",
            )
            .map_err(|e| e.to_string())?;
        let rows = query
            .query_map([app_id], |row| {
                Ok(LoggedRow {
                    id: row.get::<_, i64>(0)? as u64,
                    scope: row.get(1)?,
                    path: row.get(2)?,
                    status: row.get(3)?,
                    entry: row.get(4)?,
                })
            })
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }

    /// Forgets `app_id`'s counts and log, after what was queued for it, and waits until that is
    /// written. `numbering`: the log's numbering goes on (a reset, as in memory).
    pub fn forget(&self, app_id: &str, numbering: bool) -> Result<(), String> {
        {
            let mut apps = lock(&self.apps);
            match apps.get_mut(app_id) {
                Some(counted) if numbering => counted.day = None,
                _ => {
                    apps.remove(app_id);
                }
            }
            self.send(Write::Forget {
                app_id: app_id.to_string(),
                numbering,
            });
        }
        self.flush()
    }
}

/// `app_id`'s entry, made empty on first use (without a key allocated per request after that).
fn held<'a>(apps: &'a mut HashMap<String, Counted>, app_id: &str) -> &'a mut Counted {
    if !apps.contains_key(app_id) {
        apps.insert(app_id.to_string(), Counted::default());
    }
    apps.get_mut(app_id).expect("inserted above")
}

impl Drop for Usage {
    /// A clean stop keeps every count and entry made.
    fn drop(&mut self) {
        if let Err(error) = self.flush() {
            tracing::error!(%error, "sqlite: request log and quota counts");
        }
    }
}

/// The writer thread: takes what queued (up to [`BATCH`]) and writes it in one transaction, until
/// the store is dropped.
fn write_queued(db: &Mutex<Connection>, queued: &mpsc::Receiver<Write>) {
    while let Ok(first) = queued.recv() {
        if !matches!(first, Write::Flush(_)) {
            // Lets a burst queue up behind the first: one commit for it, not one per request.
            std::thread::sleep(GATHER);
        }
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match queued.try_recv() {
                Ok(write) => batch.push(write),
                Err(_) => break,
            }
        }
        let written = write_batch(&mut lock(db), &batch).map_err(|e| e.to_string());
        if let Err(error) = &written {
            tracing::error!(%error, "sqlite: request log and quota counts not written");
        }
        for write in batch {
            if let Write::Flush(done) = write {
                let _ = done.send(written.clone());
            }
        }
    }
}

fn write_batch(db: &mut Connection, batch: &[Write]) -> rusqlite::Result<()> {
    let tx = db.transaction()?;
    // Each app's last number and bound, written once per batch rather than once per entry.
    let mut numbered: HashMap<&str, (i64, usize)> = HashMap::new();
    for write in batch {
        match write {
            Write::Log {
                app_id,
                row,
                capacity,
            } => {
                tx.prepare_cached(
                    "INSERT INTO request_log (app_id, id, scope, path, status, entry) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    app_id,
                    row.id as i64,
                    row.scope,
                    row.path,
                    row.status,
                    row.entry
                ])?;
                numbered.insert(app_id, (row.id as i64, *capacity));
            }
            Write::Count { app_id, day, calls } => {
                tx.prepare_cached(
                    "INSERT INTO app_calls (app_id, day, calls) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (app_id, day) DO UPDATE SET calls = excluded.calls",
                )?
                .execute(params![app_id, day, calls])?;
            }
            Write::Forget { app_id, numbering } => {
                if let Some(last) = numbered.remove(app_id.as_str()) {
                    number(&tx, app_id, last)?;
                }
                tx.execute("DELETE FROM app_calls WHERE app_id = ?1", [app_id])?;
                tx.execute("DELETE FROM request_log WHERE app_id = ?1", [app_id])?;
                if !numbering {
                    tx.execute("DELETE FROM request_log_ids WHERE app_id = ?1", [app_id])?;
                }
            }
            Write::Flush(_) => {}
        }
    }
    for (app_id, last) in numbered {
        number(&tx, app_id, last)?;
    }
    tx.commit()
}

/// Keeps `app_id`'s last logged number and drops its entries past the bound.
fn number(
    tx: &rusqlite::Transaction<'_>,
    app_id: &str,
    (last, capacity): (i64, usize),
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO request_log_ids (app_id, last) VALUES (?1, ?2) \
         ON CONFLICT (app_id) DO UPDATE SET last = excluded.last",
    )?
    .execute(params![app_id, last])?;
    tx.prepare_cached("DELETE FROM request_log WHERE app_id = ?1 AND id <= ?2")?
        .execute(params![app_id, last - capacity as i64])?;
    Ok(())
}
