//! Headers partner code sends that a server must tolerate: a hard-coded `content-length`,
//! `accept: */*`, `x-forwarded-for`, `host`, the SDKs' `X-SDK-Originated` / `X-SDK-Version`, and the
//! `apikey` header in upper case. Each alone, and all together, gets the same answer as a bare call.
//! (The wire suite sends them over a real socket too, where header case survives.)

use poem::http::{Method, StatusCode};

use crate::helpers::{spawn_app, DEMO_KEY};

const PAN: &str = "/api/v0/panValidation";
const BODY: &[u8] = br#"{"pan":"ABCPE1234F"}"#;

#[tokio::test]
async fn each_header_partners_send_is_accepted() {
    let app = spawn_app();
    let length = BODY.len().to_string();
    let bare = app
        .call(
            Method::POST,
            PAN,
            &[("apikey", DEMO_KEY)],
            Some(("application/json", BODY.to_vec())),
        )
        .await;
    let extras: Vec<(&str, &str)> = vec![
        ("content-length", &length),
        ("accept", "*/*"),
        ("x-forwarded-for", "203.0.113.7, 10.0.0.1"),
        ("host", "apibankingone.example.com"),
        ("X-SDK-Originated", "true"),
        ("X-SDK-Version", "1.0"),
    ];

    assert_eq!(bare.status, StatusCode::OK, "{:?}", bare.json);
    for extra in &extras {
        let answer = app
            .call(
                Method::POST,
                PAN,
                &[("apikey", DEMO_KEY), *extra],
                Some(("application/json", BODY.to_vec())),
            )
            .await;

        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{extra:?}: {:?}",
            answer.json
        );
        assert_eq!(answer.bytes, bare.bytes, "{extra:?}");
    }
    let mut all = vec![("APIKEY", DEMO_KEY)];
    all.extend(extras);
    let together = app
        .call(
            Method::POST,
            PAN,
            &all,
            Some(("application/json", BODY.to_vec())),
        )
        .await;
    assert_eq!(together.status, StatusCode::OK, "{:?}", together.json);
    assert_eq!(together.bytes, bare.bytes);
}

#[tokio::test]
async fn the_apikey_header_is_read_in_any_case() {
    let app = spawn_app();

    for name in ["apikey", "APIKEY", "ApiKey", "apiKey"] {
        let answer = app
            .call(
                Method::POST,
                PAN,
                &[(name, DEMO_KEY)],
                Some(("application/json", BODY.to_vec())),
            )
            .await;

        assert_eq!(answer.status, StatusCode::OK, "{name}: {:?}", answer.json);
    }
}
