//! Apps: who is calling, and what belongs to them. Every app owns its sandbox clock, its quota counter,
//! its request log (and, as families land, its objects); another app's state is invisible to it. The
//! demo app always exists.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering},
        Arc, RwLock,
    },
};

use chrono::{DateTime, Utc};
use rsa::RsaPublicKey;

use crate::sandbox::{
    bank::clock::SandboxClock,
    gateway::encryption::CallbackSealing,
    gateway::quota::Quota,
    gateway::readiness::Readiness,
    gateway::request_log::RequestLog,
    gateway::scopes::{Scope, ScopeSet},
};

mod kept;

pub use kept::{AppColumns, KeptApp};

/// An app's plan (from the bank portal's FAQ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// 10 000 calls a day.
    Sandbox,
    /// Unlimited.
    Premium,
    /// An explicit daily limit (`dailyLimit` at creation).
    Custom(u32),
}

impl Plan {
    /// The Sandbox plan's calls a day.
    pub const SANDBOX_DAILY_LIMIT: u32 = 10_000;

    /// Business calls a day; `None` for unlimited.
    pub fn daily_limit(self) -> Option<u32> {
        match self {
            Plan::Sandbox => Some(Self::SANDBOX_DAILY_LIMIT),
            Plan::Premium => None,
            Plan::Custom(limit) => Some(limit),
        }
    }

    /// Its name in `POST /sandbox/apps` and `GET /sandbox/apps/me`.
    pub fn name(self) -> &'static str {
        match self {
            Plan::Sandbox => "sandbox",
            Plan::Premium => "premium",
            Plan::Custom(_) => "custom",
        }
    }
}

/// A registered partner app: its settings (read through it: `app.plan`), and what it accrues.
#[derive(Debug)]
pub struct App {
    settings: AppSettings,
    pub created_at: DateTime<Utc>,
    pub clock: SandboxClock,
    pub quota: Quota,
    pub log: RequestLog,
    /// What the app's requests have proven of the go-live checklists.
    pub readiness: Readiness,
    enabled: AtomicBool,
    /// When a credential of the app was last used (unix seconds, real time), for idle expiry.
    last_used: AtomicI64,
}

impl std::ops::Deref for App {
    type Target = AppSettings;

    fn deref(&self) -> &AppSettings {
        &self.settings
    }
}

/// What an app calls and is called back with: its key, its OAuth client, and the secret its callbacks
/// are signed with. The registry, the demo app's flags and the stores all hold these four together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub apikey: String,
    pub client_id: String,
    pub client_secret: String,
    /// Keys the HMAC in every callback's `X-Sandbank-Signature` (`sbw_` + 32 hex digits).
    pub callback_secret: String,
}

impl Credentials {
    /// Fresh credentials for the app `id` (its client id is derived from it, its secrets random).
    pub fn issued(id: &str) -> Self {
        Self {
            apikey: new_secret("sbk_"),
            client_id: format!("{id}-client"),
            client_secret: new_secret("sbs_"),
            callback_secret: new_secret("sbw_"),
        }
    }
}

/// What a new app is made of; [`App::new`] adds the per-app state.
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Stable id; generated references derive from it, so two apps never share a UTR or RRN.
    pub id: String,
    pub name: String,
    pub credentials: Credentials,
    pub plan: Plan,
    /// Where the sandbox posts asynchronous outcomes for this app.
    pub callback_url: Option<String>,
    /// The families this app may call (its "subscribed products" at the bank portal).
    pub scopes: ScopeSet,
    /// Set for apps created with `encryption: true`: answers are encrypted under this key (§9),
    /// with the PEM the app registered (shown back by `GET /sandbox/apps/me`).
    pub public_key: Option<(RsaPublicKey, String)>,
    /// How callbacks are sealed for an encrypted app.
    pub callback_sealing: CallbackSealing,
}

impl App {
    pub fn new(settings: AppSettings) -> Self {
        Self {
            quota: Quota::new(settings.plan.daily_limit()),
            settings,
            created_at: Utc::now(),
            clock: SandboxClock::default(),
            log: RequestLog::default(),
            readiness: Readiness::default(),
            enabled: AtomicBool::new(true),
            last_used: AtomicI64::new(Utc::now().timestamp()),
        }
    }

    /// The key answers are encrypted under (an encrypted app's).
    pub fn public_key(&self) -> Option<&RsaPublicKey> {
        self.settings.public_key.as_ref().map(|(key, _)| key)
    }

    /// The PEM the app registered its key as.
    pub fn public_key_pem(&self) -> Option<&str> {
        self.settings
            .public_key
            .as_ref()
            .map(|(_, pem)| pem.as_str())
    }

    /// Notes that the app is in use (its apikey or token was presented).
    pub fn touch(&self) {
        self.last_used
            .store(Utc::now().timestamp(), Ordering::Relaxed);
    }

    /// How long since the app was last used (real time).
    pub fn idle_for(&self) -> std::time::Duration {
        let idle = Utc::now().timestamp() - self.last_used.load(Ordering::Relaxed);
        std::time::Duration::from_secs(idle.max(0) as u64)
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    pub fn disable(&self) {
        self.enabled.store(false, Ordering::Release);
    }

    pub fn encrypted(&self) -> bool {
        self.public_key.is_some()
    }

    pub fn may_call(&self, scope: Scope) -> bool {
        self.scopes.contains(scope)
    }
}

/// The demo app's id: it is never expired.
pub const DEMO_APP_ID: &str = "demo";

/// The demo app's identity, configurable so that a shared deployment can change its key.
#[derive(Debug, Clone)]
pub struct DemoApp {
    /// `--demo-apikey`, `--demo-client-id`, `--demo-client-secret` and `--demo-callback-secret`
    /// (fixed and documented by default, so that docs and CI can verify the demo app's callbacks).
    pub credentials: Credentials,
    /// `--callback-url`.
    pub callback_url: Option<String>,
}

impl Default for DemoApp {
    fn default() -> Self {
        Self {
            credentials: Credentials {
                apikey: "sandbank-demo-key".into(),
                client_id: "sandbank-demo".into(),
                client_secret: "sandbank-demo-secret".into(),
                callback_secret: "sandbank-demo-callback-secret".into(),
            },
            callback_url: None,
        }
    }
}

#[derive(Debug, Default)]
struct Registry {
    by_apikey: HashMap<String, Arc<App>>,
    by_client_id: HashMap<String, Arc<App>>,
}

impl Registry {
    /// Finds `app` by its key and by its OAuth client from now on.
    fn insert(&mut self, app: &Arc<App>) {
        let credentials = &app.credentials;
        self.by_apikey
            .insert(credentials.apikey.clone(), app.clone());
        self.by_client_id
            .insert(credentials.client_id.clone(), app.clone());
    }

    fn remove(&mut self, app: &App) {
        self.by_apikey.remove(&app.credentials.apikey);
        self.by_client_id.remove(&app.credentials.client_id);
    }
}

/// The registry of apps, keyed by apikey and by OAuth client id. Reads vastly outnumber writes; the lock
/// is never held across an `.await`.
#[derive(Debug, Default)]
pub struct Apps {
    registry: RwLock<Registry>,
    created: AtomicU64,
}

impl Apps {
    pub fn with_demo(demo: &DemoApp) -> Self {
        let apps = Self::default();
        apps.register(App::new(AppSettings {
            id: DEMO_APP_ID.into(),
            name: "Demo app".into(),
            credentials: demo.credentials.clone(),
            plan: Plan::Sandbox,
            callback_url: demo.callback_url.clone(),
            scopes: ScopeSet::all(),
            public_key: None,
            callback_sealing: CallbackSealing::default(),
        }));
        apps
    }

    /// The next app id: `app-0001`, `app-0002`, … — stable for a fresh server, so that a CI run that
    /// creates its app first sees the same generated references every time.
    pub fn next_id(&self) -> String {
        format!(
            "app-{:04}",
            self.created.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    /// The id of app number `number` (one a store shared by several processes gave out).
    pub fn id_for(&self, number: u64) -> String {
        self.created.fetch_max(number, Ordering::Relaxed);
        format!("app-{number:04}")
    }

    /// Registers `app` unless `max` apps are registered already (`None` then).
    pub fn register_within(&self, app: App, max: usize) -> Option<Arc<App>> {
        let app = Arc::new(app);
        let mut registry = self.registry.write().unwrap_or_else(|e| e.into_inner());
        if registry.by_apikey.len() >= max {
            return None;
        }
        registry.insert(&app);
        Some(app)
    }

    /// Registers an app a store kept (at start-up): new ids continue after the highest kept.
    pub fn restore(&self, app: App) -> Arc<App> {
        if let Some(number) = app.id.strip_prefix("app-").and_then(|n| n.parse().ok()) {
            self.created.fetch_max(number, Ordering::Relaxed);
        }
        self.register(app)
    }

    /// Unregisters `app` (one the store could not keep).
    pub fn unregister(&self, app: &App) {
        let mut registry = self.registry.write().unwrap_or_else(|e| e.into_inner());
        registry.remove(app);
    }

    pub fn register(&self, app: App) -> Arc<App> {
        let app = Arc::new(app);
        let mut registry = self.registry.write().unwrap_or_else(|e| e.into_inner());
        registry.insert(&app);
        app
    }

    /// Every registered app (for the background ticker).
    pub fn all(&self) -> Vec<Arc<App>> {
        self.read().by_apikey.values().cloned().collect()
    }

    /// How many apps are registered, the demo app included.
    pub fn len(&self) -> usize {
        self.read().by_apikey.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Unregisters the apps unused for `idle` or longer (never the demo app) and returns them.
    pub fn expire_idle(&self, idle: std::time::Duration) -> Vec<Arc<App>> {
        let mut registry = self.registry.write().unwrap_or_else(|e| e.into_inner());
        let expired: Vec<Arc<App>> = registry
            .by_apikey
            .values()
            .filter(|app| app.id != DEMO_APP_ID && app.idle_for() >= idle)
            .cloned()
            .collect();
        for app in &expired {
            registry.remove(app);
        }
        expired
    }

    pub fn by_apikey(&self, apikey: &str) -> Option<Arc<App>> {
        self.read().by_apikey.get(apikey).cloned()
    }

    pub fn by_client_id(&self, client_id: &str) -> Option<Arc<App>> {
        self.read().by_client_id.get(client_id).cloned()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// A fresh unguessable credential: `prefix` and 32 hex digits from the operating system's RNG. Keys are
/// secrets, so they are the one thing in the sandbox that is deliberately not deterministic.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}
