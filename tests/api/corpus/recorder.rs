//! Recording: the script's calls go through the [`Harness`] and become steps. The script reads ids from
//! the raw answers (goal ids, BankRRNs, a created app's apikey) and sends them on; the corpus keeps the
//! requests with the random values already seen concealed behind their placeholders.

use poem::http::Method;
use serde_json::Value;

use super::{
    format::{Answer, Body, Request, Step},
    harness::Harness,
    normalise::FINGERPRINT,
};
use crate::helpers::DEMO_KEY;

/// One call the script makes.
pub struct Call {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Body,
    plaintext: Option<Vec<u8>>,
    note: String,
    wall_clock: bool,
}

impl Call {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: Body::Empty,
            plaintext: None,
            note: String::new(),
            wall_clock: false,
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// The `apikey` header.
    pub fn key(self, apikey: &str) -> Self {
        self.header("apikey", apikey)
    }

    /// The demo app's key.
    pub fn demo(self) -> Self {
        self.key(DEMO_KEY)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// A JSON body (compact, keys sorted: the same bytes on every run).
    pub fn json(self, body: Value) -> Self {
        self.raw("application/json", body.to_string().into_bytes())
    }

    pub fn raw(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.body = Body::of(&body);
        self.header("content-type", content_type)
    }

    /// An encrypted body, with the JSON it carries.
    pub fn sealed(mut self, content_type: &str, body: Vec<u8>, plaintext: &Value) -> Self {
        self.plaintext = Some(plaintext.to_string().into_bytes());
        self.raw(content_type, body)
    }

    /// `repeat` × `times` as the body.
    pub fn repeated(mut self, content_type: &str, byte: u8, times: usize) -> Self {
        self.body = Body::Repeat(byte, times);
        self.header("content-type", content_type)
    }

    /// An `X-ID-Fingerprint` over the plaintext (or the body), computed as it is sent.
    pub fn fingerprint(self) -> Self {
        self.header("x-id-fingerprint", FINGERPRINT)
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// The calling app's clock runs in real time (see the wall-clock rule).
    pub fn wall_clock(mut self) -> Self {
        self.wall_clock = true;
        self
    }
}

/// The script's side of a recording.
pub struct Recorder {
    pub harness: Harness,
    pub steps: Vec<Step>,
}

/// What a call answered, raw (its JSON, when it is JSON).
pub struct Got {
    pub json: Value,
}

impl Got {
    /// A string field of the answer, by JSON pointer (`/data/goalId`).
    #[track_caller]
    pub fn field(&self, pointer: &str) -> String {
        match self.json.pointer(pointer) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => panic!("no {pointer} in {}", self.json),
        }
    }
}

impl Recorder {
    pub async fn start() -> Self {
        Self {
            harness: Harness::start().await,
            steps: Vec::new(),
        }
    }

    /// Sends the call and records it.
    pub async fn send(&mut self, call: Call) -> Got {
        let normaliser = &self.harness.normaliser;
        let concealed = |text: &str| normaliser.conceal(text);
        let body = match &call.body {
            Body::Json(text) => Body::Json(concealed(text)),
            Body::Text(text) => Body::Text(concealed(text)),
            other => other.clone(),
        };
        let request = Request {
            method: call.method.to_string(),
            path: concealed(&call.path),
            headers: call
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), concealed(value)))
                .collect(),
            body,
            plaintext: call.plaintext.as_deref().map(Body::of),
        };
        let exchange = self
            .harness
            .exchange(&request, call.wall_clock)
            .await
            .unwrap_or_else(|e| panic!("{} {}: {e}", call.method, call.path));
        let plaintext = call
            .plaintext
            .as_ref()
            .and_then(|_| self.harness.keys.open(&exchange.raw_body))
            .map(|bytes| Body::of(&bytes));
        let step = Step {
            step: self.steps.len() + 1,
            op: self.harness.operation_of(&request.method, &request.path),
            note: call.note,
            wall_clock: call.wall_clock,
            request,
            answer: Answer {
                status: exchange.status,
                headers: exchange.headers.clone(),
                body: Body::of(&exchange.body),
                plaintext,
            },
        };
        self.steps.push(step);
        Got {
            json: exchange.json(),
        }
    }

    /// A JSON POST as the demo app.
    pub async fn post(&mut self, note: &str, path: &str, body: Value) -> Got {
        self.send(Call::post(path).demo().json(body).note(note))
            .await
    }

    /// A JSON POST as another app.
    pub async fn post_as(&mut self, apikey: &str, note: &str, path: &str, body: Value) -> Got {
        self.send(Call::post(path).key(apikey).json(body).note(note))
            .await
    }

    /// Moves the demo app's clock on (`PT5S`, `P1D`, ...).
    pub async fn advance(&mut self, by: &str, why: &str) -> Got {
        let note = format!("advance the clock {by}: {why}");
        self.post(
            &note,
            "/sandbox/clock",
            serde_json::json!({ "advance": by }),
        )
        .await
    }
}
