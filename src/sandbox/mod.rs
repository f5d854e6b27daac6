//! The sandbox machinery every family calls, written once: errors, credentials, determinism, fixtures,
//! formats, the clock, per-app state and the gateway layers.

pub mod auth;
pub mod clock;
pub mod determinism;
pub mod error;
pub mod fixtures;
pub mod formats;
pub mod locale;
pub mod observe;
pub mod payload;
pub mod persons;
pub mod state;

use determinism::Determinism;
use fixtures::{FixtureError, Fixtures};
use state::{Apps, DemoApp};

/// Everything a handler needs: the fixture world, the seed, and the apps with their state.
#[derive(Debug)]
pub struct Sandbox {
    pub fixtures: Fixtures,
    pub determinism: Determinism,
    pub apps: Apps,
}

/// How to build a [`Sandbox`]: the parts of the configuration the machinery itself uses.
#[derive(Debug, Clone)]
pub struct SandboxSettings {
    pub seed: u64,
    /// `None`: the fixtures embedded in the binary.
    pub fixtures_dir: Option<std::path::PathBuf>,
    pub demo: DemoApp,
}

impl Default for SandboxSettings {
    fn default() -> Self {
        Self {
            seed: Determinism::DEFAULT_SEED,
            fixtures_dir: None,
            demo: DemoApp::default(),
        }
    }
}

impl Sandbox {
    pub fn new(settings: &SandboxSettings) -> Result<Self, FixtureError> {
        let fixtures = match &settings.fixtures_dir {
            Some(dir) => Fixtures::from_dir(dir)?,
            None => Fixtures::embedded()?,
        };
        Ok(Self {
            fixtures,
            determinism: Determinism::new(settings.seed),
            apps: Apps::with_demo(&settings.demo),
        })
    }
}
