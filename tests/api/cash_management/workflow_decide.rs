//! Payments sent with `WORKFLOW_REQD=Y`: waiting for approval, approved or rejected.

use poem::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::json;

use super::{assert_failure, balance, inquire, pay, payment, registered_app, DEMO_ACCOUNT};

#[tokio::test]
async fn workflow_payments_wait_for_approval_then_execute() {
    let app = registered_app().await;
    let mut body = payment("WF0001", "IFS", "5000.00");
    body["WORKFLOW_REQD"] = json!("Y");
    let mut absent = payment("WF0002", "IFS", "5000.00");
    absent.as_object_mut().unwrap().remove("WORKFLOW_REQD");

    let pending = pay(&app, body).await;
    let also_pending = pay(&app, absent).await;
    let balance_before = balance(&app, DEMO_ACCOUNT).await;
    let inquiry = inquire(&app, "WF0001").await;
    let approved = app.post("/sandbox/cib/WF0001/approve", json!({})).await;
    let again = app.post("/sandbox/cib/WF0001/approve", json!({})).await;

    assert_eq!(pending["RESPONSE"], "SUCCESS");
    assert_eq!(pending["STATUS"], "PENDING");
    assert_eq!(pending["MESSAGE"], "Pending For approval");
    assert!(
        pending.get("UTRNUMBER").is_none(),
        "no UTR before execution"
    );
    assert_eq!(also_pending["MESSAGE"], "Pending For approval");
    assert_eq!(
        balance_before,
        Decimal::from(1_000_000),
        "nothing debited yet"
    );
    assert_eq!(inquiry["STATUS"], "PENDING");
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.json);
    assert_eq!(approved.json["STATUS"], "SUCCESS");
    assert!(approved.json["UTRNUMBER"].is_string());
    assert_eq!(approved.json["REQID"], pending["REQID"]);
    again.assert_envelope(409, 409);
    assert_eq!(inquire(&app, "WF0001").await["STATUS"], "SUCCESS");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(995_000));
}

#[tokio::test]
async fn a_rejected_payment_fails_without_moving_money() {
    let app = registered_app().await;
    let mut body = payment("WF0003", "RGS", "5000.00");
    body["WORKFLOW_REQD"] = json!("Y");
    pay(&app, body).await;

    let rejected = app.post("/sandbox/cib/WF0003/reject", json!({})).await;
    let unknown = app.post("/sandbox/cib/NOSUCH/approve", json!({})).await;

    assert_eq!(rejected.status, StatusCode::OK);
    assert_failure(&rejected.json, "FAILURE", "999937");
    assert_failure(&inquire(&app, "WF0003").await, "FAILURE", "999937");
    unknown.assert_envelope(404, 404);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_000_000));
}

#[tokio::test]
async fn an_approved_neft_payment_then_waits_for_its_batch() {
    let app = registered_app().await;
    let mut body = payment("WF0004", "RGS", "5000.00");
    body["WORKFLOW_REQD"] = json!("Y");
    pay(&app, body).await;
    app.advance_clock("PT40M").await;

    let approved = app.post("/sandbox/cib/WF0004/approve", json!({})).await;
    app.advance_clock("PT20M").await;
    let settled = inquire(&app, "WF0004").await;

    assert_eq!(approved.json["STATUS"], "PENDING");
    assert!(approved.json["MESSAGE"]
        .as_str()
        .unwrap()
        .contains("01-04-2026 11:00:00"));
    assert_eq!(settled["STATUS"], "SUCCESS");
}
