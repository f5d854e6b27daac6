//! A request under the app's lock: its database transaction begins (taking the app's advisory lock),
//! the cached copy catches up to the committed version, the request runs on it, and the rows it
//! changed are written with the next version before the answer goes out.

use crate::sandbox::{
    bank::store::{
        postgres::{
            clock::{adopt_clock, clock_text},
            group::{Commit, Group},
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
    /// Runs `f` inside the app's database transaction, then writes what changed: a transaction
    /// another request left open (`group.rs`) when there is one, else one begun now. `queued`: other
    /// requests wait for the app, so the transaction may be left to them to commit (`commit` then
    /// says how that went).
    pub(super) fn run_locked(
        &self,
        app: &App,
        cached: &mut Cached,
        f: &mut dyn FnMut(&mut AppState, &mut Effects),
        queued: bool,
        commit: &mut Option<Commit>,
    ) -> Result<Effects, StoreError> {
        let group = match cached.open.take() {
            // The copy holds what the open transaction wrote, under its lock.
            Some(group) => group,
            None => self.begin(app, cached)?,
        };
        let state = cached.state.as_mut().expect("loaded above");
        let mut effects = Effects::default();
        state.advance(app, &mut effects);
        f(state, &mut effects);
        let pending = self.pending(app, cached, &effects)?;
        *commit = self.finish(app, cached, group, pending, queued)?;
        Ok(effects)
    }

    /// Begins the app's transaction and brings the copy to its committed version.
    fn begin(&self, app: &App, cached: &mut Cached) -> Result<Group, StoreError> {
        let known = cached.state.as_ref().map(|_| cached.version);
        let begun = self.run(state::begin(self.pool.clone(), app.id.clone(), known))?;
        let mut client = begun.client;
        if let Some(loaded) = begun.rows {
            client = self.catch_up(app, cached, loaded, client)?;
            cached.version = begun.version;
        }
        adopt_clock(app, cached, begun.clock);
        refuse_if_gone(app, begun.enabled);
        Ok(Group::new(client))
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

    /// Ends this request's part in `group`'s transaction (begun at `cached.version`). A read alone
    /// in it ends it without waiting. Else, with requests `queued` for the app and room in the
    /// group, its rows are left with the group and the transaction open for them: the answer is the
    /// commit to wait on. Otherwise every request's rows are written and committed.
    pub(super) fn finish(
        &self,
        app: &App,
        cached: &mut Cached,
        mut group: Group,
        pending: Pending,
        queued: bool,
    ) -> Result<Option<Commit>, StoreError> {
        cached.last_read = pending.is_read();
        if pending.is_read() && !group.serves_any() {
            // What it saw was committed; its transaction ends without being waited for.
            self.bridge.detach(state::end(group.take_client()));
            return Ok(None);
        }
        let write = (!pending.is_read()).then(|| write::Write {
            app_id: app.id.clone(),
            version: cached.version + 1,
            clock: pending.clock_changed.then(|| pending.clock.clone()),
            whole: pending.changes.whole,
            rows: pending.changes.rows,
            outbox: pending.outbox,
        });
        let wrote = write.is_some();
        if queued && group.has_room() {
            Self::wrote(cached, wrote, pending.clock);
            let commit = group.join(write, super::serving());
            cached.open = Some(group);
            return Ok(Some(commit));
        }
        let writes = group.writes_with(write);
        self.commit(group, writes)?;
        Self::wrote(cached, wrote, pending.clock);
        Ok(None)
    }

    /// Sends `writes` and commits `group`'s transaction, telling every request in it how that went.
    fn commit(&self, mut group: Group, writes: Vec<write::Write>) -> Result<(), StoreError> {
        let committed = self
            .bridge
            .run(write::commit(group.take_client(), writes))
            .unwrap_or_else(|| Err("postgres: the database task failed".into()));
        group.settle(&committed);
        committed.map_err(StoreError)
    }

    /// The copy is at the next version, as this request left it.
    fn wrote(cached: &mut Cached, wrote: bool, clock: String) {
        if wrote {
            cached.version += 1;
            cached.clock = Some(clock);
        }
    }

    /// Commits the transaction a queue of requests left open, if any: before the app's copy or
    /// rows are touched other than by a request.
    pub(super) fn settle_open(&self, cached: &mut Cached) -> Result<(), StoreError> {
        let Some(mut group) = cached.open.take() else {
            return Ok(());
        };
        let writes = group.writes_with(None);
        let committed = self.commit(group, writes);
        if committed.is_err() {
            // The copy holds what was not committed.
            *cached = Cached::default();
        }
        committed
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
