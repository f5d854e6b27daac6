//! Plan quotas: the headers on every answer, 429 past the quota, the sandbox-clock day, and exact
//! counting under concurrent load.

use std::sync::Arc;

use poem::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

const PAN: &str = "/api/v0/panValidation";

async fn pan(app: &TestApp, apikey: &str) -> crate::helpers::Answer {
    app.post_with(PAN, &[("apikey", apikey)], json!({ "pan": "ABCPE1234F" }))
        .await
}

#[tokio::test]
async fn the_quota_counts_down_then_answers_429_with_retry_after() {
    let app = spawn_app();
    let tiny = app
        .create_app(json!({ "name": "tiny", "dailyLimit": 3 }))
        .await;
    app.post_with(
        "/sandbox/clock",
        &[("apikey", &tiny.apikey)],
        json!({ "freeze": "2026-04-01T23:59:00+05:30" }),
    )
    .await;

    let mut remaining = vec![];
    for _ in 0..3 {
        let answer = pan(&app, &tiny.apikey).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.header("x-ratelimit-limit"), "3");
        assert_eq!(
            answer.header("x-ratelimit-reset"),
            "60",
            "a minute to midnight IST"
        );
        remaining.push(answer.header("x-ratelimit-remaining").to_string());
    }
    let refused = pan(&app, &tiny.apikey).await;
    let control = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &tiny.apikey)],
            None,
        )
        .await;

    assert_eq!(remaining, ["2", "1", "0"]);
    let message = refused.assert_envelope(429, 429);
    assert!(message.contains("quota"), "{message}");
    assert_eq!(refused.header("retry-after"), "60");
    assert_eq!(refused.header("x-ratelimit-remaining"), "0");
    assert_eq!(
        control.status,
        StatusCode::OK,
        "the control plane is not counted"
    );
    assert_eq!(control.header("x-ratelimit-remaining"), "0");
    assert_eq!(control.json["usage"]["used"], 3);
}

#[tokio::test]
async fn a_new_day_on_the_apps_clock_starts_the_count_again() {
    let app = spawn_app();
    let tiny = app
        .create_app(json!({ "name": "tiny", "dailyLimit": 1 }))
        .await;
    let key = [("apikey", tiny.apikey.as_str())];
    let clock = |body| app.post_with("/sandbox/clock", &key, body);
    clock(json!({ "freeze": "2026-04-01T10:00:00+05:30" })).await;

    let first = pan(&app, &tiny.apikey).await;
    let second = pan(&app, &tiny.apikey).await;
    clock(json!({ "advance": "P1D" })).await;
    let next_day = pan(&app, &tiny.apikey).await;

    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(next_day.status, StatusCode::OK);
    assert_eq!(next_day.header("x-ratelimit-remaining"), "0");
}

#[tokio::test]
async fn errors_before_the_quota_carry_no_headers_and_errors_after_it_do() {
    let app = spawn_app();
    let limited = app
        .create_app(json!({ "name": "l", "dailyLimit": 10 }))
        .await;

    let no_key = app
        .call(
            Method::POST,
            PAN,
            &[],
            Some(("application/json", b"{}".to_vec())),
        )
        .await;
    let bad_body = app
        .post_with(PAN, &[("apikey", &limited.apikey)], json!({ "pan": 1 }))
        .await;

    no_key.assert_envelope(401, 401);
    assert_eq!(no_key.header("x-ratelimit-limit"), "");
    bad_body.assert_envelope(400, 8017);
    assert_eq!(
        bad_body.header("x-ratelimit-remaining"),
        "9",
        "a refused body still counts"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn counting_is_exact_under_concurrent_load() {
    let app = Arc::new(spawn_app());
    let limited = app
        .create_app(json!({ "name": "load", "dailyLimit": 100 }))
        .await;

    let calls: Vec<_> = (0..200)
        .map(|_| {
            let app = app.clone();
            let apikey = limited.apikey.clone();
            tokio::spawn(async move { pan(&app, &apikey).await.status })
        })
        .collect();
    let mut ok = 0;
    let mut refused = 0;
    for call in calls {
        match call.await.unwrap() {
            StatusCode::OK => ok += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    let me = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &limited.apikey)],
            None,
        )
        .await;

    assert_eq!((ok, refused), (100, 100));
    assert_eq!(me.json["usage"]["used"], 100);
    assert_eq!(me.json["usage"]["remaining"], 0);
}

#[tokio::test]
async fn a_spent_day_stays_spent_when_the_clock_goes_back_and_forward_again() {
    let app = spawn_app();
    let tiny = app
        .create_app(json!({ "name": "tiny", "dailyLimit": 1 }))
        .await;
    let key = [("apikey", tiny.apikey.as_str())];
    let clock = |body| app.post_with("/sandbox/clock", &key, body);
    clock(json!({ "freeze": "2026-04-01T10:00:00+05:30" })).await;
    let spent = pan(&app, &tiny.apikey).await;

    clock(json!({ "freeze": "2026-03-31T10:00:00+05:30" })).await;
    let day_before = pan(&app, &tiny.apikey).await;
    clock(json!({ "freeze": "2026-04-01T10:00:00+05:30" })).await;
    let back_again = pan(&app, &tiny.apikey).await;

    assert_eq!(spent.status, StatusCode::OK);
    assert_eq!(
        day_before.status,
        StatusCode::OK,
        "another day, its own count"
    );
    assert_eq!(
        back_again.status,
        StatusCode::TOO_MANY_REQUESTS,
        "1 April's quota stays spent: {:?}",
        back_again.json
    );
}
