//! The request log: each app's most recent requests and answers, newest first, in a bounded ring
//! buffer — what a partner debugging an integration looks at first (`GET /sandbox/requests`).
//!
//! Bodies are shown as JSON where they parse (decrypted, for encrypted apps), with secrets masked: any
//! field whose name says secret, password, passcode, token, apikey or private key, card numbers, CVVs
//! (`cvv2`, `cvc2`), OTPs and PINs. Entries keep cheap copies (the body bytes, static names) and are rendered only when read:
//! rendering every body on every call cost about a fifth of a request. The lock is a plain mutex held
//! for a push or a copy, never across an `.await`.

use std::{
    collections::VecDeque,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
};

use bytes::Bytes;
use chrono::{DateTime, FixedOffset};
use poem::http::Method;
use poem_openapi::Object;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sandbox::gateway::scopes::{Scope, ScopeSet};

/// How many requests each app keeps; older ones fall off.
pub const CAPACITY: usize = 200;

/// Bodies larger than this are summarised, not kept.
const MAX_KEPT_BODY: usize = 16 * 1024;

/// What replaces a secret.
pub const MASK: &str = "****";

/// One request and its answer.
#[derive(Object, Serialize, Deserialize, Debug, Clone)]
#[oai(rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Sequence number within the app, from 1.
    pub id: u64,
    /// When the request arrived, on the app's sandbox clock (IST, milliseconds).
    pub time: DateTime<FixedOffset>,
    pub method: String,
    pub path: String,
    /// The query string, if any.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// Time spent in the sandbox, milliseconds.
    pub latency_ms: f64,
    /// The operationId of the operation called.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// `apikey` or `bearer`.
    pub credential: String,
    /// The `x-sandbox-scenario` asked for, if any.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// `true` when the request and answer travelled in the encryption envelope; the bodies shown here
    /// are the plaintext.
    pub encrypted: bool,
    /// The request body (JSON where it parses), secrets masked.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Value>,
    /// The answer body (JSON where it parses), secrets masked.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<Value>,
}

/// One request as kept: rendered into a [`LoggedRequest`] when the log is read.
#[derive(Debug, Clone)]
pub struct Entry {
    pub time: DateTime<FixedOffset>,
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub latency_ms: f64,
    pub operation: Option<&'static str>,
    /// The family the call belongs to (`None`: the control plane itself), for narrow tokens' views.
    pub scope: Option<Scope>,
    pub credential: &'static str,
    pub scenario: Option<String>,
    pub encrypted: bool,
    pub request: Option<KeptBody>,
    pub answer: Option<KeptBody>,
}

impl Entry {
    /// The entry as the log shows it, numbered `id`.
    pub(crate) fn render(self, id: u64) -> LoggedRequest {
        LoggedRequest {
            id,
            time: self.time,
            method: self.method.to_string(),
            path: self.path,
            query: self.query,
            status: self.status,
            latency_ms: self.latency_ms,
            operation: self.operation.map(str::to_string),
            credential: self.credential.to_string(),
            scenario: self.scenario,
            encrypted: self.encrypted,
            request: self.request.map(|b| b.render()),
            answer: self.answer.map(|b| b.render()),
        }
    }
}

/// A body as kept: its own copy of the bytes (so no connection buffer stays pinned), or only its size
/// when too large to keep.
#[derive(Debug, Clone)]
pub enum KeptBody {
    Bytes { bytes: Bytes, form: bool },
    TooLarge(usize),
}

impl KeptBody {
    /// `None` when empty.
    pub fn new(bytes: &[u8], content_type: Option<&str>) -> Option<Self> {
        if bytes.is_empty() {
            return None;
        }
        if bytes.len() > MAX_KEPT_BODY {
            return Some(Self::TooLarge(bytes.len()));
        }
        Some(Self::Bytes {
            bytes: Bytes::copy_from_slice(bytes),
            form: content_type.is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")),
        })
    }

    /// The body as the log shows it: JSON (or a form, as an object) with secrets masked, else text.
    pub fn render(&self) -> Value {
        let (bytes, form) = match self {
            Self::TooLarge(len) => return Value::String(format!("<{len} bytes, not kept>")),
            Self::Bytes { bytes, form } => (bytes, *form),
        };
        if let Ok(mut value) = serde_json::from_slice::<Value>(bytes) {
            mask(&mut value);
            return value;
        }
        if form {
            let mut object = serde_json::Map::new();
            for (key, value) in crate::sandbox::gateway::payload::form_pairs(bytes) {
                object.insert(key, Value::String(value));
            }
            let mut value = Value::Object(object);
            mask(&mut value);
            return value;
        }
        Value::String(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// One app's ring buffer.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<(u64, Entry)>>,
    next_id: AtomicU64,
}

/// Which entries `GET /sandbox/requests` wants.
#[derive(Debug, Default)]
pub struct Filter {
    pub limit: usize,
    /// Entries whose path contains this.
    pub path: Option<String>,
    /// An exact status (`404`) or a class (`4xx`).
    pub status: Option<String>,
    /// Only these families' entries (a narrow token's view); `None`: every entry.
    pub families: Option<ScopeSet>,
}

impl Filter {
    /// Whether an entry of `scope` (`None`: the control plane), `path` and `status` is wanted.
    pub(crate) fn admits(&self, scope: Option<Scope>, path: &str, status: u16) -> bool {
        self.families
            .is_none_or(|f| scope.is_some_and(|s| f.contains(s)))
            && self.path.as_deref().is_none_or(|p| path.contains(p))
            && self
                .status
                .as_deref()
                .is_none_or(|s| status_matches(status, s))
    }
}

impl RequestLog {
    /// Appends an entry, dropping the oldest past [`CAPACITY`]; returns the `id` assigned to it.
    pub fn push(&self, entry: Entry) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut entries = self.lock();
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back((id, entry));
        id
    }

    /// The newest entries matching `filter`, newest first.
    pub fn recent(&self, filter: &Filter) -> Vec<LoggedRequest> {
        let picked: Vec<(u64, Entry)> = {
            let entries = self.lock();
            entries
                .iter()
                .rev()
                .filter(|(_, e)| filter.admits(e.scope, &e.path, e.status))
                .take(filter.limit)
                .cloned()
                .collect()
        };
        picked
            .into_iter()
            .map(|(id, entry)| entry.render(id))
            .collect()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(u64, Entry)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `404` matches 404; `4xx` matches 400–499.
pub fn status_matches(status: u16, wanted: &str) -> bool {
    match wanted
        .strip_suffix("xx")
        .or_else(|| wanted.strip_suffix("XX"))
    {
        Some(class) => class.parse::<u16>().is_ok_and(|c| status / 100 == c),
        None => wanted.parse::<u16>().is_ok_and(|s| s == status),
    }
}

/// Whether `filter.status` is something [`status_matches`] understands.
pub fn valid_status_filter(wanted: &str) -> bool {
    let digits = wanted
        .strip_suffix("xx")
        .or_else(|| wanted.strip_suffix("XX"))
        .unwrap_or(wanted);
    !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Masks every secret-looking field, at any depth.
pub fn mask(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, field) in object.iter_mut() {
                if is_secret(key) && !field.is_null() {
                    *field = Value::String(MASK.into());
                } else {
                    mask(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

fn is_secret(key: &str) -> bool {
    let key: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    // Card secrets (cvv2, cvc2, card numbers, PIN blocks) as well as credentials.
    const CONTAINS: &[&str] = &[
        "secret",
        "password",
        "passwd",
        "passcode",
        "token",
        "apikey",
        "privatekey",
        "cvv",
        "cvc",
        "cvn",
        "cardnumber",
        "cardno",
        "pinblock",
    ];
    // `otp`, `mobileOtp`; `pin`, `mpin`, `upiPin` — but not `otpReference` or `pincode`.
    const SUFFIX: &[&str] = &["otp", "pin"];
    const EXACT: &[&str] = &["pwd", "authorization"];
    CONTAINS.iter().any(|c| key.contains(c))
        || SUFFIX.iter().any(|s| key.ends_with(s))
        || EXACT.contains(&key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_at_any_depth() {
        let mut body = serde_json::json!({
            "client_secret": "s3cret", "PassCode": "p", "nested": [{ "otp": "123456", "pan": "ABCPE1234F" }],
            "access_token": "eyJ", "name": "Ravi"
        });
        mask(&mut body);
        assert_eq!(
            body,
            serde_json::json!({
                "client_secret": MASK, "PassCode": MASK, "nested": [{ "otp": MASK, "pan": "ABCPE1234F" }],
                "access_token": MASK, "name": "Ravi"
            })
        );
    }

    #[test]
    fn status_filters() {
        assert!(status_matches(404, "404"));
        assert!(status_matches(429, "4xx"));
        assert!(!status_matches(500, "4xx"));
        assert!(valid_status_filter("5xx") && valid_status_filter("200"));
        assert!(!valid_status_filter("abc") && !valid_status_filter("xx"));
    }
}
