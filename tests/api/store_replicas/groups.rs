//! A burst on one replica, where requests queue for the app: the payments of a burst share commits
//! (group commit) and the log entries share statements, yet each payment is acknowledged only once
//! committed, the other replica finds every one, a UNIQUEID repeated inside the burst moves money
//! once, and the request log numbers the burst without gaps and stays bounded at 200.

use super::{at_once, count, replicas, Replica};
use crate::helpers::{
    cib::{payment, DEMO_ACCOUNT},
    decimal, DEMO_KEY,
};

/// The log's entry numbers, newest first, as `replica` lists them.
fn logged_ids(replica: &Replica) -> Vec<u64> {
    let headers = [("apikey", DEMO_KEY)];
    let (status, log) = replica
        .try_call("GET", "/sandbox/requests?limit=200", &headers, "")
        .expect("the replica is up");
    assert_eq!(status, 200, "{log}");
    log["requests"]
        .as_array()
        .expect("a list of requests")
        .iter()
        .map(|entry| entry["id"].as_u64().expect("a numbered entry"))
        .collect()
}

#[test]
fn a_burst_of_payments_on_one_replica_is_committed_and_seen_by_the_other() {
    let (a, b, _) = replicas("burst");
    let opening = b.balance(DEMO_ACCOUNT);

    // 40 distinct UNIQUEIDs and one sent 8 times, all at once, all to A.
    let answers = at_once(48, |i| {
        let unique_id = match i {
            0..40 => format!("RGRP{i:04}"),
            _ => "RGRPSAME".to_string(),
        };
        a.pay(&payment(&unique_id, "IFS", "1.00"))
    });

    let paid = count(&answers, "SUCCESS", None);
    let duplicates = count(&answers, "DUPLICATE", Some("999936"));
    assert_eq!((paid, duplicates), (41, 7), "{answers:?}");
    for i in 0..40 {
        let inquiry = b.inquire(&format!("RGRP{i:04}"));
        assert_eq!(inquiry["STATUS"], "SUCCESS", "RGRP{i:04} on B: {inquiry}");
    }
    assert_eq!(b.balance(DEMO_ACCOUNT), opening - decimal("41.00"));
}

#[test]
fn a_burst_of_requests_is_numbered_without_gaps_and_the_log_stays_bounded() {
    let (a, b, _) = replicas("burst-log");
    let balance = |replica: &Replica| replica.balance(DEMO_ACCOUNT);

    at_once(60, |i| balance(if i % 4 == 0 { &b } else { &a }));
    let ids = logged_ids(&b);
    assert_eq!(
        ids,
        (1..=60).rev().collect::<Vec<u64>>(),
        "one numbering, no gaps"
    );

    // 180 more, 240 in all: the log keeps the last 200, whichever replica served them.
    at_once(180, |_| balance(&a));
    let ids = logged_ids(&b);
    assert_eq!(ids, (41..=240).rev().collect::<Vec<u64>>());
    assert_eq!(logged_ids(&a), ids);
}
