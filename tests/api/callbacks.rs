//! Callbacks cannot be turned against the host: hostile receivers on loopback (a redirect to an
//! internal URL, a 50 MiB answer, one that never answers), targets outside `--callback-allow`, and
//! deliveries bounded per app and for the whole server. The callbacks here are e-collection MIS
//! pushes to a virtual account's own `callbackUrl`, which any app (the demo key included) can set.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use poem::http::StatusCode;
use sandbank::{
    sandbox::bank::callbacks::{targets::CallbackTargets, DeliveryLimits, RetryPolicy},
    SandboxSettings,
};
use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use crate::helpers::{spawn_app_with, TestApp, DEMO_KEY};

/// What a test receiver does with each callback.
#[derive(Clone)]
enum Behaviour {
    /// `302` to this location.
    Redirect(String),
    /// `200` announcing 50 MiB, written until the sandbox stops reading.
    Huge,
    /// Reads the request and never answers.
    Silent,
    /// `200 {"status":"ACCEPTED"}` after holding the request this long.
    SlowOk(Duration),
}

#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    bytes_written: AtomicUsize,
}

struct Receiver {
    url: String,
    seen: Arc<Seen>,
}

async fn receiver(behaviour: Behaviour) -> Receiver {
    receiver_counting(behaviour, Arc::new(Seen::default())).await
}

/// A receiver that also counts into `total`, shared with other receivers.
async fn receiver_counting(behaviour: Behaviour, total: Arc<Seen>) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mis", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let counters = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counters.connections.fetch_add(1, Ordering::SeqCst);
            let both = [counters.clone(), total.clone()];
            tokio::spawn(answer(stream, behaviour.clone(), both));
        }
    });
    Receiver { url, seen }
}

async fn answer(mut stream: TcpStream, behaviour: Behaviour, counters: [Arc<Seen>; 2]) {
    let seen = counters[0].clone();
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    for counter in &counters {
        let now = counter.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counter.max_in_flight.fetch_max(now, Ordering::SeqCst);
    }
    match behaviour {
        Behaviour::Redirect(location) => {
            let head =
                format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
        }
        Behaviour::Huge => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 52428800\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..800 {
                if stream.write_all(&chunk).await.is_err() {
                    break;
                }
                seen.bytes_written.fetch_add(chunk.len(), Ordering::SeqCst);
            }
        }
        Behaviour::Silent => tokio::time::sleep(Duration::from_secs(30)).await,
        Behaviour::SlowOk(hold) => {
            tokio::time::sleep(hold).await;
            // Out of flight before answering: once the answer is written the sandbox may start its
            // next delivery, possibly before this task runs again (a race on a loaded machine).
            for counter in &counters {
                counter.in_flight.fetch_sub(1, Ordering::SeqCst);
            }
            let body = r#"{"status":"ACCEPTED"}"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            return;
        }
    }
    for counter in &counters {
        counter.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn settings(attempts: u32, timeout_ms: u64, limits: DeliveryLimits) -> SandboxSettings {
    SandboxSettings {
        callback_policy: RetryPolicy {
            max_attempts: attempts,
            first_backoff: Duration::from_millis(10),
            timeout: Duration::from_millis(timeout_ms),
        },
        callback_limits: limits,
        ..SandboxSettings::default()
    }
}

/// A virtual account whose MIS pushes go to `url`, for the app with `apikey`.
async fn account_pushing_to(app: &TestApp, apikey: &str, payer_code: &str, url: &str) -> String {
    let answer = app
        .post_with(
            "/api/v1/ecollection/virtual-accounts",
            &[("apikey", apikey)],
            json!({ "corpId": "SANDCORP1", "payerCode": payer_code, "payerName": "Asha Traders",
                    "callbackUrl": url }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json["virtualAccountNumber"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn credit(app: &TestApp, apikey: &str, account: &str) {
    let answer = app
        .post_with(
            "/api/v1/ecollection/simulate-credit",
            &[("apikey", apikey)],
            json!({ "virtualAccountNumber": account, "amount": "100.00", "mode": "NEFT",
                    "remitterName": "Asha Traders", "remitterAccount": "50100012345678",
                    "remitterIfsc": "HDFC0000001", "remarks": "Invoice" }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
}

/// The app's callback attempts once at least `count` are recorded (waiting up to 10 s).
async fn attempts(app: &TestApp, apikey: &str, count: usize) -> Vec<Value> {
    for _ in 0..1000 {
        let answer = app
            .call(
                poem::http::Method::GET,
                "/sandbox/callbacks",
                &[("apikey", apikey)],
                None,
            )
            .await;
        let list = answer.json.as_array().cloned().unwrap_or_default();
        if list.len() >= count {
            return list;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("fewer than {count} callback attempts were recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_recorded_as_the_answer_and_never_followed() {
    let internal = receiver(Behaviour::SlowOk(Duration::ZERO)).await;
    let hostile = receiver(Behaviour::Redirect(format!("{}/secret", internal.url))).await;
    let app = spawn_app_with(settings(2, 1000, DeliveryLimits::default()));
    let account = account_pushing_to(&app, DEMO_KEY, "CUST0101", &hostile.url).await;

    credit(&app, DEMO_KEY, &account).await;
    let recorded = attempts(&app, DEMO_KEY, 2).await;

    for attempt in &recorded {
        assert_eq!(attempt["status"], 302, "{attempt}");
        assert_eq!(attempt["responseBody"], "", "{attempt}");
    }
    assert_eq!(
        internal.seen.connections.load(Ordering::SeqCst),
        0,
        "the internal URL was never reached"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_answer_is_read_only_to_4_kib_and_kept_truncated() {
    let hostile = receiver(Behaviour::Huge).await;
    let app = spawn_app_with(settings(1, 5000, DeliveryLimits::default()));
    let account = account_pushing_to(&app, DEMO_KEY, "CUST0102", &hostile.url).await;

    credit(&app, DEMO_KEY, &account).await;
    let recorded = attempts(&app, DEMO_KEY, 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let attempt = &recorded[0];
    assert_eq!(attempt["status"], 200);
    assert_eq!(attempt["responseBody"].as_str().unwrap().len(), 4096);
    assert_eq!(attempt["responseTruncated"], true);
    let written = hostile.seen.bytes_written.load(Ordering::SeqCst);
    assert!(
        written < 50 * 1024 * 1024,
        "the sandbox stopped reading: {written} bytes written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_never_answers_times_out() {
    let hostile = receiver(Behaviour::Silent).await;
    let app = spawn_app_with(settings(1, 300, DeliveryLimits::default()));
    let account = account_pushing_to(&app, DEMO_KEY, "CUST0103", &hostile.url).await;

    credit(&app, DEMO_KEY, &account).await;
    let recorded = attempts(&app, DEMO_KEY, 1).await;

    let attempt = &recorded[0];
    assert!(attempt["status"].is_null(), "{attempt}");
    let error = attempt["error"].as_str().unwrap();
    assert!(error.contains("timed out"), "{error}");
    assert!(attempt["latencyMs"].as_u64().unwrap() < 2000, "{attempt}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_outside_callback_allow_are_refused_before_any_connection() {
    let local = receiver(Behaviour::SlowOk(Duration::ZERO)).await;
    let public_only = DeliveryLimits {
        targets: CallbackTargets::parse("public").unwrap(),
        ..DeliveryLimits::default()
    };
    let app = spawn_app_with(settings(3, 1000, public_only));
    let to_loopback = account_pushing_to(&app, DEMO_KEY, "CUST0104", &local.url).await;
    let by_name = local.url.replace("127.0.0.1", "localhost");
    let to_localhost = account_pushing_to(&app, DEMO_KEY, "CUST0105", &by_name).await;
    let defaults = spawn_app_with(settings(3, 1000, DeliveryLimits::default()));
    let metadata = "http://169.254.169.254/latest/meta-data/";
    let to_metadata = account_pushing_to(&defaults, DEMO_KEY, "CUST0106", metadata).await;

    credit(&app, DEMO_KEY, &to_loopback).await;
    credit(&app, DEMO_KEY, &to_localhost).await;
    credit(&defaults, DEMO_KEY, &to_metadata).await;
    let refused = attempts(&app, DEMO_KEY, 2).await;
    let refused_metadata = attempts(&defaults, DEMO_KEY, 1).await;

    for attempt in refused.iter().chain(&refused_metadata) {
        assert!(attempt["status"].is_null(), "{attempt}");
        let error = attempt["error"].as_str().unwrap();
        assert!(error.contains("--callback-allow"), "{error}");
    }
    assert_eq!(local.seen.connections.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_bounded_per_app_and_for_the_server() {
    // Long enough that deliveries overlap even on a loaded machine (the lower bound below shows they did).
    let hold = Duration::from_millis(600);
    let total = Arc::new(Seen::default());
    let (first, second) = (
        receiver_counting(Behaviour::SlowOk(hold), total.clone()).await,
        receiver_counting(Behaviour::SlowOk(hold), total.clone()).await,
    );
    let limits = DeliveryLimits {
        global: 3,
        per_app: 2,
        ..DeliveryLimits::default()
    };
    let app = spawn_app_with(settings(1, 2000, limits));
    let other = app.create_app(json!({ "name": "second" })).await;
    let mine = account_pushing_to(&app, DEMO_KEY, "CUST0107", &first.url).await;
    let theirs = account_pushing_to(&app, &other.apikey, "CUST0108", &second.url).await;

    for _ in 0..6 {
        credit(&app, DEMO_KEY, &mine).await;
        credit(&app, &other.apikey, &theirs).await;
    }
    let delivered = attempts(&app, DEMO_KEY, 6).await;
    let delivered_other = attempts(&app, &other.apikey, 6).await;

    assert!(delivered
        .iter()
        .chain(&delivered_other)
        .all(|a| a["status"] == 200));
    let (a, b) = (
        first.seen.max_in_flight.load(Ordering::SeqCst),
        second.seen.max_in_flight.load(Ordering::SeqCst),
    );
    assert!(a <= 2 && b <= 2, "per app: {a} and {b} at once");
    let server = total.max_in_flight.load(Ordering::SeqCst);
    assert!(
        (2..=3).contains(&server),
        "for the server: {server} at once"
    );
}
