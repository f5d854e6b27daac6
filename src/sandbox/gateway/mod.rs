//! The bank gateway in front of every operation, in the order the bank's gateway applies it:
//!
//! 1. credentials (`apikey` or bearer token) → 401; disabled app or missing family scope → 403;
//! 2. the plan quota, counted for business calls only → 429 + `Retry-After`;
//! 3. decryption, for encrypted apps' business calls (the hybrid envelope, or scheme A's `text/plain`)
//!    → 8016; a `text/plain` body from an app without encryption → 415;
//! 4. the `X-ID-Fingerprint`, when sent, over the plaintext JSON → 8015;
//! 5. the `x-sandbox-scenario`, and the gateway timeout → 500/504/429;
//! 6. the operation itself;
//! 7. encryption of the business answer, in the request's scheme (gateway errors stay plain);
//! 8. `X-RateLimit-*` headers, the entry in the app's request log, and its readiness grading.
//!
//! Operations that need no credentials (health, app creation, the token endpoint, keys) go through the
//! scenario step only.
//!
//! Around those steps, the outer layer ([`Gateway`]): the 1 MiB body limit, enforced on the bytes
//! actually read, not only on `Content-Length`, within the body deadline (`--body-timeout-ms`: a body
//! that never ends is answered 408); one log line per request (method, path, status, latency, app);
//! and a `request` span (at `debug`) around everything logged while answering it. The line is one
//! `info` event carrying every field: formatting a span's fields on creation and on each `record` cost
//! about a third of a request's instructions. `SANDBANK_LOG=debug` brings the span back.
//!
//! Files: [`body`] reads the body under its limits; [`sealing`] opens and seals encrypted apps' calls
//! (steps 3, 4 and 7); [`rehearsal`] plays the scenario and runs the operation (steps 5 and 6);
//! [`trip`] records the call (step 8). What the steps consult: the app registry ([`apps`],
//! [`app_limits`]), [`credentials`], OAuth2 [`tokens`] and [`scopes`], the plan [`quota`],
//! [`scenario`]s, [`encryption`] and the bank's [`keys`], the [`operations`] table, the body extractor
//! ([`payload`]), the [`error`] envelope, the [`request_log`] and the [`readiness`] report.

pub mod app_limits;
pub(crate) mod apps;
pub(crate) mod credentials;
pub mod encryption;
pub mod error;
pub mod keys;
pub mod operations;
pub mod payload;
pub(crate) mod quota;
pub mod readiness;
pub(crate) mod request_log;
pub(crate) mod scenario;
pub(crate) mod scopes;
pub mod tokens;

mod body;
mod rehearsal;
mod sealing;
mod trip;

use crate::sandbox::bank::store::outcome;
use std::{
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use bytes::Bytes;
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use tracing::Instrument;

use crate::sandbox::{
    gateway::{
        apps::App,
        credentials::authenticate,
        error::Rejection,
        operations::Operations,
        quota::{seconds_to_midnight, Admission},
        scenario::Scenario,
    },
    Sandbox,
};
use rehearsal::{call, rehearse, scenario_of};
use sealing::pass;
use trip::{finish, with_retry_after, Trip};

pub use apps::{DemoApp, Plan};
pub use body::MAX_BODY_BYTES;

/// The gateway's own settings.
#[derive(Debug, Clone)]
pub struct GatewaySettings {
    /// How long the gateway waits for the backend before answering 504 + 8013.
    pub timeout: Duration,
    /// When set, `POST /sandbox/apps` needs it in `x-admin-token`.
    pub admin_token: Option<String>,
    /// The whole request body must arrive within this, else 408.
    pub body_timeout: Duration,
    /// Browser origins allowed to call (CORS); empty: any origin.
    pub cors_origins: Vec<String>,
}

impl Default for GatewaySettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_millis(scenario::DEFAULT_GATEWAY_TIMEOUT_MS),
            admin_token: None,
            body_timeout: Duration::from_secs(30),
            cors_origins: Vec::new(),
        }
    }
}

/// The app a request was authenticated as, filled in by the gateway's credentials check for the
/// request's log line.
#[derive(Clone, Default)]
pub(crate) struct CallingApp(Arc<OnceLock<Arc<App>>>);

impl CallingApp {
    pub(crate) fn set(&self, app: &Arc<App>) {
        let _ = self.0.set(app.clone());
    }

    fn id(&self) -> &str {
        self.0.get().map_or("", |app| app.id.as_str())
    }
}

/// Buffers the body up to [`MAX_BODY_BYTES`], opens the request's span, and runs the gateway.
pub(crate) struct Gateway {
    sandbox: Arc<Sandbox>,
    operations: Arc<Operations>,
}

impl Gateway {
    pub(crate) fn new(sandbox: Arc<Sandbox>, operations: Operations) -> Self {
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

pub(crate) struct GatewayEndpoint<E> {
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
            let limit = body::limit_of(&self.sandbox, &request);
            let response = match body::limit_body(
                &mut request,
                limit,
                self.sandbox.gateway.body_timeout,
            )
            .await
            {
                // Boxed: every layer above moves this future by value (poem boxes each endpoint's
                // future), and `handle`'s is large; on the heap only a pointer moves.
                Ok(body) => {
                    Box::pin(handle(
                        &self.inner,
                        &self.sandbox,
                        &self.operations,
                        request,
                        body,
                    ))
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

/// One request through the gateway. `body` is the request body, already buffered.
async fn handle<E: Endpoint>(
    inner: &E,
    sandbox: &Sandbox,
    operations: &Operations,
    mut request: Request,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let Some(operation) = operations.find(request.method(), request.uri().path()) else {
        // Docs, the spec, unknown paths and wrong methods: the router answers.
        return call(inner, request).await;
    };
    let scenario = match scenario_of(&request) {
        Ok(scenario) => scenario,
        Err(rejection) => return rejection.into_response(),
    };
    if !operation.secured {
        // No credentials here to refuse: `unauthorized` rehearses nothing.
        let scenario = scenario.filter(|s| *s != Scenario::Unauthorized);
        let response = match rehearse(inner, request, scenario, sandbox.gateway.timeout).await {
            Ok(response) => response,
            Err(rejection) => rejection.into_response(),
        };
        return with_retry_after(response, seconds_to_midnight(chrono::Utc::now()));
    }
    let caller = match authenticate(sandbox, &request, operation) {
        Ok(caller) => caller,
        Err(refusal) => {
            let response = refusal.rejection.into_response();
            return match refusal.caller {
                Some(caller) => {
                    let trip = Trip::new(&request, operation, &caller, &body, started);
                    finish(sandbox, &caller, operation, None, response, trip).await
                }
                None => response,
            };
        }
    };
    if let Some(calling) = request.extensions().get::<CallingApp>() {
        calling.set(&caller.app);
    }
    request.extensions_mut().insert(caller.clone());
    let mut trip = Trip::new(&request, operation, &caller, &body, started);

    let app = &caller.app;
    let standing = if operation.is_business() {
        match sandbox.consume_quota(app) {
            Err(error) => {
                // Outside the handlers' watch: the 503 is answered here.
                outcome::failed(&error);
                let response = outcome::unavailable().into_response();
                return finish(sandbox, &caller, operation, None, response, trip).await;
            }
            Ok(Admission::Unlimited) => None,
            Ok(Admission::Admitted(standing)) => Some(standing),
            Ok(Admission::Exhausted(standing)) => {
                let response = Rejection::quota_spent(standing.limit).into_response();
                return finish(sandbox, &caller, operation, Some(standing), response, trip).await;
            }
        }
    } else {
        sandbox.quota_standing(app)
    };
    let response = match pass(
        inner, sandbox, operation, &caller, request, body, scenario, &mut trip,
    )
    .await
    {
        Ok(response) => response,
        Err(rejection) => rejection.into_response(),
    };
    finish(sandbox, &caller, operation, standing, response, trip).await
}
