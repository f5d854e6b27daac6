//! `/sandbox/snapshots`: save an app's bank state, export it, import it (here or in another app, on
//! another server), restore it — and a bad document changes nothing.

use poem::http::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::{
    cib::{balance, cib, payment, DEMO_ACCOUNT},
    spawn_app, spawn_app_with, Answer, TestApp,
};

async fn save(app: &TestApp, key: &str, document: Option<&Value>) -> Answer {
    let body = document.map(|d| ("application/json", d.to_string().into_bytes()));
    app.call(Method::POST, "/sandbox/snapshots", &[("apikey", key)], body)
        .await
}

async fn saved_id(app: &TestApp, key: &str, document: Option<&Value>) -> String {
    let answer = save(app, key, document).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.json);
    answer.json["id"].as_str().expect("an id").to_string()
}

async fn export(app: &TestApp, key: &str, id: &str) -> Answer {
    app.call(
        Method::GET,
        &format!("/sandbox/snapshots/{id}"),
        &[("apikey", key)],
        None,
    )
    .await
}

async fn restore(app: &TestApp, key: &str, id: &str) -> Answer {
    let path = format!("/sandbox/snapshots/{id}/restore");
    app.call(Method::POST, &path, &[("apikey", key)], None)
        .await
}

const DEMO: &str = "sandbank-demo-key";

async fn pays(app: &TestApp, unique_id: &str, amount: &str) -> Value {
    let answer = cib(app, "Transaction", payment(unique_id, "IFS", amount)).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json
}

#[tokio::test]
async fn a_restore_puts_back_the_money_the_objects_and_the_clock() {
    let app = spawn_app();
    app.freeze_clock().await;
    let id = saved_id(&app, DEMO, None).await;

    assert_eq!(pays(&app, "SNAP0001", "2500.00").await["STATUS"], "SUCCESS");
    app.advance_clock("P3D").await;
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(997_500));

    let restored = restore(&app, DEMO, &id).await;
    assert_eq!(restored.status, StatusCode::OK, "{:?}", restored.json);
    assert_eq!(restored.json["clock"], "2026-04-01T10:00:00+05:30");
    assert_eq!(restored.json["frozen"], true);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_000_000));
    // The payment is gone with the state it lived in: its UNIQUEID is new again, not a duplicate.
    assert_eq!(pays(&app, "SNAP0001", "2500.00").await["STATUS"], "SUCCESS");
}

#[tokio::test]
async fn the_same_state_has_the_same_id_and_an_export_imports_anywhere() {
    let (first, second) = (spawn_app(), spawn_app());
    for app in [&first, &second] {
        app.freeze_clock().await;
        pays(app, "SNAP0002", "1200.50").await;
    }
    let id = saved_id(&first, DEMO, None).await;
    assert_eq!(
        saved_id(&second, DEMO, None).await,
        id,
        "two servers, same requests"
    );
    assert_eq!(saved_id(&first, DEMO, None).await, id, "saved twice");

    let exported = export(&first, DEMO, &id).await;
    assert_eq!(exported.status, StatusCode::OK, "{:?}", exported.json);
    assert_eq!(exported.json["format"], "sandbank-snapshot/1");
    assert!(exported.json["families"]["cash_management"].is_object());

    // Another app on a third server imports the file and becomes the first app's twin.
    let third = spawn_app();
    let other = third.create_app(json!({ "name": "importer" })).await;
    let imported = saved_id(&third, &other.apikey, Some(&exported.json)).await;
    assert_eq!(imported, id, "the id is the document's");
    assert_eq!(
        restore(&third, &other.apikey, &id).await.status,
        StatusCode::OK
    );
    let inquiry = third
        .post_with(
            &crate::helpers::cib::path("BalanceInquiry"),
            &[("apikey", &other.apikey)],
            crate::helpers::cib::identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
        )
        .await;
    assert_eq!(
        inquiry.json["EFFECTIVEBAL"], "998799.50",
        "{:?}",
        inquiry.json
    );
    // ...and still knows the payment's UNIQUEID.
    let again = third
        .post_with(
            &crate::helpers::cib::path("Transaction"),
            &[("apikey", &other.apikey)],
            payment("SNAP0002", "IFS", "1200.50"),
        )
        .await;
    assert_eq!(again.json["STATUS"], "DUPLICATE", "{:?}", again.json);
}

#[tokio::test]
async fn snapshots_are_the_apps_own_and_outlive_a_reset() {
    let app = spawn_app();
    let id = saved_id(&app, DEMO, None).await;
    let other = app.create_app(json!({ "name": "neighbour" })).await;
    export(&app, &other.apikey, &id)
        .await
        .assert_envelope(404, 404);
    restore(&app, &other.apikey, &id)
        .await
        .assert_envelope(404, 404);

    assert_eq!(
        app.post("/sandbox/reset", json!({})).await.status,
        StatusCode::OK
    );
    assert_eq!(export(&app, DEMO, &id).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_app_keeps_its_last_sixteen() {
    let app = spawn_app();
    app.freeze_clock().await;
    let first = saved_id(&app, DEMO, None).await;
    let mut last = first.clone();
    for n in 0..16 {
        pays(&app, &format!("SHELF{n:03}"), "1.00").await;
        last = saved_id(&app, DEMO, None).await;
    }
    export(&app, DEMO, &first).await.assert_envelope(404, 404);
    assert_eq!(export(&app, DEMO, &last).await.status, StatusCode::OK);
}

/// The demo corporate account in a snapshot document.
fn account(doc: &mut Value) -> &mut Value {
    doc["ledger"]["accounts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["accountNo"] == DEMO_ACCOUNT)
        .unwrap()
}

/// A bad document is refused naming what is wrong, and neither the app nor its snapshots change.
#[tokio::test]
async fn a_bad_document_changes_nothing() {
    let app = spawn_app();
    app.freeze_clock().await;
    pays(&app, "SNAP0003", "100.00").await;
    let id = saved_id(&app, DEMO, None).await;
    let good = export(&app, DEMO, &id).await.json;

    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut doc = good.clone();
    doc["format"] = json!("sandbank-snapshot/9");
    cases.push(("format", doc));
    let mut doc = good.clone();
    account(&mut doc)["balance"] = json!("5000000.00");
    cases.push(("ledger", doc));
    let mut doc = good.clone();
    let entries = account(&mut doc)["entries"].as_array_mut().unwrap();
    let last = entries.len() - 1;
    entries[last]["amount"] = json!("1.00");
    cases.push(("ledger", doc));
    let mut doc = good.clone();
    doc["families"]["mortgages"] = json!({});
    cases.push(("families.mortgages", doc));
    let mut doc = good.clone();
    doc["families"]["cash_management"]["payments"] = json!("not a collection");
    cases.push(("families.cash_management", doc));
    let mut doc = good.clone();
    doc["clock"] = json!({ "frozenAt": "3999-01-01T00:00:00Z", "offsetMs": 0 });
    cases.push(("clock", doc));
    let mut doc = good.clone();
    doc["surprise"] = json!(true);
    cases.push(("", doc));

    for (field, doc) in cases {
        let message = save(&app, DEMO, Some(&doc))
            .await
            .assert_envelope(400, 8017);
        assert!(message.contains(field), "{field}: {message}");
    }
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(999_900));
    assert_eq!(
        saved_id(&app, DEMO, None).await,
        id,
        "the app's state is unchanged"
    );
}

#[tokio::test]
async fn a_document_over_the_servers_bound_is_refused() {
    let small = spawn_app_with(sandbank::SandboxSettings {
        object_limit: 2,
        ..Default::default()
    });
    let big = spawn_app();
    big.freeze_clock().await;
    for n in 0..3 {
        pays(&big, &format!("BOUND{n:03}"), "10.00").await;
    }
    let id = saved_id(&big, DEMO, None).await;
    let mut document = export(&big, DEMO, &id).await.json;
    // The small server's ledger bound (entries per account) is 2 too: keep only the payments.
    for account in document["ledger"]["accounts"].as_array_mut().unwrap() {
        let entries = account["entries"].as_array_mut().unwrap();
        let keep = entries.split_off(entries.len().saturating_sub(2));
        let before = keep.first().map(|e| {
            let after = crate::helpers::decimal_of(&e["balanceAfter"]);
            let amount = crate::helpers::decimal_of(&e["amount"]);
            if e["direction"] == "CR" {
                after - amount
            } else {
                after + amount
            }
        });
        *entries = keep;
        if let Some(opening) = before {
            account["openingBalance"] = json!(opening.to_string());
        }
    }
    let message = save(&small, DEMO, Some(&document))
        .await
        .assert_envelope(400, 8017);
    assert!(message.contains("CIB payments"), "{message}");
    assert!(message.contains("bound of 2"), "{message}");
}

#[tokio::test]
async fn the_documented_example_imports_under_the_documented_id() {
    let app = spawn_app();
    let example: Value = serde_json::from_str(sandbank::sandbox::bank::snapshot::EXAMPLE).unwrap();
    let answer = save(&app, DEMO, Some(&example)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.json);
    let spec = crate::helpers::inlined_spec(&app).await;
    for path in ["/sandbox/snapshots/{id}", "/sandbox/snapshots/{id}/restore"] {
        let operation = spec["paths"][path]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap();
        let parameters = operation["parameters"].as_array().unwrap();
        let id = parameters.iter().find(|p| p["name"] == "id").unwrap();
        assert_eq!(answer.json["id"], id["schema"]["example"], "{path}");
    }
    assert_eq!(answer.json["accounts"], 1);
}

/// A fresh app's document is over the 1 MiB every other body may be; only a caller whose credentials
/// name an app may send one that large.
#[tokio::test]
async fn only_a_known_app_may_send_a_large_document() {
    let app = spawn_app();
    let id = saved_id(&app, DEMO, None).await;
    let document = export(&app, DEMO, &id).await.json.to_string().into_bytes();
    assert!(document.len() > 1024 * 1024, "{} bytes", document.len());

    for key in [None, Some("not-a-key")] {
        let headers: Vec<(&str, &str)> = key.map(|k| ("apikey", k)).into_iter().collect();
        let body = Some(("application/json", document.clone()));
        let answer = app
            .call(Method::POST, "/sandbox/snapshots", &headers, body)
            .await;
        let message = answer.assert_envelope(413, 413);
        assert!(message.contains("1 MiB"), "{message}");
    }
    let body = Some(("application/json", document));
    let answer = app
        .call(
            Method::POST,
            "/sandbox/snapshots",
            &[("apikey", DEMO)],
            body,
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.json);
    assert_eq!(answer.json["id"], id.as_str());
}
