//! Collections: virtual accounts, credits, the MIS push.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use poem::{http::StatusCode, Request, Response};
use rust_decimal::Decimal;
use sandbank::{
    sandbox::{bank::callbacks::RetryPolicy, gateway::DemoApp},
    SandboxSettings,
};
use serde_json::{json, Value};

use super::{balance, registered_app, statement, DEMO_ACCOUNT, SECOND_ACCOUNT};
use crate::helpers::{loopback::serve_on_loopback, spawn_app, spawn_app_with, TestApp};

/// A partner's callback endpoint on loopback: records every body, answers `status` + `reply`.
struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<Value>>>,
}

fn receiver(status: u16, reply: &'static str) -> Receiver {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    let endpoint = poem::endpoint::make(move |mut request: Request| {
        let seen = seen.clone();
        async move {
            let bytes = request.take_body().into_vec().await.unwrap_or_default();
            seen.lock()
                .unwrap()
                .push(serde_json::from_slice(&bytes).unwrap_or(Value::Null));
            Response::builder()
                .status(StatusCode::from_u16(status).unwrap())
                .content_type("application/json")
                .body(reply)
        }
    });
    let url = format!("{}/mis", serve_on_loopback(endpoint));
    Receiver { url, bodies }
}

fn fast_retries(callback_url: Option<String>) -> SandboxSettings {
    SandboxSettings {
        demo: DemoApp {
            callback_url,
            ..DemoApp::default()
        },
        callback_policy: RetryPolicy {
            max_attempts: 5,
            first_backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(2),
        },
        ..SandboxSettings::default()
    }
}

async fn create_va(app: &TestApp, payer_code: &str, callback_url: Option<&str>) -> Value {
    let mut body =
        json!({ "corpId": "SANDCORP1", "payerCode": payer_code, "payerName": "Asha Traders" });
    if let Some(url) = callback_url {
        body["callbackUrl"] = json!(url);
    }
    let answer = app.post("/api/v1/ecollection/virtual-accounts", body).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json
}

fn credit(va: &str, amount: &str, mode: &str) -> Value {
    json!({
        "virtualAccountNumber": va,
        "amount": amount,
        "mode": mode,
        "remitterName": "Asha Traders",
        "remitterAccount": "50100012345678",
        "remitterIfsc": "HDFC0000001",
        "remarks": "Invoice 42"
    })
}

async fn simulate(app: &TestApp, body: Value) -> Value {
    let answer = app.post("/api/v1/ecollection/simulate-credit", body).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json
}

async fn mis(app: &TestApp) -> Vec<Value> {
    let answer = app
        .post(
            "/api/v1/ecollection/mis",
            json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-30" }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json["records"].as_array().unwrap().clone()
}

/// Waits (on real time: the push is real HTTP) until the record for `utr` is no longer QUEUED
/// and `done` holds.
async fn settled_mis(app: &TestApp, utr: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..250 {
        let records = mis(app).await;
        if let Some(record) = records.iter().find(|r| r["UTR"] == utr) {
            if done(record) {
                return record.clone();
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "the MIS push for {utr} did not settle: {:?}",
        mis(app).await
    );
}

#[tokio::test]
async fn a_virtual_account_is_the_client_code_and_the_payer_code() {
    let app = spawn_app();
    app.freeze_clock().await;

    let created = create_va(&app, "CUST0042", Some("https://partner.example/mis")).await;
    let again = create_va(&app, "CUST0042", None).await;

    assert_eq!(
        created,
        json!({
            "virtualAccountNumber": "SBNK01CUST0042",
            "ifsc": "ICIC0000104",
            "beneficiaryName": "Sandbank Demo Traders Pvt Ltd",
            "corpId": "SANDCORP1",
            "payerCode": "CUST0042",
            "payerName": "Asha Traders",
            "collectionAccount": DEMO_ACCOUNT,
            "callbackUrl": "https://partner.example/mis",
            "status": "ACTIVE",
            "createdAt": "2026-04-01T10:00:00+05:30"
        })
    );
    assert_eq!(
        again, created,
        "the same corporate and payer code: the same account"
    );
}

#[tokio::test]
async fn virtual_account_creation_is_validated() {
    let app = spawn_app();
    let post = |body: Value| app.post("/api/v1/ecollection/virtual-accounts", body);

    let unknown = post(json!({ "corpId": "NOSUCHCORP", "payerCode": "C1" })).await;
    let foreign = post(
        json!({ "corpId": "SANDCORP1", "payerCode": "C1", "collectionAccount": "000405000003" }),
    )
    .await;
    let lower = post(json!({ "corpId": "SANDCORP1", "payerCode": "cust1" })).await;
    let bad_url =
        post(json!({ "corpId": "SANDCORP1", "payerCode": "C1", "callbackUrl": "ftp://x" })).await;
    let second = post(
        json!({ "corpId": "SANDCORP1", "payerCode": "C2", "collectionAccount": SECOND_ACCOUNT }),
    )
    .await;

    unknown.assert_envelope(404, 404);
    foreign.assert_envelope(404, 404);
    assert!(lower.assert_envelope(400, 8017).contains("payerCode"));
    assert!(bad_url.assert_envelope(400, 8017).contains("callbackUrl"));
    assert_eq!(second.json["collectionAccount"], SECOND_ACCOUNT);
}

#[tokio::test]
async fn a_credit_lands_in_the_collection_account_and_its_mis_is_pushed() {
    let partner = receiver(200, r#"{"status":"ACCEPT"}"#);
    let app = registered_app_with(fast_retries(None)).await;
    create_va(&app, "CUST0007", Some(&partner.url)).await;

    let credited = simulate(&app, credit("SBNK01CUST0007", "25000.00", "NEFT")).await;
    let utr = credited["utr"].as_str().unwrap().to_string();
    let record = settled_mis(&app, &utr, |r| r["deliveryStatus"] == "DELIVERED").await;

    assert_eq!(credited["duplicate"], false);
    assert_eq!(credited["amount"], "25000.00");
    assert_eq!(credited["collectionAccount"], DEMO_ACCOUNT);
    assert_eq!(credited["creditedAt"], "2026-04-01T10:00:00+05:30");
    assert!(utr.starts_with("HDFCN26091") && utr.len() == 16, "{utr}");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_025_000));
    let today = statement(&app, DEMO_ACCOUNT, "01-04-2026", "01-04-2026").await;
    let entry = today.last().unwrap();
    assert_eq!(entry["TYPE"], "CR");
    assert_eq!(entry["AMOUNT"], "25000.00");
    assert_eq!(entry["TRANSACTIONID"], credited["transactionId"]);
    assert_eq!(
        entry["REMARKS"],
        format!("NEFT/{utr}/Asha Traders/SBNK01CUST0007")
    );
    let pushed = partner.bodies.lock().unwrap().clone();
    assert_eq!(
        pushed,
        vec![json!({
            "ClientCode": "SBNK01",
            "VirtualAccountNumber": "SBNK01CUST0007",
            "Mode": "NEFT",
            "UTR": utr,
            "SenderRemark": "Invoice 42",
            "ClientAccountNo": DEMO_ACCOUNT,
            "Amount": "25000.00",
            "PayerName": "Asha Traders",
            "PayerAccNumber": "50100012345678",
            "PayerBankIFSC": "HDFC0000001",
            "PayerPaymentDate": "2026-04-01 10:00:00",
            "BankInternalTransactionNumber": credited["transactionId"]
        })]
    );
    assert_eq!(credited["misRecord"], pushed[0]);
    assert_eq!(record["clientDecision"], "ACCEPT");
    assert_eq!(record["attempts"], 1);
    assert_eq!(record["lastHttpStatus"], 200);
    let callbacks = app.get("/sandbox/callbacks").await;
    assert_eq!(callbacks.json[0]["kind"], "ecollection-mis");
    assert_eq!(callbacks.json[0]["reference"], utr.as_str());
}

#[tokio::test]
async fn the_corporate_may_reject_the_mis_record() {
    let partner = receiver(200, r#"{"status":"REJECT","reason":"unknown payer"}"#);
    let app = spawn_app();
    app.freeze_clock().await;
    create_va(&app, "CUST0008", Some(&partner.url)).await;

    let credited = simulate(&app, credit("SBNK01CUST0008", "300000.00", "RTGS")).await;
    let utr = credited["utr"].as_str().unwrap();
    let record = settled_mis(&app, utr, |r| r["deliveryStatus"] == "DELIVERED").await;

    assert!(
        utr.starts_with("HDFCR520260401") && utr.len() == 22,
        "{utr}"
    );
    assert_eq!(record["clientDecision"], "REJECT");
    assert_eq!(record["Mode"], "RTGS");
}

#[tokio::test]
async fn a_failing_partner_is_retried_and_reported() {
    let partner = receiver(500, "oops");
    let app = spawn_app_with(fast_retries(None));
    app.freeze_clock().await;
    create_va(&app, "CUST0009", Some(&partner.url)).await;

    let credited = simulate(&app, credit("SBNK01CUST0009", "100.00", "IMPS")).await;
    let utr = credited["utr"].as_str().unwrap();
    let record = settled_mis(&app, utr, |r| r["attempts"] == 5).await;

    assert!(
        utr.len() == 12 && utr.bytes().all(|b| b.is_ascii_digit()),
        "{utr}"
    );
    assert_eq!(record["deliveryStatus"], "FAILED");
    assert_eq!(record["lastHttpStatus"], 500);
    assert!(record.get("clientDecision").is_none());
    assert_eq!(partner.bodies.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn the_demo_virtual_account_pushes_to_the_apps_callback_url() {
    let partner = receiver(200, "OK");
    let app = spawn_app_with(fast_retries(Some(partner.url.clone())));
    app.freeze_clock().await;

    let credited = simulate(&app, credit("SBNK01CUST0001", "1000.00", "NEFT")).await;
    let utr = credited["utr"].as_str().unwrap();
    let record = settled_mis(&app, utr, |r| r["deliveryStatus"] == "DELIVERED").await;

    assert_eq!(record["clientDecision"], "ACCEPT", "any 2xx accepts");
    assert_eq!(partner.bodies.lock().unwrap()[0]["UTR"], utr);
}

#[tokio::test]
async fn without_any_callback_url_the_push_fails_visibly() {
    let app = spawn_app();
    app.freeze_clock().await;

    let credited = simulate(&app, credit("SBNK01CUST0001", "1000.00", "NEFT")).await;
    let utr = credited["utr"].as_str().unwrap();
    let record = settled_mis(&app, utr, |r| r["deliveryStatus"] != "QUEUED").await;

    assert_eq!(record["deliveryStatus"], "FAILED");
    let callbacks = app.get("/sandbox/callbacks").await;
    assert!(callbacks.json[0]["error"]
        .as_str()
        .unwrap()
        .contains("no callback URL"));
}

#[tokio::test]
async fn a_utr_is_credited_once() {
    let app = registered_app().await;
    let mut body = credit("SBNK01CUST0001", "5000.00", "IMPS");
    body["utr"] = json!("609112345678");

    let first = simulate(&app, body.clone()).await;
    let second = simulate(&app, body).await;

    assert_eq!(first["duplicate"], false);
    assert_eq!(second["duplicate"], true);
    assert_eq!(second["transactionId"], first["transactionId"]);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_005_000));
    assert_eq!(mis(&app).await.len(), 1);
}

#[tokio::test]
async fn credits_follow_the_rails_rules() {
    let app = spawn_app();

    let unknown = app
        .post(
            "/api/v1/ecollection/simulate-credit",
            credit("SBNK01NOSUCH", "10.00", "NEFT"),
        )
        .await;
    let small_rtgs = app
        .post(
            "/api/v1/ecollection/simulate-credit",
            credit("SBNK01CUST0001", "1000.00", "RTGS"),
        )
        .await;
    let big_imps = app
        .post(
            "/api/v1/ecollection/simulate-credit",
            credit("SBNK01CUST0001", "500000.01", "IMPS"),
        )
        .await;
    let bad_mode = app
        .post(
            "/api/v1/ecollection/simulate-credit",
            credit("SBNK01CUST0001", "10.00", "UPI"),
        )
        .await;

    unknown.assert_envelope(404, 404);
    assert!(small_rtgs.assert_envelope(400, 8017).contains("amount"));
    assert!(big_imps.assert_envelope(400, 8017).contains("amount"));
    assert!(bad_mode.assert_envelope(400, 8017).contains("mode"));
}

#[tokio::test]
async fn the_mis_lists_by_date_and_virtual_account() {
    let app = spawn_app();
    app.freeze_clock().await;
    create_va(&app, "CUST0002", None).await;
    simulate(&app, credit("SBNK01CUST0001", "100.00", "NEFT")).await;
    app.advance_clock("P1D").await;
    simulate(&app, credit("SBNK01CUST0002", "200.00", "NEFT")).await;
    let list = |body: Value| app.post("/api/v1/ecollection/mis", body);

    let first_day =
        list(json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-01" }))
            .await;
    let both =
        list(json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-02" }))
            .await;
    let one_va = list(json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-02", "virtualAccountNumber": "SBNK01CUST0002" })).await;
    let other_corp =
        list(json!({ "corpId": "SANDCORP2", "fromDate": "2026-04-01", "toDate": "2026-04-02" }))
            .await;
    let reversed =
        list(json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-02", "toDate": "2026-04-01" }))
            .await;
    let unknown =
        list(json!({ "corpId": "NOSUCHCORP", "fromDate": "2026-04-01", "toDate": "2026-04-01" }))
            .await;

    let amounts = |a: &crate::helpers::Answer| -> Vec<String> {
        a.json["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["Amount"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(amounts(&first_day), ["100.00"]);
    assert_eq!(amounts(&both), ["100.00", "200.00"]);
    assert_eq!(amounts(&one_va), ["200.00"]);
    assert_eq!(amounts(&other_corp), Vec::<String>::new());
    // A range that ends before it starts holds no credit.
    assert_eq!(amounts(&reversed), Vec::<String>::new());
    unknown.assert_envelope(404, 404);
}

async fn registered_app_with(settings: SandboxSettings) -> TestApp {
    let app = spawn_app_with(settings);
    app.freeze_clock().await;
    app
}
