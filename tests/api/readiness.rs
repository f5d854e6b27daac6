//! `GET /sandbox/readiness`: a partner flow graded proven, done wrong and not yet — in JSON, in JUnit
//! (read back with an XML parser) and as the HTML page — from the calling app's own requests only,
//! outliving the request log.

use std::collections::{BTreeMap, BTreeSet};

use poem::http::{Method, StatusCode};
use quick_xml::{events::Event, Reader};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Answer, NewApp, TestApp, FROZEN_AT};

/// A partner app calling the sandbox with its own key.
struct Partner<'a> {
    app: &'a TestApp,
    me: NewApp,
}

fn identity(extra: Value) -> Value {
    let mut body = json!({ "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1",
                           "URN": "SANDURN0001" });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// A CIB payment from the demo corporate to the demo beneficiary, paid at once.
fn payment(unique_id: &str, amount: &str) -> Value {
    identity(
        json!({ "AGGRNAME": "SANDBANK", "UNIQUEID": unique_id, "DEBITACC": "000405000001",
        "CREDITACC": "000405009999", "IFSC": "ICIC0000004", "AMOUNT": amount, "CURRENCY": "INR",
        "TXNTYPE": "TPA", "PAYEENAME": "Ravi Kumar", "REMARKS": "Invoice 42", "WORKFLOW_REQD": "N" }),
    )
}

impl<'a> Partner<'a> {
    /// A new app (every family) with its clock frozen.
    async fn new(app: &'a TestApp, name: &str) -> Self {
        let me = app
            .create_app(json!({ "name": name, "plan": "premium" }))
            .await;
        let partner = Self { app, me };
        partner.clock(json!({ "freeze": FROZEN_AT })).await;
        partner
    }

    async fn call(&self, path: &str, headers: &[(&str, &str)], body: Value) -> Answer {
        let mut all = vec![("apikey", self.me.apikey.as_str())];
        all.extend_from_slice(headers);
        self.app.post_with(path, &all, body).await
    }

    async fn get(&self, path: &str) -> Answer {
        self.app
            .call(Method::GET, path, &[("apikey", &self.me.apikey)], None)
            .await
    }

    async fn cib(&self, operation: &str, body: Value) -> Answer {
        let path = format!("/api/Corporate/CIB/v1/{operation}");
        self.call(&path, &[], body).await
    }

    async fn pan(&self, pan: &str, headers: &[(&str, &str)]) -> Answer {
        self.call("/api/v0/panValidation", headers, json!({ "pan": pan }))
            .await
    }

    async fn clock(&self, body: Value) {
        let answer = self.call("/sandbox/clock", &[], body).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }

    async fn report(&self) -> Value {
        let answer = self.get("/sandbox/readiness").await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        assert!(answer.content_type.starts_with("application/json"));
        answer.json
    }

    /// The request log, newest first.
    async fn log(&self) -> Vec<Value> {
        let answer = self.get("/sandbox/requests?limit=200").await;
        answer.json["requests"].as_array().unwrap().clone()
    }
}

/// Every item's state, by item id.
fn states(report: &Value) -> BTreeMap<String, String> {
    report["families"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["items"].as_array().unwrap())
        .map(|i| {
            let id = i["id"].as_str().unwrap().to_string();
            (id, i["state"].as_str().unwrap().to_string())
        })
        .collect()
}

fn item<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["families"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["items"].as_array().unwrap())
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn ids(evidence: &Value) -> Vec<u64> {
    evidence["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

fn with_state<'m>(states: &'m BTreeMap<String, String>, state: &str) -> BTreeSet<&'m str> {
    states
        .iter()
        .filter(|(_, s)| *s == state)
        .map(|(id, _)| id.as_str())
        .collect()
}

/// Drives the flow the readiness tests share: some items proven, one done wrong (a payment sent
/// again under a new UNIQUEID after a timeout), the rest left alone.
async fn partner_flow(partner: &Partner<'_>) {
    let paid = partner.cib("Transaction", payment("RD-1", "100.00")).await;
    assert_eq!(paid.json["STATUS"], "SUCCESS", "{:?}", paid.json);
    let again = partner.cib("Transaction", payment("RD-1", "100.00")).await;
    assert_eq!(again.json["STATUS"], "DUPLICATE", "{:?}", again.json);
    let broke = partner.cib("Transaction", payment("RD-2", "100.51")).await;
    assert_eq!(broke.json["RESPONSECODE"], "100030", "{:?}", broke.json);
    // The mistake: after a timeout, the same payment under a new UNIQUEID, no inquiry first.
    let timed_out = partner.cib("Transaction", payment("RD-3", "250.96")).await;
    timed_out.assert_envelope(504, 8013);
    let repaid = partner.cib("Transaction", payment("RD-4", "250.96")).await;
    repaid.assert_envelope(504, 8013);
    // A 429 waited out on the sandbox clock.
    let limited = partner
        .pan("ABCPE1234F", &[("x-sandbox-scenario", "rate-limited:5")])
        .await;
    limited.assert_envelope(429, 429);
    assert_eq!(limited.header("retry-after"), "5");
    partner.clock(json!({ "advance": "PT5S" })).await;
    let valid = partner.pan("ABCPE1234F", &[]).await;
    assert_eq!(valid.json["data"]["PANStatus"], "E", "{:?}", valid.json);
}

const PROVEN: [&str; 5] = [
    "bb-pan-valid",
    "cib-duplicate-uniqueid",
    "cib-insufficient-funds",
    "cib-payment-success",
    "gateway-429-retry-after",
];

#[tokio::test]
async fn a_partner_flow_is_graded_proven_done_wrong_and_not_yet() {
    let app = spawn_app();
    let partner = Partner::new(&app, "flow").await;

    partner_flow(&partner).await;
    let report = partner.report().await;

    let states = states(&report);
    assert_eq!(with_state(&states, "proven"), BTreeSet::from(PROVEN));
    assert_eq!(
        with_state(&states, "doneWrong"),
        BTreeSet::from(["cib-timeout-inquiry"])
    );
    let not_yet = with_state(&states, "notYet");
    assert_eq!(not_yet.len(), states.len() - PROVEN.len() - 1);
    assert_eq!(report["ready"], false);
    assert_eq!(
        report["summary"],
        json!({ "total": states.len(), "proven": 5, "notYet": not_yet.len(), "doneWrong": 1 })
    );
    let families: Vec<&str> = report["families"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["family"].as_str().unwrap())
        .collect();
    assert_eq!(
        families,
        [
            "gateway",
            "callbacks",
            "building-blocks",
            "auto-loan",
            "iwish",
            "cash-management",
            "payments",
            "trade",
            "offers"
        ]
    );
}

#[tokio::test]
async fn the_evidence_names_the_requests_in_the_log() {
    let app = spawn_app();
    let partner = Partner::new(&app, "evidence").await;

    partner_flow(&partner).await;
    let report = partner.report().await;
    let log = partner.log().await;

    let logged = |id: u64| {
        log.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("request {id} is not in the log"))
    };
    let wrong = &item(&report, "cib-timeout-inquiry")["wrong"];
    let [timeout, repay] = ids(wrong)[..] else {
        panic!("two requests: {wrong:?}")
    };
    assert_eq!(logged(timeout)["request"]["UNIQUEID"], "RD-3");
    assert_eq!(logged(timeout)["status"], 504);
    assert_eq!(logged(repay)["request"]["UNIQUEID"], "RD-4");
    assert_eq!(
        wrong["note"],
        "UNIQUEID RD-3 timed out; the same payment went again as RD-4 before TransactionInquiry asked about RD-3."
    );
    let duplicate = ids(&item(&report, "cib-duplicate-uniqueid")["proof"]);
    assert_eq!(logged(duplicate[0])["answer"]["STATUS"], "DUPLICATE");
    let waited = ids(&item(&report, "gateway-429-retry-after")["proof"]);
    assert_eq!(logged(waited[0])["status"], 429);
    assert_eq!(logged(waited[1])["status"], 200);
    assert_eq!(item(&report, "bb-pan-valid")["proof"]["seen"], 1);
    let how = item(&report, "cib-timeout-inquiry")["how"]
        .as_str()
        .unwrap();
    assert!(how.contains(".96"), "{how}");
}

#[tokio::test]
async fn an_inquiry_before_any_retry_proves_the_timeout_item() {
    let app = spawn_app();
    let partner = Partner::new(&app, "inquiry").await;

    let timed_out = partner.cib("Transaction", payment("RD-9", "75.96")).await;
    let asked = partner
        .cib(
            "TransactionInquiry",
            identity(json!({ "UNIQUEID": "RD-9" })),
        )
        .await;
    // The same reference again after the inquiry is fine: the bank pays a UNIQUEID once.
    partner.cib("Transaction", payment("RD-9", "75.96")).await;
    let report = partner.report().await;

    timed_out.assert_envelope(504, 8013);
    assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.json);
    let graded = item(&report, "cib-timeout-inquiry");
    assert_eq!(graded["state"], "proven", "{graded:?}");
    assert_eq!(graded["proof"]["requests"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_retry_before_retry_after_is_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "eager").await;

    partner
        .pan("ABCPE1234F", &[("x-sandbox-scenario", "rate-limited:30")])
        .await;
    partner.clock(json!({ "advance": "PT10S" })).await;
    partner.pan("ABCPE1234F", &[]).await;
    let report = partner.report().await;

    let graded = item(&report, "gateway-429-retry-after");
    assert_eq!(graded["state"], "doneWrong", "{graded:?}");
    assert_eq!(
        graded["wrong"]["note"],
        "The next business call came 10.0 s after a 429 that said Retry-After: 30."
    );
}

#[tokio::test]
async fn the_report_reads_only_the_calling_apps_requests() {
    let app = spawn_app();
    let busy = Partner::new(&app, "busy").await;
    let idle = app.create_app(json!({ "name": "idle" })).await;
    partner_flow(&busy).await;

    let report = app
        .call(
            Method::GET,
            "/sandbox/readiness",
            &[("apikey", &idle.apikey)],
            None,
        )
        .await
        .json;

    assert_eq!(report["app"], idle.id);
    let states = states(&report);
    assert!(!states.is_empty());
    assert!(
        states.values().all(|s| s == "notYet"),
        "another app's requests leaked in: {states:?}"
    );
}

#[tokio::test]
async fn grades_outlive_the_request_log_and_reset_clears_them() {
    let app = spawn_app();
    let partner = Partner::new(&app, "long").await;
    let paid = partner.cib("Transaction", payment("RD-L", "10.00")).await;
    assert_eq!(paid.json["STATUS"], "SUCCESS");
    let proof = ids(&item(&partner.report().await, "cib-payment-success")["proof"]);

    for _ in 0..210 {
        partner
            .call("/api/v1/eligibility-check", &[], json!({}))
            .await;
    }
    let log = partner.log().await;
    let still = partner.report().await;
    partner.call("/sandbox/reset", &[], json!({})).await;
    let after_reset = partner.report().await;

    assert!(
        log.iter().all(|r| r["id"] != proof[0]),
        "request {} should have left the log",
        proof[0]
    );
    assert_eq!(item(&still, "cib-payment-success")["state"], "proven");
    assert_eq!(ids(&item(&still, "cib-payment-success")["proof"]), proof);
    assert_eq!(item(&after_reset, "cib-payment-success")["state"], "notYet");
}

#[tokio::test]
async fn reading_the_report_is_not_logged() {
    let app = spawn_app();
    let partner = Partner::new(&app, "quiet").await;
    let before = partner.log().await.len();

    partner.report().await;
    partner.get("/sandbox/readiness?format=junit").await;

    assert_eq!(partner.log().await.len(), before);
}

#[tokio::test]
async fn a_token_replaced_after_a_401_proves_both_token_items() {
    let app = spawn_app();
    let partner = Partner::new(&app, "tokens").await;
    let token = |scope: &'static str| {
        let me = partner.me.clone();
        let app = partner.app;
        async move {
            let answer = app
                .post_with(
                    "/oauth2/token",
                    &[],
                    json!({ "grant_type": "client_credentials", "client_id": me.client_id,
                            "client_secret": me.client_secret, "scope": scope }),
                )
                .await;
            format!("Bearer {}", answer.json["access_token"].as_str().unwrap())
        }
    };
    let pan = |bearer: String, scenario: Option<&'static str>| {
        let app = partner.app;
        async move {
            let mut headers = vec![("authorization", bearer.as_str())];
            if let Some(s) = scenario {
                headers.push(("x-sandbox-scenario", s));
            }
            app.post_with(
                "/api/v0/panValidation",
                &headers,
                json!({ "pan": "ABCPE1234F" }),
            )
            .await
        }
    };
    // Two tokens issued in the same second with the same claims are the same token: the refresh
    // asks for a narrower scope, as a client that needs only one family may.
    let first = token("building-blocks payments").await;
    let second = token("building-blocks").await;
    assert_ne!(first, second);

    assert_eq!(pan(first.clone(), None).await.status, StatusCode::OK);
    pan(first.clone(), Some("unauthorized"))
        .await
        .assert_envelope(401, 401);
    assert_eq!(pan(second, None).await.status, StatusCode::OK);
    let report = partner.report().await;

    assert_eq!(
        item(&report, "gateway-401-fresh-credentials")["state"],
        "proven"
    );
    assert_eq!(item(&report, "gateway-token-refresh")["state"], "proven");
}

#[tokio::test]
async fn the_same_request_after_a_401_is_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "stubborn").await;

    partner
        .pan("ABCPE1234F", &[("x-sandbox-scenario", "unauthorized")])
        .await
        .assert_envelope(401, 401);
    partner.pan("ABCPE1234F", &[]).await;
    let report = partner.report().await;

    let graded = item(&report, "gateway-401-fresh-credentials");
    assert_eq!(graded["state"], "doneWrong", "{graded:?}");
}

#[tokio::test]
async fn unauthorized_rehearses_nothing_without_credentials() {
    let app = spawn_app();

    let health = app
        .call(
            Method::GET,
            "/healthz",
            &[("x-sandbox-scenario", "unauthorized")],
            None,
        )
        .await;

    assert_eq!(health.status, StatusCode::OK);
}

#[tokio::test]
async fn a_bad_format_is_a_400_naming_the_parameter() {
    let app = spawn_app();

    let answer = app.get("/sandbox/readiness?format=pdf").await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("format"), "{message}");
}

/// One JUnit testcase as read back: its suite, name and outcome (`passed`, `failure`, `skipped`).
#[derive(Debug)]
struct Case {
    suite: String,
    name: String,
    outcome: String,
    failure_type: Option<String>,
}

/// Parses a JUnit document with quick-xml: its suites' declared counts, and every testcase.
fn junit(xml: &str) -> (Vec<(String, [u32; 3])>, Vec<Case>) {
    let mut reader = Reader::from_str(xml);
    let mut suites = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart, name: &str| {
        e.try_get_attribute(name)
            .expect("attributes parse")
            .map(|a| a.unescape_value().expect("escapes parse").into_owned())
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => {
                    let count = |n: &str| attr(&e, n).unwrap().parse::<u32>().unwrap();
                    suites.push((
                        attr(&e, "name").unwrap(),
                        [count("tests"), count("failures"), count("skipped")],
                    ));
                }
                b"testcase" => cases.push(Case {
                    suite: suites.last().unwrap().0.clone(),
                    name: attr(&e, "name").unwrap(),
                    outcome: "passed".into(),
                    failure_type: None,
                }),
                b"failure" => {
                    let case = cases.last_mut().unwrap();
                    case.outcome = "failure".into();
                    case.failure_type = attr(&e, "type");
                }
                b"skipped" => cases.last_mut().unwrap().outcome = "skipped".into(),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (suites, cases)
}

#[tokio::test]
async fn junit_has_a_suite_per_family_and_fails_only_what_was_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "junit").await;
    partner_flow(&partner).await;
    let report = partner.report().await;

    let answer = partner.get("/sandbox/readiness?format=junit").await;
    let gate = partner
        .get("/sandbox/readiness?format=junit&notYet=failure")
        .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("application/xml"));
    let (suites, cases) = junit(std::str::from_utf8(&answer.bytes).unwrap());
    let families = report["families"].as_array().unwrap();
    assert_eq!(suites.len(), families.len());
    for (family, (name, [tests, failures, skipped])) in families.iter().zip(&suites) {
        let s = &family["summary"];
        assert_eq!(family["family"], name.as_str());
        assert_eq!(
            [*tests, *failures, *skipped],
            [
                s["total"].as_u64().unwrap() as u32,
                s["doneWrong"].as_u64().unwrap() as u32,
                s["notYet"].as_u64().unwrap() as u32
            ],
            "{name}"
        );
    }
    let outcome = |case: &Case| {
        let id = case.name.split(':').next().unwrap().to_string();
        (id, case.outcome.clone())
    };
    let graded: BTreeMap<String, String> = cases.iter().map(outcome).collect();
    let expected: BTreeMap<String, String> = states(&report)
        .into_iter()
        .map(|(id, state)| {
            let outcome = match state.as_str() {
                "proven" => "passed",
                "doneWrong" => "failure",
                _ => "skipped",
            };
            (id, outcome.to_string())
        })
        .collect();
    assert_eq!(graded, expected);
    let wrong = cases.iter().find(|c| c.outcome == "failure").unwrap();
    assert_eq!(wrong.suite, "cash-management");
    assert_eq!(wrong.failure_type.as_deref(), Some("doneWrong"));

    let (_, gated) = junit(std::str::from_utf8(&gate.bytes).unwrap());
    assert!(gated.iter().all(|c| c.outcome != "skipped"));
    assert_eq!(
        gated.iter().filter(|c| c.outcome == "failure").count(),
        states(&report).len() - PROVEN.len()
    );
}

#[tokio::test]
async fn the_page_opens_with_the_apikey_or_the_reports_view_token_only() {
    let app = spawn_app();
    let partner = Partner::new(&app, "page").await;
    partner_flow(&partner).await;
    let report = partner.report().await;
    let link = report["html"].as_str().unwrap().to_string();
    let token = link.split("view=").nth(1).unwrap().to_string();

    let by_token = app.get_without_key(&link).await;
    let by_key = partner.get("/sandbox/readiness.html").await;
    let bare = app.get_without_key("/sandbox/readiness.html").await;
    // A longer life than the token was issued with.
    let parts: Vec<&str> = token.split('.').collect();
    let later = parts[1].parse::<i64>().unwrap() + 86_400;
    let forged = app
        .get_without_key(&format!(
            "/sandbox/readiness.html?view={}.{later}.{}",
            parts[0], parts[2]
        ))
        .await;
    let other = app.create_app(json!({ "name": "other" })).await;
    let borrowed = token.replacen(
        token.split('.').next().unwrap(),
        &base64_url(&other.client_id),
        1,
    );
    let swapped = app
        .get_without_key(&format!("/sandbox/readiness.html?view={borrowed}"))
        .await;
    partner.clock(json!({ "advance": "P2D" })).await;
    let expired = app.get_without_key(&link).await;

    assert_eq!(by_token.status, StatusCode::OK);
    assert!(by_token.content_type.starts_with("text/html"));
    assert_eq!(by_token.header("referrer-policy"), "no-referrer");
    assert!(by_token
        .header("content-security-policy")
        .contains("default-src 'none'"));
    assert_eq!(by_token.header("cache-control"), "no-store");
    assert_eq!(by_key.bytes, by_token.bytes);
    let page = String::from_utf8(by_token.bytes).unwrap();
    let families = report["families"].as_array().unwrap();
    assert_eq!(
        page.matches("<section class=\"family\"").count(),
        families.len()
    );
    assert_eq!(page.matches("data-state=\"proven\"").count(), PROVEN.len());
    assert_eq!(page.matches("data-state=\"doneWrong\"").count(), 1);
    assert!(page.contains("data-item=\"cib-timeout-inquiry\" data-state=\"doneWrong\""));
    assert!(page.contains("href=\"/docs#/Cash%20Management\""));
    for (answer, why) in [
        (bare, "view token"),
        (forged, "not valid"),
        (swapped, "not valid"),
        (expired, "expired"),
    ] {
        let message = answer.assert_envelope(401, 401);
        assert!(message.contains(why), "{message}");
    }
}

fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[test]
fn the_checklists_name_only_operations_the_sandbox_serves() {
    let lists = sandbank::sandbox::readiness::load().expect("the checklists compile");
    let served: BTreeSet<&str> = sandbank::api::operations().iter().map(|o| o.id).collect();

    for (item, operation) in lists.operations() {
        if item.upcoming.is_none() {
            assert!(
                served.contains(operation),
                "{} names `{operation}`, which no route serves",
                item.id
            );
        }
    }
    for item in lists.items.iter().filter(|i| i.upcoming.is_some()) {
        assert!(
            lists
                .operations()
                .any(|(i, op)| i.id == item.id && !served.contains(op)),
            "{} is marked upcoming, but everything it names is served: drop `upcoming`",
            item.id
        );
    }
}

/// A partner's callback receiver on loopback, answering every POST with `status`.
fn receiver(status: u16) -> String {
    use poem::{listener::TcpAcceptor, Response, Server};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/upi", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let acceptor = TcpAcceptor::from_std(listener).unwrap();
    let endpoint = poem::endpoint::make(move |_| async move {
        Response::builder()
            .status(StatusCode::from_u16(status).unwrap())
            .finish()
    });
    tokio::spawn(Server::new_with_acceptor(acceptor).run(endpoint));
    url
}

/// The app's callback item once a delivery has been graded (callbacks travel in the background).
async fn graded_callback(app: &TestApp, me: &NewApp) -> Value {
    for _ in 0..250 {
        let report = app
            .call(
                Method::GET,
                "/sandbox/readiness",
                &[("apikey", &me.apikey)],
                None,
            )
            .await
            .json;
        let graded = item(&report, "upi-callback-acknowledged").clone();
        if graded["state"] != "notYet" {
            return graded;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no callback was graded");
}

async fn collect_with_receiver(receiver_status: u16) -> (TestApp, NewApp) {
    let app = spawn_app();
    let url = receiver(receiver_status);
    let me = app
        .create_app(json!({ "name": "merchant", "callbackUrl": url }))
        .await;
    let partner = Partner {
        app: &app,
        me: me.clone(),
    };
    partner.clock(json!({ "freeze": FROZEN_AT })).await;
    let collect = partner
        .call(
            "/api/MerchantAPI/UPI/v0/CollectPay3/400000",
            &[],
            json!({ "payerVa": "success@icici", "amount": "499.00", "note": "Order 1042",
                    "collectByDate": "31/12/2030 06:30 PM", "merchantId": "400000",
                    "merchantName": "Sandbank Store", "subMerchantId": "400000",
                    "subMerchantName": "Sandbank Store", "terminalId": "5411",
                    "merchantTranId": "RD-COLLECT-1", "billNumber": "BILL-1" }),
        )
        .await;
    assert_eq!(collect.json["response"], "92", "{:?}", collect.json);
    partner.clock(json!({ "advance": "PT10S" })).await;
    (app, me)
}

#[tokio::test]
async fn a_callback_acknowledged_by_the_receiver_is_proven() {
    let (app, me) = collect_with_receiver(200).await;

    let graded = graded_callback(&app, &me).await;

    assert_eq!(graded["state"], "proven", "{graded:?}");
    let attempt = graded["proof"]["callbacks"][0].as_str().unwrap();
    assert!(
        attempt.starts_with("upi-collect ") && attempt.ends_with(" #1: 200"),
        "{attempt}"
    );
}

#[tokio::test]
async fn a_genuine_callback_refused_with_a_4xx_is_done_wrong() {
    let (app, me) = collect_with_receiver(400).await;

    let graded = graded_callback(&app, &me).await;

    assert_eq!(graded["state"], "doneWrong", "{graded:?}");
    let note = graded["wrong"]["note"].as_str().unwrap();
    assert!(note.ends_with("with HTTP 400."), "{note}");
}

#[tokio::test]
async fn a_statement_read_to_its_last_page_proves_paging() {
    let app = spawn_app();
    let partner = Partner::new(&app, "statement").await;
    let page = |more: Option<String>| {
        let mut body = identity(
            json!({ "ACCOUNTNO": "000405000001", "FROMDATE": "01-01-2025",
                                        "TODATE": "31-03-2026" }),
        );
        if let Some(last) = more {
            body["CONFLG"] = json!("Y");
            body["LASTTRID"] = json!(last);
        }
        body
    };

    let mut answer = partner.cib("AccountStatement", page(None)).await;
    let mut pages = 1;
    while answer.json["CONFLG"] == "Y" {
        let last = answer.json["LASTTRID"].as_str().unwrap().to_string();
        answer = partner.cib("AccountStatement", page(Some(last))).await;
        pages += 1;
        assert!(pages < 50, "the statement never ends: {:?}", answer.json);
    }
    let report = partner.report().await;

    assert!(pages > 1, "a single page proves nothing about paging");
    let graded = item(&report, "cib-statement-paged");
    assert_eq!(graded["state"], "proven", "{graded:?}");
    assert_eq!(graded["proof"]["seen"], 1);
}

#[tokio::test]
async fn a_deposit_sent_again_after_a_timeout_without_reading_the_history_is_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "iwish").await;
    let goal = partner
        .call(
            "/api/v1/iwish/goal-creation",
            &[],
            json!({ "goalName": "Goa trip", "category": "TRAVEL", "targetAmount": "60000.00",
                    "tenureMonths": 12, "initialDeposit": "5000.00", "fundingAccount": "000401000001" }),
        )
        .await;
    let goal_id = goal.json["data"]["goalId"].as_str().unwrap().to_string();
    let deposit = json!({ "goalId": goal_id, "amount": "2000.96" });

    let timed_out = partner
        .call("/api/v1/iwish/add-funds", &[], deposit.clone())
        .await;
    partner.call("/api/v1/iwish/add-funds", &[], deposit).await;
    let report = partner.report().await;

    timed_out.assert_envelope(504, 8013);
    let graded = item(&report, "iw-add-funds-timeout");
    assert_eq!(graded["state"], "doneWrong", "{graded:?}");
    assert_eq!(item(&report, "iw-goal-created")["state"], "proven");
}

#[tokio::test]
async fn a_schema_error_fixed_before_the_retry_is_proven() {
    let app = spawn_app();
    let partner = Partner::new(&app, "schema").await;

    partner
        .pan("ABCPE123F", &[])
        .await
        .assert_envelope(400, 8017);
    partner.pan("ABCPE1234F", &[]).await;
    let report = partner.report().await;

    assert_eq!(item(&report, "gateway-8017-fixed")["state"], "proven");
}
