//! Cash Management: every CIB operation, the bank's rules and codes, the magic
//! values, idempotency under concurrency, the NEFT batch clock and the ledger's consistency — all
//! through HTTP, as a partner calls it.

use poem::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Answer, TestApp};

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

const DEMO_ACCOUNT: &str = "000405000001";
const SECOND_ACCOUNT: &str = "000405000002";
const BENEFICIARY: &str = "000405009999";

fn path(op: &str) -> String {
    format!("/api/Corporate/CIB/v1/{op}")
}

fn identity() -> Value {
    json!({
        "AGGRID": "SANDAGGR1",
        "CORPID": "SANDCORP1",
        "USERID": "SANDUSER1",
        "URN": "SANDURN0001"
    })
}

/// The identity block plus `extra`'s fields.
fn with(extra: Value) -> Value {
    let mut body = identity();
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn payment(unique_id: &str, txn_type: &str, amount: &str) -> Value {
    with(json!({
        "AGGRNAME": "SANDBANK",
        "UNIQUEID": unique_id,
        "DEBITACC": DEMO_ACCOUNT,
        "CREDITACC": BENEFICIARY,
        "IFSC": "ICIC0000004",
        "AMOUNT": amount,
        "CURRENCY": "INR",
        "TXNTYPE": txn_type,
        "PAYEENAME": "Ravi Kumar",
        "REMARKS": "Invoice 42",
        "WORKFLOW_REQD": "N"
    }))
}

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("money is a string: {value}"))
        .parse()
        .unwrap()
}

async fn cib(app: &TestApp, op: &str, body: Value) -> Answer {
    app.post(&path(op), body).await
}

/// A fresh app, clock frozen. The demo corporate user starts registered, as partners going live find
/// it: nothing to call first.
async fn registered_app() -> TestApp {
    let app = spawn_app();
    app.freeze_clock().await;
    app
}

/// The demo user who starts unregistered (`SANDUSER2` of `SANDCORP2`), for the registration flow.
fn unregistered() -> Value {
    json!({
        "AGGRID": "SANDAGGR1",
        "CORPID": "SANDCORP2",
        "USERID": "SANDUSER2",
        "URN": "SANDURN0002"
    })
}

/// The unregistered user's identity block plus `extra`'s fields.
fn unregistered_with(extra: Value) -> Value {
    let mut body = unregistered();
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn balance(app: &TestApp, account: &str) -> Decimal {
    let answer = cib(app, "BalanceInquiry", with(json!({ "ACCOUNTNO": account }))).await;
    assert_eq!(answer.json["RESPONSE"], "SUCCESS", "{:?}", answer.json);
    money(&answer.json["EFFECTIVEBAL"])
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
        with(json!({ "UNIQUEID": unique_id })),
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
        let mut body = with(json!({ "ACCOUNTNO": account, "FROMDATE": from, "TODATE": to }));
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
