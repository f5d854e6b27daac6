//! A callback both replicas' tickers could send is delivered once: a partner's receiver on loopback
//! counts what each UPI collect's approval brought it.

use std::{
    collections::{BTreeMap, BTreeSet},
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use super::{replicas, Replica};

/// A partner's callback receiver on loopback: every body POSTed to it, answered 200.
fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/upi/callback", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            thread::spawn(move || {
                if let Some(body) = receive(&stream) {
                    seen.lock().unwrap().push(body);
                }
            });
        }
    });
    (url, bodies)
}

/// Reads one request's body and answers it 200.
fn receive(mut stream: &std::net::TcpStream) -> Option<Value> {
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok().filter(|n| *n > 0)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let answer = r#"{"status":"ACCEPTED"}"#;
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{answer}",
        answer.len()
    );
    Some(serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// Raises a UPI collect from `success@icici` (approved 5 s later, on the real clock) for the demo
/// merchant; its BankRRN.
fn collect(replica: &Replica, apikey: &str, tran_id: &str) -> String {
    let body = collect_body(tran_id);
    let (status, answer) =
        replica.post("/api/MerchantAPI/UPI/v0/CollectPay3/400000", apikey, &body);
    assert_eq!(
        (status, &answer["response"]),
        (200, &json!("92")),
        "{answer}"
    );
    answer["BankRRN"].as_str().unwrap().to_string()
}

#[test]
fn a_callback_both_replicas_tickers_could_send_is_delivered_once() {
    let (a, b, _) = replicas("callbacks");
    let (url, received) = receiver();
    let body = json!({ "name": "callbacks", "callbackUrl": url });
    let (status, app) = a.post("/sandbox/apps", "", &body);
    assert_eq!(status, 201, "{app}");
    let apikey = app["apikey"].as_str().unwrap();

    // Raised on both; each falls due on the real clock, where both replicas' tickers look each second.
    let both = [&a, &b];
    let rrns: BTreeSet<String> = (0..6)
        .map(|i| collect(both[i % 2], apikey, &format!("RCB{i:04}")))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(20);
    while received.lock().unwrap().len() < rrns.len() {
        assert!(Instant::now() < deadline, "callbacks missing: {received:?}");
        thread::sleep(Duration::from_millis(50));
    }
    // Two more ticks of each replica, and a retry's backoff, for a second delivery to show up.
    thread::sleep(Duration::from_secs(3));

    let received = received.lock().unwrap();
    let mut deliveries: BTreeMap<String, usize> = BTreeMap::new();
    for body in received.iter() {
        assert_eq!(body["TxnStatus"], "SUCCESS", "{body}");
        *deliveries
            .entry(body["BankRRN"].to_string().replace('"', ""))
            .or_default() += 1;
    }
    let once: BTreeMap<String, usize> = rrns.into_iter().map(|rrn| (rrn, 1)).collect();
    assert_eq!(deliveries, once, "deliveries per BankRRN");
}

/// A UPI collect from `success@icici` for the demo merchant, payable for 30 minutes of real time.
pub fn collect_body(tran_id: &str) -> Value {
    let ist = chrono::FixedOffset::east_opt(19_800).unwrap();
    let collect_by = (chrono::Utc::now() + chrono::Duration::minutes(30)).with_timezone(&ist);
    json!({
        "payerVa": "success@icici", "amount": "25.00", "note": "Order 42",
        "collectByDate": collect_by.format("%d/%m/%Y %I:%M %p").to_string(),
        "merchantId": "400000", "merchantName": "Sandbank Store",
        "subMerchantId": "400000", "subMerchantName": "Sandbank Store",
        "terminalId": "5411", "merchantTranId": tran_id, "billNumber": "BILL42"
    })
}
