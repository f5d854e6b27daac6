//! Callbacks owed under a PostgreSQL store go through the database's outbox: real sandbank processes
//! on one database, and a partner's receiver on loopback that fails (or never answers) some
//! attempts. Each retry is sent once by one process, every attempt is listed the same by
//! `GET /sandbox/callbacks` on every process, and a retry left behind by a process killed with
//! `kill -9` is sent by another once its lease runs out, under the next attempt number. A reset
//! through one clears the log for all.

use std::{
    collections::BTreeMap,
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    path::PathBuf,
    process::Child,
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use crate::{
    helpers::postgres::fresh_database,
    store_binary::{request, start_with},
};

/// A sandbank process on the test's database; killed (SIGKILL) when dropped.
struct Process {
    child: Child,
    port: u16,
}

impl Process {
    fn start(store: &str, name: &str) -> Self {
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("outbox-{name}.log"));
        // Quick retries, so that a test sees several within seconds.
        let (child, port) = start_with(store, &["--callback-backoff-ms", "100"], Some(&log));
        Self { child, port }
    }

    /// A call with `apikey` (none when empty): status and parsed answer.
    fn call(&self, method: &str, path: &str, apikey: &str, body: &Value) -> (u16, Value) {
        let mut headers = vec![("Content-Type", "application/json")];
        if !apikey.is_empty() {
            headers.push(("apikey", apikey));
        }
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let (status, text) = request(self.port, method, path, &headers, &body)
            .unwrap_or_else(|| panic!("the process on port {} is gone", self.port));
        let json = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path} answered {status} non-JSON ({e}): {text}"));
        (status, json)
    }

    /// `GET /sandbox/callbacks` as this process answers it.
    fn callbacks(&self, apikey: &str) -> Vec<Value> {
        let (status, answer) = self.call("GET", "/sandbox/callbacks", apikey, &Value::Null);
        assert_eq!(status, 200, "{answer}");
        answer.as_array().expect("a list of attempts").clone()
    }

    /// A created app whose callbacks go to `url`: its apikey.
    fn create_app(&self, url: &str) -> String {
        let body = json!({ "name": "outbox", "callbackUrl": url });
        let (status, app) = self.call("POST", "/sandbox/apps", "", &body);
        assert_eq!(status, 201, "{app}");
        app["apikey"].as_str().unwrap().to_string()
    }

    /// Raises a UPI collect from `success@icici` (approved 5 s later on the real clock, which owes
    /// the merchant a callback); its BankRRN.
    fn collect(&self, apikey: &str, tran_id: &str) -> String {
        let body = crate::store_replicas::collect_body(tran_id);
        let path = "/api/MerchantAPI/UPI/v0/CollectPay3/400000";
        let (status, answer) = self.call("POST", path, apikey, &body);
        assert_eq!(
            (status, &answer["response"]),
            (200, &json!("92")),
            "{answer}"
        );
        answer["BankRRN"].as_str().unwrap().to_string()
    }

    /// `kill -9`: no shutdown, nothing flushed, its lease left to run out.
    fn kill_9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the receiver does with an attempt.
#[derive(Clone, Copy)]
enum Answer {
    /// Answers 500 to attempts up to this number, 200 after.
    FailFirst(u32),
    /// Never answers the first attempt (holds it open); 200 after.
    HangFirst,
}

/// One attempt as the receiver saw it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Arrival {
    delivery: String,
    attempt: u32,
    rrn: String,
}

/// A partner's callback receiver on loopback: its URL, and every attempt in arrival order.
fn receiver(answer: Answer) -> (String, Arc<Mutex<Vec<Arrival>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/upi/callback", listener.local_addr().unwrap());
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            thread::spawn(move || receive(stream, answer, &seen));
        }
    });
    (url, arrivals)
}

/// Reads one attempt, notes it, and answers it as `answer` says.
fn receive(mut stream: TcpStream, answer: Answer, seen: &Mutex<Vec<Arrival>>) {
    let mut reader = BufReader::new(&stream);
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length = headers.get("content-length").and_then(|l| l.parse().ok());
    let mut body = vec![0; length.unwrap_or(0)];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let arrival = Arrival {
        delivery: headers["x-sandbank-delivery"].clone(),
        attempt: headers["x-sandbank-attempt"].parse().unwrap(),
        rrn: body["BankRRN"].as_str().unwrap_or_default().to_string(),
    };
    let attempt = arrival.attempt;
    seen.lock().unwrap().push(arrival);
    let status = match answer {
        Answer::FailFirst(failing) if attempt <= failing => "500 Internal Server Error",
        Answer::HangFirst if attempt == 1 => {
            // Longer than the lease: only the sender's death ends this attempt.
            thread::sleep(Duration::from_secs(60));
            return;
        }
        _ => "200 OK",
    };
    let text = r#"{"status":"ACCEPTED"}"#;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{text}",
        text.len()
    );
}

/// Waits (at most `seconds`) until `done` holds for what the receiver saw.
fn wait_for(arrivals: &Mutex<Vec<Arrival>>, seconds: u64, done: impl Fn(&[Arrival]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done(&arrivals.lock().unwrap()) {
        assert!(
            Instant::now() < deadline,
            "the receiver saw only {:?}",
            arrivals.lock().unwrap()
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// An attempt as listed: its delivery id, number and status (0: no answer).
fn listed(attempt: &Value) -> (String, u64, u64) {
    (
        attempt["deliveryId"].as_str().unwrap().to_string(),
        attempt["attempt"].as_u64().unwrap(),
        attempt["status"].as_u64().unwrap_or(0),
    )
}

#[test]
fn retries_go_out_once_each_across_two_processes_and_both_list_every_attempt() {
    // Arrange: two processes on one database; a receiver failing each callback's first two attempts.
    let store = fresh_database("outbox-retries");
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| Process::start(&store, "retries-a"));
        let b = s.spawn(|| Process::start(&store, "retries-b"));
        (a.join().unwrap(), b.join().unwrap())
    });
    let (url, arrivals) = receiver(Answer::FailFirst(2));
    let apikey = a.create_app(&url);

    // Act: collects raised through both, each owing a callback when approved.
    let both = [&a, &b];
    let mut rrns: Vec<String> = (0..4)
        .map(|i| both[i % 2].collect(&apikey, &format!("ROB{i:04}")))
        .collect();
    wait_for(&arrivals, 30, |seen| {
        seen.iter().filter(|a| a.attempt == 3).count() == rrns.len()
    });
    // Time for a stray second sender to show itself: several ticks and backoffs.
    thread::sleep(Duration::from_secs(2));

    // Assert: attempts 1, 2 and 3 of each callback, each received once.
    let mut seen = arrivals.lock().unwrap().clone();
    seen.sort();
    let mut by_delivery: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
    for arrival in &seen {
        let entry = by_delivery.entry(arrival.delivery.clone()).or_default();
        entry.0 = arrival.rrn.clone();
        entry.1.push(arrival.attempt);
    }
    let mut delivered: Vec<String> = by_delivery.values().map(|(rrn, _)| rrn.clone()).collect();
    delivered.sort();
    rrns.sort();
    assert_eq!(delivered, rrns, "one delivery id per BankRRN: {seen:?}");
    for (delivery, (_, attempts)) in &by_delivery {
        assert_eq!(attempts, &[1, 2, 3], "attempts received of {delivery}");
    }

    // Both processes list the same attempts in the same order: by callback, the latest attempt first.
    let listed_a = a.callbacks(&apikey);
    assert_eq!(
        listed_a,
        b.callbacks(&apikey),
        "the two processes' callback lists"
    );
    assert_eq!(listed_a.len(), 12, "{listed_a:#?}");
    for callback in listed_a.chunks(3) {
        let rows: Vec<_> = callback.iter().map(listed).collect();
        let delivery = &rows[0].0;
        let expected: Vec<_> = [(3, 200), (2, 500), (1, 500)]
            .iter()
            .map(|&(n, status)| (delivery.clone(), n, status))
            .collect();
        assert_eq!(rows, expected, "{callback:#?}");
    }

    // A reset through either clears the one log for both.
    let (status, answer) = b.call("POST", "/sandbox/reset", &apikey, &Value::Null);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(a.callbacks(&apikey), Vec::<Value>::new(), "after a reset");
}

#[test]
fn a_retry_left_by_a_killed_process_is_sent_by_another_after_the_lease() {
    // Arrange: one process, a receiver that never answers a first attempt.
    let store = fresh_database("outbox-kill");
    let mut a = Process::start(&store, "kill-a");
    let (url, arrivals) = receiver(Answer::HangFirst);
    let apikey = a.create_app(&url);
    let rrn = a.collect(&apikey, "ROK0001");
    wait_for(&arrivals, 20, |seen| !seen.is_empty());
    let first_seen = Instant::now();

    // Act: the process sending attempt 1 dies mid-attempt; another process runs on the database.
    a.kill_9();
    let b = Process::start(&store, "kill-b");
    wait_for(&arrivals, 40, |seen| seen.len() == 2);
    let waited = first_seen.elapsed();
    thread::sleep(Duration::from_secs(2));

    // Assert: attempt 2 from the survivor, once, only after the lease (attempt timeout 5 s + 5 s)
    // ran out; attempt 1 listed as lost, since its answer was never recorded.
    let seen = arrivals.lock().unwrap().clone();
    let numbers: Vec<(u32, &str)> = seen.iter().map(|a| (a.attempt, a.rrn.as_str())).collect();
    assert_eq!(numbers, [(1, rrn.as_str()), (2, rrn.as_str())], "{seen:?}");
    assert_eq!(seen[0].delivery, seen[1].delivery);
    assert!(
        waited >= Duration::from_secs(8),
        "taken over after {waited:?}"
    );
    let listed_b = b.callbacks(&apikey);
    let rows: Vec<_> = listed_b.iter().map(listed).collect();
    let delivery = seen[0].delivery.clone();
    assert_eq!(
        rows,
        [(delivery.clone(), 2, 200), (delivery, 1, 0)],
        "{listed_b:#?}"
    );
    let lost = listed_b[1]["error"].as_str().unwrap_or_default();
    assert!(lost.contains("stopped"), "{lost}");
}
