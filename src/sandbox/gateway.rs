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

use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::SubsecRound;
use poem::{
    http::{header, HeaderValue, StatusCode},
    Body, Endpoint, IntoResponse, Request, Response,
};

use super::{
    auth::{authenticate, Caller},
    clock::ist,
    encryption::{
        self,
        fingerprint::{self, Signed},
        Echo, Scheme, FINGERPRINT_HEADER,
    },
    error::{into_envelope, GatewayErrorMarker, Rejection, BACKEND_ERROR, BACKEND_TIMEOUT},
    operations::{Operation, Operations},
    quota::{seconds_to_midnight, Admission, Standing},
    readiness,
    request_log::{Entry, KeptBody},
    scenario::{self, Scenario},
    state::App,
    Sandbox,
};

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

/// The operations that read the request log or what it proved: not logged themselves, so that reading
/// does not push out what the partner came to read.
const READS_THE_LOG: &[&str] = &["sandboxRequests", "sandboxReadiness"];

/// One request through the gateway. `body` is the request body, already buffered.
pub async fn handle<E: Endpoint>(
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
                    finish(&caller, operation, None, response, trip).await
                }
                None => response,
            };
        }
    };
    if let Some(calling) = request.extensions().get::<super::observe::CallingApp>() {
        calling.set(&caller.app);
    }
    request.extensions_mut().insert(caller.clone());
    let mut trip = Trip::new(&request, operation, &caller, &body, started);

    let app = &caller.app;
    let standing = if operation.is_business() {
        match app.quota.consume(&app.clock) {
            Admission::Unlimited => None,
            Admission::Admitted(standing) => Some(standing),
            Admission::Exhausted(standing) => {
                let response = Rejection::quota_spent(standing.limit).into_response();
                return finish(&caller, operation, Some(standing), response, trip).await;
            }
        }
    } else {
        app.quota.standing(&app.clock)
    };
    let response = match pass(
        inner, sandbox, operation, &caller, request, body, scenario, &mut trip,
    )
    .await
    {
        Ok(response) => response,
        Err(rejection) => rejection.into_response(),
    };
    finish(&caller, operation, standing, response, trip).await
}

/// Steps 3 to 7 for an authenticated call.
#[allow(clippy::too_many_arguments)]
async fn pass<E: Endpoint>(
    inner: &E,
    sandbox: &Sandbox,
    operation: &Operation,
    caller: &Caller,
    mut request: Request,
    body: Bytes,
    scenario: Option<Scenario>,
    trip: &mut Trip,
) -> Result<Response, Rejection> {
    let app = &caller.app;
    let sealed = app.encrypted() && operation.is_business();
    let mut scheme = encryption::BODILESS;
    let mut echo = Echo {
        request_id: String::new(),
        service: operation.id.to_string(),
    };
    let mut opened = None;
    if sealed && operation.has_body {
        let open = encryption::open_request(&sandbox.bank_key, &body, operation.id)?;
        scheme = open.scheme;
        echo = open.echo;
        trip.entry.request = KeptBody::new(&open.plaintext, Some("application/json"));
        opened = Some(open.plaintext);
    } else if operation.is_business() && operation.has_body && is_text_plain(&request) {
        return Err(not_an_encrypted_app());
    }
    if let Some(fingerprint) = request.headers().get(FINGERPRINT_HEADER) {
        let signed = Signed {
            apikey: &app.apikey,
            plaintext: opened.as_deref().unwrap_or(&body),
            sealed: opened.as_ref().map(|_| &body[..]),
        };
        fingerprint::check(
            &sandbox.bank_key,
            fingerprint.to_str().unwrap_or_default(),
            signed,
        )?;
    }
    if sealed {
        trip.entry.encrypted = true;
    }
    if let Some(plaintext) = opened {
        let headers = request.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.remove(header::CONTENT_LENGTH);
        request.set_body(plaintext);
    }
    let response = rehearse(inner, request, scenario, sandbox.gateway.timeout).await?;
    if !sealed || response.extensions().get::<GatewayErrorMarker>().is_some() {
        return Ok(response);
    }
    seal(sandbox, app, response, scheme, &echo, &body, trip).await
}

/// Step 7: the business answer, sealed for the app in the request's scheme.
async fn seal(
    sandbox: &Sandbox,
    app: &App,
    response: Response,
    scheme: Scheme,
    echo: &Echo,
    body: &[u8],
    trip: &mut Trip,
) -> Result<Response, Rejection> {
    let (parts, answer) = response.into_parts();
    let answer = answer.into_bytes().await.unwrap_or_default();
    trip.entry.answer = KeptBody::new(&answer, Some("application/json"));
    let public_key = app.public_key.as_ref().expect("encrypted apps have a key");
    let mut context = app.id.as_bytes().to_vec();
    context.extend_from_slice(body);
    let sealed = encryption::seal_answer(
        public_key,
        scheme,
        &answer,
        echo,
        sandbox.determinism.seed(),
        &context,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "could not encrypt an answer");
        Rejection::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            BACKEND_ERROR,
            "The sandbox could not encrypt the answer with the app's public key",
        )
    })?;
    let mut response = Response::from_parts(parts, Body::from(sealed.body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(sealed.content_type),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(response)
}

fn is_text_plain(request: &Request) -> bool {
    request
        .content_type()
        .and_then(|value| value.parse::<mime::Mime>().ok())
        .is_some_and(|mime| mime.type_() == "text" && mime.subtype() == "plain")
}

/// A `text/plain` body is scheme A, which only an encrypted app can send.
fn not_an_encrypted_app() -> Rejection {
    Rejection::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        415,
        "Content-Type text/plain carries scheme A (the whole JSON RSA-encrypted), and this app was created \
         without encryption: send the JSON as application/json, or create an app with `encryption: true` \
         and your RSA public key in `publicKeyPem` (POST /sandbox/apps)",
    )
}

/// Step 5 and 6: the scenario, then the operation within the gateway's timeout.
async fn rehearse<E: Endpoint>(
    inner: &E,
    request: Request,
    scenario: Option<Scenario>,
    timeout: Duration,
) -> Result<Response, Rejection> {
    match scenario {
        Some(Scenario::ServerError) => return Err(Rejection::rehearsed_backend_error()),
        Some(Scenario::RateLimited(wait)) => {
            let rejection = Rejection::rehearsed_rate_limit();
            let Some(secs) = wait else {
                return Err(rejection);
            };
            let mut response = rejection.into_response();
            let headers = response.headers_mut();
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return Ok(response);
        }
        Some(Scenario::Unauthorized) => {
            return Err(Rejection::unauthorized(
                "Authentication failed: the token has expired (x-sandbox-scenario: unauthorized)",
            ))
        }
        _ => {}
    }
    let backend = async {
        match scenario {
            Some(Scenario::Slow(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Some(Scenario::Timeout) => std::future::pending::<()>().await,
            _ => {}
        }
        call(inner, request).await
    };
    tokio::time::timeout(timeout, backend).await.map_err(|_| {
        Rejection::new(
            StatusCode::GATEWAY_TIMEOUT,
            BACKEND_TIMEOUT,
            format!(
                "Backend read timeout: no answer within the gateway's {} ms",
                timeout.as_millis()
            ),
        )
    })
}

async fn call<E: Endpoint>(inner: &E, request: Request) -> Response {
    match inner.call(request).await {
        Ok(output) => output.into_response(),
        Err(err) => into_envelope(err).await,
    }
}

fn scenario_of(request: &Request) -> Result<Option<Scenario>, Rejection> {
    request
        .headers()
        .get(scenario::HEADER)
        .map(|value| Scenario::parse(value.to_str().unwrap_or_default()))
        .transpose()
}

/// What the request log needs to know about a call as it passes through.
struct Trip {
    started: Instant,
    credential: u64,
    entry: Entry,
}

impl Trip {
    fn new(
        request: &Request,
        operation: &Operation,
        caller: &Caller,
        body: &[u8],
        started: Instant,
    ) -> Self {
        // Which credential, to tell a retry with the same one from one with a fresh token.
        let credential = request
            .headers()
            .get("apikey")
            .or_else(|| request.headers().get(header::AUTHORIZATION))
            .map_or(0, |v| readiness::fingerprint(v.as_bytes()));
        Self {
            started,
            credential,
            entry: Entry {
                time: caller
                    .app
                    .clock
                    .now()
                    .with_timezone(&ist())
                    .trunc_subsecs(3),
                method: request.method().clone(),
                path: request.uri().path().to_string(),
                query: request.uri().query().map(str::to_string),
                operation: Some(operation.id),
                scope: operation.family(),
                status: 0,
                latency_ms: 0.0,
                credential: caller.credential.name(),
                scenario: request
                    .headers()
                    .get(scenario::HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
                encrypted: false,
                request: KeptBody::new(body, request.content_type()),
                answer: None,
            },
        }
    }
}

/// Step 8: rate-limit headers, then the log entry.
async fn finish(
    caller: &Caller,
    operation: &Operation,
    standing: Option<Standing>,
    response: Response,
    trip: Trip,
) -> Response {
    let app = &caller.app;
    let mut response = match standing {
        Some(standing) => with_rate_limit(response, standing),
        None => response,
    };
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        response = with_retry_after(response, seconds_to_midnight(app.clock.now()));
    }
    if READS_THE_LOG.contains(&operation.id) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = body.into_bytes().await.unwrap_or_default();
    let mut entry = trip.entry;
    entry.status = parts.status.as_u16();
    entry.latency_ms = (trip.started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
    if entry.answer.is_none() {
        entry.answer = KeptBody::new(
            &bytes,
            parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
        );
    }
    let retry_after = parts
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let seen = readiness::Seen::of(
        &entry,
        operation.is_business(),
        trip.credential,
        retry_after,
    );
    let id = app.log.push(entry);
    if let Some(seen) = seen {
        app.readiness.observe(id, seen);
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn with_rate_limit(mut response: Response, standing: Standing) -> Response {
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(standing.limit));
    headers.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(standing.remaining),
    );
    headers.insert("x-ratelimit-reset", HeaderValue::from(standing.reset_secs));
    response
}

fn with_retry_after(mut response: Response, seconds: i64) -> Response {
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert_with(|| HeaderValue::from(seconds));
    }
    response
}
