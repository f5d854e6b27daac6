//! A request on a copy known to be current, without a database transaction: most requests only read
//! (a balance, a status), and a read needs no lock, only the assurance that the copy is the committed
//! state. One statement on the quick line, shared by the requests asking at once, reads the app's
//! committed version before the request takes its turn; when it is the copy's, the request runs on
//! the copy under this process's turn on the app (`Cached`'s mutex). Due work the
//! clock brings (`advance`) is committed under the app's lock before the request runs; a request that
//! turns out to write takes the lock and commits only if the version has not moved — else nothing is
//! written, the copy is dropped and the request runs again under the lock, on the committed state
//! (what it did on the old copy is forgotten: `Store::transact`).
//!
//! Taken only while no other process has written the app for [`QUIET`] and this process's last
//! request on it only read: a team's polling loop, not a race between replicas.

use std::{
    sync::LazyLock,
    time::{Duration, Instant},
};

use crate::sandbox::{
    bank::store::{
        postgres::{
            clock::adopt_clock, group::Group, line::Head, locked::refuse_if_gone, state, Cached,
            PostgresStore,
        },
        AppState, Effects, StoreError,
    },
    gateway::apps::App,
};

/// How long after another process's write the app is run under its lock only.
const QUIET: Duration = Duration::from_secs(1);

/// What [`Cached::current_from`] counts from.
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Milliseconds from [`EPOCH`] to `at` (0 before it).
pub(super) fn since_epoch(at: Instant) -> u64 {
    at.saturating_duration_since(*EPOCH).as_millis() as u64
}

/// What became of a request tried on the copy.
pub(super) enum Tried {
    Done(Effects),
    /// The copy was not current (`f` did not run, or ran on it and was forgotten): run it under
    /// the lock.
    Stale,
}

impl Cached {
    /// Whether the next request may run on the copy without the lock.
    pub(super) fn may_run_current(&self) -> bool {
        self.state.is_some()
            && self.open.is_none()
            && self.last_read
            && self.foreign_at.is_none_or(|at| at.elapsed() >= QUIET)
    }

    /// From when [`Self::may_run_current`] will say yes, as long as nothing else changes, for a
    /// hint read without the copy's lock: milliseconds after [`EPOCH`], `u64::MAX` for not yet.
    pub(super) fn current_from(&self) -> u64 {
        if self.state.is_none() || self.open.is_some() || !self.last_read {
            return u64::MAX;
        }
        self.foreign_at.map_or(0, |at| since_epoch(at + QUIET))
    }

    /// Notes that the copy had to catch up with another process's write (or load).
    pub(super) fn foreign_write_seen(&mut self) {
        self.foreign_at = Some(Instant::now());
    }
}

impl PostgresStore {
    /// Runs `f` on the copy when `head` (read after the request began) confirms it is current.
    pub(super) fn run_current(
        &self,
        app: &App,
        cached: &mut Cached,
        head: Head,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
    ) -> Result<Tried, StoreError> {
        if head.version != cached.version {
            return Ok(Tried::Stale);
        }
        adopt_clock(app, cached, head.clock);
        refuse_if_gone(app, head.enabled);
        let mut effects = Effects::default();
        cached
            .state
            .as_mut()
            .expect("a current copy")
            .advance(app, &mut effects);
        let due = self.pending(app, cached, &effects)?;
        if !due.is_read() && !self.write_if_current(app, cached, due)? {
            return Ok(Tried::Stale);
        }
        let mut own = Effects::default();
        f(cached.state.as_mut().expect("a current copy"), &mut own);
        let pending = self.pending(app, cached, &own)?;
        effects.callbacks.extend(own.callbacks);
        if pending.is_read() {
            cached.last_read = true;
        } else if !self.write_if_current(app, cached, pending)? {
            // Another process wrote the app meanwhile: what `f` did on the old copy went with it.
            return Ok(Tried::Stale);
        }
        self.loads.current();
        Ok(Tried::Done(effects))
    }

    /// Takes the app's lock and commits `pending` if the app is still at the copy's version; when it
    /// is not, drops the copy and answers `false`.
    fn write_if_current(
        &self,
        app: &App,
        cached: &mut Cached,
        pending: super::locked::Pending,
    ) -> Result<bool, StoreError> {
        let begun = self.run(state::begin(
            self.pool.clone(),
            app.id.clone(),
            Some(cached.version),
        ))?;
        if begun.version != cached.version {
            self.bridge.detach(state::end(begun.client));
            *cached = Cached::default();
            cached.foreign_write_seen();
            return Ok(false);
        }
        self.finish(app, cached, Group::new(begun.client), pending, false)?;
        Ok(true)
    }
}
