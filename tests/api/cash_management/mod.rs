//! Cash Management: every CIB operation, the bank's rules and codes, the magic
//! values, idempotency under concurrency, the NEFT batch clock and the ledger's consistency — all
//! through HTTP, as a partner calls it.

use poem::http::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    cib::{
        balance, cib, identity, identity_with, path, payment, unregistered, unregistered_with,
        DEMO_ACCOUNT,
    },
    decimal_of, spawn_app, Answer, TestApp,
};

mod account_statement;
mod balance_inquiry;
mod bulk_payment;
mod collections;
mod ledger;
mod registration;
mod transaction;
mod transaction_inquiry;
mod transaction_otp;
mod workflow_decide;

const SECOND_ACCOUNT: &str = "000405000002";

/// A fresh app, clock frozen. The demo corporate user starts registered, as partners going live find
/// it: nothing to call first.
async fn registered_app() -> TestApp {
    let app = spawn_app();
    app.freeze_clock().await;
    app
}

async fn pay(app: &TestApp, body: Value) -> Value {
    let answer = cib(app, "Transaction", body).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json
}

async fn inquire(app: &TestApp, unique_id: &str) -> Value {
    cib(
        app,
        "TransactionInquiry",
        identity_with(json!({ "UNIQUEID": unique_id })),
    )
    .await
    .json
}

#[track_caller]
fn assert_failure(json: &Value, status: &str, code: &str) {
    assert_eq!(json["RESPONSE"], "FAILURE", "{json:?}");
    assert_eq!(json["STATUS"], status, "{json:?}");
    assert_eq!(json["RESPONSECODE"], code, "{json:?}");
}

/// Every page of an account's statement, following CONFLG / LASTTRID.
async fn statement(app: &TestApp, account: &str, from: &str, to: &str) -> Vec<Value> {
    let mut records = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut body =
            identity_with(json!({ "ACCOUNTNO": account, "FROMDATE": from, "TODATE": to }));
        if let Some(last) = &cursor {
            body["CONFLG"] = json!("Y");
            body["LASTTRID"] = json!(last);
        }
        let answer = cib(app, "AccountStatement", body).await;
        assert_eq!(answer.json["RESPONSE"], "SUCCESS", "{:?}", answer.json);
        let page = answer.json["Record"].as_array().unwrap().clone();
        assert!(page.len() <= 50, "a page holds at most 50 records");
        records.extend(page);
        if answer.json["CONFLG"] == "N" {
            return records;
        }
        cursor = Some(answer.json["LASTTRID"].as_str().unwrap().to_string());
    }
}

/// `Create`: an OTP for this payment's UNIQUEID (and amount), as partner code asks before paying.
async fn otp_create(app: &TestApp, unique_id: &str, amount: Option<&str>) -> Answer {
    let mut body = identity_with(json!({ "AGGRNAME": "SANDBANK", "UNIQUEID": unique_id }));
    if let Some(amount) = amount {
        body["AMOUNT"] = json!(amount);
    }
    cib(app, "Create", body).await
}
