//! The readiness page's view token: how a browser, which cannot send the `apikey` header, opens
//! `/sandbox/readiness.html`. The JSON report links the page with `?view=<token>`:
//! `<client_id, base64url>.<expiry, unix seconds>.<HMAC-SHA256 under the app's apikey, base64url>`.
//!
//! Why not `?apikey=` on the page: a key in a URL ends up in browser history, proxy and CI logs, and
//! it would open every API. The token opens this one page, for one app, for 24 hours of the app's
//! sandbox clock; only the apikey's holder can mint one, and it says nothing about the key. It is
//! deterministic (the same link for the same clock hour), so the JSON report stays byte-stable on a
//! frozen clock.

use crate::sandbox::bank::store::outcome;
use std::sync::Arc;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::sandbox::{gateway::apps::App, Sandbox};

/// How long a link stays valid, on the app's sandbox clock.
const LIFETIME_SECS: i64 = 24 * 3600;

/// What the MAC covers besides the client id and expiry: a token for nothing else.
const PURPOSE: &str = "sandbank readiness view";

/// A token for `app`, valid until 24 hours after the start of the current hour of its clock.
pub fn issue(app: &App) -> String {
    let now = app.clock.now().timestamp();
    let expiry = now - now.rem_euclid(3600) + LIFETIME_SECS;
    let client = URL_SAFE_NO_PAD.encode(&app.credentials.client_id);
    let mac = URL_SAFE_NO_PAD.encode(mac(app, expiry));
    format!("{client}.{expiry}.{mac}")
}

/// The app a token opens the page for, if it is genuine and unexpired.
pub fn verify(sandbox: &Sandbox, token: &str) -> Result<Arc<App>, &'static str> {
    let mut parts = token.splitn(3, '.');
    let (Some(client), Some(expiry), Some(given)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err("the view token is malformed");
    };
    let client = URL_SAFE_NO_PAD
        .decode(client)
        .ok()
        .and_then(|c| String::from_utf8(c).ok())
        .ok_or("the view token is malformed")?;
    let expiry: i64 = expiry.parse().map_err(|_| "the view token is malformed")?;
    let given = URL_SAFE_NO_PAD
        .decode(given)
        .map_err(|_| "the view token is malformed")?;
    let app = outcome::or_failed(sandbox.app_by_client_id(&client))
        .ok_or("the view token is not valid")?;
    let mut check = keyed(&app);
    check.update(&message(&app, expiry));
    check
        .verify_slice(&given)
        .map_err(|_| "the view token is not valid")?;
    if !app.is_enabled() {
        return Err("the app is disabled");
    }
    let expires =
        DateTime::<Utc>::from_timestamp(expiry, 0).ok_or("the view token is malformed")?;
    if app.clock.now() >= expires {
        return Err("the view token has expired: take a fresh link from GET /sandbox/readiness");
    }
    Ok(app)
}

fn mac(app: &App, expiry: i64) -> Vec<u8> {
    let mut mac = keyed(app);
    mac.update(&message(app, expiry));
    mac.finalize().into_bytes().to_vec()
}

fn keyed(app: &App) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(app.credentials.apikey.as_bytes())
        .expect("HMAC takes a key of any length")
}

fn message(app: &App, expiry: i64) -> Vec<u8> {
    format!("{PURPOSE}\n{}\n{expiry}", app.credentials.client_id).into_bytes()
}
