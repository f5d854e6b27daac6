//! Two sandboxes (replicas) writing one app on one PostgreSQL database catch up on each other's
//! writes by applying only the rows changed since their copy's version: an interleaved sequence
//! across families (payments, NEFT batches, evictions, a snapshot restore and a reset, both whole
//! writes) leaves both replicas and a third loading whole holding what a memory sandbox fed the same
//! requests holds; and a write through two replicas reads a handful of rows, not the app's history.

mod pruning;
mod reads;
use std::sync::Arc;

use poem::{
    http::{Method, StatusCode},
    test::TestClient,
};
use sandbank::{
    sandbox::bank::store::{postgres::loads, StoreChoice},
    Sandbox, SandboxSettings,
};
use serde_json::{json, Value};

use crate::{
    helpers::{
        cib::{cib, payment},
        composite::neft,
        postgres, TestApp, DEMO_KEY, FROZEN_AT,
    },
    store::settings,
};

pub(super) fn sandbox(settings: &SandboxSettings) -> TestApp {
    let sandbox = Arc::new(Sandbox::new(settings).expect("the store opens"));
    TestApp {
        client: TestClient::new(sandbank::app(sandbox)),
    }
}

/// The app's whole state as a snapshot document (saving one changes no state).
pub(super) async fn state_of(app: &TestApp) -> Value {
    saved(app).await.1
}

/// Saves the app's state: the snapshot's id and its document.
async fn saved(app: &TestApp) -> (String, Value) {
    let saved = app
        .call(
            Method::POST,
            "/sandbox/snapshots",
            &[("apikey", DEMO_KEY)],
            None,
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{:?}", saved.json);
    let id = saved.json["id"].as_str().expect("an id");
    let path = format!("/sandbox/snapshots/{id}");
    let exported = app
        .call(Method::GET, &path, &[("apikey", DEMO_KEY)], None)
        .await;
    assert_eq!(exported.status, StatusCode::OK, "{:?}", exported.json);
    (id.to_string(), exported.json)
}

/// One step of the sequence: sent to the memory sandbox and to one replica, answering the same.
async fn both(
    memory: &TestApp,
    replica: &TestApp,
    step: &str,
    method: Method,
    path: &str,
    body: Value,
) -> Value {
    let body = Some(("application/json", body.to_string().into_bytes()));
    // x-priority: a composite payment's rail (NEFT); no other operation reads it. A duplicate, or
    // an open object past the bound, is refused alike by both.
    let headers = [("apikey", DEMO_KEY), ("x-priority", "0010")];
    let expected = memory
        .call(method.clone(), path, &headers, body.clone())
        .await;
    assert!(
        expected.status.is_success() || step.contains("again") || expected.status.as_u16() == 429,
        "{step}: {} {:?}",
        expected.status,
        expected.json
    );
    let got = replica.call(method, path, &headers, body).await;
    assert_eq!(
        (got.status, &got.json),
        (expected.status, &expected.json),
        "{step}: the replica answers as the memory sandbox"
    );
    expected.json
}

/// Both replicas hold what the memory sandbox holds.
async fn same_state(memory: &TestApp, replicas: &[TestApp], after: &str) {
    let expected = state_of(memory).await;
    for replica in replicas {
        assert_eq!(state_of(replica).await, expected, "after {after}");
    }
}

/// A UPI collect request to the demo payer.
fn collect(merchant_tran_id: &str) -> Value {
    json!({
        "amount": "499.00", "billNumber": "BILL-1042", "collectByDate": "31/12/2030 06:30 PM",
        "merchantId": "400000", "merchantName": "Sandbank Store", "merchantTranId": merchant_tran_id,
        "note": "Order 1042", "payerVa": "success@icici", "subMerchantName": "Sandbank Store",
        "terminalId": "5411"
    })
}

/// Requests across families, each a write; `{n}` makes references unique.
fn sequence(n: usize) -> Vec<(String, Method, String, Value)> {
    let cib_path = "/api/Corporate/CIB/v1/Transaction".to_string();
    let post = Method::POST;
    vec![
        (
            format!("imps {n}"),
            post.clone(),
            cib_path.clone(),
            payment(&format!("D{n}I"), "IFS", "10.00"),
        ),
        (
            format!("cib neft {n}"),
            post.clone(),
            cib_path,
            payment(&format!("D{n}N"), "RGS", "20.00"),
        ),
        (
            format!("composite neft {n}"),
            post.clone(),
            "/api/v1/composite-payment".into(),
            neft(&format!("C{n}N"), "30.00"),
        ),
        (
            format!("upi collect {n}"),
            post.clone(),
            "/api/MerchantAPI/UPI/v0/CollectPay3/400000".into(),
            collect(&format!("COLLECT-{n}")),
        ),
        (
            // A merchantTranId used through the other replica: refused as a duplicate by both.
            format!("upi collect again {n}"),
            post.clone(),
            "/api/MerchantAPI/UPI/v0/CollectPay3/400000".into(),
            collect(&format!("COLLECT-{n}")),
        ),
        (
            format!("iwish goal {n}"),
            post.clone(),
            "/api/v1/iwish/goal-creation".into(),
            json!({
                "category": "TRAVEL", "fundingAccount": "000401000001", "goalName": format!("Trip {n}"),
                "initialDeposit": "500.00", "siAmount": "450.00", "siDay": 5,
                "targetAmount": "6000.00", "tenureMonths": 12
            }),
        ),
        (
            format!("advance {n}"),
            post,
            "/sandbox/clock".into(),
            json!({ "advance": "PT45M" }),
        ),
    ]
}

/// Rounds of [`sequence`], each step through the next replica (`turn` counts them); with `each`,
/// the states compared after every step.
async fn rounds(
    memory: &TestApp,
    replicas: &[TestApp],
    rounds: std::ops::Range<usize>,
    turn: &mut usize,
    each: bool,
) {
    for n in rounds {
        for (step, method, path, body) in sequence(n) {
            *turn += 1;
            both(memory, &replicas[*turn % 2], &step, method, &path, body).await;
            if each {
                same_state(memory, replicas, &step).await;
            }
        }
    }
}

/// Imports `held` through a replica (its id follows the document) and restores it through the
/// other: a whole write.
async fn restore(memory: &TestApp, replicas: &[TestApp], held: Value) {
    let post = Method::POST;
    let path = "/sandbox/snapshots";
    let imported = both(memory, &replicas[0], "import", post.clone(), path, held).await;
    let id = imported["id"].as_str().expect("an id");
    let restore = format!("/sandbox/snapshots/{id}/restore");
    both(
        memory,
        &replicas[1],
        "restore",
        post.clone(),
        &restore,
        json!({}),
    )
    .await;
}

/// Resets through one replica, which puts the clock on real time (the answer says when), then
/// freezes it again through the other.
async fn reset(memory: &TestApp, replicas: &[TestApp]) {
    let (post, clock) = (Method::POST, "/sandbox/clock");
    let freeze = json!({ "freeze": FROZEN_AT });
    for app in [memory, &replicas[0]] {
        let reset = app
            .call(
                Method::POST,
                "/sandbox/reset",
                &[("apikey", DEMO_KEY)],
                None,
            )
            .await;
        assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.json);
    }
    both(memory, &replicas[1], "freeze", post.clone(), clock, freeze).await;
}

/// Payments through both replicas in turn (evicting settled ones at the bound), NEFT batches
/// settling as the clock moves, a snapshot restore and a reset (whole writes): after every step
/// both replicas hold what the memory sandbox holds, and so does a third process loading whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_taking_turns_hold_what_one_memory_sandbox_holds() {
    let url = postgres::fresh_database("delta_families");
    let limit = |store| SandboxSettings {
        object_limit: 6,
        ..settings(store)
    };
    let memory = sandbox(&limit(StoreChoice::Memory));
    let replicas = [
        sandbox(&limit(StoreChoice::Postgres(url.clone()))),
        sandbox(&limit(StoreChoice::Postgres(url.clone()))),
    ];
    let (post, clock, freeze) = (
        Method::POST,
        "/sandbox/clock",
        json!({ "freeze": FROZEN_AT }),
    );
    both(
        &memory,
        &replicas[0],
        "freeze",
        post.clone(),
        clock,
        freeze.clone(),
    )
    .await;
    let mut turn = 0;
    rounds(&memory, &replicas, 0..4, &mut turn, true).await;
    let held = state_of(&memory).await;
    rounds(&memory, &replicas, 4..8, &mut turn, true).await;
    restore(&memory, &replicas, held).await;
    // (Each replica's next request takes the restored clock: the documented one-request lag.)
    same_state(&memory, &replicas, "the restore").await;
    rounds(&memory, &replicas, 8..10, &mut turn, false).await;
    same_state(&memory, &replicas, "the rounds after the restore").await;
    reset(&memory, &replicas).await;
    same_state(&memory, &replicas, "the reset").await;
    rounds(&memory, &replicas, 10..12, &mut turn, false).await;
    same_state(&memory, &replicas, "the rounds after the reset").await;
    let count = loads(&url);
    assert!(
        count.caught_up >= turn as u64 / 2 && count.whole <= 5,
        "the replicas caught up on each other's writes ({turn} turns), loading whole only on \
         first use and after the restore and the reset: {count:?}"
    );
    let third = sandbox(&limit(StoreChoice::Postgres(url.clone())));
    assert_eq!(
        state_of(&third).await,
        state_of(&memory).await,
        "a third process loading whole"
    );
}

/// A write through two replicas taking turns reads the rows changed since, not the app's history:
/// with 300 payments held, 40 alternating writes load nothing whole and read a few rows each.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_through_two_replicas_reads_what_changed_not_the_history() {
    let url = postgres::fresh_database("delta_rows");
    let replicas = [
        sandbox(&settings(StoreChoice::Postgres(url.clone()))),
        sandbox(&settings(StoreChoice::Postgres(url.clone()))),
    ];
    for n in 0..300 {
        let answer = cib(
            &replicas[0],
            "Transaction",
            payment(&format!("H{n}"), "IFS", "1.00"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }
    // Each replica has its copy (the second loads it whole, once).
    let answer = cib(&replicas[1], "Transaction", payment("WARM", "IFS", "1.00")).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    let before = loads(&url);

    for n in 0..40 {
        let answer = cib(
            &replicas[n % 2],
            "Transaction",
            payment(&format!("T{n}"), "IFS", "1.00"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }

    let after = loads(&url);
    assert_eq!(
        after.whole, before.whole,
        "no copy loaded whole: {before:?} → {after:?}"
    );
    assert_eq!(
        after.caught_up - before.caught_up,
        40,
        "every write caught up: {after:?}"
    );
    let per_write = (after.rows - before.rows) / 40;
    assert!(
        per_write < 20,
        "a write reads the rows the other replica changed ({per_write} a write), not the app's \
         ~1 500 rows"
    );
}

/// A database left at schema version 3 (rows without versions) migrates at start: its state is
/// there, and two replicas then write it in turns.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_version_3_database_migrates_and_keeps_its_state() {
    let url = postgres::fresh_database("delta_migrated");
    let store = || settings(StoreChoice::Postgres(url.clone()));
    let held = {
        let old = sandbox(&store());
        let answer = cib(&old, "Transaction", payment("OLD1", "RGS", "10.00")).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        state_of(&old).await
    };
    // As version 3 left it (before row versions, and before the outbox of version 5).
    postgres::sql(
        &url,
        "DROP TABLE outbox, callback_attempts; \
         DROP INDEX app_rows_since; DROP INDEX app_rows_tombstones; \
         ALTER TABLE app_rows DROP COLUMN version, DROP COLUMN deleted; \
         ALTER TABLE app_versions DROP COLUMN base; DELETE FROM sandbank_schema WHERE version >= 4",
    );

    let replicas = [sandbox(&store()), sandbox(&store())];

    assert_eq!(
        state_of(&replicas[1]).await,
        held,
        "the state version 3 held"
    );
    for n in 0..6 {
        let body = payment(&format!("NEW{n}"), "IFS", "1.00");
        let answer = cib(&replicas[n % 2], "Transaction", body).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }
    assert_eq!(state_of(&replicas[0]).await, state_of(&replicas[1]).await);
    let third = sandbox(&store());
    assert_eq!(state_of(&third).await, state_of(&replicas[0]).await);
}

/// Rows a copy cannot apply (here a tombstone where the ledger keeps its header, which a whole load
/// skips) make the process load the app whole in the same transaction: the answer is right, not 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rows_that_do_not_apply_load_the_app_whole_instead() {
    let url = postgres::fresh_database("delta_fallback");
    let store = || settings(StoreChoice::Postgres(url.clone()));
    let replicas = [sandbox(&store()), sandbox(&store())];
    for (n, replica) in replicas.iter().enumerate() {
        let answer = cib(
            replica,
            "Transaction",
            payment(&format!("F{n}"), "IFS", "1.00"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }
    postgres::sql(
        &url,
        "UPDATE app_versions SET version = version + 1 WHERE app_id = 'demo'; \
         INSERT INTO app_rows (app_id, family, collection, key, body, version, deleted) \
         SELECT 'demo', 'ledger', 'header', 'stray', '', version, true FROM app_versions \
         WHERE app_id = 'demo'",
    );
    let before = loads(&url);

    let answer = cib(&replicas[0], "Transaction", payment("F2", "IFS", "1.00")).await;

    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    let after = loads(&url);
    assert_eq!(after.whole, before.whole + 1, "loaded whole: {after:?}");
    let third = sandbox(&store());
    assert_eq!(state_of(&replicas[0]).await, state_of(&third).await);
}
