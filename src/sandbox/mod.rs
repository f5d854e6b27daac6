//! The sandbox machinery every family calls, written once, in two rooms by role:
//!
//! - [`gateway`]: what the bank's gateway does in front of every operation — the app registry,
//!   credentials, tokens and scopes, quotas, scenarios, encryption, the error envelope, the request log
//!   and the readiness report graded from it;
//! - [`bank`]: the bank's shared machinery — the ledger, the per-app clock, fixtures, determinism,
//!   formats, the rails, per-app state behind one store, snapshots and callbacks.
//!
//! This file holds [`Sandbox`], what a handler needs, and how it is built; `shared.rs` what it shares
//! with other processes through a database store (apps, quota counts, the request log).

pub mod bank;
pub mod gateway;
mod shared;

use std::sync::Arc;

use bank::callbacks::{CallbackDispatcher, DeliveryLimits, RetryPolicy};
use bank::determinism::Determinism;
use bank::fixtures::{FixtureError, Fixtures};
use bank::ledger::Ledger;
use bank::snapshot::FamilyCodec;
use bank::store::{
    outcome, postgres::PostgresStore, sqlite::SqliteStore, AppState, Ctx, Effects, Family,
    InMemoryStore, Seeder, Store, StoreChoice, StoreError,
};
use gateway::app_limits::{AppLimits, CreationRate};
use gateway::apps::{App, Apps, DemoApp};
use gateway::keys::BankKey;
use gateway::tokens::{TokenSettings, Tokens};
use gateway::GatewaySettings;

/// Everything a handler needs: the fixture world, the seed, the apps, their state and callbacks.
pub struct Sandbox {
    /// The bank's world: persons, corporates, accounts, IFSCs (embedded or `--fixtures`).
    pub fixtures: Arc<Fixtures>,
    /// Where every generated reference and synthetic answer comes from (`--seed`).
    pub determinism: Determinism,
    /// The registry of apps, by apikey and OAuth2 client.
    pub apps: Apps,
    /// Where the apps' state is kept (`--store`).
    pub store: Box<dyn Store>,
    /// Objects kept per app (`--max-objects-per-app`).
    pub object_limit: usize,
    /// Sends the callbacks transactions owe, with retries, and keeps their history.
    pub callbacks: Arc<CallbackDispatcher>,
    /// Issues and verifies OAuth2 tokens.
    pub tokens: Tokens,
    /// The sandbox bank's RSA key pair, for the encryption envelope.
    pub bank_key: BankKey,
    /// How the gateway treats every request (timeout, CORS, admin token).
    pub gateway: GatewaySettings,
    /// Bounds on apps: how many, how fast they are created, when idle ones expire.
    pub app_limits: AppLimits,
    /// `POST /sandbox/apps` per source address.
    pub creations: CreationRate,
    /// When idle apps were last looked for (unix seconds).
    last_expiry_sweep: std::sync::atomic::AtomicI64,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").finish_non_exhaustive()
    }
}

/// How to build a [`Sandbox`]: the parts of the configuration the machinery itself uses.
#[derive(Debug, Clone)]
pub struct SandboxSettings {
    /// The seed of every synthetic answer (`--seed`).
    pub seed: u64,
    /// `None`: the fixtures embedded in the binary.
    pub fixtures_dir: Option<std::path::PathBuf>,
    /// The demo app's credentials and callback URL.
    pub demo: DemoApp,
    /// Objects kept per app before the oldest settled ones are evicted.
    pub object_limit: usize,
    /// When failed callbacks are retried.
    pub callback_policy: RetryPolicy,
    /// How many callbacks are delivered at once, and where they may go.
    pub callback_limits: DeliveryLimits,
    /// A PEM bundle trusted for `https://` callbacks besides the web PKI roots (`--callback-ca`).
    pub callback_ca_pem: Option<String>,
    /// How OAuth2 tokens are signed and named.
    pub tokens: TokenSettings,
    /// The bank's private key PEM (optionally with its certificate); `None`: the embedded sandbox pair.
    pub bank_key_pem: Option<String>,
    /// How the gateway treats every request.
    pub gateway: GatewaySettings,
    /// Bounds on apps.
    pub app_limits: AppLimits,
    /// Where the apps' state is kept (`--store`).
    pub store: StoreChoice,
    /// How the families' state becomes rows (a database store needs every family's).
    pub codecs: Vec<FamilyCodec>,
}

impl Default for SandboxSettings {
    fn default() -> Self {
        Self {
            seed: Determinism::DEFAULT_SEED,
            fixtures_dir: None,
            demo: DemoApp::default(),
            object_limit: bank::store::DEFAULT_OBJECT_LIMIT,
            callback_policy: RetryPolicy::default(),
            callback_limits: DeliveryLimits::default(),
            callback_ca_pem: None,
            tokens: TokenSettings::default(),
            bank_key_pem: None,
            gateway: GatewaySettings::default(),
            app_limits: AppLimits::default(),
            store: StoreChoice::Memory,
            codecs: Vec::new(),
        }
    }
}

/// Why the sandbox cannot start.
#[derive(Debug)]
pub enum StartError {
    /// The fixtures do not load (`--fixtures`).
    Fixtures(FixtureError),
    /// A key flag (`--bank-key`, `--jwt-key`, `--jwt-secret`, `--callback-ca`) is unusable.
    Key(String),
    /// An embedded readiness checklist does not compile.
    Checklist(String),
    /// The `--store` database cannot be used.
    Store(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Fixtures(e) => e.fmt(f),
            StartError::Key(e) | StartError::Checklist(e) => f.write_str(e),
            StartError::Store(e) => write!(f, "--store: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

impl From<FixtureError> for StartError {
    fn from(e: FixtureError) -> Self {
        StartError::Fixtures(e)
    }
}

impl Sandbox {
    /// Loads the fixtures and keys, opens the store and registers the apps it kept.
    pub fn new(settings: &SandboxSettings) -> Result<Self, StartError> {
        gateway::readiness::load().map_err(StartError::Checklist)?;
        let fixtures = match &settings.fixtures_dir {
            Some(dir) => Fixtures::from_dir(dir)?,
            None => Fixtures::embedded()?,
        };
        let bank_key = match &settings.bank_key_pem {
            Some(pem) => {
                BankKey::from_pem(pem).map_err(|e| StartError::Key(format!("--bank-key: {e}")))?
            }
            None => BankKey::embedded(),
        };
        let fixtures = Arc::new(fixtures);
        let determinism = Determinism::new(settings.seed);
        let seeder_fixtures = fixtures.clone();
        let limit = settings.object_limit;
        let callback_tls =
            bank::callbacks::tls::callback_client_config(settings.callback_ca_pem.as_deref())
                .map_err(StartError::Key)?;
        let seeder: Seeder = Box::new(move |app: &App| {
            let ledger = Ledger::seeded(&seeder_fixtures, &determinism, app.clock.today(), limit);
            AppState::new(ledger, limit)
        });
        let store = open_store(settings, seeder)?;
        let apps = restore_apps(settings, store.as_ref())?;
        let mut tokens = settings.tokens.clone();
        if tokens.secret.is_none() && tokens.rsa_private_pem.is_none() {
            // A database store keeps one, so that tokens outlive a restart.
            tokens.secret = store
                .signing_secret()
                .map_err(|e| StartError::Store(e.to_string()))?;
        }
        for app in apps.all() {
            store
                .restore_clock(&app)
                .map_err(|e| StartError::Store(e.to_string()))?;
        }
        let shared_callbacks = store.shared_callbacks();
        Ok(Self {
            fixtures,
            determinism,
            apps,
            store,
            object_limit: limit,
            callbacks: Arc::new(
                CallbackDispatcher::new(
                    settings.callback_policy,
                    settings.callback_limits.clone(),
                    callback_tls,
                )
                .sharing(shared_callbacks),
            ),
            tokens: Tokens::new(&tokens).map_err(StartError::Key)?,
            bank_key,
            gateway: settings.gateway.clone(),
            app_limits: settings.app_limits.clone(),
            creations: CreationRate::default(),
            last_expiry_sweep: std::sync::atomic::AtomicI64::new(chrono::Utc::now().timestamp()),
        })
    }

    /// Runs `f` atomically on `app`'s state, then sends the callbacks it produced. `f` may run
    /// twice (`Store::transact`): it touches nothing but the state and effects it is given.
    pub fn transact<R>(
        &self,
        app: &Arc<App>,
        mut f: impl FnMut(&mut AppState, &mut Effects) -> R,
    ) -> R {
        let mut out = None;
        let effects = self
            .store
            .transact(app, &mut |state, effects| {
                // The last run is the one kept.
                out = Some(f(state, effects));
            })
            .unwrap_or_else(|error| {
                // Nothing was kept: the request answers 503, and no callback goes out.
                outcome::failed(&error);
                Effects::default()
            });
        for callback in effects.callbacks {
            self.callbacks.dispatch(app.clone(), callback);
        }
        out.expect("the store runs the transaction at least once")
    }

    /// Runs `f` atomically on family `T`'s slice of `app`'s state, with the ledger beside it. This is
    /// what family handlers call.
    pub fn family<T: Family, R>(
        &self,
        app: &Arc<App>,
        create: impl Fn(usize) -> T,
        mut f: impl FnMut(&mut T, &mut Ctx<'_>) -> R,
    ) -> R {
        self.transact(app, |state, effects| {
            state.with_family(app, effects, &create, &mut f)
        })
    }

    /// Lets every app's pending work settle against its clock (the real-time background ticker), and
    /// once a minute expires idle apps.
    pub fn tick(&self) {
        let apps = self.apps.all();
        self.callbacks.tick(&apps);
        let with_state: std::collections::HashSet<String> =
            self.store.app_ids().into_iter().collect();
        for app in apps {
            if with_state.contains(&app.id) {
                self.transact(&app, |_, _| ());
            }
        }
        let now = chrono::Utc::now().timestamp();
        let last = self
            .last_expiry_sweep
            .load(std::sync::atomic::Ordering::Relaxed);
        if now - last >= 60 {
            self.last_expiry_sweep
                .store(now, std::sync::atomic::Ordering::Relaxed);
            self.expire_idle_apps();
        }
    }

    /// Removes apps unused for `--app-idle-expiry-hours` (never the demo app) with all they hold;
    /// returns how many went.
    pub fn expire_idle_apps(&self) -> usize {
        let Some(idle) = self.app_limits.idle_expiry else {
            return 0;
        };
        let expired = self.apps.expire_idle(idle);
        for app in &expired {
            if let Err(error) = self.store.forget(&app.id) {
                outcome::failed(&error);
            }
            self.callbacks.expired(&app.id);
        }
        expired.len()
    }

    /// `POST /sandbox/reset`: wipes `app`'s state back to the fixtures. The one place an app's state is
    /// cleared: its clock (back to real time, first, so the store re-seeds on today), its objects and
    /// ledger, its callback history, its request log and readiness ledger, and today's quota count.
    /// Credentials are kept.
    pub fn reset(&self, app: &App) -> Result<(), StoreError> {
        app.clock.real();
        self.store.reset(&app.id)?;
        self.callbacks.reset(&app.id);
        app.log.clear();
        app.readiness.clear();
        app.quota.reset();
        Ok(())
    }
}

/// The demo app, then every app the store kept (ids continue after the highest); the state of any
/// other app the store holds is stale, and goes.
fn restore_apps(settings: &SandboxSettings, store: &dyn Store) -> Result<Apps, StartError> {
    let failed = |e: StoreError| StartError::Store(e.to_string());
    let apps = Apps::with_demo(&settings.demo);
    for kept in store.kept_apps().map_err(failed)? {
        apps.restore(App::from_kept(kept).map_err(StartError::Store)?);
    }
    let ids: Vec<String> = apps.all().iter().map(|app| app.id.clone()).collect();
    store.retain_apps(&ids).map_err(failed)?;
    Ok(apps)
}

/// The store `--store` names, opened (and migrated) now, so a bad one stops the start.
fn open_store(settings: &SandboxSettings, seeder: Seeder) -> Result<Box<dyn Store>, StartError> {
    if settings.store != StoreChoice::Memory && settings.codecs.is_empty() {
        return Err(StartError::Store(
            "a database store needs the families' codecs".into(),
        ));
    }
    let codecs = || settings.codecs.iter().map(FamilyCodec::rows).collect();
    match &settings.store {
        StoreChoice::Memory => Ok(Box::new(InMemoryStore::new(seeder))),
        StoreChoice::Sqlite(path) => {
            let store = SqliteStore::open(path, seeder, codecs(), settings.object_limit)
                .map_err(StartError::Store)?;
            Ok(Box::new(store))
        }
        StoreChoice::Postgres(url) => {
            let store = PostgresStore::open(
                url,
                seeder,
                codecs(),
                settings.object_limit,
                settings.app_limits.idle_expiry,
            )
            .map_err(StartError::Store)?;
            Ok(Box::new(store))
        }
    }
}
