//! Callback items graded from what the partner's receiver answered.

use poem::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::{item, Partner};
use crate::helpers::{loopback::serve_on_loopback, spawn_app, NewApp, TestApp, FROZEN_AT};

/// A partner's callback receiver on loopback, answering every POST with `status`.
fn receiver(status: u16) -> String {
    let endpoint = poem::endpoint::make(move |_| async move {
        poem::Response::builder()
            .status(StatusCode::from_u16(status).unwrap())
            .finish()
    });
    format!("{}/upi", serve_on_loopback(endpoint))
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
