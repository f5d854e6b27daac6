//! Regression, on the real (multi-threaded) server: a callback without a URL used to be recorded by a
//! background task, so `GET /sandbox/callbacks` right after the clock moved listed such attempts in
//! arbitrary order or missed some, and the MIS report right after a credit said `QUEUED, 0` in some
//! apps and `FAILED, 1` in others. The same requests must give the same answers in every app.

use serde_json::{json, Value};

use crate::binary::Server;

/// Requests as one app, parsing each answer as JSON.
struct Caller<'a> {
    server: &'a Server,
    apikey: String,
}

impl Caller<'_> {
    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let (status, answer) = self.server.request_as(&self.apikey, method, path, &body);
        assert!(status < 300, "{method} {path}: {status} {answer}");
        serde_json::from_str(&answer).unwrap_or(Value::Null)
    }
}

fn collect(tran_id: &str, payer: &str) -> Value {
    json!({ "payerVa": payer, "amount": "10.00", "note": "Order", "collectByDate": "01/04/2026 11:00 AM",
            "merchantId": "400000", "merchantName": "Sandbank Store", "subMerchantId": "400000",
            "subMerchantName": "Sandbank Store", "terminalId": "5411", "merchantTranId": tran_id,
            "billNumber": "B1" })
}

/// Raises twelve collects at one instant, settles them all in one request, and reads the callbacks
/// at once; then a credit and the MIS report at once. Returns both answers, with the delivery ids
/// (random by design) left out.
fn one_app(server: &Server, round: usize) -> (Value, Value) {
    let body = json!({ "name": format!("order {round}") }).to_string();
    let (status, created) = server.request_as("", "POST", "/sandbox/apps", &body);
    assert_eq!(status, 201, "{created}");
    let created: Value = serde_json::from_str(&created).unwrap();
    let me = Caller {
        server,
        apikey: created["apikey"].as_str().unwrap().to_string(),
    };
    me.call(
        "POST",
        "/sandbox/clock",
        json!({ "freeze": "2026-04-01T10:00:00+05:30" }),
    );
    for (i, payer) in ["success@icici", "failure@icici"]
        .iter()
        .cycle()
        .take(12)
        .enumerate()
    {
        let path = "/api/MerchantAPI/UPI/v0/CollectPay3/400000";
        me.call("POST", path, collect(&format!("ORDER-{i}"), payer));
    }
    me.call("POST", "/sandbox/clock", json!({ "advance": "PT10S" }));
    let mut listed = me.call("GET", "/sandbox/callbacks", Value::Null);
    for attempt in listed.as_array_mut().unwrap() {
        attempt.as_object_mut().unwrap().remove("deliveryId");
    }
    let account = me.call(
        "POST",
        "/api/v1/ecollection/virtual-accounts",
        json!({ "corpId": "SANDCORP1", "payerCode": "CUST0201", "payerName": "Asha Traders" }),
    );
    me.call(
        "POST",
        "/api/v1/ecollection/simulate-credit",
        json!({ "virtualAccountNumber": account["virtualAccountNumber"], "amount": "100.00",
                "mode": "NEFT", "remitterName": "Asha Traders", "remitterAccount": "50100012345678",
                "remitterIfsc": "HDFC0000001" }),
    );
    let mis = me.call(
        "POST",
        "/api/v1/ecollection/mis",
        json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-01" }),
    );
    (listed, mis)
}

#[test]
fn two_servers_list_the_same_callbacks_at_once_and_in_the_same_order() {
    let (first, second) = (Server::start(&[]), Server::start(&[]));

    for round in 0..4 {
        let (listed, mis) = one_app(&first, round);
        let (listed_again, mis_again) = one_app(&second, round);

        let attempts = listed.as_array().unwrap();
        assert_eq!(
            attempts.len(),
            12,
            "app {round}: every callback, at once: {listed}"
        );
        assert!(
            attempts
                .iter()
                .all(|a| a["error"] == "no callback URL configured for this app"),
            "{listed}"
        );
        assert_eq!(
            listed, listed_again,
            "app {round}: the same answer on both servers"
        );
        let record = &mis["records"][0];
        assert_eq!(
            (&record["deliveryStatus"], &record["attempts"]),
            (&json!("FAILED"), &json!(1)),
            "app {round}: the MIS push's attempt, at once"
        );
        assert_eq!(
            mis, mis_again,
            "app {round}: the same MIS answer on both servers"
        );
    }
}
