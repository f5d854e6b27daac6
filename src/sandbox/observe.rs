//! The gateway's outer layers: one tracing span per request (method, path, status, latency, app) and the
//! 1 MiB body limit, enforced on the bytes actually read, not only on `Content-Length`. Inside them,
//! [`gateway::handle`](super::gateway::handle) applies credentials, quotas, scenarios, encryption and
//! the request log.

use std::{sync::Arc, time::Instant};

use bytes::Bytes;
use poem::{http::header, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use tracing::Instrument;

use super::{error::Rejection, operations::Operations, Sandbox};

/// Bodies over this are refused with 413 (api-catalogue §0).
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
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.uri().path(),
            status = tracing::field::Empty,
            latency_us = tracing::field::Empty,
            app = tracing::field::Empty,
        );
        let started = Instant::now();
        async move {
            let response = match limit_body(&mut request).await {
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
            let span = tracing::Span::current();
            span.record("status", response.status().as_u16());
            span.record("latency_us", started.elapsed().as_micros() as u64);
            tracing::info!("answered");
            Ok(response)
        }
        .instrument(span)
        .await
    }
}

async fn limit_body(request: &mut Request) -> Result<Bytes, Rejection> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return Err(Rejection::payload_too_large());
    }
    let bytes = request
        .take_body()
        .into_bytes_limit(MAX_BODY_BYTES)
        .await
        .map_err(|err| match err {
            poem::error::ReadBodyError::PayloadTooLarge => Rejection::payload_too_large(),
            other => Rejection::schema("", format!("could not read the request body: {other}")),
        })?;
    request.set_body(bytes.clone());
    Ok(bytes)
}
