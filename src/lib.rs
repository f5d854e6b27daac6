//! sandbank: a sandbox of the bank's API Banking catalogue — a bank that behaves, in one binary.
//!
//! # Layout
//! - [`config`]: the command line and `SANDBANK_*` environment, typed.
//! - [`logging`]: the request log line's formatting, the defaults' bytes at a fraction of the cost.
//! - [`sandbox`]: the machinery every family calls, written once — the gateway error envelope
//!   (`error`), `apikey` credentials (`auth`), determinism (stable hash → ChaCha stream → `fake` data),
//!   fixtures (embedded or `--fixtures DIR`, validated at start-up), identifier formats that parse,
//!   the per-app sandbox clock, apps, and the gateway: OAuth2 tokens and scopes, plan quotas, the
//!   request log, scenarios and the bank's encryption envelope, applied once around every operation.
//! - [`api`]: one module per family, each an `#[OpenApi]` impl of thin methods over one file per
//!   operation; `api::api_service` combines them into the served and exported OpenAPI document.
//! - [`app`] builds the HTTP application for the binary and the tests alike; [`serve`] runs it on a
//!   listener until a shutdown signal.

pub mod api;
pub mod config;
pub mod document;
pub mod logging;
pub mod sandbox;

use std::{
    future::Future,
    sync::{Arc, OnceLock},
    time::Duration,
};

use bytes::Bytes;

use poem::{
    endpoint::{make_sync, BoxEndpoint},
    listener::TcpAcceptor,
    middleware::CatchPanic,
    Endpoint, EndpointExt, Route, Server,
};

pub use sandbox::{Sandbox, SandboxSettings};

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
    document: OnceLock<(Bytes, Bytes)>,
    ui: OnceLock<BoxEndpoint<'static>>,
}

impl Docs {
    fn new(sandbox: Arc<Sandbox>) -> Self {
        Self {
            sandbox,
            document: OnceLock::new(),
            ui: OnceLock::new(),
        }
    }

    fn service(&self) -> poem_openapi::OpenApiService<api::Apis, ()> {
        api::api_service(self.sandbox.clone())
    }

    fn document(&self) -> &(Bytes, Bytes) {
        self.document.get_or_init(|| {
            let document = document::Document::build(self.sandbox.clone());
            (document.json.into(), document.yaml.into())
        })
    }

    fn json(&self) -> Bytes {
        self.document().0.clone()
    }

    fn yaml(&self) -> Bytes {
        self.document().1.clone()
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
    let document = document::Document::build(sandbox);
    Ok((document.json, document.yaml))
}

/// Serves the sandbox on an already-bound listener until `shutdown` resolves; in-flight requests then
/// get up to 10 seconds to finish. A background ticker moves pending work along in real time (NEFT
/// batches, collect expiries) for apps whose clocks run; `POST /sandbox/clock` advances do it at once.
pub async fn serve(
    listener: std::net::TcpListener,
    sandbox: Arc<Sandbox>,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let acceptor = TcpAcceptor::from_std(listener)?;
    let ticker_sandbox = sandbox.clone();
    let ticker = tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        loop {
            interval.tick().await;
            ticker_sandbox.tick();
        }
    });
    let result = Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(app(sandbox), shutdown, Some(Duration::from_secs(10)))
        .await;
    ticker.abort();
    result
}
