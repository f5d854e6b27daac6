//! The command line and its `SANDBANK_*` environment variables, typed.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::sandbox::{
    callbacks::RetryPolicy,
    determinism::Determinism,
    gateway::GatewaySettings,
    oauth::{TokenSettings, DEFAULT_ISSUER},
    scenario::{DEFAULT_GATEWAY_TIMEOUT_MS, MAX_GATEWAY_TIMEOUT_MS},
    state::DemoApp,
    SandboxSettings,
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
    Serve(Box<ServeArgs>),
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
    /// The demo app's OAuth2 client_id.
    #[arg(long, env = "SANDBANK_DEMO_CLIENT_ID", default_value = "sandbank-demo")]
    pub demo_client_id: String,
    /// The demo app's OAuth2 client_secret.
    #[arg(
        long,
        env = "SANDBANK_DEMO_CLIENT_SECRET",
        default_value = "sandbank-demo-secret"
    )]
    pub demo_client_secret: String,
    /// When set, `POST /sandbox/apps` requires this in the `x-admin-token` header (shared deployments).
    #[arg(long, env = "SANDBANK_ADMIN_TOKEN")]
    pub admin_token: Option<String>,
    /// HS256 secret for OAuth2 tokens (at least 16 characters); default: random at each start.
    #[arg(long, env = "SANDBANK_JWT_SECRET")]
    pub jwt_secret: Option<String>,
    /// RSA private key PEM file: sign OAuth2 tokens RS256 instead of HS256.
    #[arg(long, env = "SANDBANK_JWT_KEY", value_parser = read_pem)]
    pub jwt_key: Option<String>,
    /// The `iss` of OAuth2 tokens.
    #[arg(long, env = "SANDBANK_JWT_ISSUER", default_value = DEFAULT_ISSUER)]
    pub jwt_issuer: String,
    /// The sandbox bank's RSA private key PEM file (optionally followed by its certificate), for the
    /// encryption envelope; default: the fixed sandbox pair embedded from `fixtures/keys/`.
    #[arg(long, env = "SANDBANK_BANK_KEY", value_parser = read_pem)]
    pub bank_key: Option<String>,
    /// How long the gateway waits for a backend before 504 + 8013 (at most 120000).
    #[arg(
        long,
        env = "SANDBANK_GATEWAY_TIMEOUT_MS",
        default_value_t = DEFAULT_GATEWAY_TIMEOUT_MS,
        value_parser = clap::value_parser!(u64).range(1..=MAX_GATEWAY_TIMEOUT_MS)
    )]
    pub gateway_timeout_ms: u64,
    /// Where the demo app's callbacks (UPI collect results, e-collection MIS) are POSTed.
    #[arg(long, env = "SANDBANK_CALLBACK_URL")]
    pub callback_url: Option<String>,
    /// Objects kept per app before the oldest settled ones are evicted.
    #[arg(long, env = "SANDBANK_MAX_OBJECTS_PER_APP", default_value_t = crate::sandbox::store::DEFAULT_OBJECT_LIMIT)]
    pub max_objects_per_app: usize,
    /// Browser origins allowed to call the sandbox (CORS), e.g. `https://app.example.com`; repeat the
    /// flag or separate with commas. Default: any origin.
    #[arg(
        long = "cors-origin",
        env = "SANDBANK_CORS_ORIGIN",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// The wait before a failed callback's first retry, doubled after each further failure.
    #[arg(long, env = "SANDBANK_CALLBACK_BACKOFF_MS", default_value_t = 1000)]
    pub callback_backoff_ms: u64,
}

/// Reads a PEM file named on the command line.
fn read_pem(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

impl ServeArgs {
    pub fn sandbox_settings(&self) -> SandboxSettings {
        SandboxSettings {
            seed: self.seed,
            fixtures_dir: self.fixtures.clone(),
            demo: DemoApp {
                apikey: self.demo_apikey.clone(),
                client_id: self.demo_client_id.clone(),
                client_secret: self.demo_client_secret.clone(),
                callback_url: self.callback_url.clone(),
            },
            tokens: TokenSettings {
                secret: self.jwt_secret.clone(),
                rsa_private_pem: self.jwt_key.clone(),
                issuer: self.jwt_issuer.clone(),
            },
            bank_key_pem: self.bank_key.clone(),
            gateway: GatewaySettings {
                timeout: std::time::Duration::from_millis(self.gateway_timeout_ms),
                admin_token: self.admin_token.clone(),
                cors_origins: self.cors_origins.clone(),
            },
            object_limit: self.max_objects_per_app,
            callback_policy: RetryPolicy {
                first_backoff: std::time::Duration::from_millis(self.callback_backoff_ms),
                ..RetryPolicy::default()
            },
        }
    }
}
