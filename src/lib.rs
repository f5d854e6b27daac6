//! sandbank: a sandbox of the bank's API Banking catalogue — a bank that behaves, in one binary.
//!
//! # Layout
//! - [`config`]: the command line and `SANDBANK_*` environment, typed.
//! - [`logging`]: the request log line's formatting, the defaults' bytes at a fraction of the cost.
//! - [`probe`]: `sandbank healthcheck` and `sandbank wait`, the client side of `GET /healthz`.
//! - [`sandbox`]: the machinery every family calls, written once, in two rooms by role —
//!   `sandbox::gateway`, what the bank's gateway does in front of every operation (the app registry,
//!   `apikey` credentials, OAuth2 tokens and scopes, plan quotas, scenarios, the encryption envelope,
//!   the request-body extractor, the error envelope, the request log and the readiness report), and
//!   `sandbox::bank`, the bank's shared machinery (the ledger, the per-app clock, fixtures,
//!   determinism, formats that parse, the rails and the corporate lookup, lending, magic values,
//!   the generic answer type, per-app state behind one transactional store, snapshots, callbacks).
//! - [`api`]: one folder per family in one shape — `mod.rs` the `#[OpenApi]` impl of thin methods,
//!   `model.rs` (or `model/`) its bank types, `codes.rs` its business codes, `state.rs` its slice of
//!   app state (where it keeps any), one file per operation — plus
//!   `control`, the sandbox's own operations; `api::api_service` combines them.
//! - [`document`]: the OpenAPI document poem-openapi generates, shaped once (shared components, real
//!   examples), served and exported by `sandbank spec`.
//! - [`web`]: the edges partners' browsers meet: the document and its reference pages (`/docs`,
//!   `/redoc`), compression, CORS, 404s that suggest, 405s that list `Allow`.
//! - [`app`] builds the HTTP application for the binary and the tests alike; [`serve`] runs it on a
//!   listener until a shutdown signal, through [`server`], which bounds connections and streams.

pub mod api;
pub mod config;
mod document;
pub mod logging;
pub mod probe;
pub mod sandbox;
mod server;
mod web;

use std::{future::Future, sync::Arc, time::Duration};

use poem::{endpoint::BoxEndpoint, middleware::CatchPanic, EndpointExt, IntoEndpoint};

pub use sandbox::{Sandbox, SandboxSettings};
pub use server::ServerLimits;

/// The OpenAPI document as the tests read it: its tree and the gateway errors it documents.
pub mod spec {
    pub use crate::document::{examples::documented_errors, node::Map, Node};
}

/// The whole HTTP application: the families behind the gateway, the live OpenAPI document and its
/// reference pages, CORS and compression around them.
pub fn app(sandbox: Arc<Sandbox>) -> BoxEndpoint<'static> {
    // A request whose state the store could not keep answers 503, whatever the handler built.
    let service = sandbox::bank::store::outcome::Watched::new(
        api::api_service(sandbox.clone()).into_endpoint(),
        sandbox.clone(),
    );
    let cors = web::cors(&sandbox.gateway.cors_origins);
    web::Site::new(service, sandbox.clone(), api::operations())
        .data(sandbox.clone())
        .with(CatchPanic::new().with_handler(sandbox::gateway::error::panic_envelope))
        .with(sandbox::gateway::Gateway::new(sandbox, api::operations()))
        .with(cors)
        // A refused origin is an error of the CORS layer: in the envelope too.
        .catch_all_error(sandbox::gateway::error::into_envelope)
        .with(web::encoding::Compression)
        .boxed()
}

/// The OpenAPI document as served, in JSON and YAML, built over the embedded fixtures.
pub fn spec_documents() -> Result<(String, String), sandbox::StartError> {
    let sandbox = Arc::new(Sandbox::new(&SandboxSettings::default())?);
    let document = document::Document::build(sandbox);
    Ok((document.json, document.yaml))
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
    // Ends at its next await: wait for a tick in progress (it may be waiting on a database), so
    // that the runtime is not shut down under it.
    ticker.abort();
    let _ = ticker.await;
    result
}
