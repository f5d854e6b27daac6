//! What a [`Sandbox`] keeps in its store besides the apps' state, when the store keeps it: an app
//! created through another process sharing the store (PostgreSQL), found by its credential; the plan
//! quota's count and the request log (SQLite, across restarts; PostgreSQL, one for every process).
//! With the memory store each falls back to the app's own (in memory).

use std::sync::Arc;

use crate::sandbox::{
    bank::store::{outcome, LoggedRow, Named, StoreError},
    gateway::{
        apps::App,
        quota::{self, Admission, Standing},
        request_log::{Entry, Filter, LoggedRequest, CAPACITY},
        scopes::Scope,
    },
    Sandbox,
};

impl Sandbox {
    /// The app `apikey` names: registered in this process, or kept by a store this process shares
    /// with others (one created through another process: registered here now). `Err`: the store
    /// did not answer (the request answers 503).
    pub fn app_by_apikey(&self, apikey: &str) -> Result<Option<Arc<App>>, StoreError> {
        match self.apps.by_apikey(apikey) {
            Some(app) => Ok(Some(app)),
            None => self.kept_app(Named::ApiKey, apikey),
        }
    }

    /// The app OAuth client `client_id` names, as [`Self::app_by_apikey`].
    pub fn app_by_client_id(&self, client_id: &str) -> Result<Option<Arc<App>>, StoreError> {
        match self.apps.by_client_id(client_id) {
            Some(app) => Ok(Some(app)),
            None => self.kept_app(Named::ClientId, client_id),
        }
    }

    fn kept_app(&self, named: Named, credential: &str) -> Result<Option<Arc<App>>, StoreError> {
        let Some(kept) = self.store.kept_app(named, credential)? else {
            return Ok(None);
        };
        let app = self.apps.restore(App::from_kept(kept).map_err(StoreError)?);
        self.store.restore_clock(&app)?;
        Ok(Some(app))
    }

    /// Counts one business call of `app` against its plan: in the store when it keeps the count (one
    /// count for every process, kept across restarts), else in the app. `Err`: the store did not answer (the request answers 503).
    pub fn consume_quota(&self, app: &App) -> Result<Admission, StoreError> {
        let Some(limit) = app.quota.limit() else {
            return Ok(Admission::Unlimited);
        };
        let now = app.clock.now();
        Ok(
            match self.store.count_call(&app.id, quota::today(now), limit)? {
                Some(calls) => app.quota.counted(calls, now),
                None => app.quota.consume(&app.clock),
            },
        )
    }

    /// The calls `app` made today, as [`Self::consume_quota`] counted them.
    pub fn calls_today(&self, app: &App) -> u32 {
        let now = app.clock.now();
        match self.store.calls_on(&app.id, quota::today(now)) {
            Ok(Some(calls)) => calls,
            Ok(None) => app.quota.used(now),
            Err(error) => {
                // Only the rate-limit headers and the usage view read it: the local count will do.
                tracing::error!(%error, "quota");
                app.quota.used(now)
            }
        }
    }

    /// Where `app` stands against its plan today (`None`: unlimited).
    pub fn quota_standing(&self, app: &App) -> Option<Standing> {
        app.quota
            .standing_at(self.calls_today(app), app.clock.now())
    }

    /// Logs one request of `app`'s: in the store when it keeps the log (one log for every process,
    /// kept across restarts), else in the app. Its number in the app's log. The answer is already made, so a store that does not
    /// answer costs only the shared entry (this process keeps it).
    pub async fn log_request(&self, app: &App, entry: Entry) -> u64 {
        if !self.store.shares_logs() {
            return app.log.push(entry);
        }
        match self
            .store
            .log_request(&app.id, shared(entry.clone()), CAPACITY)
            .await
        {
            Ok(Some(id)) => id,
            Ok(None) => app.log.push(entry),
            Err(error) => {
                tracing::error!(%error, "request log");
                app.log.push(entry)
            }
        }
    }

    /// `app`'s most recent requests `filter` wants, newest first, from wherever
    /// [`Self::log_request`] keeps them.
    pub fn recent_requests(&self, app: &App, filter: &Filter) -> Vec<LoggedRequest> {
        match self.store.logged_requests(&app.id) {
            Ok(Some(rows)) => pick(filter, rows),
            Ok(None) => app.log.recent(filter),
            Err(error) => {
                outcome::failed(&error);
                Vec::new()
            }
        }
    }
}

/// An entry as a shared log keeps it: rendered now (secrets masked), numbered by the store.
fn shared(entry: Entry) -> LoggedRow {
    LoggedRow {
        id: 0,
        scope: entry.scope.map(|scope| scope.name().to_string()),
        path: entry.path.clone(),
        status: entry.status,
        entry: serde_json::to_string(&entry.render(0)).expect("a logged request serialises"),
    }
}

/// The rows of a shared log (newest first) `filter` wants, as the log shows them.
fn pick(filter: &Filter, rows: Vec<LoggedRow>) -> Vec<LoggedRequest> {
    rows.into_iter()
        .filter(|row| {
            let scope = row.scope.as_deref().and_then(Scope::parse);
            filter.admits(scope, &row.path, row.status)
        })
        .take(filter.limit)
        .filter_map(|row| {
            let mut request: LoggedRequest = serde_json::from_str(&row.entry).ok()?;
            request.id = row.id;
            Some(request)
        })
        .collect()
}
