//! Tombstones do not pile up: every 256 versions an app's tombstones older than 1 024 versions are
//! pruned and its `base` moves past them, so a copy that far behind loads the app whole (and agrees).

use poem::http::StatusCode;
use sandbank::sandbox::bank::store::{postgres::loads, StoreChoice};

use super::{sandbox, state_of};
use crate::{
    helpers::{
        cib::{cib, payment},
        postgres,
    },
    store::settings,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn old_tombstones_are_pruned_and_a_copy_older_than_them_loads_whole() {
    let url = postgres::fresh_database("delta_pruned");
    let store = || settings(StoreChoice::Postgres(url.clone()));
    let [behind, writer] = [sandbox(&store()), sandbox(&store())];
    let answer = cib(&behind, "Transaction", payment("P0", "IFS", "1.00")).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    // Tombstones of rows deleted early on (as an evicted object's or an archived entry's), and one
    // recent enough to be kept.
    let tombstone = |key: &str, version: i64| {
        format!(
            "INSERT INTO app_rows (app_id, family, collection, key, body, version, deleted) \
             VALUES ('demo', 'ledger', 'entries', '{key}', '', {version}, true)"
        )
    };
    postgres::sql(&url, &tombstone("STRAY/1", 2));
    postgres::sql(&url, &tombstone("STRAY/2", 100));
    postgres::sql(&url, &tombstone("STRAY/3", 1290));

    for n in 1..1300 {
        let answer = cib(
            &writer,
            "Transaction",
            payment(&format!("P{n}"), "IFS", "1.00"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    }

    let row = |sql: &str| postgres::sql(&url, sql).trim().to_string();
    let version: i64 = row("SELECT version FROM app_versions WHERE app_id = 'demo'")
        .parse()
        .unwrap();
    let base: i64 = row("SELECT base FROM app_versions WHERE app_id = 'demo'")
        .parse()
        .unwrap();
    let horizon = version / 256 * 256 - 1024;
    assert_eq!(
        base, horizon,
        "base moved to the last pruning's horizon (version {version})"
    );
    let pruned = row(&format!(
        "SELECT count(*) FROM app_rows WHERE app_id = 'demo' AND deleted AND version <= {base}"
    ));
    assert_eq!(pruned, "0", "tombstones up to {base} pruned");
    let kept = row("SELECT count(*) FROM app_rows WHERE app_id = 'demo' AND deleted");
    assert_ne!(
        kept, "0",
        "the newer tombstones stay, for copies that can still catch up"
    );
    let before = loads(&url);
    let behind_state = state_of(&behind).await;
    assert_eq!(
        loads(&url).whole,
        before.whole + 1,
        "the copy behind base loaded whole"
    );
    assert_eq!(behind_state, state_of(&sandbox(&store())).await);
}
