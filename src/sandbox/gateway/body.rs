//! The request body, read once under the gateway's limits: at most [`MAX_BODY_BYTES`], counted on the
//! bytes actually read (not only on `Content-Length`), and whole within the body deadline.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, LengthLimitError, Limited};
use poem::{http::header, Request};

use crate::sandbox::{
    gateway::{credentials::identify, error::Rejection},
    Sandbox,
};

/// Bodies over this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The one larger allowance: a snapshot document imported with `POST /sandbox/snapshots` (a fresh
/// app's ledger alone, with its 120 days of history, is about 1.7 MB) by a caller whose credentials
/// name an app — an anonymous client cannot make the server hold 16 MiB per connection.
pub const MAX_SNAPSHOT_BYTES: usize = 16 * 1024 * 1024;

/// The body limit of a request.
pub(super) fn limit_of(sandbox: &Sandbox, request: &Request) -> usize {
    let import = request.method() == poem::http::Method::POST
        && request.uri().path() == "/sandbox/snapshots";
    if import && identify(sandbox, request).is_ok() {
        MAX_SNAPSHOT_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

pub(super) async fn limit_body(
    request: &mut Request,
    limit: usize,
    deadline: Duration,
) -> Result<Bytes, Rejection> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(Rejection::payload_over(limit / (1024 * 1024)));
    }
    // Collected from the body's frames: poem's `into_bytes_limit` zeroes and copies through a 4 KiB
    // buffer on every request, even an empty one.
    let body: BoxBody<Bytes, std::io::Error> = request.take_body().into();
    let collected = tokio::time::timeout(deadline, Limited::new(body, limit).collect())
        .await
        .map_err(|_| Rejection::body_timeout(deadline))?;
    let bytes = collected
        .map_err(|err| {
            if err.is::<LengthLimitError>() {
                Rejection::payload_over(limit / (1024 * 1024))
            } else {
                Rejection::schema("", format!("could not read the request body: io: {err}"))
            }
        })?
        .to_bytes();
    request.set_body(bytes.clone());
    Ok(bytes)
}
