//! Building apps and calling them the way a partner does.

use std::sync::Arc;

use poem::{
    endpoint::BoxEndpoint,
    http::{HeaderMap, Method, StatusCode},
    test::TestClient,
};
use rust_decimal::Decimal;
use sandbank::{sandbox::bank::ledger::Ledger, Sandbox, SandboxSettings};
use serde_json::{json, Value};

pub mod cib;
pub mod composite;
pub mod loopback;
pub mod postgres;

pub const DEMO_KEY: &str = "sandbank-demo-key";

/// The frozen instant tests use, so that report dates do not depend on the day the suite runs.
pub const FROZEN_AT: &str = "2026-04-01T10:00:00+05:30";

pub struct TestApp {
    pub client: TestClient<BoxEndpoint<'static>>,
}

/// An answer: status and raw bytes (for byte-for-byte comparisons) plus the parsed JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub json: Value,
}

impl Answer {
    /// A header's value as text ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// Asserts the gateway envelope with this HTTP status and code, and returns its message.
    #[track_caller]
    pub fn assert_envelope(&self, status: u16, code: u64) -> String {
        assert_eq!(self.status.as_u16(), status, "status of {:?}", self.json);
        assert_eq!(
            self.json["success"],
            Value::Bool(false),
            "envelope: {:?}",
            self.json
        );
        assert_eq!(
            self.json["response"].as_u64(),
            Some(code),
            "code: {:?}",
            self.json
        );
        self.json["errormessage"]
            .as_str()
            .expect("errormessage is a string")
            .to_string()
    }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(SandboxSettings::default())
}

pub fn spawn_app_with(settings: SandboxSettings) -> TestApp {
    let sandbox = Arc::new(Sandbox::new(&settings).expect("embedded fixtures load"));
    TestApp {
        client: TestClient::new(sandbank::app(sandbox)),
    }
}

/// The credentials `POST /sandbox/apps` hands out.
#[derive(Debug, Clone)]
pub struct NewApp {
    pub id: String,
    pub apikey: String,
    pub client_id: String,
    pub client_secret: String,
    /// Keys the HMAC of the app's callback signatures.
    pub callback_secret: String,
}

impl TestApp {
    /// A JSON POST with the demo apikey.
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.post_raw(
            path,
            Some(DEMO_KEY),
            "application/json",
            body.to_string().into_bytes(),
            &[],
        )
        .await
    }

    /// A POST with every part under the test's control.
    pub async fn post_raw(
        &self,
        path: &str,
        apikey: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self.client.post(path).content_type(content_type);
        if let Some(key) = apikey {
            request = request.header("apikey", key);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        read(request.body(body).send().await).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        read(
            self.client
                .get(path)
                .header("apikey", DEMO_KEY)
                .send()
                .await,
        )
        .await
    }

    pub async fn get_without_key(&self, path: &str) -> Answer {
        read(self.client.get(path).send().await).await
    }

    /// Any request: method, path, headers, and an optional `(content type, body)`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> Answer {
        let mut request = self.client.request(method, path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some((content_type, body)) = body {
            request = request.content_type(content_type).body(body);
        }
        read(request.send().await).await
    }

    /// A JSON POST with these headers (credentials included: nothing is added).
    pub async fn post_with(&self, path: &str, headers: &[(&str, &str)], body: Value) -> Answer {
        self.call(
            Method::POST,
            path,
            headers,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    /// Creates an app with these settings and returns its credentials.
    pub async fn create_app(&self, settings: Value) -> NewApp {
        let answer = self.post_with("/sandbox/apps", &[], settings).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.json);
        let field = |name: &str| answer.json[name].as_str().unwrap().to_string();
        NewApp {
            id: field("id"),
            apikey: field("apikey"),
            client_id: field("client_id"),
            client_secret: field("client_secret"),
            callback_secret: field("callbackSecret"),
        }
    }

    /// Freezes the demo app's clock at [`FROZEN_AT`].
    pub async fn freeze_clock(&self) {
        self.freeze_clock_of(DEMO_KEY).await;
    }

    /// Freezes the clock of the app with this apikey at [`FROZEN_AT`].
    pub async fn freeze_clock_of(&self, apikey: &str) {
        self.clock_of(apikey, json!({ "freeze": FROZEN_AT })).await;
    }

    /// Moves the demo app's clock on (`PT1H`, `P30D`, ...).
    pub async fn advance_clock(&self, by: &str) {
        self.clock_of(DEMO_KEY, json!({ "advance": by })).await;
    }

    /// `POST /sandbox/clock` for the app with this apikey, which must answer 200.
    pub async fn clock_of(&self, apikey: &str, body: Value) {
        let answer = self
            .post_with("/sandbox/clock", &[("apikey", apikey)], body)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }
}

async fn read(response: poem::test::TestResponse) -> Answer {
    let status = response.0.status();
    let headers = response.0.headers().clone();
    let content_type = response
        .0
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response.0.into_body().into_vec().await.expect("body reads");
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        content_type,
        bytes,
        json,
    }
}

/// A test app with its sandbox in hand, so a test can read the demo app's ledger beside HTTP (money
/// conservation is checked on the books, not only on what the answers say). Each family's tests wrap
/// it with their own calls.
pub struct LedgerApp {
    pub sandbox: Arc<Sandbox>,
    pub app: TestApp,
}

impl LedgerApp {
    pub fn spawn() -> Self {
        Self::spawn_with(SandboxSettings::default())
    }

    pub fn spawn_with(settings: SandboxSettings) -> Self {
        let sandbox = Arc::new(Sandbox::new(&settings).expect("embedded fixtures load"));
        Self {
            app: TestApp {
                client: TestClient::new(sandbank::app(sandbox.clone())),
            },
            sandbox,
        }
    }

    /// With the demo app's clock frozen at [`FROZEN_AT`] (Wednesday 2026-04-01 10:00 IST).
    pub async fn frozen() -> Self {
        let bank = Self::spawn();
        bank.app.freeze_clock().await;
        bank
    }

    /// Reads the demo app's ledger.
    pub fn ledger<R>(&self, mut read: impl FnMut(&Ledger) -> R) -> R {
        let app = self.sandbox.apps.by_apikey(DEMO_KEY).expect("demo app");
        self.sandbox.transact(&app, |state, _| read(&state.ledger))
    }

    /// An account's balance in the demo app's ledger (`None`: not an account of this bank).
    pub fn balance(&self, account: &str) -> Option<Decimal> {
        self.ledger(|ledger| ledger.balance(account))
    }

    /// Moves the demo app's clock on (`PT1H`, `P30D`, ...).
    pub async fn advance(&self, by: &str) {
        self.app.advance_clock(by).await;
    }
}

/// A decimal written as text (`"1500.00"`).
#[track_caller]
pub fn decimal(text: &str) -> Decimal {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} is not a decimal: {e}"))
}

/// A money field of an answer, which the bank always sends as a string.
#[track_caller]
pub fn decimal_of(value: &Value) -> Decimal {
    decimal(
        value
            .as_str()
            .unwrap_or_else(|| panic!("money is a string: {value}")),
    )
}

/// `base` with `extra`'s fields added (or replaced): a body and the fields a test changes.
#[track_caller]
pub fn merged(mut base: Value, extra: Value) -> Value {
    let Value::Object(extra) = extra else {
        panic!("extra fields are a JSON object: {extra}");
    };
    let body = base.as_object_mut().expect("the base is a JSON object");
    body.extend(extra);
    base
}

/// Declares `struct Bank(LedgerApp)`, dereferencing to it: each family's tests add their own calls.
macro_rules! ledger_bank {
    () => {
        /// The demo app with its ledger at hand, and this family's calls.
        struct Bank($crate::helpers::LedgerApp);

        impl std::ops::Deref for Bank {
            type Target = $crate::helpers::LedgerApp;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    };
}
pub(crate) use ledger_bank;

/// The served `/openapi.json` with its shared parameters, headers and responses written out in each
/// operation (schemas stay references), for tests that walk operations one by one.
pub async fn inlined_spec(app: &TestApp) -> Value {
    let spec = app.get_without_key("/openapi.json").await.json;
    let mut inlined = spec.clone();
    inline_refs(&spec, &mut inlined);
    inlined
}

fn inline_refs(spec: &Value, node: &mut Value) {
    if let Some(target) = node.get("$ref").and_then(Value::as_str) {
        if !target.starts_with("#/components/schemas/") {
            let mut target = spec
                .pointer(target.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling {target}"))
                .clone();
            inline_refs(spec, &mut target);
            *node = target;
            return;
        }
    }
    match node {
        Value::Object(map) => map.values_mut().for_each(|v| inline_refs(spec, v)),
        Value::Array(items) => items.iter_mut().for_each(|v| inline_refs(spec, v)),
        _ => {}
    }
}
