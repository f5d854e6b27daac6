//! Payments & UPI: composite payments on each rail and a fallback priority, their status in both forms,
//! the IMPS answer codes by magic value; then the merchant's side ([`super::merchant_upi`]).

use serde_json::{json, Value};

use super::{
    super::recorder::{Call, Recorder},
    merchant_upi,
};

fn merge(mut a: Value, b: Value) -> Value {
    a.as_object_mut()
        .unwrap()
        .extend(b.as_object().unwrap().clone());
    a
}

fn imps(reference: &str, amount: &str) -> Value {
    json!({
        "localTxnDtTime": "20260401100000", "beneAccNo": "000405009999", "beneIFSC": "ICIC0000004",
        "amount": amount, "tranRefNo": reference, "paymentRef": "FTTransferP2A",
        "senderName": "Sandbank Demo Traders", "mobile": "9800000001", "retailerCode": "rcode",
        "passCode": "447c4524c9074b8c97e3a3c40ca7458d", "bcID": "IBCKer00055", "crpId": "SANDCORP1",
        "crpUsr": "SANDUSER1", "aggrId": "SANDAGGR1"
    })
}

fn neft(reference: &str, amount: &str, kind: &str) -> Value {
    json!({
        "tranRefNo": reference, "amount": amount, "senderAcctNo": "000405000001",
        "beneAccNo": "000405009999", "beneName": "Ravi Kumar", "beneIFSC": "ICIC0000004",
        "narration1": "Invoice 42", "narration2": "April", "crpId": "SANDCORP1", "crpUsr": "SANDUSER1",
        "aggrId": "SANDAGGR1", "aggrName": "SANDBANK", "urn": "SANDURN0001", "txnType": kind,
        "WORKFLOW_REQD": "N"
    })
}

fn upi(seq: &str, payee: &str, amount: &str) -> Value {
    json!({
        "device-id": "400438400438400438", "mobile": "9800000001", "channel-code": "MICICI",
        "profile-id": "2996304", "seq-no": seq, "payee-va": payee, "payer-va": "9800000001@icici",
        "payee-name": "Sandbank Store", "amount": amount, "currency": "INR", "txn-type": "PAY",
        "remarks": "Order 42", "mcc": "5411", "merchant-type": "ENTITY"
    })
}

/// The CIB form of composite-status: the identity block and the UNIQUEID.
fn cib_form(unique_id: &str) -> Value {
    json!({
        "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001",
        "UNIQUEID": unique_id
    })
}

fn composite(op: &str, priority: &str, body: Value, note: String) -> Call {
    Call::post(format!("/api/v1/composite-{op}"))
        .demo()
        .header("x-priority", priority)
        .json(body)
        .note(note)
}

pub async fn chain(rec: &mut Recorder) {
    imps_payments(rec).await;
    other_rails(rec).await;
    statuses(rec).await;
    merchant_upi::chain(rec).await;
}

async fn imps_payments(rec: &mut Recorder) {
    let numbers = json!({ "amount": 42.5, "tranRefNo": 20260401100000u64 });
    for (body, why) in [
        (imps("CORPUS-IMPS-1", "1500.00"), "IMPS"),
        (
            imps("CORPUS-IMPS-1", "1500.00"),
            "IMPS, the same reference again",
        ),
        (imps("CORPUS-IMPS-13", "100.13"), "IMPS amount .13"),
        (imps("CORPUS-IMPS-51", "100.51"), "IMPS amount .51"),
        (imps("CORPUS-IMPS-96", "100.96"), "IMPS amount .96"),
        (
            merge(
                imps("CORPUS-IMPS-52", "100.00"),
                json!({ "beneAccNo": "123450000" }),
            ),
            "IMPS to an account ending 0000",
        ),
        (
            merge(
                imps("CORPUS-IMPS-201", "100.00"),
                json!({ "beneIFSC": "ZZZZ0000001" }),
            ),
            "IMPS to an unknown bank",
        ),
        (imps("CORPUS-IMPS-BIG", "600000.00"), "IMPS above five lakh"),
        (
            merge(imps("CORPUS-IMPS-NUM", "0"), numbers),
            "IMPS with numbers for amount and reference",
        ),
    ] {
        let note = format!("composite payment: {why}");
        rec.send(composite("payment", "0100", body, note)).await;
    }
}

async fn other_rails(rec: &mut Recorder) {
    let both = |reference: &str, amount: &str| {
        merge(neft(reference, amount, "RGS"), imps(reference, amount))
    };
    let parked = merge(
        neft("CORPUS-NEFT-2", "100.00", "RGS"),
        json!({ "WORKFLOW_REQD": "Y" }),
    );
    let dollars = merge(
        upi("CORPUS-UPI-2", "sandbankstore@icici", "250.00"),
        json!({ "currency": "USD" }),
    );
    let no_ifsc = merge(imps("CORPUS-BAD-2", "1.00"), json!({ "beneIFSC": null }));
    for (priority, body, why) in [
        (
            "0010",
            neft("CORPUS-NEFT-1", "2500.00", "RGS"),
            "NEFT, to the next batch",
        ),
        ("0010", parked, "NEFT to the approval workflow"),
        ("0001", neft("CORPUS-RTGS-1", "250000.00", "RTG"), "RTGS"),
        (
            "0001",
            neft("CORPUS-RTGS-2", "1000.00", "RTG"),
            "RTGS under two lakh",
        ),
        (
            "0110",
            both("CORPUS-FB-1", "600000.00"),
            "IMPS or NEFT: over IMPS's limit, NEFT",
        ),
        ("0110", both("CORPUS-FB-2", "1000.00"), "IMPS or NEFT: IMPS"),
        (
            "0110",
            both("CORPUS-FB-3", "1000.51"),
            "IMPS or NEFT: a decline does not fall back",
        ),
        (
            "1000",
            upi("CORPUS-UPI-1", "sandbankstore@icici", "250.00"),
            "UPI to the demo merchant",
        ),
        ("1000", dollars, "UPI in another currency"),
        ("9999", imps("CORPUS-BAD-1", "1.00"), "an unknown priority"),
        ("0100", no_ifsc, "IMPS without its IFSC"),
    ] {
        let note = format!("composite payment: {why}");
        rec.send(composite("payment", priority, body, note)).await;
    }
}

async fn statuses(rec: &mut Recorder) {
    let reference = |id: &str| json!({ "tranRefNo": id });
    for (priority, body, why) in [
        ("0100", reference("CORPUS-IMPS-1"), "IMPS"),
        ("0100", reference("CORPUS-IMPS-96"), "the timed-out IMPS"),
        ("0010", reference("CORPUS-NEFT-1"), "NEFT before its batch"),
        ("0010", cib_form("CORPUS-NEFT-1"), "NEFT in the CIB form"),
        ("1000", json!({ "seq-no": "CORPUS-UPI-1" }), "UPI by seq-no"),
        ("0100", reference("CORPUS-NONE"), "an unknown reference"),
        ("0100", json!({}), "no reference"),
    ] {
        let note = format!("composite status: {why}");
        rec.send(composite("status", priority, body, note)).await;
    }
    rec.advance("PT30M", "the NEFT batch runs").await;
    let after = "composite status: NEFT after its batch".to_string();
    rec.send(composite(
        "status",
        "0010",
        reference("CORPUS-NEFT-1"),
        after,
    ))
    .await;
    let rtgs = "composite status: the CIB form with the RTGS priority".to_string();
    rec.send(composite("status", "0001", cib_form("CORPUS-NEFT-1"), rtgs))
        .await;
}
