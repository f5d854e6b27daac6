//! Dynamic QR (`qr3`): a UPI intent that a sandbox approval pays.

use serde_json::json;

use super::{decimal, ids, spawn_bank, SETTLEMENT};

#[tokio::test]
async fn qr3_answers_a_upi_intent_that_a_sandbox_approval_pays() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let body = ids(json!({"amount": "250", "merchantTranId": "QR-1", "billNumber": "BILL/7"}));

    let qr = bank.upi("QR3", body.clone()).await;
    let again = bank.upi("QR3", body).await;
    let ref_id = qr.json["refId"].as_str().unwrap().to_string();
    let pending = bank.upi_status("QR-1").await;
    bank.app
        .post(&format!("/sandbox/upi/{ref_id}/approve"), json!({}))
        .await;
    let paid = bank.upi_status("QR-1").await;

    assert_eq!(qr.json["success"], "true", "{:?}", qr.json);
    assert_eq!(qr.json["response"], "0");
    assert_eq!(
        qr.json["qrString"],
        format!("upi://pay?pa=sandbankstore@icici&pn=Sandbank%20Store&am=250.00&tr={ref_id}&tn=BILL%2F7&cu=INR")
    );
    assert_eq!(again.json["response"], "5002");
    assert_eq!(pending.json["status"], "PENDING");
    assert_eq!(paid.json["status"], "SUCCESS");
    assert_eq!(bank.balance(SETTLEMENT), Some(decimal("250.00")));
}
