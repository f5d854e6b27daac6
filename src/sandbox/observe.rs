//! The gateway's outer layers: one log line per request (method, path, status, latency, app), a
//! `request` span (at `debug`) around everything logged while answering it, and the 1 MiB body limit,
//! enforced on the bytes actually read, not only on `Content-Length`, within the body deadline
//! (`--body-timeout-ms`: a body that never ends is answered 408).
//!
//! The line is one `info` event carrying every field: formatting a span's fields on creation and on
//! each `record` cost about a third of a request's instructions. `SANDBANK_LOG=debug` brings the span
//! back. Inside them,
//! [`gateway::handle`](super::gateway::handle) applies credentials, quotas, scenarios, encryption and
//! the request log.

use std::{
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, LengthLimitError, Limited};
use poem::{http::header, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use tracing::Instrument;

use super::{error::Rejection, operations::Operations, state::App, Sandbox};

/// The app a request was authenticated as, filled in by the gateway's credentials check for the
/// request's log line.
#[derive(Clone, Default)]
pub struct CallingApp(Arc<OnceLock<Arc<App>>>);

impl CallingApp {
    pub fn set(&self, app: &Arc<App>) {
        let _ = self.0.set(app.clone());
    }

    fn id(&self) -> &str {
        self.0.get().map_or("", |app| app.id.as_str())
    }
}

/// Bodies over this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Buffers the body up to [`MAX_BODY_BYTES`], opens the request's span, and runs the gateway.
pub struct Gateway {
    sandbox: Arc<Sandbox>,
    operations: Arc<Operations>,
}

impl Gateway {
    pub fn new(sandbox: Arc<Sandbox>, operations: Operations) -> Self {
        Self {
            sandbox,
            operations: Arc::new(operations),
        }
    }
}

impl<E: Endpoint> Middleware<E> for Gateway {
    type Output = GatewayEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        GatewayEndpoint {
            inner,
            sandbox: self.sandbox.clone(),
            operations: self.operations.clone(),
        }
    }
}

pub struct GatewayEndpoint<E> {
    inner: E,
    sandbox: Arc<Sandbox>,
    operations: Arc<Operations>,
}

impl<E: Endpoint> Endpoint for GatewayEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut request: Request) -> Result<Response> {
        let started = Instant::now();
        let method = request.method().clone();
        let uri = request.uri().clone();
        let calling_app = CallingApp::default();
        request.extensions_mut().insert(calling_app.clone());
        let span = tracing::debug_span!("request", method = %method, path = %uri.path());
        async move {
            let response = match limit_body(&mut request, self.sandbox.gateway.body_timeout).await {
                Ok(body) => {
                    super::gateway::handle(
                        &self.inner,
                        &self.sandbox,
                        &self.operations,
                        request,
                        body,
                    )
                    .await
                }
                Err(rejection) => rejection.into_response(),
            };
            tracing::info!(
                method = %method,
                path = uri.path(),
                status = response.status().as_u16(),
                latency_us = started.elapsed().as_micros() as u64,
                app = calling_app.id(),
                "answered"
            );
            Ok(response)
        }
        .instrument(span)
        .await
    }
}

async fn limit_body(request: &mut Request, deadline: Duration) -> Result<Bytes, Rejection> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return Err(Rejection::payload_too_large());
    }
    // Collected from the body's frames: poem's `into_bytes_limit` zeroes and copies through a 4 KiB
    // buffer on every request, even an empty one.
    let body: BoxBody<Bytes, std::io::Error> = request.take_body().into();
    let collected = tokio::time::timeout(deadline, Limited::new(body, MAX_BODY_BYTES).collect())
        .await
        .map_err(|_| Rejection::body_timeout(deadline))?;
    let bytes = collected
        .map_err(|err| {
            if err.is::<LengthLimitError>() {
                Rejection::payload_too_large()
            } else {
                Rejection::schema("", format!("could not read the request body: io: {err}"))
            }
        })?
        .to_bytes();
    request.set_body(bytes.clone());
    Ok(bytes)
}
