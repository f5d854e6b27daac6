//! `GET /sandbox/requests`: newest first, bodies with secrets masked, filters, bounded per app.

use poem::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, NewApp, TestApp};

async fn log(app: &TestApp, who: &NewApp, query: &str) -> crate::helpers::Answer {
    app.call(
        Method::GET,
        &format!("/sandbox/requests{query}"),
        &[("apikey", &who.apikey)],
        None,
    )
    .await
}

fn name_enquiry() -> Value {
    json!({ "BeneAccNo": "000405009999", "BeneIFSC": "ICIC0000004", "TranRefNo": "T1", "PaymentRef": "P",
            "RemName": "R", "RemMobile": "9800000001", "RetailerCode": "r", "PassCode": "hunter2",
            "TransactionDate": "20260401103000" })
}

#[tokio::test]
async fn the_log_shows_requests_newest_first_with_secrets_masked() {
    let app = spawn_app();
    let me = app.create_app(json!({ "name": "log" })).await;
    let key = [("apikey", me.apikey.as_str())];
    app.post_with(
        "/api/v0/panValidation",
        &key,
        json!({ "pan": "ABCPE1234F" }),
    )
    .await;
    app.post_with(
        "/api/v1/composite-validation",
        &[("apikey", &me.apikey), ("x-priority", "0100")],
        name_enquiry(),
    )
    .await;

    let answer = log(&app, &me, "").await;

    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    assert_eq!(answer.json["app"], me.id);
    assert_eq!(answer.json["capacity"], 200);
    let requests = answer.json["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "reading the log is not logged");
    let newest = &requests[0];
    assert_eq!(newest["method"], "POST");
    assert_eq!(newest["path"], "/api/v1/composite-validation");
    assert_eq!(newest["operation"], "compositeValidation");
    assert_eq!(newest["status"], 200);
    assert_eq!(newest["credential"], "apikey");
    assert!(newest["latencyMs"].as_f64().unwrap() >= 0.0);
    assert!(newest["time"].as_str().unwrap().ends_with("+05:30"));
    assert_eq!(newest["request"]["PassCode"], "****", "secrets are masked");
    assert_eq!(newest["request"]["BeneAccNo"], "000405009999");
    assert_eq!(newest["answer"]["BeneName"], "Ravi Kumar");
    assert_eq!(requests[1]["request"], json!({ "pan": "ABCPE1234F" }));
    assert_eq!(requests[1]["answer"]["data"]["PAN"], "ABCPE1234F");
    assert!(requests[0]["id"].as_u64() > requests[1]["id"].as_u64());
}

#[tokio::test]
async fn the_log_filters_by_path_status_and_limit() {
    let app = spawn_app();
    let me = app.create_app(json!({ "name": "filters" })).await;
    let key = [("apikey", me.apikey.as_str())];
    for pan in ["ABCPE1234F", "bad", "AAAPA0000A"] {
        app.post_with("/api/v0/panValidation", &key, json!({ "pan": pan }))
            .await;
    }
    app.call(Method::GET, "/api/v1/ifsc/ICIC0000004", &key, None)
        .await;

    let by_path = log(&app, &me, "?path=/api/v1/ifsc").await;
    let by_class = log(&app, &me, "?status=4xx").await;
    let by_status = log(&app, &me, "?status=200&limit=2").await;
    let bad_status = log(&app, &me, "?status=teapot").await;
    let bad_limit = log(&app, &me, "?limit=0").await;

    assert_eq!(by_path.json["requests"].as_array().unwrap().len(), 1);
    let failed = by_class.json["requests"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["status"], 400);
    assert_eq!(failed[0]["answer"]["response"], 8017);
    assert_eq!(by_status.json["requests"].as_array().unwrap().len(), 2);
    assert!(bad_status.assert_envelope(400, 8017).contains("status"));
    assert!(bad_limit.assert_envelope(400, 8017).contains("limit"));
}

#[tokio::test]
async fn the_log_is_a_bounded_ring_buffer() {
    let app = spawn_app();
    let me = app
        .create_app(json!({ "name": "ring", "plan": "premium" }))
        .await;
    for _ in 0..205 {
        app.call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &me.apikey)],
            None,
        )
        .await;
    }

    let answer = log(&app, &me, "?limit=200").await;

    let requests = answer.json["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 200);
    assert_eq!(requests[0]["id"], 205);
    assert_eq!(requests[199]["id"], 6);
}

#[tokio::test]
async fn bearer_calls_and_scenarios_are_logged_as_such() {
    let app = spawn_app();
    let me = app.create_app(json!({ "name": "bearer" })).await;
    let token = app
        .post_with(
            "/oauth2/token",
            &[],
            json!({ "grant_type": "client_credentials", "client_id": me.client_id,
                    "client_secret": me.client_secret }),
        )
        .await;
    let bearer = format!("Bearer {}", token.json["access_token"].as_str().unwrap());
    app.post_with(
        "/api/v0/panValidation",
        &[
            ("authorization", &bearer),
            ("x-sandbox-scenario", "server-error"),
        ],
        json!({ "pan": "ABCPE1234F" }),
    )
    .await;

    let answer = log(&app, &me, "").await;

    let entry = &answer.json["requests"][0];
    assert_eq!(entry["credential"], "bearer");
    assert_eq!(entry["scenario"], "server-error");
    assert_eq!(entry["status"], 500);
}

#[tokio::test]
async fn card_secrets_otps_and_pins_are_masked_whatever_the_operation() {
    let app = spawn_app();
    let me = app.create_app(json!({ "name": "log" })).await;
    let mut body = name_enquiry();
    for (field, value) in [
        ("cvv2", "123"),
        ("CVC2", "456"),
        ("cardNumber", "4111111111111111"),
        ("mobileOtp", "123456"),
        ("upiPin", "1234"),
        ("otpReference", "OTP1"),
        ("pincode", "560001"),
    ] {
        body[field] = json!(value);
    }
    app.post_with(
        "/api/v1/composite-validation",
        &[("apikey", &me.apikey), ("x-priority", "0100")],
        body,
    )
    .await;

    let logged = &log(&app, &me, "").await.json["requests"][0]["request"];

    for secret in [
        "cvv2",
        "CVC2",
        "cardNumber",
        "mobileOtp",
        "upiPin",
        "PassCode",
    ] {
        assert_eq!(logged[secret], "****", "{secret} is masked: {logged}");
    }
    assert_eq!(
        logged["otpReference"], "OTP1",
        "a reference is not a secret"
    );
    assert_eq!(logged["pincode"], "560001", "a postal code is not a PIN");
}
