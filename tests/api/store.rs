//! One store-conformance suite, run against every backend (`memory`, `sqlite` on a temporary file,
//! `postgres` on a fresh database of the tests' cluster): lifecycles across several families answer
//! the same bytes in each; under a database store a restart (a new sandbox on the same database)
//! answers the same bytes as a server that never stopped, and reset, snapshots, tokens and the app's
//! clock, today's quota count and the request log survive it; a write the database refuses is never
//! acknowledged. Created apps across a restart are in `store_apps.rs`; the wire-level checks
//! (`kill -9`, refusals at start) in `store_binary.rs`; two processes on one PostgreSQL database in
//! `store_replicas.rs`.

use std::{path::PathBuf, sync::Arc};

use poem::{http::Method, test::TestClient};
use sandbank::{sandbox::bank::store::StoreChoice, Sandbox, SandboxSettings};
use serde_json::{json, Value};

use crate::helpers::{
    cib::{balance, cib, identity_with, payment, DEMO_ACCOUNT},
    postgres, TestApp, DEMO_KEY,
};

/// A database file of its own under `target/`, removed first so the test starts empty.
pub fn temp_db(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("store");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

/// The database stores, each on a new database of its own named after `name`.
pub fn database_stores(name: &str) -> [StoreChoice; 2] {
    [
        StoreChoice::Sqlite(temp_db(name)),
        StoreChoice::Postgres(postgres::fresh_database(name)),
    ]
}

pub fn settings(store: StoreChoice) -> SandboxSettings {
    SandboxSettings {
        store,
        codecs: sandbank::api::kept_families(),
        ..SandboxSettings::default()
    }
}

/// A sandbox on `store`: a fresh one each call, on the same database for a database store (a
/// restart).
fn start(store: &StoreChoice) -> TestApp {
    let sandbox = Arc::new(Sandbox::new(&settings(store.clone())).expect("the store opens"));
    TestApp {
        client: TestClient::new(sandbank::app(sandbox)),
    }
}

/// A request as the suite sends it, with the demo key: status and raw bytes of the answer.
async fn send(app: &TestApp, path: &str, body: Value) -> (u16, String) {
    let answer = app
        .call(
            Method::POST,
            path,
            &[("apikey", DEMO_KEY)],
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await;
    let text = String::from_utf8(answer.bytes).unwrap();
    (answer.status.as_u16(), text)
}

/// A POST without a body (snapshot save and restore, reset).
async fn post_empty(app: &TestApp, path: &str) -> (u16, String) {
    let answer = app
        .call(Method::POST, path, &[("apikey", DEMO_KEY)], None)
        .await;
    (
        answer.status.as_u16(),
        String::from_utf8(answer.bytes).unwrap(),
    )
}

/// Writes in five families: CIB payments (IMPS and a NEFT that waits for its batch), an iWish goal,
/// a UPI collect, an e-collection credit, an outward remittance and a bank guarantee, an auto loan OTP.
async fn lifecycles(app: &TestApp) -> Vec<(u16, String)> {
    app.freeze_clock().await;
    let upi = "/api/MerchantAPI/UPI/v0/CollectPay3/400000";
    let steps = [
        (
            cib_path("Transaction"),
            payment("STORE0001", "IFS", "2500.00"),
        ),
        (
            cib_path("Transaction"),
            payment("STORE0002", "RGS", "1200.50"),
        ),
        ("/api/v1/iwish/goal-creation".into(), goal()),
        (upi.into(), collect()),
        ("/api/v1/ecollection/simulate-credit".into(), credit()),
        (
            "/api/v1/trade/remittance/transaction-order".into(),
            remittance(),
        ),
        ("/api/v1/trade/bank-guarantee/issuance".into(), guarantee()),
        (
            "/api/v1/auto-loan/otp".into(),
            json!({ "mobile": "9800000001" }),
        ),
    ];
    let mut answers = Vec::new();
    for (path, body) in steps {
        answers.push(send(app, &path, body).await);
    }
    answers
}

/// Reads of what [`lifecycles`] left, then more writes on top of it (entry numbers, duplicates, the
/// NEFT batch settling), and the state's snapshot id: any state lost or reordered changes a byte.
async fn afterwards(app: &TestApp, goal_id: &str) -> Vec<(u16, String)> {
    let mut answers = vec![
        send(app, &cib_path("TransactionInquiry"), inquiry("STORE0002")).await,
        send(
            app,
            &cib_path("Transaction"),
            payment("STORE0001", "IFS", "2500.00"),
        )
        .await,
        send(
            app,
            &cib_path("Transaction"),
            payment("STORE0003", "TPA", "10.00"),
        )
        .await,
        send(
            app,
            "/api/v1/trade/remittance/transaction-inquiry",
            json!({ "transactionRefNo": "ORM20260401000001" }),
        )
        .await,
        send(app, "/api/MerchantAPI/UPI/v0/CollectPay3/400000", collect()).await,
        // Not the e-collection MIS: it shows callback deliveries, which the store does not keep.
        send(app, "/api/v1/iwish/goal-view", json!({ "goalId": goal_id })).await,
        send(app, &cib_path("AccountStatement"), statement()).await,
    ];
    app.advance_clock("PT2H").await;
    answers.push(send(app, &cib_path("TransactionInquiry"), inquiry("STORE0002")).await);
    answers.push(post_empty(app, "/sandbox/snapshots").await);
    answers
}

fn cib_path(op: &str) -> String {
    format!("/api/Corporate/CIB/v1/{op}")
}

fn inquiry(unique_id: &str) -> Value {
    identity_with(json!({ "UNIQUEID": unique_id }))
}

fn statement() -> Value {
    identity_with(json!({
        "ACCOUNTNO": DEMO_ACCOUNT,
        "FROMDATE": "01-03-2026",
        "TODATE": "01-04-2026"
    }))
}

fn goal() -> Value {
    json!({"category": "TRAVEL", "fundingAccount": "000401000001", "goalName": "Goa trip",
        "initialDeposit": "5000.00", "siAmount": "4500.00", "siDay": 5,
        "targetAmount": "60000.00", "tenureMonths": 12})
}

fn collect() -> Value {
    json!({"amount": "499.00", "billNumber": "BILL-1042", "collectByDate": "31/12/2030 06:30 PM",
        "merchantId": "400000", "merchantName": "Sandbank Store", "merchantTranId": "COLLECT-1042",
        "note": "Order 1042", "payerVa": "success@icici", "subMerchantName": "Sandbank Store",
        "terminalId": "5411"})
}

fn credit() -> Value {
    json!({"amount": "25000.00", "mode": "NEFT", "remarks": "Invoice 42",
        "remitterAccount": "50100012345678", "remitterIfsc": "HDFC0000001",
        "remitterName": "Asha Traders", "virtualAccountNumber": "SBNK01CUST0001"})
}

fn remittance() -> Value {
    json!({"amount": "1000.00", "beneficiaryAccountNo": "026009593",
        "beneficiaryAddress": "100 Main Street, New York NY 10001, US", "beneficiaryBic": "CHASUS33",
        "beneficiaryName": "Acme Software Inc", "charges": "SHA", "currency": "USD",
        "purposeCode": "S1006", "remittanceInformation": "Invoice 2026-118",
        "remitterAccountNo": "000405000001", "transactionRefNo": "ORM20260401000001"})
}

fn guarantee() -> Value {
    json!({"amount": "2500000.00", "applicantAccountNo": "000405000001",
        "beneficiaryAddress": "G-5 and 6, Sector 10, Dwarka, New Delhi 110075",
        "beneficiaryName": "National Highways Authority of India", "claimPeriodDays": 30,
        "currency": "INR", "expiryDate": "2099-03-31", "guaranteeType": "PERFORMANCE",
        "requestRefNo": "BGREQ20260401001"})
}

#[tokio::test]
async fn every_backend_answers_the_same_bytes_and_across_a_restart() {
    let memory = start(&StoreChoice::Memory);
    let written = lifecycles(&memory).await;
    let goal: Value = serde_json::from_str(&written[2].1).unwrap();
    let goal_id = goal["data"]["goalId"].as_str().expect("a goal id");
    let expected = afterwards(&memory, goal_id).await;
    assert!(
        written.iter().all(|(status, _)| *status == 200),
        "{written:?}"
    );
    assert!(
        expected
            .iter()
            .all(|(status, _)| [200, 201].contains(status)),
        "{expected:?}"
    );

    for store in database_stores("restart") {
        let before = start(&store);
        assert_eq!(
            lifecycles(&before).await,
            written,
            "{store:?} answers the writes as memory does"
        );
        drop(before);
        let restarted = start(&store);
        let after = afterwards(&restarted, goal_id).await;
        for (index, (got, want)) in after.iter().zip(&expected).enumerate() {
            assert_eq!(got, want, "{store:?}: read {index} after the restart");
        }
        assert_eq!(after.len(), expected.len());
    }
}

#[tokio::test]
async fn a_reset_lasts_across_a_restart() {
    for store in database_stores("reset") {
        a_reset_lasts(&store).await;
    }
}

async fn a_reset_lasts(store: &StoreChoice) {
    let app = start(store);
    lifecycles(&app).await;
    assert_ne!(balance(&app, DEMO_ACCOUNT).await.to_string(), "1000000.00");
    let reset = post_empty(&app, "/sandbox/reset").await;
    assert_eq!(reset.0, 200, "{reset:?}");
    drop(app);

    let app = start(store);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await.to_string(), "1000000.00");
    let again = cib(&app, "Transaction", payment("STORE0001", "IFS", "2500.00")).await;
    assert_eq!(
        again.json["STATUS"], "SUCCESS",
        "the UNIQUEID is new again: {:?}",
        again.json
    );
}

/// A PAN check with `apikey`: its status and `x-ratelimit-remaining`.
async fn pan_with(app: &TestApp, apikey: &str) -> (u16, String) {
    let answer = app
        .post_with(
            "/api/v0/panValidation",
            &[("apikey", apikey)],
            json!({ "pan": "ABCPE1234F" }),
        )
        .await;
    let remaining = answer.header("x-ratelimit-remaining").to_string();
    (answer.status.as_u16(), remaining)
}

/// `apikey`'s request log, newest first: each entry's number, path and status.
async fn logged(app: &TestApp, apikey: &str) -> Vec<(u64, String, u64)> {
    let answer = app
        .call(
            Method::GET,
            "/sandbox/requests?limit=200",
            &[("apikey", apikey)],
            None,
        )
        .await;
    assert_eq!(answer.status.as_u16(), 200, "{:?}", answer.json);
    answer.json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap().to_string();
            (
                r["id"].as_u64().unwrap(),
                path,
                r["status"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Today's count against the plan and the request log are in the database too: after a restart the
/// plan admits from the count it left (never a fresh quota), the log shows what was served before
/// and numbers on, and a reset empties both for good, the log's numbering still going on.
#[tokio::test]
async fn the_quota_count_and_the_request_log_survive_a_restart() {
    for store in database_stores("usage") {
        usage_survives(&store).await;
    }
}

async fn usage_survives(store: &StoreChoice) {
    const PAN: &str = "/api/v0/panValidation";
    let app = start(store);
    let tiny = app
        .create_app(json!({ "name": "tiny", "dailyLimit": 3 }))
        .await;
    // On a frozen day, so that midnight cannot start a new count mid-test.
    app.freeze_clock_of(&tiny.apikey).await;
    assert_eq!(pan_with(&app, &tiny.apikey).await, (200, "2".into()));
    assert_eq!(pan_with(&app, &tiny.apikey).await, (200, "1".into()));
    drop(app);

    let app = start(store);
    assert_eq!(
        pan_with(&app, &tiny.apikey).await,
        (200, "0".into()),
        "{store:?}: the count goes on from 2"
    );
    assert_eq!(pan_with(&app, &tiny.apikey).await.0, 429, "{store:?}");
    let pan = |id, status| (id, PAN.to_string(), status);
    assert_eq!(
        logged(&app, &tiny.apikey).await,
        [
            pan(5, 429),
            pan(4, 200),
            pan(3, 200),
            pan(2, 200),
            (1, "/sandbox/clock".to_string(), 200)
        ],
        "{store:?}: the log from before the restart, numbered on"
    );
    let reset = app
        .call(
            Method::POST,
            "/sandbox/reset",
            &[("apikey", &tiny.apikey)],
            None,
        )
        .await;
    assert_eq!(reset.status.as_u16(), 200, "{:?}", reset.json);
    drop(app);

    let app = start(store);
    assert_eq!(
        logged(&app, &tiny.apikey).await,
        [(6, "/sandbox/reset".to_string(), 200)],
        "{store:?}: the reset emptied the log"
    );
    // The reset put the clock back to real time: freeze it again (entry 7), then a fresh count.
    app.freeze_clock_of(&tiny.apikey).await;
    assert_eq!(pan_with(&app, &tiny.apikey).await, (200, "2".into()));
    for _ in 0..199 {
        pan_with(&app, &tiny.apikey).await;
    }
    let log = logged(&app, &tiny.apikey).await;
    assert_eq!(
        (log.len(), log[0].0, log[199].0),
        (200, 207, 8),
        "{store:?}: the last 200"
    );
    drop(app);

    let app = start(store);
    let log = logged(&app, &tiny.apikey).await;
    assert_eq!(
        (log.len(), log[0].0),
        (200, 207),
        "{store:?}: still bounded"
    );
}

#[tokio::test]
async fn a_snapshot_and_the_frozen_clock_survive_a_restart_and_restore_there() {
    for store in database_stores("snapshot") {
        a_snapshot_survives(&store).await;
    }
}

async fn a_snapshot_survives(store: &StoreChoice) {
    let app = start(store);
    app.freeze_clock().await;
    let saved = post_empty(&app, "/sandbox/snapshots").await;
    let id = serde_json::from_str::<Value>(&saved.1).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    cib(&app, "Transaction", payment("STORE0009", "IFS", "700.00")).await;
    drop(app);

    let app = start(store);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await.to_string(), "999300.00");
    let restored = post_empty(&app, &format!("/sandbox/snapshots/{id}/restore")).await;
    assert_eq!(restored.0, 200, "{restored:?}");
    let restored: Value = serde_json::from_str(&restored.1).unwrap();
    assert_eq!(
        restored["clock"], "2026-04-01T10:00:00+05:30",
        "the frozen clock was kept"
    );
    drop(app);

    let app = start(store);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await.to_string(), "1000000.00");
    let exported = app.get(&format!("/sandbox/snapshots/{id}")).await;
    assert_eq!(
        exported.status.as_u16(),
        200,
        "the shelf is in the database too"
    );
}

async fn token(app: &TestApp) -> String {
    let form = "grant_type=client_credentials&client_id=sandbank-demo\
                &client_secret=sandbank-demo-secret&scope=cash-management";
    let answer = app
        .call(
            Method::POST,
            "/oauth2/token",
            &[],
            Some((
                "application/x-www-form-urlencoded",
                form.as_bytes().to_vec(),
            )),
        )
        .await;
    assert_eq!(answer.status.as_u16(), 200, "{:?}", answer.json);
    answer.json["access_token"].as_str().unwrap().to_string()
}

/// Without `--jwt-secret`, a database store keeps the signing secret it generated: a token issued
/// before a restart still works after it (in memory the secret is per process).
#[tokio::test]
async fn a_token_issued_before_a_restart_still_works() {
    for store in database_stores("token") {
        a_token_still_works(&store).await;
    }
}

async fn a_token_still_works(store: &StoreChoice) {
    let app = start(store);
    let bearer = format!("Bearer {}", token(&app).await);
    drop(app);

    let app = start(store);
    let body = identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT }));
    let answer = app
        .client
        .post(cib_path("BalanceInquiry"))
        .header("authorization", bearer.as_str())
        .content_type("application/json")
        .body(body.to_string())
        .send()
        .await;
    answer.assert_status_is_ok();
}

/// Runs `sql` on a database store's database, as its operator would.
pub fn run_sql(store: &StoreChoice, sql: &str) {
    match store {
        StoreChoice::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
        StoreChoice::Postgres(url) => {
            postgres::sql(url, sql);
        }
        StoreChoice::Memory => unreachable!("memory has no database"),
    }
}

/// A write the database refuses is never acknowledged: 503 with the bank's envelope, nothing of it
/// kept, `/healthz` 503 meanwhile; once the database is back, the app carries on from what was
/// committed.
#[tokio::test]
async fn a_write_the_database_refuses_answers_503_and_nothing_of_it_is_kept() {
    for store in database_stores("refused") {
        a_refused_write_is_not_kept(&store).await;
    }
}

async fn a_refused_write_is_not_kept(store: &StoreChoice) {
    let app = start(store);
    let first = cib(&app, "Transaction", payment("STORE0201", "IFS", "100.00")).await;
    assert_eq!(first.json["STATUS"], "SUCCESS", "{:?}", first.json);
    run_sql(store, "ALTER TABLE app_rows RENAME TO app_rows_away");

    let refused = cib(&app, "Transaction", payment("STORE0202", "IFS", "200.00")).await;
    refused.assert_envelope(503, 8010);
    assert_eq!(app.get_without_key("/healthz").await.status.as_u16(), 503);

    run_sql(store, "ALTER TABLE app_rows_away RENAME TO app_rows");
    assert_eq!(app.get_without_key("/healthz").await.status.as_u16(), 200);
    let again = cib(&app, "Transaction", payment("STORE0202", "IFS", "200.00")).await;
    assert_eq!(
        again.json["STATUS"], "SUCCESS",
        "{store:?}: not kept, so new: {:?}",
        again.json
    );
    let repeated = cib(&app, "Transaction", payment("STORE0201", "IFS", "100.00")).await;
    assert_eq!(repeated.json["STATUS"], "DUPLICATE", "{:?}", repeated.json);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await.to_string(), "999700.00");
}

/// PostgreSQL connections lost mid-run (the server restarted, a proxy dropped them): a request
/// answers 200 or 503, never a wrong answer; the next ones reconnect; nothing acknowledged is lost.
#[tokio::test]
async fn lost_postgres_connections_answer_503_at_worst_and_reconnect() {
    let url = postgres::fresh_database("lost");
    let store = StoreChoice::Postgres(url.clone());
    let app = start(&store);
    let first = cib(&app, "Transaction", payment("STORE0301", "IFS", "100.00")).await;
    assert_eq!(first.json["STATUS"], "SUCCESS", "{:?}", first.json);
    let database = url.rsplit('/').next().unwrap().to_string();
    let mut acknowledged = vec!["STORE0301".to_string()];
    for round in 0..3 {
        postgres::sql(
            &url,
            &format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            ),
        );
        for n in 0..4 {
            let unique_id = format!("STORE04{round}{n}");
            let answer = cib(&app, "Transaction", payment(&unique_id, "IFS", "10.00")).await;
            match answer.status.as_u16() {
                200 => {
                    assert_eq!(answer.json["STATUS"], "SUCCESS", "{:?}", answer.json);
                    acknowledged.push(unique_id);
                }
                503 => {
                    answer.assert_envelope(503, 8010);
                }
                other => panic!("{unique_id}: {other} {:?}", answer.json),
            }
        }
    }
    assert!(
        acknowledged.len() >= 7,
        "at most one request per lost connection fails: {acknowledged:?}"
    );
    drop(app);
    let restarted = start(&store);
    for unique_id in &acknowledged {
        let again = cib(
            &restarted,
            "Transaction",
            payment(unique_id, "IFS", "10.00"),
        )
        .await;
        assert_eq!(
            again.json["STATUS"], "DUPLICATE",
            "{unique_id}: {:?}",
            again.json
        );
    }
}
