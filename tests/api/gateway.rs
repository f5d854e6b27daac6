//! The gateway around every family: one error envelope for everything a client can get wrong, and
//! never a 5xx for anything a client sent.

use poem::http::StatusCode;
use serde_json::json;

use crate::helpers::{spawn_app, DEMO_KEY};

/// Every Building Blocks POST with a valid body, to corrupt one way at a time.
fn operations() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("/api/v0/panValidation", json!({ "pan": "ABCPE1234F" })),
        (
            "/api/v1/bureau-check",
            json!({ "pan": "ABCPE1234F", "name": "Rahul", "dateOfBirth": "1988-04-12", "mobile": "9800000001", "consent": "Y" }),
        ),
        (
            "/api/v1/eligibility-check",
            json!({ "pan": "ABCPE1234F", "product": "AUTO_LOAN", "monthlyIncome": "1000", "requestedAmount": "1000" }),
        ),
        (
            "/api/v1/composite-validation",
            json!({ "BeneAccNo": "000405009999", "BeneIFSC": "ICIC0000004", "TranRefNo": "T1", "PaymentRef": "P",
                    "RemName": "R", "RemMobile": "9800000001", "RetailerCode": "r", "PassCode": "p",
                    "TransactionDate": "20260401103000" }),
        ),
        ("/sandbox/clock", json!({ "advance": "PT1S" })),
    ]
}

fn nested(depth: usize) -> Vec<u8> {
    let mut body = "[".repeat(depth);
    body.push_str(&"]".repeat(depth));
    body.into_bytes()
}

/// The corpus of bad bodies every operation must refuse with a 4xx envelope.
fn bad_bodies(valid: &serde_json::Value) -> Vec<(String, Vec<u8>)> {
    let mut cases: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), vec![]),
        ("whitespace".into(), b"  \n ".to_vec()),
        ("null".into(), b"null".to_vec()),
        ("array".into(), b"[]".to_vec()),
        ("string".into(), b"\"pan\"".to_vec()),
        ("number".into(), b"1e400".to_vec()),
        ("truncated".into(), b"{\"pan\": \"ABC".to_vec()),
        (
            "trailing garbage".into(),
            format!("{valid} xyz").into_bytes(),
        ),
        (
            "invalid utf-8".into(),
            vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'],
        ),
        ("nested 10 000 deep".into(), nested(10_000)),
        ("sql".into(), b"{\"pan\":\"' OR 1=1 --\"}".to_vec()),
        (
            "unicode".into(),
            "{\"pan\":\"पैन ✓ 🏦\"}".as_bytes().to_vec(),
        ),
        (
            "script".into(),
            b"{\"pan\":\"<script>alert(1)</script>\"}".to_vec(),
        ),
    ];
    // Every field of the valid body, one at a time: wrong types, huge numbers, unicode.
    for field in valid.as_object().unwrap().keys() {
        for (label, value) in [
            ("object", json!({ "a": 1 })),
            ("array", json!([1, 2])),
            ("bool", json!(true)),
            ("huge number", json!(1.7e308)),
            ("negative", json!(-1)),
            ("long string", json!("A".repeat(5000))),
        ] {
            let mut body = valid.clone();
            body[field] = value;
            cases.push((format!("{field} as {label}"), body.to_string().into_bytes()));
        }
    }
    cases
}

#[tokio::test]
async fn bad_input_is_a_4xx_envelope_never_a_5xx() {
    let app = spawn_app();
    for (path, valid) in operations() {
        for (label, body) in bad_bodies(&valid) {
            let answer = app
                .post_raw(
                    path,
                    Some(DEMO_KEY),
                    "application/json",
                    body,
                    &[("x-priority", "0100")],
                )
                .await;

            assert!(
                answer.status.is_client_error(),
                "{path} with {label}: {} {:?}",
                answer.status,
                answer.json
            );
            assert_eq!(
                answer.json["success"], false,
                "{path} with {label}: envelope {:?}",
                answer.json
            );
            assert!(answer.json["response"].is_u64(), "{path} with {label}");
            assert!(
                answer.content_type.starts_with("application/json"),
                "{path} with {label}"
            );
        }
    }
}

#[tokio::test]
async fn malformed_json_is_8017() {
    let app = spawn_app();

    let answer = app
        .post_raw(
            "/api/v0/panValidation",
            Some(DEMO_KEY),
            "application/json",
            b"{\"pan\":".to_vec(),
            &[],
        )
        .await;

    assert!(answer.assert_envelope(400, 8017).contains("malformed JSON"));
}

#[tokio::test]
async fn wrong_content_type_is_415_envelope() {
    let app = spawn_app();

    let answer = app
        .post_raw(
            "/api/v0/panValidation",
            Some(DEMO_KEY),
            "text/plain",
            b"{\"pan\":\"ABCPE1234F\"}".to_vec(),
            &[],
        )
        .await;

    assert!(answer.assert_envelope(415, 415).contains("text/plain"));
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_413() {
    let app = spawn_app();
    let mut body = b"{\"pan\":\"".to_vec();
    body.extend(std::iter::repeat_n(b'A', 2 * 1024 * 1024));
    body.extend(b"\"}");

    let answer = app
        .post_raw(
            "/api/v0/panValidation",
            Some(DEMO_KEY),
            "application/json",
            body,
            &[],
        )
        .await;

    answer.assert_envelope(413, 413);
}

#[tokio::test]
async fn a_body_just_under_the_limit_is_read() {
    let app = spawn_app();
    // Valid JSON with padding whitespace: the limit is on bytes, and this is under it.
    let mut body = b"{\"pan\":\"ABCPE1234F\"}".to_vec();
    body.extend(std::iter::repeat_n(b' ', 1024 * 1024 - body.len()));

    let answer = app
        .post_raw(
            "/api/v0/panValidation",
            Some(DEMO_KEY),
            "application/json",
            body,
            &[],
        )
        .await;

    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405() {
    let app = spawn_app();

    let missing = app.get("/api/v1/no-such-api").await;
    let wrong_method = app.get("/api/v0/panValidation").await;

    missing.assert_envelope(404, 404);
    wrong_method.assert_envelope(405, 405);
}

#[tokio::test]
async fn healthz_is_ok_without_credentials() {
    let app = spawn_app();

    let answer = app.get_without_key("/healthz").await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json, json!({ "status": "ok", "store": "memory" }));
}

#[tokio::test]
async fn the_clock_freezes_advances_and_returns_to_real_time() {
    let app = spawn_app();

    let frozen = app
        .post(
            "/sandbox/clock",
            json!({ "freeze": "2026-04-01T10:00:00+05:30" }),
        )
        .await;
    let advanced = app
        .post("/sandbox/clock", json!({ "advance": "P1DT2H" }))
        .await;
    let report = app
        .post(
            "/api/v1/bureau-check",
            json!({ "pan": "ABCPE1234F", "name": "Rahul", "dateOfBirth": "1988-04-12", "mobile": "9800000001", "consent": "Y" }),
        )
        .await;
    let real = app.post("/sandbox/clock", json!({ "real": true })).await;

    assert_eq!(
        frozen.json,
        json!({ "now": "2026-04-01T10:00:00+05:30", "frozen": true })
    );
    assert_eq!(
        advanced.json,
        json!({ "now": "2026-04-02T12:00:00+05:30", "frozen": true })
    );
    assert_eq!(
        report.json["reportDate"], "2026-04-02",
        "answers read the app's clock"
    );
    assert_eq!(real.json["frozen"], false);
}

#[tokio::test]
async fn the_clock_refuses_ambiguous_or_malformed_requests() {
    let app = spawn_app();
    for body in [
        json!({}),
        json!({ "freeze": "2026-04-01T10:00:00+05:30", "advance": "PT1H" }),
        json!({ "freeze": "yesterday" }),
        json!({ "advance": "1 hour" }),
        json!({ "real": false }),
        json!({ "rewind": "PT1H" }),
    ] {
        let answer = app.post("/sandbox/clock", body.clone()).await;

        answer.assert_envelope(400, 8017);
    }
}

#[tokio::test]
async fn each_app_has_its_own_clock() {
    let app = spawn_app();
    app.freeze_clock().await;
    let other = spawn_app();

    let frozen = app
        .post("/sandbox/clock", json!({ "advance": "PT0S" }))
        .await;
    let untouched = other
        .post("/sandbox/clock", json!({ "advance": "PT0S" }))
        .await;

    assert_eq!(frozen.json["frozen"], true);
    assert_eq!(untouched.json["frozen"], false);
}
