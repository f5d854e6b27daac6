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
use rsa::{pkcs8::DecodePrivateKey, Pkcs1v15Encrypt, RsaPrivateKey};
use sandbank::{sandbox::callbacks::RetryPolicy, SandboxSettings};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{
    helpers::{spawn_app_with, Answer, NewApp, TestApp, DEMO_KEY},
    partner::{self, MERCHANT_KEY, MERCHANT_PUBLIC, PARTNER_PUBLIC},
};

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
    use poem::listener::{Acceptor, Listener, TcpListener};
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
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let address = *acceptor.local_addr()[0].as_socket_addr().unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(endpoint));
    Receiver {
        url: format!("http://{address}/callbacks"),
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

#[tokio::test]
async fn a_naive_receiver_fails_the_duplicate_and_the_tampered_callback() {
    let naive = receiver(Style::Naive).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &naive.url).await;

    let answer = drill(&app, &me.apikey, json!({})).await;

    let expected: BTreeMap<String, bool> = ALL
        .iter()
        .map(|c| (c.to_string(), !matches!(*c, "duplicate" | "tampered")))
        .collect();
    assert_eq!(passed(&answer), expected);
    assert_eq!(answer.json["passed"], false);
    assert_eq!(
        answer.json["summary"],
        json!({ "run": 6, "passed": 4, "failed": 2 })
    );
    assert_eq!(case(&answer, "duplicate")["answered"], "200 then 500");
    assert_eq!(case(&answer, "tampered")["answered"], "200");
    let items = receiver_items(&app, &me.apikey).await;
    let states: BTreeMap<&str, &str> = items
        .iter()
        .map(|(id, (state, _))| (id.as_str(), state.as_str()))
        .collect();
    let wrong = |id| {
        if matches!(id, "duplicate" | "tampered") {
            "doneWrong"
        } else {
            "proven"
        }
    };
    assert_eq!(states, ALL.iter().map(|c| (*c, wrong(c))).collect());
    let note = items["duplicate"].1["wrong"]["note"].as_str().unwrap();
    assert!(note.contains("with 200 then 500"), "{note}");
    let evidence = &items["tampered"].1["wrong"]["callbacks"];
    assert!(
        evidence[0].as_str().unwrap().starts_with("drill:tampered "),
        "{evidence}"
    );
}

#[tokio::test]
async fn a_correct_receiver_passes_every_case() {
    let app = spawn_app_with(fast());
    let probe = receiver(Style::Naive).await;
    let me = plain_app(&app, &probe.url).await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: None,
    })
    .await;

    let answer = drill(&app, &me.apikey, json!({ "url": correct.url })).await;

    assert_eq!(
        passed(&answer),
        ALL.iter().map(|c| (c.to_string(), true)).collect()
    );
    assert_eq!(answer.json["passed"], true);
    assert_eq!(answer.json["url"], correct.url);
    let statuses: Vec<u16> = correct.received().iter().map(|r| r.answered).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        probe.received().is_empty(),
        "`url` replaced the app's callback URL"
    );
    let items = receiver_items(&app, &me.apikey).await;
    assert!(
        items.values().all(|(state, _)| state == "proven"),
        "{items:?}"
    );
}

#[tokio::test]
async fn every_drill_delivery_is_recorded_as_its_case_in_case_order() {
    let correct_secret = "sandbank-demo-callback-secret".to_string();
    let correct = receiver(Style::Correct {
        secret: correct_secret,
        key: None,
    })
    .await;
    let app = spawn_app_with(fast());

    let answer = drill(&app, DEMO_KEY, json!({ "url": correct.url })).await;
    let listed = app.get("/sandbox/callbacks").await.json;

    assert_eq!(
        answer.json["passed"], true,
        "the demo app's secret is the documented one"
    );
    let kinds: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "drill:normal",
            "drill:duplicate",
            "drill:duplicate",
            "drill:out-of-order",
            "drill:out-of-order",
            "drill:late",
            "drill:malformed",
            "drill:tampered"
        ]
    );
    let deliveries: Vec<&Value> = answer.json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["deliveries"].as_array().unwrap())
        .collect();
    assert_eq!(deliveries.len(), 8);
    for delivery in deliveries {
        let id = delivery["deliveryId"].as_str().unwrap();
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["deliveryId"] == id),
            "{id} is listed"
        );
    }
}

#[tokio::test]
async fn a_duplicate_repeats_the_bytes_and_headers_and_tampering_keeps_the_old_signature() {
    let recorder = receiver(Style::Script(vec![])).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &recorder.url).await;

    drill(
        &app,
        &me.apikey,
        json!({ "cases": ["duplicate", "tampered", "malformed"] }),
    )
    .await;
    let got = recorder.received();

    assert_eq!(got.len(), 4);
    // Cases run side by side: the duplicate is the delivery id that came twice, in order.
    let twice: Vec<&Received> = got
        .iter()
        .filter(|r| got.iter().filter(|o| o.delivery == r.delivery).count() == 2)
        .collect();
    let (original, again) = (twice[0], twice[1]);
    assert_eq!(
        (
            &again.body,
            &again.signature,
            &again.delivery,
            &again.attempt
        ),
        (
            &original.body,
            &original.signature,
            &original.delivery,
            &original.attempt
        )
    );
    assert!(verify(
        &me.callback_secret,
        &original.signature,
        &original.body
    ));
    let tampered = got
        .iter()
        .find(|r| r.body.windows(8).any(|w| w == b"49900.00"));
    let tampered = tampered.expect("the amount was changed 100-fold");
    assert!(!verify(
        &me.callback_secret,
        &tampered.signature,
        &tampered.body
    ));
    let malformed = got
        .iter()
        .find(|r| serde_json::from_slice::<Value>(&r.body).is_err());
    let malformed = malformed.expect("truncated JSON was sent");
    assert!(verify(
        &me.callback_secret,
        &malformed.signature,
        &malformed.body
    ));
    let ids: HashSet<&str> = got.iter().map(|r| r.delivery.as_str()).collect();
    assert_eq!(ids.len(), 3, "one delivery id per callback");
}

#[tokio::test]
async fn a_late_callback_is_attempt_4_and_is_retried_once_on_the_schedule() {
    let flaky = receiver(Style::Script(vec![503])).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &flaky.url).await;
    let frozen = json!({ "freeze": "2026-04-01T10:00:00+05:30" });
    app.post_with("/sandbox/clock", &[("apikey", &me.apikey)], frozen)
        .await;

    let answer = drill(&app, &me.apikey, json!({ "cases": ["late"] })).await;
    let got = flaky.received();

    let late = case(&answer, "late");
    assert_eq!(late["passed"], true, "{late}");
    assert_eq!(late["answered"], "503 then 200");
    let attempts: Vec<&str> = got.iter().map(|r| r.attempt.as_str()).collect();
    assert_eq!(attempts, ["4", "5"]);
    assert_eq!(got[0].delivery, got[1].delivery);
    assert!(got
        .iter()
        .all(|r| verify(&me.callback_secret, &r.signature, &r.body)));
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(late["deliveries"][0]["at"], "2026-04-01T10:00:00+05:30");
    assert_eq!(
        body["TxnCompletionDate"], "20260401095945",
        "the event is 15 s old on the app's clock"
    );
}

#[tokio::test]
async fn a_5xx_or_no_answer_fails_the_cases_that_must_be_refused() {
    let erring = receiver(Style::Script(vec![500, 500])).await;
    let hanging = receiver(Style::Slow(Duration::from_secs(5))).await;
    let app = spawn_app_with(SandboxSettings {
        callback_policy: RetryPolicy {
            timeout: Duration::from_millis(300),
            ..fast().callback_policy
        },
        ..SandboxSettings::default()
    });
    let me = plain_app(&app, &erring.url).await;

    let errs = drill(
        &app,
        &me.apikey,
        json!({ "cases": ["malformed", "tampered"] }),
    )
    .await;
    let hangs = drill(
        &app,
        &me.apikey,
        json!({ "cases": ["tampered"], "url": hanging.url }),
    )
    .await;

    assert_eq!(passed(&errs).values().filter(|p| **p).count(), 0);
    let hung = case(&hangs, "tampered");
    assert_eq!(hung["passed"], false);
    assert_eq!(hung["answered"], "no answer");
    let error = hung["deliveries"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("timed out") || error.contains("no answer"),
        "{error}"
    );
    let items = receiver_items(&app, &me.apikey).await;
    assert_eq!(items["tampered"].0, "doneWrong");
    let note = items["tampered"].1["wrong"]["note"].as_str().unwrap();
    assert!(note.contains("with no answer"), "{note}");
}

#[tokio::test]
async fn the_latest_drill_wins() {
    let app = spawn_app_with(fast());
    let naive = receiver(Style::Naive).await;
    let me = plain_app(&app, &naive.url).await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: None,
    })
    .await;

    drill(&app, &me.apikey, json!({ "cases": ["duplicate"] })).await;
    let before = receiver_items(&app, &me.apikey).await;
    drill(
        &app,
        &me.apikey,
        json!({ "cases": ["duplicate"], "url": correct.url }),
    )
    .await;
    let after = receiver_items(&app, &me.apikey).await;
    drill(&app, &me.apikey, json!({ "cases": ["duplicate"] })).await;
    let again = receiver_items(&app, &me.apikey).await;

    assert_eq!(before["duplicate"].0, "doneWrong");
    assert_eq!(
        after["duplicate"].0, "proven",
        "an explicit re-test clears it"
    );
    assert!(after["duplicate"].1.get("wrong").is_none_or(Value::is_null));
    assert_eq!(again["duplicate"].0, "doneWrong");
    assert_eq!(
        after["normal"].0, "notYet",
        "cases not run stay as they were"
    );
}

#[tokio::test]
async fn an_encrypted_apps_tampered_callback_is_sealed_under_another_key() {
    let app = spawn_app_with(fast());
    let key = Arc::new(RsaPrivateKey::from_pkcs8_pem(MERCHANT_KEY).unwrap());
    let me = partner::encrypted_app(&app, MERCHANT_PUBLIC, json!({})).await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: Some(key.clone()),
    })
    .await;

    let answer = drill(
        &app,
        &me.apikey,
        json!({ "cases": ["normal", "malformed", "tampered"], "url": correct.url }),
    )
    .await;
    let got = correct.received();

    assert_eq!(
        passed(&answer).values().filter(|p| **p).count(),
        3,
        "{:?}",
        answer.json
    );
    assert!(case(&answer, "tampered")["sent"]
        .as_str()
        .unwrap()
        .contains("another RSA key"));
    assert_eq!(got.len(), 3);
    for delivery in &got {
        assert_eq!(delivery.content_type, "text/plain", "the app's own form");
        assert!(verify(
            &me.callback_secret,
            &delivery.signature,
            &delivery.body
        ));
    }
    let opened = |name: &str| {
        let id = &case(&answer, name)["deliveries"][0]["deliveryId"];
        let got = got.iter().find(|r| r.delivery == *id).unwrap();
        open_whole(&key, &got.body).map(|p| serde_json::from_slice::<Value>(&p).is_ok())
    };
    assert_eq!(opened("normal"), Some(true));
    assert_eq!(
        opened("malformed"),
        Some(false),
        "it opens, and is not JSON"
    );
    assert_eq!(
        opened("tampered"),
        None,
        "it does not open under the app's key"
    );
}

#[tokio::test]
async fn an_apps_own_envelope_form_is_kept_for_the_tampered_callback() {
    let app = spawn_app_with(fast());
    let recorder = receiver(Style::Script(vec![])).await;
    let me =
        partner::encrypted_app(&app, PARTNER_PUBLIC, json!({ "callbackUrl": recorder.url })).await;

    let answer = drill(&app, &me.apikey, json!({ "cases": ["normal", "tampered"] })).await;
    let got = recorder.received();

    assert_eq!(got.len(), 2);
    let envelope = |name: &str| -> Value {
        let id = &case(&answer, name)["deliveries"][0]["deliveryId"];
        let got = got.iter().find(|r| r.delivery == *id).unwrap();
        assert_eq!(got.content_type, "application/json");
        serde_json::from_slice(&got.body).expect("the hybrid envelope is JSON")
    };
    let key_length = |e: &Value| {
        assert!(e.get("BankRRN").is_none(), "sealed: {e}");
        STANDARD
            .decode(e["encryptedKey"].as_str().unwrap())
            .unwrap()
            .len()
    };
    assert_eq!(
        key_length(&envelope("normal")),
        256,
        "under the app's 2048-bit key"
    );
    assert_eq!(
        key_length(&envelope("tampered")),
        512,
        "under another (4096-bit) key"
    );
}

#[tokio::test]
async fn the_e_collection_push_can_be_drilled_too() {
    let app = spawn_app_with(fast());
    let me = app
        .create_app(json!({ "name": "collections", "scopes": ["cash-management"] }))
        .await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: None,
    })
    .await;

    let answer = drill(
        &app,
        &me.apikey,
        json!({ "url": correct.url, "cases": ["out-of-order", "tampered"] }),
    )
    .await;
    let got = correct.received();

    assert_eq!(answer.json["kind"], "ecollection-mis", "the app's family");
    assert_eq!(answer.json["passed"], true, "{:?}", answer.json);
    let bodies: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let utr = |b: &&Value| b["UTR"].as_str().unwrap().to_string();
    let in_order: Vec<&Value> = bodies
        .iter()
        .filter(|b| utr(b).starts_with("DRILLOUTOFORDER"))
        .collect();
    assert_eq!(in_order.len(), 2);
    assert_eq!(
        in_order[0]["VirtualAccountNumber"],
        in_order[1]["VirtualAccountNumber"]
    );
    assert!(
        in_order[0]["PayerPaymentDate"].as_str() > in_order[1]["PayerPaymentDate"].as_str(),
        "the later credit first: {in_order:?}"
    );
    let tampered = bodies
        .iter()
        .find(|b| utr(b).starts_with("DRILLTAMPERED"))
        .unwrap();
    assert_eq!(
        tampered["Amount"], "1000000.00",
        "10000.00 tampered 100-fold"
    );
}

#[tokio::test]
async fn a_drill_needs_a_url_a_target_it_may_reach_and_a_valid_body() {
    let app = spawn_app_with(fast());

    let no_body = app
        .call(
            Method::POST,
            "/sandbox/callbacks/drill",
            &[("apikey", DEMO_KEY)],
            None,
        )
        .await;
    let cases = [
        (json!({ "cases": ["sideways"] }), "cases"),
        (json!({ "cases": [] }), "cases"),
        (json!({ "cases": ["late", "late"] }), "named twice"),
        (json!({ "url": "ftp://example.com/cb" }), "url"),
        (json!({ "kind": "cib-payment" }), "kind"),
        (json!({ "urls": "http://example.com" }), "urls"),
    ];
    let metadata = drill(
        &app,
        DEMO_KEY,
        json!({ "url": "http://169.254.169.254/latest" }),
    )
    .await;

    let message = no_body.assert_envelope(409, 409);
    assert!(message.contains("callbackUrl"), "{message}");
    for (body, names) in cases {
        let message = drill(&app, DEMO_KEY, body.clone())
            .await
            .assert_envelope(400, 8017);
        assert!(message.contains(names), "{body}: {message}");
    }
    let message = metadata.assert_envelope(409, 409);
    assert!(message.contains("--callback-allow"), "{message}");
    assert!(app
        .get("/sandbox/callbacks")
        .await
        .json
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_drill_at_a_time_per_app() {
    let gate = Gate::new();
    let held = receiver(Style::Gate(gate.clone())).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &held.url).await;
    let other = plain_app(&app, &held.url).await;
    let body = json!({ "cases": ["normal"] });

    let (first, elsewhere, second) = tokio::join!(
        drill(&app, &me.apikey, body.clone()),
        drill(&app, &other.apikey, body.clone()),
        async {
            gate.held(2).await;
            let second = drill(&app, &me.apikey, body.clone()).await;
            gate.release.add_permits(2);
            second
        }
    );
    gate.release.add_permits(1);
    let after = drill(&app, &me.apikey, body.clone()).await;

    assert_eq!(first.status, StatusCode::OK);
    let message = second.assert_envelope(409, 409);
    assert!(message.contains("already running"), "{message}");
    assert_eq!(
        elsewhere.status,
        StatusCode::OK,
        "another app's drill, at the same time"
    );
    assert_eq!(after.status, StatusCode::OK, "the slot is free again");
}

#[tokio::test]
async fn every_app_gets_a_callback_secret_shown_only_to_the_whole_app() {
    let app = spawn_app_with(fast());
    let me = app.create_app(json!({ "name": "secret" })).await;
    let narrow = app
        .post_with(
            "/oauth2/token",
            &[],
            json!({ "grant_type": "client_credentials", "client_id": me.client_id,
                    "client_secret": me.client_secret, "scope": "payments" }),
        )
        .await;
    let bearer = format!("Bearer {}", narrow.json["access_token"].as_str().unwrap());

    let shown = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &me.apikey)],
            None,
        )
        .await;
    let hidden = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("authorization", &bearer)],
            None,
        )
        .await;
    let demo = app.get("/sandbox/apps/me").await;

    let secret = &me.callback_secret;
    assert!(
        secret.len() == 36
            && secret.starts_with("sbw_")
            && secret[4..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{secret}"
    );
    assert_eq!(shown.json["callbackSecret"], *secret);
    assert!(
        hidden.json.get("callbackSecret").is_none(),
        "{:?}",
        hidden.json
    );
    assert_eq!(demo.json["callbackSecret"], "sandbank-demo-callback-secret");
}
