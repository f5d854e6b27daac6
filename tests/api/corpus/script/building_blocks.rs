//! Building Blocks: PAN, bureau, eligibility, name enquiry and IFSC across the fixture people, the magic
//! PAN digits, synthetic holders and the refusals.

use serde_json::{json, Value};

use super::super::recorder::{Call, Recorder};

fn name_enquiry(account: &str, ifsc: &str, reference: &str) -> Value {
    json!({
        "BeneAccNo": account, "BeneIFSC": ifsc, "TranRefNo": reference, "PaymentRef": "PENNYDROP",
        "RemName": "Sandbank Demo Traders", "RemMobile": "9800000001", "RetailerCode": "rcode",
        "PassCode": "447c4524c9074b8c97e3a3c40ca7458d", "TransactionDate": "20260401103000"
    })
}

fn bureau(pan: &str) -> Value {
    json!({
        "pan": pan, "name": "Corpus Person", "dateOfBirth": "1990-01-01", "mobile": "9800000001",
        "consent": "Y"
    })
}

fn eligibility(pan: &str, product: &str, income: &str, amount: &str) -> Value {
    json!({ "pan": pan, "product": product, "monthlyIncome": income, "requestedAmount": amount })
}

pub async fn chain(rec: &mut Recorder) {
    pans(rec).await;
    bureau_checks(rec).await;
    eligibility_checks(rec).await;
    name_enquiries(rec).await;
    ifsc_lookups(rec).await;
}

async fn pans(rec: &mut Recorder) {
    for (pan, why) in [
        ("ABCPE1234F", "the demo person"),
        ("ABCPE0000F", "digits 0000: not found"),
        ("BQWPS9999K", "digits 9999: deactivated"),
        ("KLMPS4321Q", "a synthetic holder"),
        ("AAACB1234Q", "a company"),
        ("ABCXE1234F", "an unknown holder type"),
        ("abcpe1234f", "lower case"),
    ] {
        let body = json!({ "pan": pan });
        rec.post(&format!("PAN: {why}"), "/api/v0/panValidation", body)
            .await;
    }
}

async fn bureau_checks(rec: &mut Recorder) {
    let path = "/api/v1/bureau-check";
    for (pan, why) in [
        ("ABCPE1234F", "the demo person's report"),
        ("KLMPS0000Q", "no history (PAN digits 0000)"),
        ("KLMPS4321Q", "a synthetic report"),
        ("UJGPK3526L", "a low score"),
    ] {
        rec.post(&format!("bureau: {why}"), path, bureau(pan)).await;
    }
    let mut refused = bureau("ABCPE1234F");
    refused["consent"] = json!("N");
    rec.post("bureau: without consent", path, refused).await;
    let mut bad = bureau("ABCPE1234F");
    bad["dateOfBirth"] = json!("12-04-1988");
    rec.post("bureau: a date in the wrong format", path, bad)
        .await;
}

async fn eligibility_checks(rec: &mut Recorder) {
    let numbers = json!({
        "pan": "ABCPE1234F", "product": "AUTO_LOAN", "monthlyIncome": 150000.5, "requestedAmount": 400000
    });
    let (demo, income, amount) = ("ABCPE1234F", "150000.00", "400000.00");
    for (body, why) in [
        (
            eligibility(demo, "AUTO_LOAN", income, amount),
            "within the limit",
        ),
        (
            eligibility(demo, "PERSONAL_LOAN", income, "90000000.00"),
            "above the maximum",
        ),
        (
            eligibility(demo, "CREDIT_CARD", income, "100000.00"),
            "a credit card",
        ),
        (
            eligibility("UJGPK3526L", "AUTO_LOAN", income, amount),
            "a low score",
        ),
        (
            eligibility("VTRPD8029Q", "AUTO_LOAN", income, amount),
            "no credit history",
        ),
        (
            eligibility("ABCPE0000F", "AUTO_LOAN", income, amount),
            "an unknown PAN",
        ),
        (numbers, "amounts as JSON numbers"),
        (
            eligibility(demo, "AUTO_LOAN", "150000.001", amount),
            "three decimal places",
        ),
        (
            eligibility(demo, "MORTGAGE", income, amount),
            "an unknown product",
        ),
    ] {
        let note = format!("eligibility: {why}");
        rec.post(&note, "/api/v1/eligibility-check", body).await;
    }
}

async fn name_enquiries(rec: &mut Recorder) {
    let validation = |priority: &str, body: Value, note: &str| {
        Call::post("/api/v1/composite-validation")
            .demo()
            .header("x-priority", priority)
            .json(body)
            .note(format!("name enquiry: {note}"))
    };
    let (demo, icici) = ("000405009999", "ICIC0000004");
    for (account, ifsc, reference, why) in [
        (demo, icici, "NE-CORPUS-1", "the demo beneficiary"),
        (
            demo,
            icici,
            "NE-CORPUS-1",
            "the same reference again: the same RRN",
        ),
        (demo, icici, "NE-CORPUS-2", "another reference: another RRN"),
        (
            "123456780000",
            "HDFC0000001",
            "NE-CORPUS-3",
            "an account ending 0000",
        ),
        (
            "123456789012",
            "ZZZZ0000001",
            "NE-CORPUS-4",
            "an unknown bank",
        ),
        (
            demo,
            "HDFC0000001",
            "NE-CORPUS-5",
            "this bank's account at another bank",
        ),
        (
            "123456789012",
            "HDFC0000001",
            "NE-CORPUS-6",
            "an account at another bank",
        ),
    ] {
        let body = name_enquiry(account, ifsc, reference);
        rec.send(validation("0100", body, why)).await;
    }
    let mut bad = name_enquiry(demo, icici, "NE-CORPUS-7");
    bad["TransactionDate"] = json!("2026-04-01");
    rec.send(validation("0100", bad, "a malformed transaction date"))
        .await;
    let neft = name_enquiry(demo, icici, "NE-CORPUS-8");
    rec.send(validation("0010", neft, "a NEFT priority")).await;
}

async fn ifsc_lookups(rec: &mut Recorder) {
    for (ifsc, why) in [
        ("ICIC0000004", "a branch"),
        ("HDFC0000001", "another bank's branch"),
        ("ICIC0999999", "unknown"),
        ("icic0000004", "lower case"),
        ("ICIC000000", "too short"),
    ] {
        let call = Call::get(format!("/api/v1/ifsc/{ifsc}")).demo();
        rec.send(call.note(format!("IFSC: {why}"))).await;
    }
}
