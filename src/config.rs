//! The command line and its `SANDBANK_*` environment variables, typed.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::sandbox::{
    callbacks::RetryPolicy, determinism::Determinism, state::DemoApp, SandboxSettings,
};

#[derive(Debug, Parser)]
#[command(
    name = "sandbank",
    version,
    about = "A sandbox of the bank's API Banking catalogue"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serve options, also accepted without the `serve` subcommand.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the sandbox (the default).
    Serve(ServeArgs),
    /// Write the OpenAPI document as openapi.json and openapi.yaml.
    Spec {
        /// The directory to write into.
        #[arg(long, default_value = "specs")]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Interface to listen on.
    #[arg(long, env = "SANDBANK_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (the `listening on` line says which).
    #[arg(long, env = "SANDBANK_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Seed of every synthetic answer; fixture data never depends on it.
    #[arg(long, env = "SANDBANK_SEED", default_value_t = Determinism::DEFAULT_SEED)]
    pub seed: u64,
    /// Load fixtures from this directory instead of the embedded set.
    #[arg(long, env = "SANDBANK_FIXTURES")]
    pub fixtures: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(long, env = "SANDBANK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// The demo app's apikey.
    #[arg(
        long,
        env = "SANDBANK_DEMO_APIKEY",
        default_value = "sandbank-demo-key"
    )]
    pub demo_apikey: String,
    /// Where the demo app's callbacks (UPI collect results, e-collection MIS) are POSTed.
    #[arg(long, env = "SANDBANK_CALLBACK_URL")]
    pub callback_url: Option<String>,
    /// Objects kept per app before the oldest settled ones are evicted.
    #[arg(long, env = "SANDBANK_MAX_OBJECTS_PER_APP", default_value_t = crate::sandbox::store::DEFAULT_OBJECT_LIMIT)]
    pub max_objects_per_app: usize,
    /// The wait before a failed callback's first retry, doubled after each further failure.
    #[arg(long, env = "SANDBANK_CALLBACK_BACKOFF_MS", default_value_t = 1000)]
    pub callback_backoff_ms: u64,
}

impl ServeArgs {
    pub fn sandbox_settings(&self) -> SandboxSettings {
        SandboxSettings {
            seed: self.seed,
            fixtures_dir: self.fixtures.clone(),
            demo: DemoApp {
                apikey: self.demo_apikey.clone(),
                callback_url: self.callback_url.clone(),
                ..DemoApp::default()
            },
            object_limit: self.max_objects_per_app,
            callback_policy: RetryPolicy {
                first_backoff: std::time::Duration::from_millis(self.callback_backoff_ms),
                ..RetryPolicy::default()
            },
        }
    }
}
