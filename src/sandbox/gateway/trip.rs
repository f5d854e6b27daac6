//! Step 8: the `X-RateLimit-*` headers, the call's entry in the app's request log, and what it proves
//! to the readiness report.

use std::time::Instant;

use chrono::SubsecRound;
use poem::{
    http::{header, HeaderValue, StatusCode},
    Body, Request, Response,
};

use crate::sandbox::{
    bank::clock::ist,
    gateway::{
        credentials::Caller,
        operations::Operation,
        quota::{seconds_to_midnight, Standing},
        readiness,
        request_log::{Entry, KeptBody},
        scenario,
    },
    Sandbox,
};

/// The operations that read the request log or what it proved: not logged themselves, so that reading
/// does not push out what the partner came to read.
const READS_THE_LOG: &[&str] = &["sandboxRequests", "sandboxReadiness"];

/// What the request log needs to know about a call as it passes through.
pub(super) struct Trip {
    started: Instant,
    credential: u64,
    pub(super) entry: Entry,
}

impl Trip {
    pub(super) fn new(
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
pub(super) async fn finish(
    sandbox: &Sandbox,
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
    let id = sandbox.log_request(app, entry).await;
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

pub(super) fn with_retry_after(mut response: Response, seconds: i64) -> Response {
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert_with(|| HeaderValue::from(seconds));
    }
    response
}
