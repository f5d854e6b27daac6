//! Apps created with `POST /sandbox/apps` under a database store (`sqlite:PATH`, `postgres://…`)
//! outlive a restart (a new sandbox on the same database): their keys and OAuth2 client still work, their state and clock are
//! there, a disabled app stays disabled, an expired one stays gone, and new ids continue after the
//! highest kept. A write of the app the database refuses answers 503 and registers nothing. In memory
//! nothing of this changes: a restart forgets every created app.

use std::{sync::Arc, time::Duration};

use poem::{
    http::{Method, StatusCode},
    test::TestClient,
};
use sandbank::{
    sandbox::{bank::store::StoreChoice, gateway::app_limits::AppLimits},
    Sandbox, SandboxSettings,
};
use serde_json::{json, Value};

use crate::{
    helpers::{
        cib::{identity_with, path, payment, DEMO_ACCOUNT},
        postgres, Answer, NewApp, TestApp, FROZEN_AT,
    },
    partner::{self, PARTNER_PUBLIC},
    store::{database_stores, run_sql, settings},
};

/// A sandbox on `settings`, and the sandbox itself (to expire apps as the ticker does).
fn start_with(settings: &SandboxSettings) -> (TestApp, Arc<Sandbox>) {
    let sandbox = Arc::new(Sandbox::new(settings).expect("the store opens"));
    let app = TestApp {
        client: TestClient::new(sandbank::app(sandbox.clone())),
    };
    (app, sandbox)
}

fn start(store: &StoreChoice) -> TestApp {
    start_with(&settings(store.clone())).0
}

/// `BalanceInquiry` of the demo account with `apikey`.
async fn balance_with(app: &TestApp, apikey: &str) -> Answer {
    let body = identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT }));
    app.post_with(&path("BalanceInquiry"), &[("apikey", apikey)], body)
        .await
}

async fn pay_with(app: &TestApp, apikey: &str, body: Value) -> Answer {
    app.post_with(&path("Transaction"), &[("apikey", apikey)], body)
        .await
}

/// A token for `new`'s OAuth2 client.
async fn token_of(app: &TestApp, new: &NewApp) -> Answer {
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope=cash-management",
        new.client_id, new.client_secret
    );
    app.call(
        Method::POST,
        "/oauth2/token",
        &[],
        Some(("application/x-www-form-urlencoded", form.into_bytes())),
    )
    .await
}

/// `GET /sandbox/apps/me` with `apikey`.
async fn me(app: &TestApp, apikey: &str) -> Answer {
    app.call(Method::GET, "/sandbox/apps/me", &[("apikey", apikey)], None)
        .await
}

/// The one number `sql` selects from a database store's database.
fn count(store: &StoreChoice, sql: &str) -> i64 {
    match store {
        StoreChoice::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .query_row(sql, [], |row| row.get(0))
            .unwrap(),
        StoreChoice::Postgres(url) => postgres::sql(url, sql).trim().parse().unwrap(),
        StoreChoice::Memory => unreachable!("memory has no database"),
    }
}

#[tokio::test]
async fn a_created_app_comes_back_after_a_restart_with_its_keys_state_and_clock() {
    for store in database_stores("apps_kept") {
        a_created_app_comes_back(&store).await;
    }
}

async fn a_created_app_comes_back(store: &StoreChoice) {
    let before = start(store);
    let first = before
        .create_app(json!({
            "name": "kept",
            "dailyLimit": 500,
            "callbackUrl": "https://acme.example/bank/callbacks",
            "scopes": ["cash-management"],
        }))
        .await;
    before.freeze_clock_of(&first.apikey).await;
    let body = payment("STORE0100", "IFS", "900.00");
    let paid = pay_with(&before, &first.apikey, body.clone()).await;
    assert_eq!(paid.json["STATUS"], "SUCCESS", "{:?}", paid.json);
    let me_before = before
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &first.apikey)],
            None,
        )
        .await;
    drop(before);
    // State of an app the store does not know (left by an older sandbank): stale, so it goes.
    let (clocks, stale_clock) = match store {
        StoreChoice::Postgres(_) => ("app_versions", "(app_id, version) VALUES ('app-0042', 1)"),
        _ => ("app_clocks", "VALUES ('app-0042', '{}')"),
    };
    run_sql(
        store,
        "INSERT INTO app_rows VALUES ('app-0042', 'ledger', 'header', '', '{}')",
    );
    run_sql(store, &format!("INSERT INTO {clocks} {stale_clock}"));

    let after = start(store);
    let me_after = after
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &first.apikey)],
            None,
        )
        .await;
    assert_eq!(me_after.status, StatusCode::OK, "{:?}", me_after.json);
    let settings = |me: &Answer| {
        let mut view = me.json.clone();
        // Today's quota count is not kept (docs/storage.md): it starts again.
        view.as_object_mut().unwrap().remove("usage");
        view
    };
    assert_eq!(
        settings(&me_after),
        settings(&me_before),
        "settings and clock"
    );
    let clock = chrono::DateTime::parse_from_rfc3339(me_after.json["clock"].as_str().unwrap());
    assert_eq!(clock, chrono::DateTime::parse_from_rfc3339(FROZEN_AT));
    let again = pay_with(&after, &first.apikey, body.clone()).await;
    assert_eq!(again.json["STATUS"], "DUPLICATE", "{:?}", again.json);
    let kept = balance_with(&after, &first.apikey).await;
    assert_eq!(kept.json["EFFECTIVEBAL"], "999100.00", "{:?}", kept.json);
    let token = token_of(&after, &first).await;
    assert_eq!(token.status, StatusCode::OK, "{:?}", token.json);
    let bearer = format!("Bearer {}", token.json["access_token"].as_str().unwrap());
    let by_token = after
        .client
        .post(path("BalanceInquiry"))
        .header("authorization", bearer.as_str())
        .content_type("application/json")
        .body(identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })).to_string())
        .send()
        .await;
    by_token.assert_status_is_ok();
    let stale = format!(
        "SELECT (SELECT count(*) FROM app_rows WHERE app_id = 'app-0042') \
         + (SELECT count(*) FROM {clocks} WHERE app_id = 'app-0042')"
    );
    assert_eq!(
        count(store, &stale),
        0,
        "rows of an app without an app row go"
    );

    let second = after.create_app(json!({ "name": "next" })).await;
    assert_eq!(second.id, "app-0002", "ids continue after the highest kept");
    let fresh = balance_with(&after, &second.apikey).await;
    assert_eq!(fresh.json["EFFECTIVEBAL"], "1000000.00", "{:?}", fresh.json);
    let new_payment = pay_with(&after, &second.apikey, body).await;
    assert_eq!(
        new_payment.json["STATUS"], "SUCCESS",
        "{:?}",
        new_payment.json
    );
}

/// An encrypted app's key and callback sealing come back as it registered them.
#[tokio::test]
async fn an_encrypted_app_comes_back_with_its_key() {
    for store in database_stores("apps_encrypted") {
        an_encrypted_app_comes_back(&store).await;
    }
}

async fn an_encrypted_app_comes_back(store: &StoreChoice) {
    let before = start(store);
    let extra = json!({ "callbackEncryption": "hybrid" });
    let sealed = partner::encrypted_app(&before, PARTNER_PUBLIC, extra).await;
    let mut view = me(&before, &sealed.apikey).await.json;
    drop(before);

    let after = start(store);
    let again = me(&after, &sealed.apikey).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.json);
    assert_eq!(again.json["publicKeyPem"], PARTNER_PUBLIC);
    assert_eq!(again.json["callbackEncryption"], "hybrid");
    view["clock"] = again.json["clock"].clone();
    view["usage"] = again.json["usage"].clone();
    assert_eq!(again.json, view);
}

#[tokio::test]
async fn a_disabled_app_stays_disabled_after_a_restart() {
    for store in database_stores("apps_disabled") {
        a_disabled_app_stays_disabled(&store).await;
    }
}

async fn a_disabled_app_stays_disabled(store: &StoreChoice) {
    let before = start(store);
    let app = before.create_app(json!({ "name": "disabled" })).await;
    let disabled = before
        .call(
            Method::DELETE,
            "/sandbox/apps/me",
            &[("apikey", &app.apikey)],
            None,
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{:?}", disabled.json);
    let refused = balance_with(&before, &app.apikey).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.json);
    drop(before);

    let after = start(store);
    let still = balance_with(&after, &app.apikey).await;
    assert_eq!(
        (still.status, &still.bytes),
        (refused.status, &refused.bytes)
    );
    let token = token_of(&after, &app).await;
    assert_ne!(token.status, StatusCode::OK, "{:?}", token.json);
}

#[tokio::test]
async fn an_expired_app_goes_with_its_rows_and_stays_gone_after_a_restart() {
    for store in database_stores("apps_expired") {
        an_expired_app_stays_gone(&store).await;
    }
}

async fn an_expired_app_stays_gone(store: &StoreChoice) {
    let settings = SandboxSettings {
        app_limits: AppLimits {
            idle_expiry: Some(Duration::ZERO),
            ..AppLimits::default()
        },
        ..settings(store.clone())
    };
    let (before, sandbox) = start_with(&settings);
    let app = before.create_app(json!({ "name": "idle" })).await;
    let paid = pay_with(&before, &app.apikey, payment("STORE0300", "IFS", "5.00")).await;
    assert_eq!(paid.json["STATUS"], "SUCCESS", "{:?}", paid.json);
    assert_eq!(sandbox.expire_idle_apps(), 1);
    let gone = "SELECT (SELECT count(*) FROM apps) \
                + (SELECT count(*) FROM app_rows WHERE app_id <> 'demo')";
    assert_eq!(count(store, gone), 0, "its row and rows went");
    drop((before, sandbox));

    let (after, _) = start_with(&settings);
    let unknown = balance_with(&after, "sbk_never_issued").await;
    let expired = balance_with(&after, &app.apikey).await;
    assert_eq!(
        (expired.status, &expired.bytes),
        (unknown.status, &unknown.bytes)
    );
}

#[tokio::test]
async fn an_app_the_database_refuses_answers_503_and_is_not_registered() {
    for store in database_stores("apps_refused") {
        a_refused_app_is_not_registered(&store).await;
    }
}

async fn a_refused_app_is_not_registered(store: &StoreChoice) {
    let settings = SandboxSettings {
        app_limits: AppLimits {
            max_apps: 2,
            ..AppLimits::default()
        },
        ..settings(store.clone())
    };
    let (app, _sandbox) = start_with(&settings);
    run_sql(store, "ALTER TABLE apps RENAME TO apps_away");
    let refused = app
        .post_with("/sandbox/apps", &[], json!({ "name": "refused" }))
        .await;
    refused.assert_envelope(503, 8010);
    run_sql(store, "ALTER TABLE apps_away RENAME TO apps");

    // The demo app and one more fit: the refused app took no place.
    let created = app.create_app(json!({ "name": "kept" })).await;
    run_sql(store, "ALTER TABLE apps RENAME TO apps_away");
    let not_disabled = app
        .call(
            Method::DELETE,
            "/sandbox/apps/me",
            &[("apikey", &created.apikey)],
            None,
        )
        .await;
    not_disabled.assert_envelope(503, 8010);
    run_sql(store, "ALTER TABLE apps_away RENAME TO apps");
    let enabled = balance_with(&app, &created.apikey).await;
    assert_eq!(enabled.status, StatusCode::OK, "{:?}", enabled.json);
    assert_eq!(count(store, "SELECT count(*) FROM apps WHERE enabled"), 1);
}

#[tokio::test]
async fn in_memory_a_restart_forgets_created_apps() {
    let before = start(&StoreChoice::Memory);
    let first = before.create_app(json!({ "name": "gone" })).await;
    drop(before);

    let after = start(&StoreChoice::Memory);
    let unknown = balance_with(&after, "sbk_never_issued").await;
    let forgotten = balance_with(&after, &first.apikey).await;
    assert_eq!(
        (forgotten.status, &forgotten.bytes),
        (unknown.status, &unknown.bytes)
    );
    let next = after.create_app(json!({ "name": "again" })).await;
    assert_eq!(next.id, first.id, "ids start again from the first");
}

/// A database of version 1 (state only, no apps) migrates to the current version at start; the state it held
/// of created apps, which that version could not keep, goes, and the demo app's stays.
#[tokio::test]
async fn a_version_1_database_migrates_and_drops_the_state_of_unkept_apps() {
    let store = StoreChoice::Sqlite(crate::store::temp_db("apps_migrated"));
    {
        let StoreChoice::Sqlite(db) = &store else {
            unreachable!()
        };
        let old = rusqlite::Connection::open(db).unwrap();
        old.execute_batch(include_str!("../../migrations/sqlite/0001_rows.sql"))
            .unwrap();
        old.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO app_rows VALUES ('app-0001', 'ledger', 'header', '', '{}');
             INSERT INTO app_clocks VALUES ('demo', '{\"frozenAt\":\"2026-04-01T04:30:00Z\",\"offsetMs\":0}');",
        )
        .unwrap();
    }

    let app = start(&store);
    let current = sandbank::sandbox::bank::store::sqlite::SCHEMA_VERSION;
    assert_eq!(count(&store, "PRAGMA user_version"), current as i64);
    let unkept = "SELECT count(*) FROM app_rows WHERE app_id = 'app-0001'";
    assert_eq!(count(&store, unkept), 0);
    let demo = me(&app, crate::helpers::DEMO_KEY).await;
    let clock = chrono::DateTime::parse_from_rfc3339(demo.json["clock"].as_str().unwrap());
    assert_eq!(clock, chrono::DateTime::parse_from_rfc3339(FROZEN_AT));
    let new = app.create_app(json!({ "name": "first" })).await;
    assert_eq!(new.id, "app-0001");
    let fresh = balance_with(&app, &new.apikey).await;
    assert_eq!(fresh.json["EFFECTIVEBAL"], "1000000.00", "{:?}", fresh.json);
}
