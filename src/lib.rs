//! sandbank: a sandbox of the bank's API Banking catalogue — a bank that behaves, in one binary.
//!
//! # Layout
//! - [`config`]: the command line and `SANDBANK_*` environment, typed.
//! - [`logging`]: the request log line's formatting, the defaults' bytes at a fraction of the cost.
//! - [`probe`]: `sandbank healthcheck` and `sandbank wait`, the client side of `GET /healthz`.
//! - [`sandbox`]: the machinery every family calls, written once — the gateway error envelope
//!   (`error`), `apikey` credentials (`auth`), determinism (stable hash → ChaCha stream → `fake` data),
//!   fixtures (embedded or `--fixtures DIR`, validated at start-up), identifier formats that parse,
//!   the per-app sandbox clock, apps, and the gateway: OAuth2 tokens and scopes, plan quotas, the
//!   request log, scenarios and the bank's encryption envelope, applied once around every operation.
//! - [`api`]: one module per family, each an `#[OpenApi]` impl of thin methods over one file per
//!   operation; `api::api_service` combines them into the served and exported OpenAPI document.
//! - [`app`] builds the HTTP application for the binary and the tests alike; [`serve`] runs it on a
//!   listener until a shutdown signal, through [`server`], which bounds connections and streams.

pub mod api;
pub mod config;
pub mod logging;
pub mod probe;
pub mod sandbox;
pub mod server;

use std::{
    future::Future,
    sync::{Arc, OnceLock},
    time::Duration,
};

use bytes::Bytes;

use poem::{
    endpoint::{make_sync, BoxEndpoint},
    middleware::CatchPanic,
    Endpoint, EndpointExt, Route,
};

pub use sandbox::{Sandbox, SandboxSettings};
pub use server::ServerLimits;

/// The whole HTTP application: the families, the live OpenAPI document, Swagger UI, and the gateway
/// layers around them.
pub fn app(sandbox: Arc<Sandbox>) -> BoxEndpoint<'static> {
    let service = api::api_service(sandbox.clone());
    let docs = Arc::new(Docs::new(sandbox.clone()));
    let (json, yaml) = (docs.clone(), docs.clone());
    Route::new()
        .nest("/", service)
        .nest("/docs", DocsUi(docs))
        .at(
            "/openapi.json",
            make_sync(move |_| {
                poem::Response::builder()
                    .content_type("application/json; charset=utf-8")
                    .body(json.json())
            }),
        )
        .at(
            "/openapi.yaml",
            make_sync(move |_| {
                poem::Response::builder()
                    .content_type("application/yaml; charset=utf-8")
                    .body(yaml.yaml())
            }),
        )
        .data(sandbox.clone())
        .with(CatchPanic::new().with_handler(sandbox::error::panic_envelope))
        .with(sandbox::observe::Gateway::new(sandbox, api::operations()))
        .boxed()
}

/// The OpenAPI document (JSON, YAML) and Swagger UI, each built on its first request: building them
/// all at start-up was ~90% of the instructions before the first answer, and most runs never ask.
struct Docs {
    sandbox: Arc<Sandbox>,
    json: OnceLock<Bytes>,
    yaml: OnceLock<Bytes>,
    ui: OnceLock<BoxEndpoint<'static>>,
}

impl Docs {
    fn new(sandbox: Arc<Sandbox>) -> Self {
        Self {
            sandbox,
            json: OnceLock::new(),
            yaml: OnceLock::new(),
            ui: OnceLock::new(),
        }
    }

    fn service(&self) -> poem_openapi::OpenApiService<api::Apis, ()> {
        api::api_service(self.sandbox.clone())
    }

    fn json(&self) -> Bytes {
        self.json
            .get_or_init(|| self.service().spec().into())
            .clone()
    }

    fn yaml(&self) -> Bytes {
        self.yaml
            .get_or_init(|| self.service().spec_yaml().into())
            .clone()
    }
}

/// Swagger UI under `/docs`.
struct DocsUi(Arc<Docs>);

impl Endpoint for DocsUi {
    type Output = poem::Response;

    async fn call(&self, request: poem::Request) -> poem::Result<poem::Response> {
        let docs = &self.0;
        let ui = docs
            .ui
            .get_or_init(|| docs.service().swagger_ui().map_to_response().boxed());
        ui.call(request).await
    }
}

/// The OpenAPI document as served, in JSON and YAML, built over the embedded fixtures.
pub fn spec_documents() -> Result<(String, String), sandbox::StartError> {
    let sandbox = Arc::new(Sandbox::new(&SandboxSettings::default())?);
    let service = api::api_service(sandbox);
    Ok((service.spec(), service.spec_yaml()))
}

/// Serves the sandbox on an already-bound listener until `shutdown` resolves, with the default
/// [`ServerLimits`]; see [`serve_with`].
pub async fn serve(
    listener: std::net::TcpListener,
    sandbox: Arc<Sandbox>,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    serve_with(listener, sandbox, ServerLimits::default(), shutdown).await
}

/// Serves the sandbox on an already-bound listener until `shutdown` resolves; in-flight requests then
/// get `limits.shutdown_grace` (10 seconds by default) to finish. A background ticker moves pending
/// work along in real time (NEFT batches, collect expiries) for apps whose clocks run, and expires
/// idle apps; `POST /sandbox/clock` advances do it at once.
pub async fn serve_with(
    listener: std::net::TcpListener,
    sandbox: Arc<Sandbox>,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let ticker_sandbox = sandbox.clone();
    let ticker = tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        loop {
            interval.tick().await;
            ticker_sandbox.tick();
        }
    });
    let result = server::run(listener, app(sandbox), limits, shutdown).await;
    ticker.abort();
    result
}
