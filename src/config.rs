//! The command line and its `SANDBANK_*` environment variables, typed.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::sandbox::{determinism::Determinism, state::DemoApp, SandboxSettings};

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
}

impl ServeArgs {
    pub fn sandbox_settings(&self) -> SandboxSettings {
        SandboxSettings {
            seed: self.seed,
            fixtures_dir: self.fixtures.clone(),
            demo: DemoApp {
                apikey: self.demo_apikey.clone(),
                ..DemoApp::default()
            },
        }
    }
}
