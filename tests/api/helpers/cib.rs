//! The demo corporate's CIB identity block and the bodies built on it, as every CIB call sends them.

use poem::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{decimal_of, merged, Answer, TestApp};

/// The demo corporate's current account (`SANDCORP1`): ₹10,00,000 on a fresh sandbox.
pub const DEMO_ACCOUNT: &str = "000405000001";
/// The demo beneficiary, an account of this bank.
pub const BENEFICIARY: &str = "000405009999";

/// A CIB operation's path (`Transaction`, `BalanceInquiry`, ...).
pub fn path(op: &str) -> String {
    format!("/api/Corporate/CIB/v1/{op}")
}

/// The demo corporate user's identity block (`SANDUSER1` of `SANDCORP1`, registered from the start).
pub fn identity() -> Value {
    json!({
        "AGGRID": "SANDAGGR1",
        "CORPID": "SANDCORP1",
        "USERID": "SANDUSER1",
        "URN": "SANDURN0001"
    })
}

/// The identity block plus `extra`'s fields.
pub fn identity_with(extra: Value) -> Value {
    merged(identity(), extra)
}

/// The demo user who starts unregistered (`SANDUSER2` of `SANDCORP2`), for the registration flow.
pub fn unregistered() -> Value {
    json!({
        "AGGRID": "SANDAGGR1",
        "CORPID": "SANDCORP2",
        "USERID": "SANDUSER2",
        "URN": "SANDURN0002"
    })
}

/// The unregistered user's identity block plus `extra`'s fields.
pub fn unregistered_with(extra: Value) -> Value {
    merged(unregistered(), extra)
}

/// A `Transaction` body: the demo account pays the demo beneficiary at once (no approval workflow).
pub fn payment(unique_id: &str, txn_type: &str, amount: &str) -> Value {
    identity_with(json!({
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

/// A CIB call with the demo apikey.
pub async fn cib(app: &TestApp, op: &str, body: Value) -> Answer {
    app.post(&path(op), body).await
}

/// An account's effective balance, by `BalanceInquiry` as the demo user.
pub async fn balance(app: &TestApp, account: &str) -> Decimal {
    let answer = cib(
        app,
        "BalanceInquiry",
        identity_with(json!({ "ACCOUNTNO": account })),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    assert_eq!(answer.json["RESPONSE"], "SUCCESS", "{:?}", answer.json);
    decimal_of(&answer.json["EFFECTIVEBAL"])
}
