//! The gateway and the control plane: open operations, the demo app's clock, unknown paths and
//! methods, scenarios, the body limit, headers partners send; and, at the end, the request log, the
//! callbacks, and reset.

use serde_json::{json, Value};

use super::super::recorder::{Call, Recorder};
use crate::helpers::{DEMO_KEY, FROZEN_AT};

pub const PAN: &str = "/api/v0/panValidation";

pub fn pan() -> Value {
    json!({ "pan": "ABCPE1234F" })
}

/// Freezes an app's clock at [`FROZEN_AT`]: the call itself arrives on the wall clock.
pub async fn freeze(rec: &mut Recorder, apikey: &str, whose: &str) {
    let note = format!("freeze {whose} clock at {FROZEN_AT}");
    let call = Call::post("/sandbox/clock").key(apikey);
    let call = call.json(json!({ "freeze": FROZEN_AT })).note(note);
    rec.send(call.wall_clock()).await;
}

pub async fn opening(rec: &mut Recorder) {
    open_operations(rec).await;
    freeze(rec, DEMO_KEY, "the demo app's").await;
    let me = Call::get("/sandbox/apps/me").demo();
    rec.send(me.note("the demo app, its plan and usage")).await;
    clock(rec).await;
    routes_and_scenarios(rec).await;
    bodies_and_headers(rec).await;
}

async fn open_operations(rec: &mut Recorder) {
    for (path, note) in [
        ("/healthz", "health, no credentials"),
        (
            "/sandbox/keys/bank.pem",
            "the bank's public key and certificate",
        ),
        ("/sandbox/keys/bank.cer", "the bank's certificate, DER"),
    ] {
        rec.send(Call::get(path).note(note)).await;
    }
}

async fn clock(rec: &mut Recorder) {
    for (body, why) in [
        (json!({ "advance": "PT0S" }), "advance by nothing"),
        (
            json!({ "freeze": FROZEN_AT, "advance": "PT1H" }),
            "freeze and advance at once",
        ),
        (json!({ "advance": "one hour" }), "a malformed duration"),
        (json!({ "freeze": "yesterday" }), "a malformed instant"),
        (json!({}), "nothing asked"),
    ] {
        let note = format!("the clock: {why}");
        rec.post(&note, "/sandbox/clock", body).await;
    }
}

async fn routes_and_scenarios(rec: &mut Recorder) {
    rec.send(Call::get("/no/such/api").demo().note("an unknown path"))
        .await;
    rec.send(Call::get(PAN).demo().note("GET on a POST operation"))
        .await;
    let put = Call::new(poem::http::Method::PUT, "/sandbox/clock").demo();
    rec.send(put.json(json!({})).note("PUT on a POST operation"))
        .await;
    let scenarios = [
        "server-error",
        "rate-limited",
        "slow:5",
        "timeout",
        "slow:31000",
        "often",
    ];
    for scenario in scenarios {
        let call = Call::post(PAN)
            .demo()
            .header("x-sandbox-scenario", scenario);
        let note = format!("x-sandbox-scenario: {scenario}");
        rec.send(call.json(pan()).note(note)).await;
    }
    let open = Call::get("/healthz").header("x-sandbox-scenario", "server-error");
    rec.send(open.note("a scenario on an open operation")).await;
    let limited = Call::get("/healthz").header("x-sandbox-scenario", "rate-limited");
    let note = "rate-limited on an open operation: Retry-After counts to the wall clock's midnight";
    rec.send(limited.note(note).wall_clock()).await;
}

async fn bodies_and_headers(rec: &mut Recorder) {
    let mebibyte = 1024 * 1024;
    let over = Call::post(PAN)
        .demo()
        .repeated("application/json", b' ', mebibyte + 1);
    rec.send(over.note("a body over 1 MiB")).await;
    let under = Call::post(PAN)
        .demo()
        .repeated("application/json", b' ', mebibyte - 20);
    let note = "spaces just under 1 MiB: read, then refused as JSON";
    rec.send(under.note(note)).await;
    let signed = Call::post(PAN).demo().fingerprint().json(pan());
    rec.send(signed.note("X-ID-Fingerprint over the body as sent"))
        .await;
    let garbled = Call::post(PAN)
        .demo()
        .header("x-id-fingerprint", "bm90IGEgZmluZ2VycHJpbnQ=");
    let note = "an X-ID-Fingerprint that does not decrypt";
    rec.send(garbled.json(pan()).note(note)).await;
    for (name, value) in [
        ("X-SDK-Originated", "true"),
        ("x-forwarded-for", "10.1.2.3"),
        ("APIKEY", DEMO_KEY),
    ] {
        let call = Call::post(PAN).header(name, value);
        let call = if name == "APIKEY" { call } else { call.demo() };
        let note = format!("a header partners send: {name}");
        rec.send(call.json(pan()).note(note)).await;
    }
    let stranger = Call::post(PAN).key("not-a-key").json(pan());
    rec.send(stranger.note("an unknown apikey")).await;
}

/// The request log, the callbacks, and reset — last, since reset wipes the demo app.
pub async fn closing(rec: &mut Recorder) {
    for (query, why) in [
        ("?limit=3", "the last three requests"),
        ("?path=/api/v0/panValidation&limit=3", "filtered by path"),
        ("?status=4xx&limit=4", "filtered by status class"),
        ("?status=504&limit=2", "filtered by status"),
        ("?limit=0", "a limit below 1"),
        ("?limit=201", "a limit above 200"),
        ("?status=teapot", "a status filter that is not one"),
    ] {
        let call = Call::get(format!("/sandbox/requests{query}")).demo();
        rec.send(call.note(format!("request log: {why}"))).await;
    }
    let callbacks = Call::get("/sandbox/callbacks").demo();
    rec.send(callbacks.note("every callback attempt, newest first"))
        .await;
    let me = Call::get("/sandbox/apps/me").demo();
    rec.send(me.note("the demo app's usage after the corpus"))
        .await;
    snapshots(rec).await;
    reset(rec).await;
}

/// The demo app's state saved after the corpus and put back; a bad document and an unknown id. (The
/// sweep imports and exports the documented example; restoring it there would wipe the demo app.)
async fn snapshots(rec: &mut Recorder) {
    let save = Call::post("/sandbox/snapshots").demo();
    let saved = rec.send(save.note("save the demo app's state")).await;
    let id = saved.field("/id");
    let cib = json!({
        "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001",
        "AGGRNAME": "SANDBANK", "UNIQUEID": "SNAPSHOT0001", "DEBITACC": "000405000001",
        "CREDITACC": "000405009999", "IFSC": "ICIC0000004", "AMOUNT": "5000.00", "CURRENCY": "INR",
        "TXNTYPE": "IFS", "PAYEENAME": "Ravi Kumar", "REMARKS": "after the snapshot",
        "WORKFLOW_REQD": "N"
    });
    let pay = "a payment after the snapshot";
    rec.post(pay, "/api/Corporate/CIB/v1/Transaction", cib.clone())
        .await;
    let restore = Call::post(format!("/sandbox/snapshots/{id}/restore")).demo();
    rec.send(restore.note("restore it: the payment is undone"))
        .await;
    let again = "the same UNIQUEID after the restore: a new payment, not a duplicate";
    rec.post(again, "/api/Corporate/CIB/v1/Transaction", cib)
        .await;
    let bad = json!({ "format": "sandbank-snapshot/0", "clock": { "frozenAt": null, "offsetMs": 0 },
        "ledger": { "nextEntry": 1, "accounts": [] }, "families": {} });
    let import = Call::post("/sandbox/snapshots").demo().json(bad);
    rec.send(import.note("a document in another format")).await;
    let unknown = Call::post("/sandbox/snapshots/snap_ffffffffffffffff/restore").demo();
    rec.send(unknown.note("restore an id the app does not keep"))
        .await;
}

async fn reset(rec: &mut Recorder) {
    let reset = Call::post("/sandbox/reset").demo();
    let note = "reset the demo app: its clock runs in real time again";
    rec.send(reset.note(note).wall_clock()).await;
    let callbacks = Call::get("/sandbox/callbacks").demo();
    rec.send(callbacks.note("callbacks after reset").wall_clock())
        .await;
    let log = Call::get("/sandbox/requests?path=/api/").demo();
    rec.send(log.note("the request log after reset").wall_clock())
        .await;
    freeze(rec, DEMO_KEY, "the demo app's").await;
    let goal = json!({ "goalId": "IW0000000001" });
    rec.post(
        "after reset: goals are gone",
        "/api/v1/iwish/goal-view",
        goal,
    )
    .await;
    let balance = json!({
        "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001",
        "ACCOUNTNO": "000405000001"
    });
    let note = "after reset: the opening balance again";
    rec.post(note, "/api/Corporate/CIB/v1/BalanceInquiry", balance)
        .await;
    let me = Call::get("/sandbox/apps/me").demo();
    rec.send(me.note("after reset: the quota counts from zero"))
        .await;
}
