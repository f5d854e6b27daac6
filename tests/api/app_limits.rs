//! Apps are bounded: creations per source address per minute, the number of apps, and idle apps
//! expire (never the demo app). Past a bound `POST /sandbox/apps` answers a 429 envelope with
//! `Retry-After`.

use std::time::Duration;

use poem::http::StatusCode;
use sandbank::{sandbox::gateway::app_limits::AppLimits, SandboxSettings};
use serde_json::json;

use crate::helpers::{spawn_app_with, TestApp, DEMO_KEY};

fn app_with(limits: AppLimits) -> TestApp {
    spawn_app_with(SandboxSettings {
        app_limits: limits,
        ..SandboxSettings::default()
    })
}

async fn create(app: &TestApp, name: &str) -> crate::helpers::Answer {
    app.post_with("/sandbox/apps", &[], json!({ "name": name }))
        .await
}

async fn pan(app: &TestApp, apikey: &str) -> StatusCode {
    app.post_with(
        "/api/v0/panValidation",
        &[("apikey", apikey)],
        json!({ "pan": "ABCPE1234F" }),
    )
    .await
    .status
}

#[tokio::test]
async fn one_source_creates_at_most_its_rate_a_minute() {
    let app = app_with(AppLimits {
        creations_per_minute: 3,
        ..AppLimits::default()
    });

    let mut statuses = Vec::new();
    for i in 0..4 {
        statuses.push(create(&app, &format!("ci-{i}")).await);
    }

    let created = statuses
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 3);
    let refused = &statuses[3];
    let message = refused.assert_envelope(429, 429);
    assert!(message.contains("--app-creation-rate"), "{message}");
    let wait: u64 = refused.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "retry in {wait} s");
}

#[tokio::test]
async fn the_sandbox_holds_at_most_max_apps() {
    let app = app_with(AppLimits {
        max_apps: 3,
        idle_expiry: None,
        ..AppLimits::default()
    });
    create(&app, "first").await;
    create(&app, "second").await;

    let refused = create(&app, "third").await;

    let message = refused.assert_envelope(429, 429);
    assert!(message.contains("--max-apps"), "{message}");
    assert!(!refused.header("retry-after").is_empty());
    assert_eq!(pan(&app, DEMO_KEY).await, StatusCode::OK);
}

#[tokio::test]
async fn idle_apps_expire_to_make_room_but_the_demo_app_never_does() {
    let app = app_with(AppLimits {
        max_apps: 2,
        idle_expiry: Some(Duration::ZERO),
        ..AppLimits::default()
    });
    let first = app.create_app(json!({ "name": "yesterday's job" })).await;

    let second = create(&app, "today's job").await;

    assert_eq!(second.status, StatusCode::CREATED, "{:?}", second.json);
    assert_eq!(
        pan(&app, &first.apikey).await,
        StatusCode::UNAUTHORIZED,
        "expired"
    );
    let key = second.json["apikey"].as_str().unwrap();
    assert_eq!(pan(&app, key).await, StatusCode::OK);
    assert_eq!(
        pan(&app, DEMO_KEY).await,
        StatusCode::OK,
        "the demo app stays"
    );
}
