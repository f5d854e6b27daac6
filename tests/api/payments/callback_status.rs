//! The merchant's callbacks: a settled collect calls the partner back until it accepts, and
//! `CallbackStatus` answers the callback it would send.

use std::sync::Arc;

use sandbank::SandboxSettings;
use serde_json::{json, Value};

use super::{ids, spawn_bank, spawn_bank_with};
use crate::helpers::loopback::serve_on_loopback;

/// A partner endpoint on loopback that records every body and answers 500 to the first
/// `failures` calls, then 200.
async fn partner_endpoint(failures: usize) -> (String, Arc<std::sync::Mutex<Vec<Value>>>) {
    use poem::http::StatusCode;
    let bodies = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = bodies.clone();
    let endpoint = poem::endpoint::make(move |mut request: poem::Request| {
        let seen = seen.clone();
        async move {
            let bytes = request.take_body().into_vec().await.unwrap_or_default();
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let calls = {
                let mut seen = seen.lock().unwrap();
                seen.push(body);
                seen.len()
            };
            if calls <= failures {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::OK
            }
        }
    });
    let base = serve_on_loopback(endpoint);
    (format!("{base}/upi/callback"), bodies)
}

#[tokio::test]
async fn a_settled_collect_calls_back_retrying_until_the_partner_accepts() {
    let (url, received) = partner_endpoint(2).await;
    let bank = spawn_bank_with(SandboxSettings {
        demo: sandbank::sandbox::gateway::DemoApp {
            callback_url: Some(url.clone()),
            ..Default::default()
        },
        callback_policy: sandbank::sandbox::bank::callbacks::RetryPolicy {
            first_backoff: std::time::Duration::from_millis(10),
            ..Default::default()
        },
        ..Default::default()
    });
    bank.app.freeze_clock().await;
    let rrn = bank.collect("C-CB", "success@icici", "499.00").await;

    bank.advance("PT1M").await;
    let attempts = bank.callbacks(3).await;
    let status = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": rrn})))
        .await;

    let statuses: Vec<Value> = attempts.iter().map(|a| a["status"].clone()).collect();
    assert_eq!(
        statuses,
        vec![json!(200), json!(500), json!(500)],
        "newest first"
    );
    let numbers: Vec<Value> = attempts.iter().map(|a| a["attempt"].clone()).collect();
    assert_eq!(numbers, vec![json!(3), json!(2), json!(1)]);
    assert!(attempts
        .iter()
        .all(|a| a["kind"] == "upi-collect" && a["reference"] == rrn.as_str()));
    assert!(attempts.iter().all(|a| a["url"] == url.as_str()));
    let body = received.lock().unwrap()[2].clone();
    assert_eq!(
        body,
        json!({
            "merchantId": "400000",
            "subMerchantId": "400000",
            "terminalId": "5411",
            "BankRRN": rrn,
            "merchantTranId": "C-CB",
            "PayerName": body["PayerName"],
            "PayerMobile": body["PayerMobile"],
            "PayerVA": "success@icici",
            "PayerAmount": "499.00",
            "TxnStatus": "SUCCESS",
            "TxnInitDate": "20260401100000",
            "TxnCompletionDate": "20260401100005"
        })
    );
    assert!(!body["PayerName"].as_str().unwrap().is_empty());
    assert_eq!(
        attempts[0]["requestBody"], body,
        "the record holds the body sent"
    );
    assert_eq!(status.json["success"], "true");
    for (field, value) in body.as_object().unwrap() {
        assert_eq!(&status.json[field], value, "CallbackStatus2 field {field}");
    }
}

#[tokio::test]
async fn callback_status_answers_the_callback_it_would_send_while_pending() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let rrn = bank.collect("C-CS", "pending@icici", "12.00").await;

    let pending = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": rrn})))
        .await;
    let unknown = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": "000000000001"})))
        .await;
    bank.app
        .post(&format!("/sandbox/upi/{rrn}/reject"), json!({}))
        .await;
    let rejected = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": rrn})))
        .await;
    let attempts = bank.callbacks(1).await;

    assert_eq!(pending.json["TxnStatus"], "PENDING");
    assert_eq!(pending.json["TxnCompletionDate"], "");
    assert_eq!(unknown.json["response"], "5003");
    assert_eq!(rejected.json["TxnStatus"], "FAILURE");
    assert_eq!(rejected.json["TxnCompletionDate"], "20260401100000");
    assert!(attempts[0]["error"]
        .as_str()
        .unwrap()
        .contains("no callback URL"));
}
