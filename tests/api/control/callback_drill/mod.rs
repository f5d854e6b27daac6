//! Callback receiver drills (`POST /sandbox/callbacks/drill`) against receivers on loopback: a naive
//! one (acknowledges everything it can parse, fails a repeated delivery, checks no signature) is
//! graded failed on the duplicate and the tampered callback — in the drill's answer and in the
//! readiness report — and a correct one (verifies the signature, dedupes, refuses bad input with
//! 400/401) passes every case, for a plain app, an encrypted one, and the e-collection MIS push.

use std::{
    collections::{BTreeMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use poem::http::{Method, StatusCode};
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};
use sandbank::{sandbox::bank::callbacks::RetryPolicy, SandboxSettings};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::helpers::{loopback::serve_on_loopback, Answer, NewApp, TestApp};

mod apps;
mod cases;

/// One request a receiver got, and what it answered.
#[derive(Debug, Clone)]
pub struct Received {
    pub content_type: String,
    pub signature: String,
    pub delivery: String,
    pub attempt: String,
    pub body: Vec<u8>,
    pub answered: u16,
}

/// How a test receiver treats callbacks.
#[derive(Clone)]
pub enum Style {
    /// Acknowledges whatever parses as JSON (400 otherwise, as web frameworks do), answers 500 to a
    /// delivery id it has seen, and checks no signature.
    Naive,
    /// Verifies `X-Sandbank-Signature` (401), acknowledges a delivery id it has seen without acting
    /// again, opens the body with `key` for an encrypted app, and refuses what does not parse (400).
    Correct {
        secret: String,
        key: Option<Arc<RsaPrivateKey>>,
    },
    /// Answers these statuses in turn, then 200.
    Script(Vec<u16>),
    /// Holds every request this long, then answers 200.
    Slow(Duration),
    /// Says when a request arrives, and holds it until released; then 200.
    Gate(Arc<Gate>),
}

/// A receiver's hold on the requests it gets: no sleeping, the test says when. Each request adds a
/// permit to `arrived`, then takes one from `release`.
pub struct Gate {
    pub arrived: tokio::sync::Semaphore,
    pub release: tokio::sync::Semaphore,
}

impl Gate {
    pub fn new() -> Arc<Gate> {
        Arc::new(Gate {
            arrived: tokio::sync::Semaphore::new(0),
            release: tokio::sync::Semaphore::new(0),
        })
    }

    /// Waits until `n` requests are held.
    pub async fn held(&self, n: u32) {
        self.arrived.acquire_many(n).await.unwrap().forget();
    }
}

pub struct Receiver {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn received(&self) -> Vec<Received> {
        self.seen.lock().unwrap().clone()
    }
}

pub async fn receiver(style: Style) -> Receiver {
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let processed: Arc<Mutex<HashSet<String>>> = Arc::default();
    let log = seen.clone();
    let endpoint = poem::endpoint::make(move |mut request: poem::Request| {
        let (log, processed, style) = (log.clone(), processed.clone(), style.clone());
        async move {
            let header = |name: &str| {
                request
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            };
            let mut received = Received {
                content_type: header("content-type"),
                signature: header("x-sandbank-signature"),
                delivery: header("x-sandbank-delivery"),
                attempt: header("x-sandbank-attempt"),
                body: Vec::new(),
                answered: 0,
            };
            received.body = request.take_body().into_vec().await.unwrap_or_default();
            match &style {
                Style::Slow(hold) => tokio::time::sleep(*hold).await,
                Style::Gate(gate) => {
                    gate.arrived.add_permits(1);
                    gate.release.acquire().await.unwrap().forget();
                }
                _ => {}
            }
            let answered = {
                let mut processed = processed.lock().unwrap();
                let mut log = log.lock().unwrap();
                let scripted = log.len();
                let status = answer(&style, &received, &mut processed, scripted);
                received.answered = status;
                log.push(received);
                status
            };
            poem::Response::builder()
                .status(StatusCode::from_u16(answered).unwrap())
                .body(r#"{"status":"ACCEPTED"}"#)
        }
    });
    Receiver {
        url: format!("{}/callbacks", serve_on_loopback(endpoint)),
        seen,
    }
}

fn answer(style: &Style, got: &Received, processed: &mut HashSet<String>, count: usize) -> u16 {
    match style {
        Style::Naive => {
            if serde_json::from_slice::<Value>(&got.body).is_err() {
                400
            } else if !processed.insert(got.delivery.clone()) {
                500
            } else {
                200
            }
        }
        Style::Correct { secret, key } => {
            if !verify(secret, &got.signature, &got.body) {
                return 401;
            }
            if processed.contains(&got.delivery) {
                return 200;
            }
            let plaintext = match key {
                None => Some(got.body.clone()),
                Some(key) => open_whole(key, &got.body),
            };
            match plaintext.map(|p| serde_json::from_slice::<Value>(&p)) {
                Some(Ok(_)) => {
                    processed.insert(got.delivery.clone());
                    200
                }
                _ => 400,
            }
        }
        Style::Script(statuses) => statuses.get(count).copied().unwrap_or(200),
        Style::Slow(_) | Style::Gate(_) => 200,
    }
}

/// The partner's check: `t=<unix>,v1=<hex>`, HMAC-SHA256 over `<t>.<body>` compared in constant
/// time, `t` within five minutes of now.
pub fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let parts: BTreeMap<&str, &str> = header
        .split(',')
        .filter_map(|part| part.split_once('='))
        .collect();
    let (Some(t), Some(v1)) = (parts.get("t"), parts.get("v1")) else {
        return false;
    };
    let Ok(seconds) = t.parse::<i64>() else {
        return false;
    };
    if (chrono::Utc::now().timestamp() - seconds).abs() > 300 {
        return false;
    }
    let Ok(expected) = (0..v1.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(v1.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// A whole-body RSA callback opened with the merchant's key; `None` when it does not open.
fn open_whole(key: &RsaPrivateKey, body: &[u8]) -> Option<Vec<u8>> {
    let sealed = STANDARD.decode(body).ok()?;
    key.decrypt(Pkcs1v15Encrypt, &sealed).ok()
}

/// Retries 1 ms apart (the late case's retry waits 8 ms), 2 s an attempt.
pub fn fast() -> SandboxSettings {
    SandboxSettings {
        callback_policy: RetryPolicy {
            max_attempts: 5,
            first_backoff: Duration::from_millis(1),
            timeout: Duration::from_secs(2),
        },
        ..SandboxSettings::default()
    }
}

pub async fn drill(app: &TestApp, apikey: &str, body: Value) -> Answer {
    app.post_with("/sandbox/callbacks/drill", &[("apikey", apikey)], body)
        .await
}

/// `case → passed` from a drill's answer.
fn passed(answer: &Answer) -> BTreeMap<String, bool> {
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["case"].as_str().unwrap().into(), c["passed"] == true))
        .collect()
}

fn case<'a>(answer: &'a Answer, name: &str) -> &'a Value {
    answer.json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

/// The readiness report's callback receiver items: `id → (state, item)`.
pub async fn receiver_items(app: &TestApp, apikey: &str) -> BTreeMap<String, (String, Value)> {
    let report = app
        .call(
            Method::GET,
            "/sandbox/readiness",
            &[("apikey", apikey)],
            None,
        )
        .await
        .json;
    let family = report["families"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["family"] == "callbacks")
        .expect("the callback receiver checklist applies to every app")
        .clone();
    family["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let id = i["id"]
                .as_str()
                .unwrap()
                .trim_start_matches("callback-drill-");
            (
                id.to_string(),
                (i["state"].as_str().unwrap().into(), i.clone()),
            )
        })
        .collect()
}

async fn plain_app(app: &TestApp, url: &str) -> NewApp {
    app.create_app(json!({ "name": "receiver", "callbackUrl": url }))
        .await
}

const ALL: [&str; 6] = [
    "normal",
    "duplicate",
    "out-of-order",
    "late",
    "malformed",
    "tampered",
];
