//! CIB payments: every rail with the bank's rules and the magic values, duplicates, the NEFT batch and
//! the status by UTR, the approval workflow decided in the sandbox, OTP-confirmed payments.

use serde_json::{json, Value};

use super::{
    super::recorder::{Call, Recorder},
    cash_management::{identity, path, second_user, ACCOUNT},
};

fn payment(unique_id: &str, kind: &str, amount: &str, extra: Value) -> Value {
    let mut body = identity(json!({
        "AGGRNAME": "SANDBANK", "UNIQUEID": unique_id, "DEBITACC": ACCOUNT, "CREDITACC": "000405009999",
        "IFSC": "ICIC0000004", "AMOUNT": amount, "CURRENCY": "INR", "TXNTYPE": kind,
        "PAYEENAME": "Ravi Kumar", "REMARKS": "Invoice 42", "WORKFLOW_REQD": "N"
    }));
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// An IMPS payment of `amount` with nothing else changed.
fn imps(unique_id: &str, amount: &str) -> Value {
    payment(unique_id, "IFS", amount, json!({}))
}

pub async fn chain(rec: &mut Recorder) {
    rails(rec).await;
    neft_batch(rec).await;
    workflow(rec).await;
    otp(rec).await;
}

async fn rails(rec: &mut Recorder) {
    let to = |account: &str| json!({ "CREDITACC": account });
    let remarks = json!({ "REMARKS": "Invoice #42 & co, thirty-three chars" });
    for (body, why) in [
        (imps("CORPUS-IMPS-1", "1500.00"), "IMPS"),
        (imps("CORPUS-IMPS-1", "1500.00"), "the same UNIQUEID again"),
        (imps("CORPUS-IMPS-2", "500000.01"), "IMPS above five lakh"),
        (
            payment("CORPUS-RTGS-1", "RTG", "250000.00", json!({})),
            "RTGS",
        ),
        (
            payment("CORPUS-RTGS-2", "RTG", "199999.99", json!({})),
            "RTGS under two lakh",
        ),
        (
            payment("CORPUS-TPA-1", "TPA", "1000.00", to("000405000002")),
            "within the bank",
        ),
        (
            payment("CORPUS-TPA-2", "TPA", "1000.00", to(ACCOUNT)),
            "to the same account",
        ),
        (imps("CORPUS-MAGIC-13", "100.13"), "amount .13"),
        (imps("CORPUS-MAGIC-51", "100.51"), "amount .51"),
        (imps("CORPUS-MAGIC-96", "100.96"), "amount .96"),
        (
            imps("CORPUS-MAGIC-51", "100.00"),
            "a failed UNIQUEID reused",
        ),
        (
            payment("CORPUS-0000", "IFS", "100.00", to("123450000")),
            "a beneficiary ending 0000",
        ),
        (
            payment("CORPUS-BIG", "TPA", "99999999.00", to("000405000002")),
            "beyond the balance",
        ),
        (
            payment("CORPUS-NUMBER", "IFS", "0", json!({ "AMOUNT": 250.5 })),
            "the amount as a JSON number",
        ),
        (
            payment("CORPUS-NEFT-BAD", "RGS", "100.00", remarks),
            "NEFT remarks beyond its rules",
        ),
        (
            payment("CORPUS-TYPE", "XYZ", "100.00", json!({})),
            "an unknown TXNTYPE",
        ),
        (
            payment("CORPUS-CUR", "IFS", "100.00", json!({ "CURRENCY": "USD" })),
            "a currency other than INR",
        ),
    ] {
        rec.post(&format!("CIB payment: {why}"), &path("Transaction"), body)
            .await;
    }
}

async fn neft_batch(rec: &mut Recorder) {
    let neft = payment("CORPUS-NEFT-1", "RGS", "2500.00", json!({}));
    let note = "CIB payment: NEFT, waiting for its batch";
    let paid = rec.post(note, &path("Transaction"), neft).await;
    let utr = paid.field("/UTRNUMBER");
    let inquiry = |unique_id: &str| identity(json!({ "UNIQUEID": unique_id }));
    let status = |utr: &str| identity(json!({ "UTRNUMBER": utr }));
    let (inquire, by_utr) = (path("TransactionInquiry"), "/api/v1/CIBNEFTStatus");
    rec.post(
        "CIB inquiry: NEFT pending",
        &inquire,
        inquiry("CORPUS-NEFT-1"),
    )
    .await;
    rec.post("NEFT status by UTR: pending", by_utr, status(&utr))
        .await;
    rec.advance("PT30M", "the NEFT batch runs").await;
    rec.post(
        "CIB inquiry: NEFT settled",
        &inquire,
        inquiry("CORPUS-NEFT-1"),
    )
    .await;
    rec.post("NEFT status by UTR: settled", by_utr, status(&utr))
        .await;
    let unknown = status("ICICN26091999999");
    rec.post("NEFT status: an unknown UTR", by_utr, unknown)
        .await;
    let mut named = inquiry("CORPUS-IMPS-1");
    named["AGGRNAME"] = json!("SANDBANK");
    let note = "CIB inquiry: with AGGRNAME, refused as at the bank";
    rec.post(note, &inquire, named).await;
    let note = "CIB inquiry: an unknown UNIQUEID";
    rec.post(note, &inquire, inquiry("CORPUS-NONE")).await;
}

async fn workflow(rec: &mut Recorder) {
    for (id, kind) in [
        ("CORPUS-WF-1", "IFS"),
        ("CORPUS-WF-2", "IFS"),
        ("CORPUS-WF-3", "RGS"),
    ] {
        let body = payment(id, kind, "1200.00", json!({ "WORKFLOW_REQD": "Y" }));
        let note = format!("CIB payment {id}: to the approval workflow");
        rec.post(&note, &path("Transaction"), body).await;
    }
    let decide = |id: &str, verdict: &str| {
        Call::post(format!("/sandbox/cib/{id}/{verdict}"))
            .demo()
            .json(json!({}))
            .note(format!("sandbox: {verdict} {id}"))
    };
    for (id, verdict) in [
        ("CORPUS-WF-1", "approve"),
        ("CORPUS-WF-1", "approve"),
        ("CORPUS-WF-2", "reject"),
        ("CORPUS-WF-2", "approve"),
        ("CORPUS-WF-3", "approve"),
        ("CORPUS-NONE", "approve"),
    ] {
        rec.send(decide(id, verdict)).await;
    }
    let bare = Call::post("/sandbox/cib/CORPUS-WF-1/approve").demo();
    rec.send(bare.note("sandbox: approve without a body")).await;
    for id in ["CORPUS-WF-1", "CORPUS-WF-2", "CORPUS-WF-3"] {
        let body = identity(json!({ "UNIQUEID": id }));
        let note = format!("CIB inquiry: {id} after its decision");
        rec.post(&note, &path("TransactionInquiry"), body).await;
    }
}

async fn otp(rec: &mut Recorder) {
    let create = |id: &str, amount: Option<&str>| {
        let mut body = identity(json!({ "AGGRNAME": "SANDBANK", "UNIQUEID": id }));
        if let Some(amount) = amount {
            body["AMOUNT"] = json!(amount);
        }
        body
    };
    let confirm = |id: &str, otp: Option<&str>| {
        let mut body = imps(id, "100.00");
        body.as_object_mut().unwrap().remove("WORKFLOW_REQD");
        if let Some(otp) = otp {
            body["OTP"] = json!(otp);
        }
        body
    };
    let deregistered = second_user(
        json!({ "AGGRNAME": "SANDBANK", "UNIQUEID": "CORPUS-OTP-3", "AMOUNT": "1.00" }),
    );
    let (send, pay) = (path("Create"), path("TransactionOTP"));
    for (op, body, why) in [
        (
            &send,
            create("CORPUS-OTP-1", Some("100.00")),
            "send the OTP",
        ),
        (&pay, confirm("CORPUS-OTP-1", None), "pay without the OTP"),
        (
            &pay,
            confirm("CORPUS-OTP-1", Some("654321")),
            "pay with a wrong OTP",
        ),
        (
            &pay,
            confirm("CORPUS-OTP-1", Some("123456")),
            "pay with the OTP",
        ),
        (&pay, confirm("CORPUS-OTP-1", Some("123456")), "pay again"),
        (
            &pay,
            confirm("CORPUS-OTP-9", Some("123456")),
            "an OTP never sent",
        ),
        (
            &send,
            create("CORPUS-OTP-2", None),
            "send an OTP without an amount",
        ),
        (&send, deregistered, "the deregistered user"),
    ] {
        rec.post(&format!("CIB OTP: {why}"), op, body).await;
    }
    rec.advance("PT15M", "fifteen minutes: the OTP's last moment")
        .await;
    rec.advance("PT1S", "the OTP is stale").await;
    let stale = confirm("CORPUS-OTP-2", Some("123456"));
    rec.post("CIB OTP: too old", &pay, stale).await;
}
