//! Two sandboxes on one PostgreSQL database, in one test process: what a hosted deployment's replicas
//! share. A plan quota is one count for both (exact under concurrency), an app's clock set through one
//! is the other's, an app created through one is known to the other, and two creating apps at once
//! never give out the same id. The same over real processes, `kill -9` and callbacks are in
//! `store_replicas.rs`.

use std::{collections::HashSet, sync::Arc, time::Duration};

use poem::{http::Method, test::TestClient};
use sandbank::{
    sandbox::{bank::store::StoreChoice, gateway::app_limits::AppLimits},
    Sandbox, SandboxSettings,
};
use serde_json::{json, Value};

use crate::{
    helpers::{
        cib::{identity_with, path, DEMO_ACCOUNT},
        postgres, Answer, TestApp, DEMO_KEY, FROZEN_AT,
    },
    store::settings,
};

/// Two sandboxes (replicas) on a fresh database named after `name`.
fn replicas(name: &str) -> [Arc<TestApp>; 2] {
    let store = StoreChoice::Postgres(postgres::fresh_database(name));
    let one = || {
        let sandbox = Arc::new(Sandbox::new(&settings(store.clone())).expect("the store opens"));
        Arc::new(TestApp {
            client: TestClient::new(sandbank::app(sandbox)),
        })
    };
    [one(), one()]
}

async fn balance_with(app: &TestApp, apikey: &str) -> Answer {
    let body = identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT }));
    app.post_with(&path("BalanceInquiry"), &[("apikey", apikey)], body)
        .await
}

/// A GET with `apikey` that must answer 200: its JSON.
async fn get_ok(app: &TestApp, apikey: &str, path: &str) -> Value {
    let answer = app
        .call(Method::GET, path, &[("apikey", apikey)], None)
        .await;
    assert_eq!(answer.status.as_u16(), 200, "{path}: {:?}", answer.json);
    answer.json
}

async fn me(app: &TestApp, apikey: &str) -> Value {
    get_ok(app, apikey, "/sandbox/apps/me").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_plan_quota_is_one_count_across_replicas() {
    let [a, b] = replicas("quota");
    let app = a
        .create_app(json!({ "name": "quota", "dailyLimit": 20 }))
        .await;
    let calls: Vec<_> = (0..30)
        .map(|n| {
            let replica = if n % 2 == 0 { a.clone() } else { b.clone() };
            let apikey = app.apikey.clone();
            tokio::spawn(async move { balance_with(&replica, &apikey).await.status.as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for call in calls {
        statuses.push(call.await.unwrap());
    }
    let admitted = statuses.iter().filter(|s| **s == 200).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((admitted, refused), (20, 10), "{statuses:?}");
    for replica in [&a, &b] {
        let usage = &me(replica, &app.apikey).await["usage"];
        assert_eq!(
            (usage["used"].as_u64(), usage["remaining"].as_u64()),
            (Some(20), Some(0))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_set_through_one_replica_is_the_others() {
    let [a, b] = replicas("clock");
    let app = a.create_app(json!({ "name": "clock" })).await;
    assert_eq!(balance_with(&b, &app.apikey).await.status.as_u16(), 200);
    a.freeze_clock_of(&app.apikey).await;
    // B's next transaction reads the new version, clock included.
    assert_eq!(balance_with(&b, &app.apikey).await.status.as_u16(), 200);
    let clock = me(&b, &app.apikey).await["clock"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&clock),
        chrono::DateTime::parse_from_rfc3339(FROZEN_AT)
    );
    b.clock_of(&app.apikey, json!({ "advance": "PT1H" })).await;
    assert_eq!(balance_with(&a, &app.apikey).await.status.as_u16(), 200);
    let clock = me(&a, &app.apikey).await["clock"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(clock, "2026-04-01T11:00:00+05:30");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn apps_created_through_either_replica_are_known_to_both_with_distinct_ids() {
    let [a, b] = replicas("apps");
    let creations: Vec<_> = (0..8)
        .map(|n| {
            let replica = if n % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move {
                replica
                    .create_app(json!({ "name": format!("app {n}") }))
                    .await
            })
        })
        .collect();
    let mut created = Vec::new();
    for creation in creations {
        created.push(creation.await.unwrap());
    }
    let ids: HashSet<_> = created.iter().map(|app| app.id.clone()).collect();
    assert_eq!(ids.len(), 8, "distinct ids: {ids:?}");
    for app in &created {
        for replica in [&a, &b] {
            let answer = balance_with(replica, &app.apikey).await;
            assert_eq!(answer.status.as_u16(), 200, "{}: {:?}", app.id, answer.json);
        }
    }
}

/// An app disabled through one replica is refused by the other from its next request on (the one
/// that finds the change still runs: the other replica learns it inside its transaction).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_disabled_through_one_replica_is_refused_by_the_other() {
    let [a, b] = replicas("disabled");
    let app = a.create_app(json!({ "name": "disabled" })).await;
    assert_eq!(balance_with(&b, &app.apikey).await.status.as_u16(), 200);
    let disabled = a
        .call(
            Method::DELETE,
            "/sandbox/apps/me",
            &[("apikey", &app.apikey)],
            None,
        )
        .await;
    assert_eq!(disabled.status.as_u16(), 200, "{:?}", disabled.json);
    let refused_by_a = balance_with(&a, &app.apikey).await;
    assert_eq!(refused_by_a.status.as_u16(), 403, "{:?}", refused_by_a.json);
    balance_with(&b, &app.apikey).await;
    let refused_by_b = balance_with(&b, &app.apikey).await;
    assert_eq!(
        (refused_by_b.status, &refused_by_b.bytes),
        (refused_by_a.status, &refused_by_a.bytes)
    );
}

/// An app one replica expired (idle) is refused by the other from its next request on, as a disabled
/// app is; the request that finds it gone still runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_expired_by_one_replica_is_refused_by_the_other() {
    let store = StoreChoice::Postgres(postgres::fresh_database("expired"));
    let expiring = SandboxSettings {
        app_limits: AppLimits {
            idle_expiry: Some(Duration::ZERO),
            ..AppLimits::default()
        },
        ..settings(store.clone())
    };
    let sandbox = Arc::new(Sandbox::new(&expiring).expect("the store opens"));
    let a = TestApp {
        client: TestClient::new(sandbank::app(sandbox.clone())),
    };
    let b = TestApp {
        client: TestClient::new(sandbank::app(Arc::new(
            Sandbox::new(&settings(store)).expect("the store opens"),
        ))),
    };
    let app = a.create_app(json!({ "name": "expiring" })).await;
    assert_eq!(balance_with(&b, &app.apikey).await.status.as_u16(), 200);
    assert_eq!(sandbox.expire_idle_apps(), 1);
    assert_eq!(balance_with(&a, &app.apikey).await.status.as_u16(), 401);
    balance_with(&b, &app.apikey).await;
    let refused = balance_with(&b, &app.apikey).await;
    assert_eq!(refused.status.as_u16(), 403, "{:?}", refused.json);
    assert_eq!(balance_with(&b, DEMO_KEY).await.status.as_u16(), 200);
}

async fn requests(app: &TestApp, apikey: &str, query: &str) -> Value {
    get_ok(app, apikey, &format!("/sandbox/requests{query}")).await
}

/// The request log is one log: what either replica served, numbered from 1 in the order served, read
/// the same through both, bounded at the app's last 200, and emptied by a reset through either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_is_one_log_across_replicas_and_stays_bounded() {
    let [a, b] = replicas("requests");
    let app = a.create_app(json!({ "name": "logged" })).await;
    for n in 0..6 {
        let replica = if n % 2 == 0 { &a } else { &b };
        assert_eq!(
            balance_with(replica, &app.apikey).await.status.as_u16(),
            200
        );
    }
    let through_a = requests(&a, &app.apikey, "?limit=50").await;
    let through_b = requests(&b, &app.apikey, "?limit=50").await;
    assert_eq!(through_a["requests"], through_b["requests"]);
    let ids: Vec<u64> = through_a["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [6, 5, 4, 3, 2, 1], "newest first, one numbering");
    let filtered = requests(&b, &app.apikey, "?status=4xx").await;
    assert_eq!(filtered["requests"], json!([]));

    for _ in 0..200 {
        balance_with(&b, &app.apikey).await;
    }
    let page = requests(&a, &app.apikey, "?limit=200").await;
    let ids: Vec<u64> = page["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!((ids.len(), ids[0], ids[199]), (200, 206, 7), "the last 200");

    let reset = b
        .call(
            Method::POST,
            "/sandbox/reset",
            &[("apikey", &app.apikey)],
            None,
        )
        .await;
    assert_eq!(reset.status.as_u16(), 200, "{:?}", reset.json);
    // As in memory: the log holds only the reset itself, and numbering goes on.
    let after = requests(&a, &app.apikey, "").await;
    let after = after["requests"].as_array().unwrap();
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(
        (after[0]["id"].as_u64(), after[0]["path"].as_str()),
        (Some(207), Some("/sandbox/reset"))
    );
}

/// The clock of an app created through A, set through B, is the app's clock on A too (A had never
/// read the app's clock before: it created the app). The quota counts on the app's day as the
/// answering process knows it: A's first request after the change still counts on the day before
/// (the gateway counts before the transaction brings the clock up to date), every later one on the
/// frozen day, exactly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_set_through_the_other_replica_than_the_creators_holds_on_both() {
    let [a, b] = replicas("clock_other");
    let app = a
        .create_app(json!({ "name": "clock", "dailyLimit": 3 }))
        .await;
    b.freeze_clock_of(&app.apikey).await;
    let first = balance_with(&a, &app.apikey).await;
    assert_eq!(first.json["DATE"], "01-04-2026", "{:?}", first.json);
    let mut codes = Vec::new();
    for replica in [&a, &b, &b, &a] {
        codes.push(balance_with(replica, &app.apikey).await.status.as_u16());
    }
    assert_eq!(codes, [200, 200, 200, 429], "three calls a day on 1 April");
    let clock = me(&a, &app.apikey).await["clock"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&clock),
        chrono::DateTime::parse_from_rfc3339(FROZEN_AT)
    );
}
