//! A request under the app's lock: its database transaction begins (taking the app's advisory lock),
//! the cached copy catches up to the committed version, the request runs on it, and the rows it
//! changed are written with the next version before the answer goes out.

use crate::sandbox::{
    bank::store::{
        postgres::{
            clock::{adopt_clock, clock_text},
            outbox, state, write, Cached, PostgresStore,
        },
        rows::Changes,
        shared_callbacks::OwedCallback,
        AppState, Effects, StoreError,
    },
    gateway::apps::{App, DEMO_APP_ID},
};

/// What a request left to write once it ran on the copy.
pub(super) struct Pending {
    changes: Changes,
    clock: String,
    clock_changed: bool,
    outbox: Vec<OwedCallback>,
}

impl Pending {
    /// Nothing to write: the request only read.
    pub(super) fn is_read(&self) -> bool {
        self.changes.rows.is_empty()
            && !self.changes.whole
            && !self.clock_changed
            && self.outbox.is_empty()
    }
}

impl PostgresStore {
    /// Runs `f` inside the app's database transaction, then writes what changed.
    pub(super) fn run_locked(
        &self,
        app: &App,
        cached: &mut Cached,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
    ) -> Result<Effects, StoreError> {
        let known = cached.state.as_ref().map(|_| cached.version);
        let begun = self.run(state::begin(self.pool.clone(), app.id.clone(), known))?;
        let mut client = begun.client;
        if let Some(loaded) = begun.rows {
            client = self.catch_up(app, cached, loaded, client)?;
            cached.version = begun.version;
        }
        adopt_clock(app, cached, begun.clock);
        refuse_if_gone(app, begun.enabled);
        let state = cached.state.as_mut().expect("loaded above");
        let mut effects = Effects::default();
        state.advance(app, &mut effects);
        f(state, &mut effects);
        let pending = match self.pending(app, cached, &effects) {
            Ok(pending) => pending,
            Err(e) => {
                self.bridge.detach(state::end(client));
                return Err(e);
            }
        };
        self.finish(app, cached, client, pending)?;
        Ok(effects)
    }

    /// The rows, clock and callbacks the request left to write.
    pub(super) fn pending(
        &self,
        app: &App,
        cached: &mut Cached,
        effects: &Effects,
    ) -> Result<Pending, StoreError> {
        let state = cached.state.as_mut().expect("a copy to take from");
        let changes = state
            .take_rows(&self.codecs)
            .map_err(|e| StoreError(format!("postgres: {e}")))?;
        let clock = clock_text(&app.clock.setting());
        Ok(Pending {
            changes,
            clock_changed: cached.clock.as_deref() != Some(clock.as_str()),
            clock,
            outbox: outbox::owed(app, effects),
        })
    }

    /// Ends the transaction `client` holds (begun at `cached.version`): a read's without waiting, a
    /// write's by committing what `pending` holds with the next version.
    pub(super) fn finish(
        &self,
        app: &App,
        cached: &mut Cached,
        client: state::InTransaction,
        pending: Pending,
    ) -> Result<(), StoreError> {
        cached.last_read = pending.is_read();
        if pending.is_read() {
            // What it saw was committed; its transaction ends without being waited for.
            self.bridge.detach(state::end(client));
            return Ok(());
        }
        let version = cached.version + 1;
        let write = write::Write {
            app_id: app.id.clone(),
            version,
            clock: pending.clock_changed.then(|| pending.clock.clone()),
            whole: pending.changes.whole,
            rows: pending.changes.rows,
            outbox: pending.outbox,
        };
        self.run(write::commit(client, write))?;
        cached.version = version;
        cached.clock = Some(pending.clock);
        Ok(())
    }

    /// Brings the cached copy to the version the transaction began at: applies the rows changed
    /// since, or loads the app whole (as it is, or as fixtures when it has no rows). A copy that
    /// fails to apply is loaded whole instead, in the same transaction.
    fn catch_up(
        &self,
        app: &App,
        cached: &mut Cached,
        loaded: state::Loaded,
        client: state::InTransaction,
    ) -> Result<state::InTransaction, StoreError> {
        if cached.state.is_some() {
            cached.foreign_write_seen();
        }
        let (client, rows) = match (loaded, cached.state.as_mut()) {
            (state::Loaded::Since(changes), Some(copy)) => {
                let count = changes.len();
                match copy.apply_rows(changes, &self.codecs) {
                    Ok(()) => {
                        self.loads.caught_up(count);
                        return Ok(client);
                    }
                    Err(e) => {
                        tracing::warn!(app = %app.id, error = %e, "loading the app whole");
                        cached.state = None;
                        self.run(state::reload(client, app.id.clone()))?
                    }
                }
            }
            (state::Loaded::Since(_), None) => self.run(state::reload(client, app.id.clone()))?,
            (state::Loaded::Whole(rows), _) => (client, rows),
        };
        self.loads.whole(rows.len());
        match AppState::from_rows(rows, &self.codecs, self.object_limit) {
            Ok(loaded) => {
                cached.state = Some(loaded.unwrap_or_else(|| (self.seeder)(app)));
                Ok(client)
            }
            Err(e) => {
                self.bridge.detach(state::end(client));
                Err(StoreError(format!("postgres: {e}")))
            }
        }
    }
}

/// Disabled through another process, or expired there (its `apps` row gone: only the demo app has
/// none): refused from this process's next request on.
pub(super) fn refuse_if_gone(app: &App, enabled: Option<bool>) {
    let gone = enabled.is_none() && app.id != DEMO_APP_ID;
    if (enabled == Some(false) || gone) && app.is_enabled() {
        app.disable();
    }
}
