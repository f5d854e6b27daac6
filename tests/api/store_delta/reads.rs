//! A request on a copy the database confirms current runs without the app's transaction: reads cost
//! one statement, not a locked transaction. The copy is checked on every request, so a write another
//! replica made is seen at once (the read then catches up under the lock), and a write that follows
//! reads on a current copy commits under the lock and is seen by the other replica.

use poem::http::StatusCode;
use rust_decimal::Decimal;
use sandbank::sandbox::bank::store::{postgres::loads, StoreChoice};

use super::sandbox;
use crate::{
    helpers::{
        cib::{balance, cib, payment, DEMO_ACCOUNT},
        postgres,
    },
    store::settings,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_on_a_current_copy_skip_the_lock_and_still_see_the_other_replicas_writes() {
    let url = postgres::fresh_database("delta_reads");
    let store = || settings(StoreChoice::Postgres(url.clone()));
    let [reader, writer] = [sandbox(&store()), sandbox(&store())];
    let paid = cib(&reader, "Transaction", payment("R1", "IFS", "1.00")).await;
    assert_eq!(paid.status, StatusCode::OK, "{:?}", paid.json);

    // After its own write, the first read takes the lock; the four after it find the copy current.
    let before = loads(&url);
    let first = balance(&reader, DEMO_ACCOUNT).await;
    for _ in 0..4 {
        assert_eq!(balance(&reader, DEMO_ACCOUNT).await, first);
    }
    let after = loads(&url);
    assert_eq!(after.current - before.current, 4, "{before:?} → {after:?}");

    // The other replica pays ₹7: the reader's next read sees it (its copy was stale, so it caught up).
    let paid = cib(&writer, "Transaction", payment("W1", "IFS", "7.00")).await;
    assert_eq!(paid.status, StatusCode::OK, "{:?}", paid.json);
    let before = loads(&url);
    assert_eq!(
        balance(&reader, DEMO_ACCOUNT).await,
        first - Decimal::new(7, 0)
    );
    let after = loads(&url);
    assert_eq!(
        after.current, before.current,
        "a stale copy is not read as current"
    );
    assert_eq!(
        after.caught_up - before.caught_up,
        1,
        "{before:?} → {after:?}"
    );
    // Right after another process's write, requests keep to the lock for a while.
    assert_eq!(
        balance(&reader, DEMO_ACCOUNT).await,
        first - Decimal::new(7, 0)
    );
    assert_eq!(loads(&url).current, after.current);

    // Once quiet, reads run current again, and a payment after them commits under the lock: the
    // writer sees it, and both answer its UNIQUEID sent again as a duplicate.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let before = loads(&url);
    assert_eq!(
        balance(&reader, DEMO_ACCOUNT).await,
        first - Decimal::new(7, 0)
    );
    let paid = cib(&reader, "Transaction", payment("R2", "IFS", "5.00")).await;
    assert_eq!(paid.status, StatusCode::OK, "{:?}", paid.json);
    assert_eq!(
        loads(&url).current - before.current,
        2,
        "the read and the payment"
    );
    assert_eq!(
        balance(&writer, DEMO_ACCOUNT).await,
        first - Decimal::new(12, 0)
    );
    for replica in [&reader, &writer] {
        let again = cib(replica, "Transaction", payment("R2", "IFS", "5.00")).await;
        assert_eq!(again.status, StatusCode::OK, "{:?}", again.json);
        assert_eq!(again.json["STATUS"], "DUPLICATE", "{:?}", again.json);
    }
    assert_eq!(
        balance(&reader, DEMO_ACCOUNT).await,
        first - Decimal::new(12, 0)
    );
}
