//! The one way a callback leaves the sandbox: one POST through the one client, signed, with at most
//! [`MAX_RESPONSE_BODY`] of the answer read. Genuine deliveries and drills both come through here, so
//! every safety rule (no redirects, no proxy, the `--callback-allow` resolver, timeouts, the 4 KiB
//! answer) and the signature apply to both.

use std::{sync::Arc, time::Duration};

use crate::sandbox::bank::callbacks::{signature, DeliveryLimits, RetryPolicy, MAX_RESPONSE_BODY};

/// How long connecting to the partner may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// The HTTP client callbacks travel on. Built here and only here, so that the transport's settings
/// (TLS roots, timeouts, the resolver that enforces `--callback-allow`) live in one place: `tls` (see
/// `crate::sandbox::bank::callbacks::tls`) for `https://` receivers; the resolver is hickory's, so that DNS works the
/// same in a static binary on an empty image.
pub(super) fn client(
    policy: &RetryPolicy,
    limits: &DeliveryLimits,
    tls: rustls::ClientConfig,
) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        // A redirect is the partner's answer: following one let a callback reach internal URLs.
        .redirect(reqwest::redirect::Policy::none())
        // Callbacks go straight to the partner's receiver, never through an environment proxy
        // (which would also bypass the target check).
        .no_proxy()
        .dns_resolver(Arc::new(limits.targets.clone()).resolver())
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(policy.timeout)
        .timeout(policy.timeout)
        .pool_max_idle_per_host(limits.per_app)
        .build()
        .expect("a client over a preconfigured rustls config builds")
}

/// What the signature covers.
#[derive(Debug, Clone, Copy)]
pub(super) enum Sign<'a> {
    /// The body sent, at the time of sending: every genuine attempt.
    Body,
    /// Other bytes, at the time of sending: a tampered drill keeps the signature of the body before
    /// the tampering.
    Over(&'a [u8]),
    /// Exactly this header again: a duplicate repeats the original's bytes and headers.
    Repeat(&'a str),
}

/// One POST, as it goes on the wire.
#[derive(Debug, Clone, Copy)]
pub(super) struct Wire<'a> {
    pub url: &'a str,
    pub content_type: &'static str,
    pub body: &'a [u8],
    pub secret: &'a str,
    pub delivery: &'a str,
    pub attempt: u32,
    pub sign: Sign<'a>,
}

/// What one POST came back with.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    pub status: Option<u16>,
    pub body: Option<String>,
    pub truncated: bool,
    pub error: Option<String>,
    /// The `X-Sandbank-Signature` sent.
    pub signature: String,
}

impl Outcome {
    pub fn failed(error: String) -> Self {
        Self {
            error: Some(error),
            ..Self::default()
        }
    }

    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// One POST, and at most [`MAX_RESPONSE_BODY`] of its answer.
pub(super) async fn send(client: &reqwest::Client, wire: Wire<'_>) -> Outcome {
    let signature = match wire.sign {
        Sign::Body => signature::sign(wire.secret, signature::now(), wire.body),
        Sign::Over(bytes) => signature::sign(wire.secret, signature::now(), bytes),
        Sign::Repeat(header) => header.to_string(),
    };
    let request = client
        .post(wire.url)
        .header(reqwest::header::CONTENT_TYPE, wire.content_type)
        .header(signature::SIGNATURE, &signature)
        .header(signature::DELIVERY, wire.delivery)
        .header(signature::ATTEMPT, wire.attempt)
        .body(wire.body.to_vec());
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(err) => {
            return Outcome {
                signature,
                ..Outcome::failed(describe(&err))
            }
        }
    };
    let mut kept = Vec::new();
    let mut outcome = Outcome {
        status: Some(response.status().as_u16()),
        signature,
        ..Outcome::default()
    };
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_RESPONSE_BODY - kept.len();
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if chunk.len() > room {
                    // The rest is never read: dropping the response closes the connection.
                    outcome.truncated = true;
                    break;
                }
            }
            Ok(None) => break,
            Err(err) => {
                outcome.error = Some(format!("reading the answer: {}", describe(&err)));
                break;
            }
        }
    }
    outcome.body = Some(String::from_utf8_lossy(&kept).into_owned());
    outcome
}

/// An error and its causes, so a refusal by `--callback-allow` or a timeout says so.
fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
