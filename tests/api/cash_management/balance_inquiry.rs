//! `BalanceInquiry`: the fixture balance, another corporate's account, a malformed account number.

use rust_decimal::Decimal;
use serde_json::json;

use super::{
    assert_failure, balance, cib, identity_with, payment, registered_app, DEMO_ACCOUNT,
    SECOND_ACCOUNT,
};

#[tokio::test]
async fn balance_inquiry_answers_the_fixture_balance() {
    let app = registered_app().await;

    let answer = cib(
        &app,
        "BalanceInquiry",
        identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
    )
    .await;

    assert_eq!(
        answer.json,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "SUCCESS",
            "MESSAGE": "Balance fetched",
            "ACCOUNTNO": DEMO_ACCOUNT,
            "EFFECTIVEBAL": "1000000.00",
            "CURRENCY": "INR",
            "DATE": "01-04-2026"
        })
    );
    assert_eq!(balance(&app, SECOND_ACCOUNT).await, Decimal::from(50_000));
}

#[tokio::test]
async fn another_corporates_account_gets_9906() {
    let app = registered_app().await;

    let answer = cib(
        &app,
        "BalanceInquiry",
        identity_with(json!({ "ACCOUNTNO": "000405000003" })),
    )
    .await;
    let statement = cib(
        &app,
        "AccountStatement",
        identity_with(json!({ "ACCOUNTNO": "000405000003", "FROMDATE": "01-03-2026", "TODATE": "31-03-2026" })),
    )
    .await;
    let pay = cib(&app, "Transaction", {
        let mut body = payment("FOREIGN1", "IFS", "10.00");
        body["DEBITACC"] = json!("000405000003");
        body
    })
    .await;

    assert_failure(&answer.json, "FAILURE", "9906");
    assert_failure(&statement.json, "FAILURE", "9906");
    assert_failure(&pay.json, "FAILURE", "9906");
}

#[tokio::test]
async fn a_malformed_account_number_is_a_schema_error_naming_the_field() {
    let app = registered_app().await;

    let answer = cib(
        &app,
        "BalanceInquiry",
        identity_with(json!({ "ACCOUNTNO": "12AB" })),
    )
    .await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("ACCOUNTNO"), "{message}");
}
