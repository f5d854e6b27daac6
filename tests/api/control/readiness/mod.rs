//! `GET /sandbox/readiness`: a partner flow graded proven, done wrong and not yet — in JSON, in JUnit
//! (read back with an XML parser) and as the HTML page — from the calling app's own requests only,
//! outliving the request log.

use std::collections::{BTreeMap, BTreeSet};

use poem::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    cib::{self, identity_with},
    Answer, NewApp, TestApp, FROZEN_AT,
};

mod callbacks;
mod grading;
mod junit;
mod page;

/// A partner app calling the sandbox with its own key.
struct Partner<'a> {
    app: &'a TestApp,
    me: NewApp,
}

/// A CIB payment from the demo corporate to the demo beneficiary, paid at once.
fn payment(unique_id: &str, amount: &str) -> Value {
    cib::payment(unique_id, "TPA", amount)
}

impl<'a> Partner<'a> {
    /// A new app (every family) with its clock frozen.
    async fn new(app: &'a TestApp, name: &str) -> Self {
        let me = app
            .create_app(json!({ "name": name, "plan": "premium" }))
            .await;
        let partner = Self { app, me };
        partner.clock(json!({ "freeze": FROZEN_AT })).await;
        partner
    }

    async fn call(&self, path: &str, headers: &[(&str, &str)], body: Value) -> Answer {
        let mut all = vec![("apikey", self.me.apikey.as_str())];
        all.extend_from_slice(headers);
        self.app.post_with(path, &all, body).await
    }

    async fn get(&self, path: &str) -> Answer {
        self.app
            .call(Method::GET, path, &[("apikey", &self.me.apikey)], None)
            .await
    }

    async fn cib(&self, operation: &str, body: Value) -> Answer {
        let path = format!("/api/Corporate/CIB/v1/{operation}");
        self.call(&path, &[], body).await
    }

    async fn pan(&self, pan: &str, headers: &[(&str, &str)]) -> Answer {
        self.call("/api/v0/panValidation", headers, json!({ "pan": pan }))
            .await
    }

    async fn clock(&self, body: Value) {
        self.app.clock_of(&self.me.apikey, body).await;
    }

    async fn report(&self) -> Value {
        let answer = self.get("/sandbox/readiness").await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        assert!(answer.content_type.starts_with("application/json"));
        answer.json
    }

    /// The request log, newest first.
    async fn log(&self) -> Vec<Value> {
        let answer = self.get("/sandbox/requests?limit=200").await;
        answer.json["requests"].as_array().unwrap().clone()
    }
}

/// Every item's state, by item id.
fn states(report: &Value) -> BTreeMap<String, String> {
    report["families"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["items"].as_array().unwrap())
        .map(|i| {
            let id = i["id"].as_str().unwrap().to_string();
            (id, i["state"].as_str().unwrap().to_string())
        })
        .collect()
}

fn item<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["families"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["items"].as_array().unwrap())
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn ids(evidence: &Value) -> Vec<u64> {
    evidence["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

fn with_state<'m>(states: &'m BTreeMap<String, String>, state: &str) -> BTreeSet<&'m str> {
    states
        .iter()
        .filter(|(_, s)| *s == state)
        .map(|(id, _)| id.as_str())
        .collect()
}

/// Drives the flow the readiness tests share: some items proven, one done wrong (a payment sent
/// again under a new UNIQUEID after a timeout), the rest left alone.
async fn partner_flow(partner: &Partner<'_>) {
    let paid = partner.cib("Transaction", payment("RD-1", "100.00")).await;
    assert_eq!(paid.json["STATUS"], "SUCCESS", "{:?}", paid.json);
    let again = partner.cib("Transaction", payment("RD-1", "100.00")).await;
    assert_eq!(again.json["STATUS"], "DUPLICATE", "{:?}", again.json);
    let broke = partner.cib("Transaction", payment("RD-2", "100.51")).await;
    assert_eq!(broke.json["RESPONSECODE"], "100030", "{:?}", broke.json);
    // The mistake: after a timeout, the same payment under a new UNIQUEID, no inquiry first.
    let timed_out = partner.cib("Transaction", payment("RD-3", "250.96")).await;
    timed_out.assert_envelope(504, 8013);
    let repaid = partner.cib("Transaction", payment("RD-4", "250.96")).await;
    repaid.assert_envelope(504, 8013);
    // A 429 waited out on the sandbox clock.
    let limited = partner
        .pan("ABCPE1234F", &[("x-sandbox-scenario", "rate-limited:5")])
        .await;
    limited.assert_envelope(429, 429);
    assert_eq!(limited.header("retry-after"), "5");
    partner.clock(json!({ "advance": "PT5S" })).await;
    let valid = partner.pan("ABCPE1234F", &[]).await;
    assert_eq!(valid.json["data"]["PANStatus"], "E", "{:?}", valid.json);
}

const PROVEN: [&str; 5] = [
    "bb-pan-valid",
    "cib-duplicate-uniqueid",
    "cib-insufficient-funds",
    "cib-payment-success",
    "gateway-429-retry-after",
];
