//! The command line and its `SANDBANK_*` environment variables, typed.

use std::{path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::sandbox::{
    bank::{
        callbacks::{
            targets::{CallbackTargets, DEFAULT_ALLOW},
            DeliveryLimits, RetryPolicy,
        },
        determinism::Determinism,
    },
    gateway::{
        app_limits::AppLimits,
        apps::{Credentials, DemoApp},
        scenario::{DEFAULT_GATEWAY_TIMEOUT_MS, MAX_GATEWAY_TIMEOUT_MS},
        tokens::{TokenSettings, DEFAULT_ISSUER},
        GatewaySettings,
    },
    SandboxSettings,
};
use crate::server::ServerLimits;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "sandbank",
    version,
    about = "A sandbox of the bank's API Banking catalogue"
)]
pub struct Cli {
    /// What to do; none: serve.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serve options, also accepted without the `serve` subcommand.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The subcommands.
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
    /// Exit 0 when the server on this host and port answers `GET /healthz` with 200, else 1 (the
    /// container image's HEALTHCHECK).
    Healthcheck(HealthcheckArgs),
    /// Wait until a sandbank answers `GET /healthz` with 200: exit 0 then, 1 with a message on timeout.
    Wait(WaitArgs),
}

/// `sandbank healthcheck`'s options.
#[derive(Debug, Clone, Args)]
pub struct HealthcheckArgs {
    /// The server's interface, as given to `serve`; 0.0.0.0 and :: are asked on loopback.
    #[arg(long, env = "SANDBANK_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// The server's port, as given to `serve`.
    #[arg(long, env = "SANDBANK_PORT", default_value_t = 8080)]
    pub port: u16,
    /// How long to wait for the answer (e.g. 2s, 500ms).
    #[arg(long, default_value = "2s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
}

/// `sandbank wait`'s options.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// The sandbank's base URL (`/healthz` is appended unless the URL already ends with it).
    #[arg(long, env = "SANDBANK_URL", default_value = "http://localhost:8080")]
    pub url: String,
    /// Give up after this long (e.g. 10s, 1m, 500ms).
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
    /// The pause between two attempts.
    #[arg(long, default_value = "100ms", value_parser = humantime::parse_duration)]
    pub interval: Duration,
}

/// How log lines on stderr look (`--log-format`): one readable line per event, or one JSON object per
/// line. (The variants go without docs: clap would show them as per-value help.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[allow(missing_docs)]
pub enum LogFormat {
    Text,
    Json,
}

/// The server's options (`sandbank serve`, or no subcommand).
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
    /// The demo app's callback secret: the key of the HMAC in its callbacks' `X-Sandbank-Signature`.
    #[arg(
        long,
        env = "SANDBANK_DEMO_CALLBACK_SECRET",
        default_value = "sandbank-demo-callback-secret"
    )]
    pub demo_callback_secret: String,
    /// When set, `POST /sandbox/apps` requires this in the `x-admin-token` header (shared deployments).
    #[arg(long, env = "SANDBANK_ADMIN_TOKEN")]
    pub admin_token: Option<String>,
    /// HS256 secret for OAuth2 tokens (at least 16 characters); default: random at each start
    /// (generated once and kept in the database with a database store).
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
    /// A PEM file of CA certificates trusted for `https://` callback URLs besides the web PKI roots
    /// (a partner's receiver with a self-signed certificate).
    #[arg(long, env = "SANDBANK_CALLBACK_CA", value_parser = read_pem)]
    pub callback_ca: Option<String>,
    /// Where the apps' state is kept: `memory` (nothing survives a restart), `sqlite:PATH` (a
    /// database file, created if missing) or `postgres://USER@HOST:PORT/DB` (shared by any number of
    /// sandbank processes); see docs/storage.md.
    #[arg(long, env = "SANDBANK_STORE", default_value = "memory")]
    pub store: crate::sandbox::bank::store::StoreChoice,
    /// Objects kept per app before the oldest settled ones are evicted.
    #[arg(long, env = "SANDBANK_MAX_OBJECTS_PER_APP", default_value_t = crate::sandbox::bank::store::DEFAULT_OBJECT_LIMIT)]
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
    /// Where callbacks may be sent: CIDRs, addresses, host names (`*.example.com`), and the classes
    /// `loopback`, `private`, `public`, comma-separated. Link-local (cloud metadata) is never in a class.
    #[arg(long, env = "SANDBANK_CALLBACK_ALLOW", default_value = DEFAULT_ALLOW)]
    pub callback_allow: CallbackTargets,
    /// Callback deliveries in flight at once, for the whole server.
    #[arg(long, env = "SANDBANK_CALLBACK_CONCURRENCY", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub callback_concurrency: u32,
    /// Callback deliveries in flight at once for one app; the rest wait in the app's queue.
    #[arg(long, env = "SANDBANK_CALLBACK_CONCURRENCY_PER_APP", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=256))]
    pub callback_concurrency_per_app: u32,
    /// Callbacks waiting for one app; past it a callback is recorded as not sent.
    #[arg(long, env = "SANDBANK_CALLBACK_QUEUE_PER_APP", default_value_t = 1000)]
    pub callback_queue_per_app: usize,
    /// Connections served at once; past it the longest-idle one is closed, or the newcomer gets 503.
    #[arg(long, env = "SANDBANK_MAX_CONNECTIONS", default_value_t = 4096,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// The whole request head must arrive within this of the connection waiting for it (slow-header
    /// clients are closed; so is an HTTP/1 keep-alive connection idle this long).
    #[arg(long, env = "SANDBANK_HEADER_TIMEOUT_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(100..))]
    pub header_timeout_ms: u64,
    /// The whole request body must arrive within this, else 408.
    #[arg(long, env = "SANDBANK_BODY_TIMEOUT_MS", default_value_t = 30_000,
          value_parser = clap::value_parser!(u64).range(100..))]
    pub body_timeout_ms: u64,
    /// A connection with no request in flight for this long is closed (HTTP/2; HTTP/1 too, when the
    /// header timeout is longer).
    #[arg(long, env = "SANDBANK_IDLE_TIMEOUT_MS", default_value_t = 60_000,
          value_parser = clap::value_parser!(u64).range(100..))]
    pub idle_timeout_ms: u64,
    /// Streams one HTTP/2 connection may have open at once.
    #[arg(long, env = "SANDBANK_H2_MAX_STREAMS", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub h2_max_streams: u32,
    /// Apps the sandbox holds (the demo app included); past it `POST /sandbox/apps` answers 429.
    #[arg(long, env = "SANDBANK_MAX_APPS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_apps: u32,
    /// `POST /sandbox/apps` per source address per minute; past it 429.
    #[arg(long, env = "SANDBANK_APP_CREATION_RATE", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub app_creation_rate: u32,
    /// Apps unused for this many hours are expired (never the demo app); 0 keeps them for ever.
    #[arg(long, env = "SANDBANK_APP_IDLE_EXPIRY_HOURS", default_value_t = 168)]
    pub app_idle_expiry_hours: u64,
}

/// Reads a PEM file named on the command line.
fn read_pem(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

impl ServeArgs {
    /// What the library builds the sandbox from.
    pub fn sandbox_settings(&self) -> SandboxSettings {
        SandboxSettings {
            seed: self.seed,
            fixtures_dir: self.fixtures.clone(),
            demo: DemoApp {
                credentials: Credentials {
                    apikey: self.demo_apikey.clone(),
                    client_id: self.demo_client_id.clone(),
                    client_secret: self.demo_client_secret.clone(),
                    callback_secret: self.demo_callback_secret.clone(),
                },
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
                body_timeout: std::time::Duration::from_millis(self.body_timeout_ms),
                cors_origins: self.cors_origins.clone(),
            },
            object_limit: self.max_objects_per_app,
            callback_policy: RetryPolicy {
                first_backoff: std::time::Duration::from_millis(self.callback_backoff_ms),
                ..RetryPolicy::default()
            },
            callback_limits: DeliveryLimits {
                global: self.callback_concurrency as usize,
                per_app: self.callback_concurrency_per_app as usize,
                queued_per_app: self.callback_queue_per_app,
                targets: self.callback_allow.clone(),
            },
            callback_ca_pem: self.callback_ca.clone(),
            app_limits: AppLimits {
                max_apps: self.max_apps as usize,
                creations_per_minute: self.app_creation_rate,
                idle_expiry: (self.app_idle_expiry_hours > 0)
                    .then(|| std::time::Duration::from_secs(self.app_idle_expiry_hours * 3600)),
            },
            store: self.store.clone(),
            codecs: crate::api::kept_families(),
        }
    }

    /// The connection and stream bounds of the server.
    pub fn server_limits(&self) -> ServerLimits {
        let ms = std::time::Duration::from_millis;
        ServerLimits {
            max_connections: self.max_connections as usize,
            header_timeout: ms(self.header_timeout_ms),
            idle_timeout: ms(self.idle_timeout_ms),
            h2_max_streams: self.h2_max_streams,
            ..ServerLimits::default()
        }
    }
}
