//! How this process's copies of apps were brought up to date: loaded whole, or caught up from the
//! rows changed since (and how many requests found theirs current without a transaction). Counted per database URL, so that a test can tell the two apart (a copy that
//! loads whole on every stale transaction makes a write's cost follow the app's history).

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc, Mutex, Weak,
};

/// One store's counts.
#[derive(Default)]
pub struct Loads {
    whole: AtomicU64,
    caught_up: AtomicU64,
    rows: AtomicU64,
    current: AtomicU64,
}

impl Loads {
    pub fn whole(&self, rows: usize) {
        self.whole.fetch_add(1, Ordering::Relaxed);
        self.rows.fetch_add(rows as u64, Ordering::Relaxed);
    }

    pub fn current(&self) {
        self.current.fetch_add(1, Ordering::Relaxed);
    }

    pub fn caught_up(&self, rows: usize) {
        self.caught_up.fetch_add(1, Ordering::Relaxed);
        self.rows.fetch_add(rows as u64, Ordering::Relaxed);
    }
}

/// What the PostgreSQL stores opened on one database in this process read so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadCount {
    /// Copies loaded whole (an app's first use, a copy older than the app's `base`, a fallback).
    pub whole: u64,
    /// Copies caught up by applying the rows changed since their version.
    pub caught_up: u64,
    /// Rows read by both.
    pub rows: u64,
    /// Requests run on a copy the database confirmed current, without the app's transaction.
    pub current: u64,
}

type Opened = Mutex<Vec<(String, Weak<Loads>)>>;

static OPENED: Opened = Mutex::new(Vec::new());

/// The counts of a store opened on `url`.
pub fn register(url: &str) -> Arc<Loads> {
    let loads = Arc::new(Loads::default());
    let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
    opened.retain(|(_, store)| store.strong_count() > 0);
    opened.push((url.to_string(), Arc::downgrade(&loads)));
    loads
}

/// What the stores open on `url` in this process read so far, summed.
pub fn loads(url: &str) -> LoadCount {
    let opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
    let mut count = LoadCount::default();
    for loads in opened.iter().filter(|(at, _)| at == url) {
        if let Some(loads) = loads.1.upgrade() {
            count.whole += loads.whole.load(Ordering::Relaxed);
            count.caught_up += loads.caught_up.load(Ordering::Relaxed);
            count.rows += loads.rows.load(Ordering::Relaxed);
            count.current += loads.current.load(Ordering::Relaxed);
        }
    }
    count
}
