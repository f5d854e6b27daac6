//! One fresh sandbox and the wire to it, shared by recording and replay: a corpus request goes in
//! (placeholders and all), the sandbox's answer comes out, raw for the script and normalised for the
//! corpus.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use poem::{http::Method, test::TestClient};
use sandbank::{Sandbox, SandboxSettings};
use serde_json::Value;

use super::{
    crypto::Keys,
    format::{Body, Request},
    normalise::{Normaliser, FINGERPRINT},
};
use crate::helpers::TestApp;

/// An answer as the sandbox gave it, and as the corpus keeps it.
pub struct Exchange {
    pub status: u16,
    /// The raw body, for the script to read ids from.
    pub raw_body: Vec<u8>,
    /// Normalised.
    pub headers: BTreeMap<String, Vec<String>>,
    pub body: Vec<u8>,
}

impl Exchange {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.raw_body).unwrap_or(Value::Null)
    }
}

/// A fresh sandbox on the embedded defaults, as `cargo run` starts it.
pub struct Harness {
    app: TestApp,
    pub normaliser: Normaliser,
    pub keys: Keys,
    /// The served spec's operations: (method, path template, operationId).
    pub operations: Vec<(String, String, String)>,
    /// The served OpenAPI document.
    pub spec: Value,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(&SandboxSettings::default()).await
    }

    /// A fresh sandbox on `settings` (another store, for one).
    pub async fn start_with(settings: &SandboxSettings) -> Self {
        let sandbox = Arc::new(Sandbox::new(settings).expect("fixtures load"));
        let app = TestApp {
            client: TestClient::new(sandbank::app(sandbox)),
        };
        // Neither read changes any state: they are the partner's setup, not steps.
        let pem = app.get_without_key("/sandbox/keys/bank.pem").await.bytes;
        let spec = app.get_without_key("/openapi.json").await.json;
        Self {
            keys: Keys::new(std::str::from_utf8(&pem).expect("a PEM")),
            operations: operations(&spec),
            spec,
            normaliser: Normaliser::new(),
            app,
        }
    }

    /// The operationId a request calls, `-` when it calls none.
    pub fn operation_of(&self, method: &str, path: &str) -> String {
        let path = path.split('?').next().unwrap_or_default();
        self.operations
            .iter()
            .find(|(m, template, _)| m == method && matches_template(template, path))
            .map_or_else(|| "-".to_string(), |(_, _, id)| id.clone())
    }

    /// Sends a corpus request and normalises the answer.
    pub async fn exchange(
        &mut self,
        request: &Request,
        wall_clock: bool,
    ) -> Result<Exchange, String> {
        // Work the sandbox started in the background (callback deliveries) finishes first: under
        // tokio's paused clock this sleep returns only once every other task is idle.
        tokio::time::sleep(Duration::from_millis(1)).await;
        let method = Method::from_bytes(request.method.as_bytes()).map_err(|e| e.to_string())?;
        let path = self.normaliser.substitute(&request.path)?;
        let mut headers = Vec::new();
        for (name, value) in &request.headers {
            headers.push((name.clone(), self.normaliser.substitute(value)?));
        }
        let body = match &request.body {
            Body::Json(text) | Body::Text(text) => self.normaliser.substitute(text)?.into_bytes(),
            other => other.bytes(),
        };
        let signed = request.plaintext.as_ref().map_or(body.clone(), Body::bytes);
        self.fingerprint(&mut headers, &signed);
        let mut builder = self.app.client.request(method, path);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let response = builder.body(body).send().await.0;
        let status = response.status().as_u16();
        let mut raw_headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in response.headers() {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            raw_headers.entry(name.to_string()).or_default().push(value);
        }
        let raw_body = response
            .into_body()
            .into_vec()
            .await
            .map_err(|e| format!("the answer's body did not read: {e}"))?;
        let mut headers = raw_headers;
        let body = self.normaliser.answer(wall_clock, &mut headers, &raw_body);
        Ok(Exchange {
            status,
            raw_body,
            headers,
            body,
        })
    }
}

impl Harness {
    /// Replaces a `{{fingerprint}}` header with the real one: the apikey sent, over `signed`.
    fn fingerprint(&self, headers: &mut [(String, String)], signed: &[u8]) {
        let apikey = headers
            .iter()
            .find(|(name, _)| name == "apikey")
            .map(|(_, key)| key.clone())
            .unwrap_or_default();
        for (_, value) in headers.iter_mut().filter(|(_, value)| value == FINGERPRINT) {
            *value = self.keys.fingerprint(&apikey, signed);
        }
    }
}

/// Every operation of a served OpenAPI document, by path (alphabetical, as `serde_json` reads it) and method.
fn operations(spec: &Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("the spec has paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if let Some(id) = operation["operationId"].as_str() {
                found.push((method.to_uppercase(), path.clone(), id.to_string()));
            }
        }
    }
    found
}

/// `/sandbox/upi/{bankRrn}/approve` matches `/sandbox/upi/123/approve`.
fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}
