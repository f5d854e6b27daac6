//! The sandbox machinery every family calls, written once: errors, credentials and tokens, determinism,
//! fixtures, formats, the clock, per-app state, and the gateway (quotas, scenarios, encryption, the
//! request log).

pub mod auth;
pub mod clock;
pub mod determinism;
pub mod encryption;
pub mod error;
pub mod fixtures;
pub mod formats;
pub mod gateway;
pub mod keys;
pub mod locale;
pub mod oauth;
pub mod observe;
pub mod operations;
pub mod payload;
pub mod persons;
pub mod quota;
pub mod request_log;
pub mod scenario;
pub mod scopes;
pub mod state;

use determinism::Determinism;
use fixtures::{FixtureError, Fixtures};
use gateway::GatewaySettings;
use keys::BankKey;
use oauth::{TokenSettings, Tokens};
use state::{App, Apps, DemoApp};

/// Everything a handler needs: the fixture world, the seed, the apps with their state, and the
/// gateway's keys and settings.
#[derive(Debug)]
pub struct Sandbox {
    pub fixtures: Fixtures,
    pub determinism: Determinism,
    pub apps: Apps,
    pub tokens: Tokens,
    pub bank_key: BankKey,
    pub gateway: GatewaySettings,
}

/// How to build a [`Sandbox`]: the parts of the configuration the machinery itself uses.
#[derive(Debug, Clone)]
pub struct SandboxSettings {
    pub seed: u64,
    /// `None`: the fixtures embedded in the binary.
    pub fixtures_dir: Option<std::path::PathBuf>,
    pub demo: DemoApp,
    pub tokens: TokenSettings,
    /// The bank's private key PEM (optionally with its certificate); `None`: the embedded sandbox pair.
    pub bank_key_pem: Option<String>,
    pub gateway: GatewaySettings,
}

impl Default for SandboxSettings {
    fn default() -> Self {
        Self {
            seed: Determinism::DEFAULT_SEED,
            fixtures_dir: None,
            demo: DemoApp::default(),
            tokens: TokenSettings::default(),
            bank_key_pem: None,
            gateway: GatewaySettings::default(),
        }
    }
}

/// Why the sandbox cannot start.
#[derive(Debug)]
pub enum StartError {
    Fixtures(FixtureError),
    /// A key flag (`--bank-key`, `--jwt-key`, `--jwt-secret`) is unusable.
    Key(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Fixtures(e) => e.fmt(f),
            StartError::Key(e) => f.write_str(e),
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
    pub fn new(settings: &SandboxSettings) -> Result<Self, StartError> {
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
        Ok(Self {
            fixtures,
            determinism: Determinism::new(settings.seed),
            apps: Apps::with_demo(&settings.demo),
            tokens: Tokens::new(&settings.tokens).map_err(StartError::Key)?,
            bank_key,
            gateway: settings.gateway.clone(),
        })
    }

    /// `POST /sandbox/reset`: the app back to a fresh start. This is the one place an app's state is
    /// wiped; it clears everything an app owns today — its clock, its request log and its quota
    /// counter — and every per-app store added later is cleared here too.
    pub fn reset_app(&self, app: &App) {
        app.clock.real();
        app.log.clear();
        app.quota.reset();
    }
}
