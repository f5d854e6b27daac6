//! Two real sandbank processes on one PostgreSQL database (`--store postgres://…`), called over HTTP as
//! partners call a hosted sandbox behind a load balancer: a UNIQUEID sent to both at once moves money
//! once, concurrent debits never overdraw, a plan quota is one count, tokens and apps made on one work
//! on the other, new apps get distinct ids, a `kill -9` of one loses no acknowledged write, a
//! callback both replicas' tickers could send is delivered once (`callbacks.rs`), a burst on one
//! replica is committed, seen by the other and logged without gaps (`groups.rs`), and payments raced
//! on both after a quiet spell of reads are all paid (`current.rs`). Each test has a database of its
//! own (`helpers::postgres`).

mod callbacks;
mod current;
mod groups;

pub use callbacks::collect_body;

use std::{
    collections::BTreeSet,
    path::PathBuf,
    process::Child,
    sync::{
        atomic::{AtomicBool, Ordering},
        Barrier, Mutex,
    },
    thread,
    time::{Duration, Instant},
};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::{
    helpers::{
        cib::{identity_with, path, payment, DEMO_ACCOUNT},
        decimal, decimal_of,
        postgres::{fresh_database, sql},
        DEMO_KEY,
    },
    store_binary::{request, start_with},
};

/// The demo corporate's second account: ₹50,000 on a fresh sandbox, cheap to drain.
const SECOND_ACCOUNT: &str = "000405000002";

/// A sandbank process on the test's database; killed (SIGKILL) when dropped.
struct Replica {
    child: Mutex<Child>,
    port: u16,
}

impl Replica {
    fn start(store: &str, name: &str) -> Self {
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("replica-{name}.log"));
        // Quick callback retries, so a failed delivery would be retried (and seen) within the test.
        let args = ["--callback-backoff-ms", "100"];
        let (child, port) = start_with(store, &args, Some(&log));
        Self {
            child: Mutex::new(child),
            port,
        }
    }

    /// A call with these headers and an optional JSON body: status and parsed answer; `None` once
    /// the process is gone.
    fn try_call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Option<(u16, Value)> {
        let (status, text) = request(self.port, method, path, headers, body)?;
        let json = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!("{method} {path} answered {status} with non-JSON ({e}): {text}")
        });
        Some((status, json))
    }

    /// A JSON POST with `apikey` (none when empty), to a replica that must be up.
    fn post(&self, path: &str, apikey: &str, body: &Value) -> (u16, Value) {
        let mut headers = vec![("Content-Type", "application/json")];
        if !apikey.is_empty() {
            headers.push(("apikey", apikey));
        }
        self.try_call("POST", path, &headers, &body.to_string())
            .unwrap_or_else(|| panic!("the replica on port {} is gone", self.port))
    }

    fn pay(&self, body: &Value) -> (u16, Value) {
        self.post(&path("Transaction"), DEMO_KEY, body)
    }

    /// An account's effective balance by `BalanceInquiry` with `apikey`.
    fn balance_with(&self, apikey: &str, account: &str) -> Decimal {
        let body = identity_with(json!({ "ACCOUNTNO": account }));
        let (status, answer) = self.post(&path("BalanceInquiry"), apikey, &body);
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["RESPONSE"], "SUCCESS", "{answer}");
        decimal_of(&answer["EFFECTIVEBAL"])
    }

    fn balance(&self, account: &str) -> Decimal {
        self.balance_with(DEMO_KEY, account)
    }

    /// `TransactionInquiry` of a UNIQUEID: its STATUS.
    fn inquire(&self, unique_id: &str) -> Value {
        let body = identity_with(json!({ "UNIQUEID": unique_id }));
        let (status, answer) = self.post(&path("TransactionInquiry"), DEMO_KEY, &body);
        assert_eq!(status, 200, "{answer}");
        answer
    }

    /// `kill -9`: no shutdown, nothing flushed.
    fn kill_9(&self) {
        let mut child = self.child.lock().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let child = self
            .child
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Two replicas on a fresh database, started at once (so their schema set-up races too).
fn replicas(test: &str) -> (Replica, Replica, String) {
    let store = fresh_database(test);
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| Replica::start(&store, &format!("{test}-a")));
        let b = s.spawn(|| Replica::start(&store, &format!("{test}-b")));
        (a.join().unwrap(), b.join().unwrap())
    });
    (a, b, store)
}

/// Runs `count` calls released at the same instant; their results in order.
fn at_once<T: Send>(count: usize, call: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let barrier = Barrier::new(count);
    thread::scope(|s| {
        let calls: Vec<_> = (0..count)
            .map(|i| {
                let (barrier, call) = (&barrier, &call);
                s.spawn(move || {
                    barrier.wait();
                    call(i)
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    })
}

/// How many answers are 200 with this STATUS (and RESPONSECODE).
fn count(answers: &[(u16, Value)], status: &str, code: Option<&str>) -> usize {
    answers
        .iter()
        .filter(|(http, a)| {
            *http == 200 && a["STATUS"] == status && code.is_none_or(|c| a["RESPONSECODE"] == c)
        })
        .count()
}

#[test]
fn a_fresh_database_from_the_helper_is_empty_and_named_after_the_test() {
    let url = fresh_database("Helper-Check");
    let database = format!("sbt_{}_helper_check", std::process::id());
    assert!(url.ends_with(&format!("/{database}")), "{url}");
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    assert_eq!(sql(&url, tables).trim(), "0");
    sql(&url, "CREATE TABLE left_behind (id int)");
    assert_eq!(sql(&url, tables).trim(), "1");
    assert_eq!(fresh_database("Helper-Check"), url);
    assert_eq!(sql(&url, tables).trim(), "0", "a second call starts empty");
}

#[test]
fn a_uniqueid_sent_to_both_replicas_at_once_moves_money_once() {
    let (a, b, _) = replicas("duplicates");
    let both = [&a, &b];
    let opening = a.balance(DEMO_ACCOUNT);
    let body = payment("RDUP0001", "IFS", "700.00");

    let answers = at_once(10, |i| both[i % 2].pay(&body));

    let paid = count(&answers, "SUCCESS", None);
    let duplicates = count(&answers, "DUPLICATE", Some("999936"));
    assert_eq!((paid, duplicates), (1, 9), "{answers:?}");
    let utr = &answers
        .iter()
        .find(|(_, a)| a["STATUS"] == "SUCCESS")
        .unwrap()
        .1["UTRNUMBER"];
    for replica in both {
        assert_eq!(replica.balance(DEMO_ACCOUNT), opening - decimal("700.00"));
        let inquiry = replica.inquire("RDUP0001");
        assert_eq!(inquiry["STATUS"], "SUCCESS", "{inquiry}");
        assert_eq!(&inquiry["UTRNUMBER"], utr, "{inquiry}");
    }
}

#[test]
fn concurrent_debits_over_both_replicas_never_overdraw() {
    let (a, b, _) = replicas("overdraft");
    let both = [&a, &b];
    let opening = b.balance(SECOND_ACCOUNT);
    let amount = decimal("7000.00");
    assert_eq!(opening, decimal("50000.00"), "the fixture's balance");

    // ₹84,000 asked of ₹50,000: seven can be paid, five must be declined for funds.
    let answers = at_once(12, |i| {
        let mut body = payment(&format!("ROVR{i:04}"), "IFS", "7000.00");
        body["DEBITACC"] = json!(SECOND_ACCOUNT);
        both[i % 2].pay(&body)
    });

    let paid = count(&answers, "SUCCESS", None);
    let declined = count(&answers, "FAILURE", Some("100030"));
    assert_eq!((paid, declined), (7, 5), "{answers:?}");
    for replica in both {
        let closing = replica.balance(SECOND_ACCOUNT);
        assert!(closing >= Decimal::ZERO, "overdrawn: {closing}");
        assert_eq!(closing, opening - amount * Decimal::from(paid));
    }
}

/// An OAuth2 client-credentials token from `replica`.
fn token(replica: &Replica, client_id: &str, secret: &str) -> String {
    let form = format!(
        "grant_type=client_credentials&client_id={client_id}&client_secret={secret}&scope=cash-management"
    );
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let (status, answer) = replica
        .try_call("POST", "/oauth2/token", &headers, &form)
        .expect("the replica is up");
    assert_eq!(status, 200, "{answer}");
    answer["access_token"].as_str().unwrap().to_string()
}

/// A `BalanceInquiry` of the demo account with a bearer token: HTTP status and answer.
fn balance_by_token(replica: &Replica, token: &str) -> (u16, Value) {
    let bearer = format!("Bearer {token}");
    let headers = [
        ("Content-Type", "application/json"),
        ("Authorization", bearer.as_str()),
    ];
    let body = identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })).to_string();
    replica
        .try_call("POST", &path("BalanceInquiry"), &headers, &body)
        .expect("the replica is up")
}

#[test]
fn a_token_issued_by_one_replica_is_accepted_by_the_other() {
    // No --jwt-secret: each process would sign with a random secret of its own unless the store
    // shares one.
    let (a, b, _) = replicas("tokens");

    let from_a = token(&a, "sandbank-demo", "sandbank-demo-secret");
    let from_b = token(&b, "sandbank-demo", "sandbank-demo-secret");

    for (issued, verifier) in [(&from_a, &b), (&from_b, &a)] {
        let (status, answer) = balance_by_token(verifier, issued);
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["RESPONSE"], "SUCCESS", "{answer}");
    }
    let mut forged = from_a.clone();
    let last = if forged.ends_with('A') { "B" } else { "A" };
    forged.replace_range(forged.len() - 1.., last);
    let (status, answer) = balance_by_token(&b, &forged);
    assert_eq!(
        status, 401,
        "a token the shared secret did not sign: {answer}"
    );
}

/// `POST /sandbox/apps` on `replica`: the new app's id and apikey.
fn create_app(replica: &Replica, name: &str) -> (String, String) {
    let (status, answer) = replica.post("/sandbox/apps", "", &json!({ "name": name }));
    assert_eq!(status, 201, "{answer}");
    let field = |f: &str| answer[f].as_str().unwrap().to_string();
    (field("id"), field("apikey"))
}

/// `GET /sandbox/apps/me` with `apikey`: the app's id.
fn me(replica: &Replica, apikey: &str) -> String {
    let (status, answer) = replica
        .try_call("GET", "/sandbox/apps/me", &[("apikey", apikey)], "")
        .expect("the replica is up");
    assert_eq!(status, 200, "{answer}");
    answer["id"].as_str().unwrap().to_string()
}

#[test]
fn apps_created_on_either_replica_work_on_both_with_distinct_ids() {
    let (a, b, _) = replicas("apps");
    let both = [&a, &b];

    let (id, apikey) = create_app(&a, "made-on-a");
    assert_eq!(me(&b, &apikey), id);
    assert_eq!(b.balance_with(&apikey, DEMO_ACCOUNT), decimal("1000000.00"));

    let created = at_once(6, |i| {
        (i % 2, create_app(both[i % 2], &format!("racer-{i}")))
    });
    let ids: BTreeSet<&String> = created.iter().map(|(_, (id, _))| id).collect();
    let keys: BTreeSet<&String> = created.iter().map(|(_, (_, key))| key).collect();
    assert_eq!((ids.len(), keys.len()), (6, 6), "{created:?}");
    assert!(!ids.contains(&id), "{created:?} reuses {id}");
    for (made_on, (id, apikey)) in &created {
        let other = both[1 - made_on];
        assert_eq!(&me(other, apikey), id, "the other replica knows {id}");
    }
}

#[test]
fn a_plan_quota_is_one_count_across_both_replicas() {
    let (a, b, _) = replicas("quota");
    let (status, app) = a.post(
        "/sandbox/apps",
        "",
        &json!({ "name": "quota", "dailyLimit": 10 }),
    );
    assert_eq!(status, 201, "{app}");
    let apikey = app["apikey"].as_str().unwrap();
    let both = [&a, &b];
    let inquiry = identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT }));

    // On the real clock (the sixteen calls take well under a second of one sandbox day).
    let answers = at_once(16, |i| {
        both[i % 2].post(&path("BalanceInquiry"), apikey, &inquiry)
    });

    let served = answers.iter().filter(|(status, _)| *status == 200).count();
    let refused = answers
        .iter()
        .filter(|(status, answer)| *status == 429 && answer["response"] == 429)
        .count();
    assert_eq!((served, refused), (10, 6), "{answers:?}");
}

/// A writer paying ₹1 at a time through `replica` until it is gone or `stop` is set; every UNIQUEID
/// it sent, and those acknowledged (200 SUCCESS), are recorded.
fn writer(
    replica: &Replica,
    tag: &str,
    stop: &AtomicBool,
    sent: &Mutex<Vec<String>>,
    acknowledged: &Mutex<Vec<String>>,
) {
    for n in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let unique_id = format!("RKIL{tag}{n:05}");
        sent.lock().unwrap().push(unique_id.clone());
        let body = payment(&unique_id, "IFS", "1.00").to_string();
        let headers = [("Content-Type", "application/json"), ("apikey", DEMO_KEY)];
        match replica.try_call("POST", &path("Transaction"), &headers, &body) {
            Some((200, answer)) if answer["STATUS"] == "SUCCESS" => {
                acknowledged.lock().unwrap().push(unique_id)
            }
            Some((status, answer)) => panic!("{unique_id}: {status} {answer}"),
            None => return,
        }
    }
}

#[test]
fn kill_9_of_one_replica_under_writes_loses_no_acknowledged_write() {
    let (a, b, _) = replicas("kill9");
    let opening = b.balance(DEMO_ACCOUNT);
    let (stop, sent, acknowledged) = (
        AtomicBool::new(false),
        Mutex::new(Vec::new()),
        Mutex::new(Vec::new()),
    );

    thread::scope(|s| {
        // Two writers on each replica; A's are cut off mid-request by the kill.
        for (replica, tag) in [(&a, "A0"), (&a, "A1"), (&b, "B0"), (&b, "B1")] {
            let (stop, sent, acknowledged) = (&stop, &sent, &acknowledged);
            s.spawn(move || writer(replica, tag, stop, sent, acknowledged));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while acknowledged.lock().unwrap().len() < 80 {
            assert!(Instant::now() < deadline, "too few writes acknowledged");
            thread::sleep(Duration::from_millis(20));
        }
        a.kill_9();
        // B keeps taking writes for a moment after A is gone.
        thread::sleep(Duration::from_millis(300));
        stop.store(true, Ordering::SeqCst);
    });

    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(
        acknowledged.iter().any(|id| id.starts_with("RKILA")),
        "A acknowledged writes before the kill"
    );
    let mut found = 0;
    for unique_id in sent.into_inner().unwrap() {
        let inquiry = b.inquire(&unique_id);
        let paid = inquiry["STATUS"] == "SUCCESS";
        if acknowledged.contains(&unique_id) {
            assert!(paid, "{unique_id} was acknowledged but B has {inquiry}");
        }
        found += usize::from(paid);
    }
    // In-flight writes A never answered may or may not be there; the books hold exactly those found.
    assert_eq!(
        b.balance(DEMO_ACCOUNT),
        opening - Decimal::from(found),
        "{found} payments of ₹1 found"
    );
}
