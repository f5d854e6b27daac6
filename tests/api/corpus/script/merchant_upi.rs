//! Merchant UPI: collects from each magic payer, settled by the clock or by hand in the sandbox, their
//! callbacks, refunds, QR intents (plain and signed), and VPA checks.

use serde_json::{json, Value};

use super::super::recorder::{Call, Recorder};

const MERCHANT: &str = "400000";
/// An hour after the NEFT batch the payments chapter waits for.
const COLLECT_BY: &str = "01/04/2026 11:30 AM";

fn ids(extra: Value) -> Value {
    let mut body =
        json!({ "merchantId": MERCHANT, "subMerchantId": MERCHANT, "terminalId": "5411" });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

fn collect(tran_id: &str, payer: &str, amount: &str) -> Value {
    ids(json!({
        "payerVa": payer, "amount": amount, "note": "Order 42", "collectByDate": COLLECT_BY,
        "merchantName": "Sandbank Store", "subMerchantName": "Sandbank Store",
        "merchantTranId": tran_id, "billNumber": "BILL42"
    }))
}

fn merchant(op: &str) -> String {
    format!("/api/MerchantAPI/UPI/v0/{op}/{MERCHANT}")
}

fn transaction(tran_id: &str) -> Value {
    ids(json!({ "merchantTranId": tran_id }))
}

fn decide(rrn: &str, verdict: &str, note: &str) -> Call {
    Call::post(format!("/sandbox/upi/{rrn}/{verdict}"))
        .demo()
        .json(json!({}))
        .note(format!("sandbox: {note}"))
}

pub async fn chain(rec: &mut Recorder) {
    let rrns = collects(rec).await;
    refused_collects(rec).await;
    settle(rec, &rrns).await;
    outcomes(rec).await;
    qr(rec).await;
    vpa_checks(rec).await;
}

/// One collect per magic payer; returns their BankRRNs in order.
async fn collects(rec: &mut Recorder) -> Vec<String> {
    let mut rrns = Vec::new();
    for (tran, payer) in [
        ("CORPUS-C-OK", "success@icici"),
        ("CORPUS-C-FAIL", "failure@icici"),
        ("CORPUS-C-EXP", "expired@icici"),
        ("CORPUS-C-WAIT", "pending@icici"),
        ("CORPUS-C-ANY", "9800000001@ybl"),
        ("CORPUS-C-REJ", "pending@icici"),
    ] {
        let note = format!("collect from {payer}");
        let got = rec
            .post(
                &note,
                &merchant("CollectPay3"),
                collect(tran, payer, "499.00"),
            )
            .await;
        rrns.push(got.field("/BankRRN"));
    }
    rrns
}

async fn refused_collects(rec: &mut Recorder) {
    let by = |tran: &str, date: &str| {
        let mut body = collect(tran, "success@icici", "1.00");
        body["collectByDate"] = json!(date);
        body
    };
    for (body, why) in [
        (
            collect("CORPUS-C-OK", "success@icici", "499.00"),
            "the same merchantTranId again",
        ),
        (
            by("CORPUS-C-PAST", "01/04/2026 09:59 AM"),
            "a collect-by date past",
        ),
        (
            by("CORPUS-C-FMT", "2026-04-01"),
            "a collect-by date in another format",
        ),
        (
            collect("CORPUS-C-V", "someone@nobank", "1.00"),
            "an unknown handle",
        ),
        (collect("CORPUS-C-V2", "not-a-vpa", "1.00"), "not a VPA"),
        (
            collect("CORPUS-C-96", "success@icici", "1.96"),
            "amount .96",
        ),
    ] {
        let note = format!("collect refused: {why}");
        rec.post(&note, &merchant("CollectPay3"), body).await;
    }
    let elsewhere = "/api/MerchantAPI/UPI/v0/CollectPay3/999999";
    let body = collect("CORPUS-C-X", "success@icici", "1.00");
    rec.post("collect for another merchant", elsewhere, body)
        .await;
}

/// success@icici approves after five seconds; refunds against it; the pending ones decided by hand.
async fn settle(rec: &mut Recorder, rrns: &[String]) {
    let refund = |tran: &str, amount: &str| {
        ids(json!({
            "originalBankRRN": rrns[0], "merchantTranId": tran, "originalmerchantTranId": "CORPUS-C-OK",
            "payeeVa": "success@icici", "refundAmount": amount, "note": "Returned", "onlineRefund": "Y"
        }))
    };
    let callback = || ids(json!({ "BankRRN": rrns[0] }));
    let (status, callbacks) = (merchant("TransactionStatus3"), merchant("CallbackStatus2"));
    let early = refund("CORPUS-R-0", "1.00");
    rec.post(
        "refund before the collect succeeds",
        &merchant("Refund"),
        early,
    )
    .await;
    rec.post(
        "collect status: pending",
        &status,
        transaction("CORPUS-C-OK"),
    )
    .await;
    rec.post("the callback it would send", &callbacks, callback())
        .await;
    rec.advance("PT5S", "success@icici approves").await;
    rec.post(
        "collect status: success",
        &status,
        transaction("CORPUS-C-OK"),
    )
    .await;
    rec.post("the callback as sent", &callbacks, callback())
        .await;
    for (tran, amount, why) in [
        ("CORPUS-R-1", "200.00", "a partial refund"),
        ("CORPUS-R-2", "299.01", "more than is left"),
        ("CORPUS-R-3", "299.00", "the rest"),
        ("CORPUS-R-1", "1.00", "a reused refund id"),
    ] {
        let note = format!("refund: {why}");
        rec.post(&note, &merchant("Refund"), refund(tran, amount))
            .await;
    }
    rec.send(decide(&rrns[3], "approve", "approve a pending collect"))
        .await;
    rec.send(decide(&rrns[5], "reject", "reject a pending collect"))
        .await;
    rec.send(decide(&rrns[5], "approve", "approve a rejected collect"))
        .await;
    let unknown = decide("000000000001", "approve", "approve an unknown BankRRN");
    rec.send(unknown).await;
}

async fn outcomes(rec: &mut Recorder) {
    rec.advance("PT25S", "thirty seconds: any other payer approves")
        .await;
    rec.advance("PT1H", "past the collect-by time: expired@icici expires")
        .await;
    for tran in [
        "CORPUS-C-FAIL",
        "CORPUS-C-EXP",
        "CORPUS-C-WAIT",
        "CORPUS-C-ANY",
        "CORPUS-C-REJ",
        "CORPUS-C-NONE",
    ] {
        let note = format!("collect status: {tran}");
        rec.post(&note, &merchant("TransactionStatus3"), transaction(tran))
            .await;
    }
    let unknown = ids(json!({ "BankRRN": "000000000001" }));
    let note = "callback status: an unknown BankRRN";
    rec.post(note, &merchant("CallbackStatus2"), unknown).await;
}

async fn qr(rec: &mut Recorder) {
    let body =
        ids(json!({ "amount": "250", "merchantTranId": "CORPUS-QR-1", "billNumber": "BILL/7" }));
    let intent = rec
        .post("a QR intent", &merchant("QR3"), body.clone())
        .await;
    rec.post("the same QR again", &merchant("QR3"), body).await;
    let signed = ids(json!({
        "amount": "99.00", "merchantTranId": "CORPUS-QR-2", "billNumber": "BILL8", "signedIntentFlag": "Y"
    }));
    rec.post("a signed QR intent", &merchant("QR3"), signed)
        .await;
    let timeout =
        ids(json!({ "amount": "1.96", "merchantTranId": "CORPUS-QR-3", "billNumber": "B3" }));
    rec.post("a QR intent, amount .96", &merchant("QR3"), timeout)
        .await;
    let reference = intent.field("/refId");
    rec.send(decide(&reference, "approve", "the payer pays the QR"))
        .await;
    let paid = transaction("CORPUS-QR-1");
    rec.post("QR status: paid", &merchant("TransactionStatus3"), paid)
        .await;
}

async fn vpa_checks(rec: &mut Recorder) {
    for (vpa, why) in [
        ("sandbankstore@icici", "the demo merchant"),
        ("9800000001@ybl", "the demo person"),
        ("someone@paytm", "a synthetic holder"),
        ("someone@nobank", "an unknown handle"),
        ("no-at-sign", "not a VPA"),
    ] {
        let body = json!({ "VirtualAddress": vpa });
        let note = format!("VPA check: {why}");
        rec.post(&note, "/api/v1/upi2/ValidateAddress", body).await;
    }
}
