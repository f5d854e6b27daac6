//! What may differ between two runs of the same corpus — and nothing else. Every rule is here, with
//! why the value legitimately changes; everything an answer holds outside these rules is compared byte
//! for byte.
//!
//! 1. **Drawn at random, by design** ([`BOUND`]): a created app's `apikey` and `client_secret`, and OAuth2
//!    access tokens (HS256 under a secret drawn at each start, `iat`/`nbf`/`exp` by the wall clock).
//!    Each distinct value becomes a numbered placeholder (`{{apikey-1}}`) at its first appearance in
//!    an answer; requests that send it back carry the placeholder in the corpus, and the replay sends
//!    the value its own run was given. A value appearing where the recording had none (or the reverse)
//!    is a difference.
//! 2. **Time spent**: `latencyMs` in request-log and callback entries (`"latencyMs": "{{latency}}"`).
//! 3. **Wall clock**, on steps flagged `wallClock` only — calls that arrive while the app's clock runs
//!    in real time (an app's first freeze, a call just after a reset, an unauthenticated call's
//!    `rate-limited` rehearsal): the `x-ratelimit-reset` and `retry-after` headers and a `clock`
//!    field of the answer (`{{wall-clock}}`).
//!
//! Requests may also carry `{{fingerprint}}` in the `x-id-fingerprint` header: computed when sent, from
//! the apikey actually sent and the step's plaintext (the apikey is random for created apps, and the
//! header is RSA under random padding: the server decrypts it, so its bytes never reach an answer).

use std::collections::{BTreeMap, HashMap};

use regex::{Captures, Regex};

/// Values drawn at random, bound to numbered placeholders: (name, pattern, why).
pub const BOUND: &[(&str, &str, &str)] = &[
    (
        "apikey",
        r"sbk_[0-9a-f]{32}",
        "a created app's apikey, random at creation",
    ),
    (
        "client-secret",
        r"sbs_[0-9a-f]{32}",
        "a created app's client secret, random at creation",
    ),
    (
        "callback-secret",
        r"sbw_[0-9a-f]{32}",
        "a created app's callback signing secret, random at creation",
    ),
    (
        "delivery",
        r"dlv_[0-9a-f]{32}",
        "a callback's delivery id, random so that a receiver's dedup store never mistakes a new \
         sandbox's callback for one it has seen",
    ),
    (
        "token",
        r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
        "an OAuth2 access token: signed under a per-start secret, stamped by the wall clock",
    ),
];

/// The computed request header (see the module's doc).
pub const FINGERPRINT: &str = "{{fingerprint}}";

const LATENCY: &str = "{{latency}}";
const WALL_CLOCK: &str = "{{wall-clock}}";
/// Headers that count down to midnight on the app's clock, or on the wall clock for an open call.
const WALL_CLOCK_HEADERS: &[&str] = &["x-ratelimit-reset", "retry-after"];

/// The rules, and the placeholders one run has bound.
pub struct Normaliser {
    bound: Vec<(&'static str, Regex)>,
    latency: Regex,
    clock: Regex,
    placeholder: Regex,
    /// placeholder → this run's value.
    values: BTreeMap<String, String>,
    /// value → placeholder.
    names: HashMap<String, String>,
    counts: HashMap<&'static str, usize>,
}

impl Normaliser {
    pub fn new() -> Self {
        let regex = |pattern: &str| Regex::new(pattern).expect("a valid rule");
        Self {
            bound: BOUND
                .iter()
                .map(|(name, pattern, _)| (*name, regex(pattern)))
                .collect(),
            latency: regex(r#"("latencyMs":\s*)-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?"#),
            clock: regex(r#"("clock":\s*)"[^"]*""#),
            placeholder: regex(r"\{\{([a-z-]+-[0-9]+)\}\}"),
            values: BTreeMap::new(),
            names: HashMap::new(),
            counts: HashMap::new(),
        }
    }

    /// An answer's headers and body, normalised; placeholders are bound as values first appear.
    pub fn answer(
        &mut self,
        wall_clock: bool,
        headers: &mut BTreeMap<String, Vec<String>>,
        body: &[u8],
    ) -> Vec<u8> {
        for (name, values) in headers.iter_mut() {
            for value in values.iter_mut() {
                *value = if wall_clock && WALL_CLOCK_HEADERS.contains(&name.as_str()) {
                    WALL_CLOCK.to_string()
                } else {
                    self.bind(value)
                };
            }
        }
        let Ok(text) = std::str::from_utf8(body) else {
            return body.to_vec();
        };
        let mut text = self.bind(text);
        text = self
            .latency
            .replace_all(&text, format!("${{1}}\"{LATENCY}\""))
            .into_owned();
        if wall_clock {
            text = self
                .clock
                .replace_all(&text, format!("${{1}}\"{WALL_CLOCK}\""))
                .into_owned();
        }
        text.into_bytes()
    }

    /// Replaces every value of a [`BOUND`] kind by its placeholder, binding new ones.
    fn bind(&mut self, text: &str) -> String {
        let mut text = text.to_string();
        for (kind, pattern) in &self.bound {
            let replaced = pattern.replace_all(&text, |found: &Captures<'_>| {
                let value = &found[0];
                if let Some(name) = self.names.get(value) {
                    return name.clone();
                }
                let count = self.counts.entry(kind).or_default();
                *count += 1;
                let name = format!("{{{{{kind}-{count}}}}}");
                self.names.insert(value.to_string(), name.clone());
                self.values.insert(name.clone(), value.to_string());
                name
            });
            text = replaced.into_owned();
        }
        text
    }

    /// A recorded request's text with this run's values in place of the placeholders.
    pub fn substitute(&self, text: &str) -> Result<String, String> {
        let mut missing = None;
        let replaced = self.placeholder.replace_all(text, |found: &Captures<'_>| {
            match self.values.get(&found[0]) {
                Some(value) => value.clone(),
                None => {
                    missing = Some(found[0].to_string());
                    found[0].to_string()
                }
            }
        });
        match missing {
            Some(name) => Err(format!(
                "{name} was never handed out in this run (the answer that gave it changed)"
            )),
            None => Ok(replaced.into_owned()),
        }
    }

    /// While recording: a request's text with the values already bound replaced by their placeholders.
    pub fn conceal(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (value, name) in &self.names {
            text = text.replace(value, name);
        }
        text
    }
}
