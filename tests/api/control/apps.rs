//! Apps: creation, settings and usage, isolation between apps, disabling, and the operator's admin token.

use poem::http::{Method, StatusCode};
use sandbank::{sandbox::gateway::GatewaySettings, SandboxSettings};
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, FROZEN_AT};

const PAN: &str = "/api/v0/panValidation";

#[tokio::test]
async fn a_new_app_gets_credentials_and_its_settings_read_back() {
    let app = spawn_app();

    let created = app
        .post_with(
            "/sandbox/apps",
            &[],
            json!({ "name": "Acme CI", "dailyLimit": 50, "callbackUrl": "https://acme.example/cb",
                    "scopes": ["building-blocks", "payments"] }),
        )
        .await;

    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.json);
    assert_eq!(created.json["id"], "app-0001");
    assert_eq!(created.json["client_id"], "app-0001-client");
    assert!(created.json["apikey"].as_str().unwrap().starts_with("sbk_"));
    assert!(created.json["client_secret"]
        .as_str()
        .unwrap()
        .starts_with("sbs_"));
    assert_eq!(created.json["plan"], "custom");
    assert_eq!(created.json["dailyLimit"], 50);
    assert_eq!(
        created.json["scopes"],
        json!(["building-blocks", "payments"])
    );
    let apikey = created.json["apikey"].as_str().unwrap();

    let pan = app
        .post_with(PAN, &[("apikey", apikey)], json!({ "pan": "ABCPE1234F" }))
        .await;
    let me = app
        .call(Method::GET, "/sandbox/apps/me", &[("apikey", apikey)], None)
        .await;

    assert_eq!(pan.status, StatusCode::OK);
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.json);
    assert_eq!(me.json["name"], "Acme CI");
    assert_eq!(me.json["callbackUrl"], "https://acme.example/cb");
    assert_eq!(me.json["encryption"], false);
    assert_eq!(me.json["enabled"], true);
    assert_eq!(me.json["usage"]["used"], 1);
    assert_eq!(me.json["usage"]["limit"], 50);
    assert_eq!(me.json["usage"]["remaining"], 49);
    assert!(me.json.get("client_secret").is_none() && me.json.get("clientSecret").is_none());
}

#[tokio::test]
async fn plans_set_the_daily_limit() {
    let app = spawn_app();

    let sandbox = app.create_app(json!({ "name": "s" })).await;
    let premium = app
        .create_app(json!({ "name": "p", "plan": "premium" }))
        .await;

    let on_sandbox = app
        .post_with(
            PAN,
            &[("apikey", &sandbox.apikey)],
            json!({ "pan": "ABCPE1234F" }),
        )
        .await;
    let on_premium = app
        .post_with(
            PAN,
            &[("apikey", &premium.apikey)],
            json!({ "pan": "ABCPE1234F" }),
        )
        .await;

    assert_eq!(on_sandbox.header("x-ratelimit-limit"), "10000");
    assert_eq!(on_sandbox.header("x-ratelimit-remaining"), "9999");
    assert_eq!(on_premium.status, StatusCode::OK);
    assert_eq!(
        on_premium.header("x-ratelimit-limit"),
        "",
        "unlimited: no header"
    );
}

#[tokio::test]
async fn bad_app_settings_are_refused_naming_the_field() {
    let app = spawn_app();
    let cases = [
        (json!({}), "name"),
        (json!({ "name": "" }), "name"),
        (json!({ "name": "x", "dailyLimit": 0 }), "dailyLimit"),
        (json!({ "name": "x", "plan": "gold" }), "plan"),
        (
            json!({ "name": "x", "callbackUrl": "ftp://x" }),
            "callbackUrl",
        ),
        (
            json!({ "name": "x", "scopes": ["payments", "mortgages"] }),
            "scopes",
        ),
        (json!({ "name": "x", "encryption": true }), "publicKeyPem"),
        (
            json!({ "name": "x", "encryption": true, "publicKeyPem": "not a key" }),
            "publicKeyPem",
        ),
        (json!({ "name": "x", "colour": "blue" }), "colour"),
    ];
    for (body, field) in cases {
        let answer = app.post_with("/sandbox/apps", &[], body.clone()).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(message.contains(field), "{body}: {message}");
    }
}

#[tokio::test]
async fn apps_are_isolated_from_each_other() {
    let app = spawn_app();
    let a = app.create_app(json!({ "name": "A" })).await;
    let b = app.create_app(json!({ "name": "B" })).await;

    let frozen = app
        .post_with(
            "/sandbox/clock",
            &[("apikey", &a.apikey)],
            json!({ "freeze": FROZEN_AT }),
        )
        .await;
    app.post_with(
        PAN,
        &[("apikey", &a.apikey)],
        json!({ "pan": "ABCPE1234F" }),
    )
    .await;
    let b_me = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &b.apikey)],
            None,
        )
        .await;
    let b_log = app
        .call(
            Method::GET,
            "/sandbox/requests",
            &[("apikey", &b.apikey)],
            None,
        )
        .await;
    let a_log = app
        .call(
            Method::GET,
            "/sandbox/requests",
            &[("apikey", &a.apikey)],
            None,
        )
        .await;

    assert_eq!(frozen.status, StatusCode::OK);
    assert_eq!(b_me.json["id"], b.id);
    assert_eq!(b_me.json["usage"]["used"], 0, "A's calls are not B's");
    assert_ne!(
        b_me.json["clock"], frozen.json["now"],
        "A's clock is not B's"
    );
    let b_paths: Vec<&str> = b_log.json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        b_paths,
        ["/sandbox/apps/me"],
        "B sees only its own requests"
    );
    assert_eq!(a_log.json["requests"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_app_without_the_family_scope_is_refused_with_403() {
    let app = spawn_app();
    let payments_only = app
        .create_app(json!({ "name": "p", "scopes": ["payments"] }))
        .await;

    let answer = app
        .post_with(
            PAN,
            &[("apikey", &payments_only.apikey)],
            json!({ "pan": "ABCPE1234F" }),
        )
        .await;
    let control = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &payments_only.apikey)],
            None,
        )
        .await;

    let message = answer.assert_envelope(403, 403);
    assert!(message.contains("building-blocks"), "{message}");
    assert_eq!(
        control.status,
        StatusCode::OK,
        "the control plane needs no scope"
    );
}

#[tokio::test]
async fn a_disabled_app_is_refused_and_the_demo_app_cannot_be_disabled() {
    let app = spawn_app();
    let doomed = app.create_app(json!({ "name": "doomed" })).await;

    let deleted = app
        .call(
            Method::DELETE,
            "/sandbox/apps/me",
            &[("apikey", &doomed.apikey)],
            None,
        )
        .await;
    let after = app
        .post_with(
            PAN,
            &[("apikey", &doomed.apikey)],
            json!({ "pan": "ABCPE1234F" }),
        )
        .await;
    let demo = app
        .call(
            Method::DELETE,
            "/sandbox/apps/me",
            &[("apikey", crate::helpers::DEMO_KEY)],
            None,
        )
        .await;

    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.json["enabled"], false);
    after.assert_envelope(403, 403);
    demo.assert_envelope(409, 409);
}

#[tokio::test]
async fn an_operator_can_require_an_admin_token_to_create_apps() {
    let app = spawn_app_with(SandboxSettings {
        gateway: GatewaySettings {
            admin_token: Some("operator-only".into()),
            ..GatewaySettings::default()
        },
        ..SandboxSettings::default()
    });
    let body = json!({ "name": "x" });

    let without = app.post_with("/sandbox/apps", &[], body.clone()).await;
    let wrong = app
        .post_with("/sandbox/apps", &[("x-admin-token", "guess")], body.clone())
        .await;
    let right = app
        .post_with("/sandbox/apps", &[("x-admin-token", "operator-only")], body)
        .await;

    without.assert_envelope(401, 401);
    wrong.assert_envelope(401, 401);
    assert_eq!(right.status, StatusCode::CREATED);
}
