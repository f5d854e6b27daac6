//! The SQLite store on the wire, with the real binary: every acknowledged write is there after a
//! `kill -9` and a restart on the same file, and every logged request and counted call after a clean
//! stop; a store that cannot be used stops the start with a one-line reason and a non-zero exit.

use std::{
    io::{BufRead, BufReader, ErrorKind, Read, Write},
    net::TcpStream,
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::store::temp_db;

/// The binary on `store`, on a free port: its process (to kill) and the port.
fn start(store: &str) -> (Child, u16) {
    start_with(store, &[], None)
}

/// [`start`] with more arguments, and its stderr kept in `log` (shown when the start fails).
pub fn start_with(store: &str, args: &[&str], log: Option<&Path>) -> (Child, u16) {
    let stderr = log.map_or_else(Stdio::null, |path| {
        Stdio::from(std::fs::File::create(path).expect("the log file opens"))
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(["--port", "0", "--store", store])
        .args(args)
        .env("SANDBANK_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or_else(|| {
            let said = log.and_then(|path| std::fs::read_to_string(path).ok());
            panic!("unexpected first line {line:?}; stderr: {said:?}")
        });
    (child, port)
}

/// One request on a fresh connection; `None` when the server is gone.
fn post(port: u16, path: &str, body: &str) -> Option<(u16, String)> {
    let headers = [
        ("apikey", "sandbank-demo-key"),
        ("Content-Type", "application/json"),
    ];
    request(port, "POST", path, &headers, body)
}

/// Any request on a fresh connection: status and body; `None` when the server is gone.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    write!(
        stream,
        "{head}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    // A server that never answers fails the test rather than hanging CI; a server gone (killed)
    // answers `None`.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let mut raw = String::new();
    if let Err(e) = stream.read_to_string(&mut raw) {
        let stalled = matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut);
        assert!(
            !stalled,
            "{method} {path}: no answer from port {port} in 60 s"
        );
        return None;
    }
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

fn pay(port: u16, unique_id: &str) -> Option<(u16, String)> {
    let body = format!(
        r#"{{"AGGRID":"SANDAGGR1","CORPID":"SANDCORP1","USERID":"SANDUSER1","URN":"SANDURN0001",
        "AGGRNAME":"SANDBANK","UNIQUEID":"{unique_id}","DEBITACC":"000405000001",
        "CREDITACC":"000405009999","IFSC":"ICIC0000004","AMOUNT":"1.00","CURRENCY":"INR",
        "TXNTYPE":"IFS","PAYEENAME":"Ravi Kumar","REMARKS":"kill test","WORKFLOW_REQD":"N"}}"#
    );
    post(port, "/api/Corporate/CIB/v1/Transaction", &body)
}

#[test]
fn every_acknowledged_write_survives_kill_9() {
    let db = temp_db("kill9");
    let store = format!("sqlite:{}", db.display());
    let (mut child, port) = start(&store);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    // Two writers, so the kill lands while requests are in flight.
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let acknowledged = acknowledged.clone();
            std::thread::spawn(move || {
                for n in 0.. {
                    let unique_id = format!("KILL{writer}{n:05}");
                    match pay(port, &unique_id) {
                        Some((200, body)) if body.contains(r#""STATUS":"SUCCESS""#) => {
                            acknowledged.lock().unwrap().push(unique_id)
                        }
                        Some((status, body)) => panic!("{unique_id}: {status} {body}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SIGKILL: no shutdown, no flush.
    child.kill().unwrap();
    child.wait().unwrap();
    for writer in writers {
        writer
            .join()
            .expect("a writer saw only 200s or a closed server");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let (mut restarted, port) = start(&store);
    for unique_id in &acknowledged {
        let (status, body) = pay(port, unique_id).expect("the restarted server answers");
        assert_eq!(status, 200);
        assert!(
            body.contains("DUPLICATE"),
            "{unique_id} was acknowledged before the kill but is not there: {body}"
        );
    }
    restarted.kill().unwrap();
    restarted.wait().unwrap();
}

/// The request log and today's quota count are written a moment after the answer (in batches); a
/// clean stop (SIGTERM) right after the last answer still keeps every entry and every call counted.
#[test]
fn a_clean_stop_keeps_every_logged_request_and_counted_call() {
    let db = temp_db("clean_stop");
    let store = format!("sqlite:{}", db.display());
    let (mut child, port) = start(&store);
    let pan = r#"{"pan":"ABCPE1234F"}"#;
    for _ in 0..30 {
        let (status, body) = post(port, "/api/v0/panValidation", pan).expect("the server answers");
        assert_eq!(status, 200, "{body}");
    }
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(child.wait().unwrap().success(), "a clean stop exits 0");

    let (mut restarted, port) = start(&store);
    let demo = [("apikey", "sandbank-demo-key")];
    let (status, body) = request(port, "GET", "/sandbox/requests?limit=200", &demo, "").unwrap();
    assert_eq!(status, 200, "{body}");
    let log: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ids: Vec<u64> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (1..=30).rev().collect::<Vec<u64>>());
    let (status, body) = request(port, "GET", "/sandbox/apps/me", &demo, "").unwrap();
    assert_eq!(status, 200, "{body}");
    let me: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(me["usage"]["used"], 30, "{me}");
    restarted.kill().unwrap();
    restarted.wait().unwrap();
}

fn refused(store: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(["--port", "0", "--store", store])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success(), "{store} was accepted");
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.lines().next().unwrap_or_default().to_string()
}

#[test]
fn an_unusable_store_stops_the_start_with_one_line() {
    assert!(refused("mongodb://x").contains("is not a store: use memory"));
    let unreachable = refused("postgres://sandbank:secret@127.0.0.1:1/bank");
    assert!(
        unreachable.contains("cannot connect to postgres://sandbank:***@127.0.0.1:1/bank")
            && unreachable.contains("Connection refused"),
        "{unreachable}"
    );
    let missing = refused("sqlite:/nonexistent-dir/sandbank.db");
    assert!(
        missing.contains("cannot open /nonexistent-dir/sandbank.db"),
        "{missing}"
    );

    let newer = temp_db("newer");
    let db = rusqlite::Connection::open(&newer).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    let line = refused(&format!("sqlite:{}", newer.display()));
    assert!(
        line.contains("schema version 99, newer than this sandbank"),
        "{line}"
    );
}
