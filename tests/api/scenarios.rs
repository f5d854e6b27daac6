//! `x-sandbox-scenario`: timeouts (with a tiny gateway timeout), server errors, slow answers, rate
//! limiting, and `POST /sandbox/reset`.

use std::time::{Duration, Instant};

use poem::http::{Method, StatusCode};
use sandbank::{sandbox::gateway::GatewaySettings, SandboxSettings};
use serde_json::json;

use crate::helpers::{spawn_app_with, Answer, TestApp, DEMO_KEY, FROZEN_AT};

const PAN: &str = "/api/v0/panValidation";
const TIMEOUT: Duration = Duration::from_millis(80);

fn app() -> TestApp {
    spawn_app_with(SandboxSettings {
        gateway: GatewaySettings {
            timeout: TIMEOUT,
            admin_token: None,
            ..GatewaySettings::default()
        },
        ..SandboxSettings::default()
    })
}

async fn pan(app: &TestApp, scenario: &str) -> (Answer, Duration) {
    let started = Instant::now();
    let answer = app
        .post_with(
            PAN,
            &[("apikey", DEMO_KEY), ("x-sandbox-scenario", scenario)],
            json!({ "pan": "ABCPE1234F" }),
        )
        .await;
    (answer, started.elapsed())
}

#[tokio::test]
async fn timeout_answers_504_8013_after_the_gateway_timeout() {
    let app = app();

    let (answer, took) = pan(&app, "timeout").await;

    let message = answer.assert_envelope(504, 8013);
    assert!(message.contains("80 ms"), "{message}");
    assert!(took >= TIMEOUT && took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn server_error_answers_500_8010() {
    let app = app();

    let (answer, _) = pan(&app, "server-error").await;

    answer.assert_envelope(500, 8010);
}

#[tokio::test]
async fn slow_answers_normally_after_the_delay_and_times_out_past_the_gateway_timeout() {
    let app = app();

    let (slow, took) = pan(&app, "slow:30").await;
    let (too_slow, _) = pan(&app, "slow:5000").await;

    assert_eq!(slow.status, StatusCode::OK);
    assert_eq!(slow.json["data"]["PAN"], "ABCPE1234F");
    assert!(took >= Duration::from_millis(30), "{took:?}");
    too_slow.assert_envelope(504, 8013);
}

#[tokio::test]
async fn rate_limited_answers_429_with_retry_after() {
    let app = app();

    let (answer, _) = pan(&app, "rate-limited").await;

    answer.assert_envelope(429, 429);
    assert!(answer.header("retry-after").parse::<u64>().unwrap() > 0);
    assert_eq!(answer.header("x-ratelimit-limit"), "10000");
}

#[tokio::test]
async fn an_unknown_scenario_is_a_400_naming_the_header() {
    let app = app();

    let (answer, _) = pan(&app, "explode").await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("x-sandbox-scenario"), "{message}");
}

#[tokio::test]
async fn scenarios_apply_to_operations_without_credentials_too() {
    let app = app();

    let health = app
        .call(
            Method::GET,
            "/healthz",
            &[("x-sandbox-scenario", "server-error")],
            None,
        )
        .await;

    health.assert_envelope(500, 8010);
}

#[tokio::test]
async fn reset_wipes_the_apps_clock_log_and_quota() {
    let app = app();
    let mine = app
        .create_app(json!({ "name": "r", "dailyLimit": 5 }))
        .await;
    let key = [("apikey", mine.apikey.as_str())];
    app.freeze_clock_of(&mine.apikey).await;
    app.post_with(PAN, &key, json!({ "pan": "ABCPE1234F" }))
        .await;

    let reset = app.call(Method::POST, "/sandbox/reset", &key, None).await;
    let me = app.call(Method::GET, "/sandbox/apps/me", &key, None).await;
    let log = app.call(Method::GET, "/sandbox/requests", &key, None).await;
    let demo = app.get("/sandbox/apps/me").await;

    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.json);
    assert_eq!(
        reset.json["cleared"],
        json!(["clock", "objects", "callbacks", "requests", "quota"])
    );
    assert_eq!(me.json["usage"]["used"], 0);
    assert_ne!(me.json["clock"].as_str().unwrap()[..10], FROZEN_AT[..10]);
    let paths: Vec<&str> = log.json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/sandbox/apps/me", "/sandbox/reset"]);
    assert_eq!(demo.status, StatusCode::OK, "other apps are untouched");
}
