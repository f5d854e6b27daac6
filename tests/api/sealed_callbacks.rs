//! Callbacks to encrypted apps, sealed as the bank seals them: the whole JSON under the app's key as
//! the raw body when a 4096-bit key can hold it, else the hybrid envelope; the app may choose either at
//! creation, and choosing whole-body RSA with a key too small for it is refused there.

use std::sync::{Arc, Mutex};

use poem::http::StatusCode;
use serde_json::{json, Value};

use crate::{
    helpers::{loopback::serve_on_loopback, spawn_app, NewApp, TestApp},
    partner::{
        self, Partner, Placement, MERCHANT_KEY, MERCHANT_PUBLIC, PARTNER_KEY, PARTNER_PUBLIC,
    },
};

/// What the merchant's endpoint received: content type and raw body, per call.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

async fn merchant_endpoint() -> (String, Received) {
    let received: Received = Arc::default();
    let seen = received.clone();
    let endpoint = poem::endpoint::make(move |mut request: poem::Request| {
        let seen = seen.clone();
        async move {
            let content_type = request.content_type().unwrap_or_default().to_string();
            let bytes = request.take_body().into_vec().await.unwrap_or_default();
            seen.lock().unwrap().push((content_type, bytes));
            "OK"
        }
    });
    let base = serve_on_loopback(endpoint);
    (format!("{base}/upi/callback"), received)
}

/// Raises a collect from `success@icici` for the app (in the envelope) and lets the payer approve it.
async fn collect_and_settle(app: &TestApp, me: &NewApp, partner: &Partner) -> String {
    app.freeze_clock_of(&me.apikey).await;
    let collect = json!({
        "payerVa": "success@icici", "amount": "499.00", "note": "Order 42",
        "collectByDate": "01/04/2026 10:30 AM", "merchantId": "400000", "merchantName": "Sandbank Store",
        "subMerchantId": "400000", "subMerchantName": "Sandbank Store", "terminalId": "5411",
        "merchantTranId": "SEALED-1", "billNumber": "BILL42"
    });
    let envelope = partner.seal(&collect, b"1234567890123456", Placement::InField);
    let raised = partner::send(
        app,
        me,
        "/api/MerchantAPI/UPI/v0/CollectPay3/400000",
        "application/json",
        envelope.to_string().into_bytes(),
        &[],
    )
    .await;
    let raised = partner.open(&raised.json, 16);
    assert_eq!(raised["response"], "92", "{raised}");
    app.clock_of(&me.apikey, json!({ "advance": "PT1M" })).await;
    raised["BankRRN"].as_str().unwrap().to_string()
}

async fn first_delivery(received: &Received) -> (String, Vec<u8>) {
    for _ in 0..250 {
        if let Some(first) = received.lock().unwrap().first().cloned() {
            return first;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no callback arrived");
}

fn assert_callback_fields(callback: &Value, rrn: &str) {
    assert_eq!(callback["merchantId"], "400000");
    assert_eq!(callback["subMerchantId"], "400000");
    assert_eq!(callback["terminalId"], "5411");
    assert_eq!(callback["BankRRN"], rrn);
    assert_eq!(callback["merchantTranId"], "SEALED-1");
    assert_eq!(callback["PayerVA"], "success@icici");
    assert_eq!(callback["PayerAmount"], "499.00");
    assert_eq!(callback["TxnStatus"], "SUCCESS");
    assert_eq!(callback["TxnInitDate"], "20260401100000");
    assert_eq!(callback["TxnCompletionDate"], "20260401100005");
}

#[tokio::test]
async fn a_4096_bit_merchant_gets_the_whole_callback_under_its_key() {
    let app = spawn_app();
    let (url, received) = merchant_endpoint().await;
    let merchant = Partner::new(&app, MERCHANT_KEY).await;
    let me = partner::encrypted_app(&app, MERCHANT_PUBLIC, json!({ "callbackUrl": url })).await;

    let rrn = collect_and_settle(&app, &me, &merchant).await;
    let (content_type, body) = first_delivery(&received).await;

    assert_eq!(content_type, "text/plain");
    assert!(
        serde_json::from_slice::<Value>(&body).is_err(),
        "not plain JSON"
    );
    assert_callback_fields(&merchant.open_whole(&body), &rrn);
}

#[tokio::test]
async fn a_2048_bit_merchant_gets_the_hybrid_envelope() {
    let app = spawn_app();
    let (url, received) = merchant_endpoint().await;
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = partner::encrypted_app(&app, PARTNER_PUBLIC, json!({ "callbackUrl": url })).await;

    let rrn = collect_and_settle(&app, &me, &partner).await;
    let (content_type, body) = first_delivery(&received).await;

    assert_eq!(content_type, "application/json");
    let envelope: Value = serde_json::from_slice(&body).unwrap();
    assert!(envelope.get("BankRRN").is_none(), "sealed: {envelope}");
    assert_callback_fields(&partner.open(&envelope, 16), &rrn);
}

#[tokio::test]
async fn a_merchant_may_choose_the_envelope_with_a_4096_bit_key() {
    let app = spawn_app();
    let (url, received) = merchant_endpoint().await;
    let merchant = Partner::new(&app, MERCHANT_KEY).await;
    let me = partner::encrypted_app(
        &app,
        MERCHANT_PUBLIC,
        json!({ "callbackUrl": url, "callbackEncryption": "hybrid" }),
    )
    .await;

    let rrn = collect_and_settle(&app, &me, &merchant).await;
    let (content_type, body) = first_delivery(&received).await;

    assert_eq!(content_type, "application/json");
    let envelope: Value = serde_json::from_slice(&body).unwrap();
    assert_callback_fields(&merchant.open(&envelope, 16), &rrn);
}

#[tokio::test]
async fn callback_encryption_is_checked_at_app_creation() {
    let app = spawn_app();
    let cases = [
        (
            json!({ "name": "x", "encryption": true, "publicKeyPem": PARTNER_PUBLIC, "callbackEncryption": "rsa" }),
            "4096-bit",
        ),
        (
            json!({ "name": "x", "callbackEncryption": "hybrid" }),
            "`encryption: true`",
        ),
        (
            json!({ "name": "x", "encryption": true, "publicKeyPem": MERCHANT_PUBLIC, "callbackEncryption": "aes" }),
            "callbackEncryption",
        ),
    ];

    for (body, says) in cases {
        let answer = app.post_with("/sandbox/apps", &[], body.clone()).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(message.contains("callbackEncryption"), "{body}: {message}");
        assert!(message.contains(says), "{body}: {message}");
    }
    let chosen = app
        .post_with(
            "/sandbox/apps",
            &[],
            json!({ "name": "x", "encryption": true, "publicKeyPem": MERCHANT_PUBLIC, "callbackEncryption": "rsa" }),
        )
        .await;
    assert_eq!(chosen.status, StatusCode::CREATED);
    assert_eq!(chosen.json["callbackEncryption"], "rsa");
}
