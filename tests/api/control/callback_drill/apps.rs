//! Drills for an encrypted app and an app's own envelope form, of the e-collection push; the drill's
//! own refusals, one drill at a time per app, and the callback secret every app gets.

use std::sync::Arc;

use base64::{engine::general_purpose::STANDARD, Engine};
use poem::http::{Method, StatusCode};
use rsa::{pkcs8::DecodePrivateKey, RsaPrivateKey};
use serde_json::{json, Value};

use super::{case, drill, fast, open_whole, passed, plain_app, receiver, verify, Gate, Style};
use crate::{
    helpers::{spawn_app_with, DEMO_KEY},
    partner::{self, MERCHANT_KEY, MERCHANT_PUBLIC, PARTNER_PUBLIC},
};

#[tokio::test]
async fn an_encrypted_apps_tampered_callback_is_sealed_under_another_key() {
    let app = spawn_app_with(fast());
    let key = Arc::new(RsaPrivateKey::from_pkcs8_pem(MERCHANT_KEY).unwrap());
    let me = partner::encrypted_app(&app, MERCHANT_PUBLIC, json!({})).await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: Some(key.clone()),
    })
    .await;

    let answer = drill(
        &app,
        &me.apikey,
        json!({ "cases": ["normal", "malformed", "tampered"], "url": correct.url }),
    )
    .await;
    let got = correct.received();

    assert_eq!(
        passed(&answer).values().filter(|p| **p).count(),
        3,
        "{:?}",
        answer.json
    );
    assert!(case(&answer, "tampered")["sent"]
        .as_str()
        .unwrap()
        .contains("another RSA key"));
    assert_eq!(got.len(), 3);
    for delivery in &got {
        assert_eq!(delivery.content_type, "text/plain", "the app's own form");
        assert!(verify(
            &me.callback_secret,
            &delivery.signature,
            &delivery.body
        ));
    }
    let opened = |name: &str| {
        let id = &case(&answer, name)["deliveries"][0]["deliveryId"];
        let got = got.iter().find(|r| r.delivery == *id).unwrap();
        open_whole(&key, &got.body).map(|p| serde_json::from_slice::<Value>(&p).is_ok())
    };
    assert_eq!(opened("normal"), Some(true));
    assert_eq!(
        opened("malformed"),
        Some(false),
        "it opens, and is not JSON"
    );
    assert_eq!(
        opened("tampered"),
        None,
        "it does not open under the app's key"
    );
}

#[tokio::test]
async fn an_apps_own_envelope_form_is_kept_for_the_tampered_callback() {
    let app = spawn_app_with(fast());
    let recorder = receiver(Style::Script(vec![])).await;
    let me =
        partner::encrypted_app(&app, PARTNER_PUBLIC, json!({ "callbackUrl": recorder.url })).await;

    let answer = drill(&app, &me.apikey, json!({ "cases": ["normal", "tampered"] })).await;
    let got = recorder.received();

    assert_eq!(got.len(), 2);
    let envelope = |name: &str| -> Value {
        let id = &case(&answer, name)["deliveries"][0]["deliveryId"];
        let got = got.iter().find(|r| r.delivery == *id).unwrap();
        assert_eq!(got.content_type, "application/json");
        serde_json::from_slice(&got.body).expect("the hybrid envelope is JSON")
    };
    let key_length = |e: &Value| {
        assert!(e.get("BankRRN").is_none(), "sealed: {e}");
        STANDARD
            .decode(e["encryptedKey"].as_str().unwrap())
            .unwrap()
            .len()
    };
    assert_eq!(
        key_length(&envelope("normal")),
        256,
        "under the app's 2048-bit key"
    );
    assert_eq!(
        key_length(&envelope("tampered")),
        512,
        "under another (4096-bit) key"
    );
}

#[tokio::test]
async fn the_e_collection_push_can_be_drilled_too() {
    let app = spawn_app_with(fast());
    let me = app
        .create_app(json!({ "name": "collections", "scopes": ["cash-management"] }))
        .await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: None,
    })
    .await;

    let answer = drill(
        &app,
        &me.apikey,
        json!({ "url": correct.url, "cases": ["out-of-order", "tampered"] }),
    )
    .await;
    let got = correct.received();

    assert_eq!(answer.json["kind"], "ecollection-mis", "the app's family");
    assert_eq!(answer.json["passed"], true, "{:?}", answer.json);
    let bodies: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let utr = |b: &&Value| b["UTR"].as_str().unwrap().to_string();
    let in_order: Vec<&Value> = bodies
        .iter()
        .filter(|b| utr(b).starts_with("DRILLOUTOFORDER"))
        .collect();
    assert_eq!(in_order.len(), 2);
    assert_eq!(
        in_order[0]["VirtualAccountNumber"],
        in_order[1]["VirtualAccountNumber"]
    );
    assert!(
        in_order[0]["PayerPaymentDate"].as_str() > in_order[1]["PayerPaymentDate"].as_str(),
        "the later credit first: {in_order:?}"
    );
    let tampered = bodies
        .iter()
        .find(|b| utr(b).starts_with("DRILLTAMPERED"))
        .unwrap();
    assert_eq!(
        tampered["Amount"], "1000000.00",
        "10000.00 tampered 100-fold"
    );
}

#[tokio::test]
async fn a_drill_needs_a_url_a_target_it_may_reach_and_a_valid_body() {
    let app = spawn_app_with(fast());

    let no_body = app
        .call(
            Method::POST,
            "/sandbox/callbacks/drill",
            &[("apikey", DEMO_KEY)],
            None,
        )
        .await;
    let cases = [
        (json!({ "cases": ["sideways"] }), "cases"),
        (json!({ "cases": [] }), "cases"),
        (json!({ "cases": ["late", "late"] }), "named twice"),
        (json!({ "url": "ftp://example.com/cb" }), "url"),
        (json!({ "kind": "cib-payment" }), "kind"),
        (json!({ "urls": "http://example.com" }), "urls"),
    ];
    let metadata = drill(
        &app,
        DEMO_KEY,
        json!({ "url": "http://169.254.169.254/latest" }),
    )
    .await;

    let message = no_body.assert_envelope(409, 409);
    assert!(message.contains("callbackUrl"), "{message}");
    for (body, names) in cases {
        let message = drill(&app, DEMO_KEY, body.clone())
            .await
            .assert_envelope(400, 8017);
        assert!(message.contains(names), "{body}: {message}");
    }
    let message = metadata.assert_envelope(409, 409);
    assert!(message.contains("--callback-allow"), "{message}");
    assert!(app
        .get("/sandbox/callbacks")
        .await
        .json
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_drill_at_a_time_per_app() {
    let gate = Gate::new();
    let held = receiver(Style::Gate(gate.clone())).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &held.url).await;
    let other = plain_app(&app, &held.url).await;
    let body = json!({ "cases": ["normal"] });

    let (first, elsewhere, second) = tokio::join!(
        drill(&app, &me.apikey, body.clone()),
        drill(&app, &other.apikey, body.clone()),
        async {
            gate.held(2).await;
            let second = drill(&app, &me.apikey, body.clone()).await;
            gate.release.add_permits(2);
            second
        }
    );
    gate.release.add_permits(1);
    let after = drill(&app, &me.apikey, body.clone()).await;

    assert_eq!(first.status, StatusCode::OK);
    let message = second.assert_envelope(409, 409);
    assert!(message.contains("already running"), "{message}");
    assert_eq!(
        elsewhere.status,
        StatusCode::OK,
        "another app's drill, at the same time"
    );
    assert_eq!(after.status, StatusCode::OK, "the slot is free again");
}

#[tokio::test]
async fn every_app_gets_a_callback_secret_shown_only_to_the_whole_app() {
    let app = spawn_app_with(fast());
    let me = app.create_app(json!({ "name": "secret" })).await;
    let narrow = app
        .post_with(
            "/oauth2/token",
            &[],
            json!({ "grant_type": "client_credentials", "client_id": me.client_id,
                    "client_secret": me.client_secret, "scope": "payments" }),
        )
        .await;
    let bearer = format!("Bearer {}", narrow.json["access_token"].as_str().unwrap());

    let shown = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &me.apikey)],
            None,
        )
        .await;
    let hidden = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("authorization", &bearer)],
            None,
        )
        .await;
    let demo = app.get("/sandbox/apps/me").await;

    let secret = &me.callback_secret;
    assert!(
        secret.len() == 36
            && secret.starts_with("sbw_")
            && secret[4..].bytes().all(|b| b.is_ascii_hexdigit()),
        "{secret}"
    );
    assert_eq!(shown.json["callbackSecret"], *secret);
    assert!(
        hidden.json.get("callbackSecret").is_none(),
        "{:?}",
        hidden.json
    );
    assert_eq!(demo.json["callbackSecret"], "sandbank-demo-callback-secret");
}
