//! Bank guarantees: issuance, verification, idempotency, declines, magic amounts and validation.

use serde_json::{json, Value};

use super::{bg_number, issuance_body, with, Bank, REMITTER};

#[tokio::test]
async fn issuance_answers_a_bg_number_and_verify_reads_it_back() {
    let bank = Bank::start().await;
    let before = bank.balance(REMITTER);

    let issued = bank.issue(issuance_body("BGREQ1")).await;
    let bg = bg_number(&issued);
    let verified = bank.verify(&bg).await;

    assert_eq!(issued["status"], "SUCCESS");
    assert_eq!(issued["responseCode"], "BG000");
    assert!(bg.starts_with("BG0004") && bg.len() == 16, "{bg}");
    assert_eq!(
        issued["guarantee"],
        json!({
            "bgNumber": bg,
            "bgStatus": "ISSUED",
            "requestRefNo": "BGREQ1",
            "guaranteeType": "PERFORMANCE",
            "applicantAccountNo": REMITTER,
            "applicantName": "Sandbank Demo Traders Pvt Ltd",
            "beneficiaryName": "National Highways Authority of India",
            "beneficiaryAddress": "G-5 and 6, Sector 10, Dwarka, New Delhi 110075",
            "currency": "INR",
            "amount": "2500000.00",
            "issueDate": "2026-04-01",
            "expiryDate": "2026-06-30",
            "claimPeriodDays": 30,
            "claimExpiryDate": "2026-07-30",
            "amendments": []
        })
    );
    assert_eq!(verified, issued);
    assert_eq!(bank.balance(REMITTER), before, "issuance moves no money");
}

#[tokio::test]
async fn issuance_is_idempotent_on_the_request_reference() {
    let bank = Bank::start().await;

    let first = bank.issue(issuance_body("BGREQ-IDEM")).await;
    let again = bank.issue(issuance_body("BGREQ-IDEM")).await;
    let changed = bank
        .issue(with(issuance_body("BGREQ-IDEM"), "amount", json!("100.00")))
        .await;
    let other = bank.issue(issuance_body("BGREQ-OTHER")).await;

    assert_eq!(again, first);
    assert_eq!(changed["responseCode"], "BG007");
    assert!(changed.get("guarantee").is_none());
    assert_ne!(bg_number(&other), bg_number(&first));
    assert_eq!(
        bank.verify(&bg_number(&first)).await["guarantee"]["amount"],
        "2500000.00"
    );
}

#[tokio::test]
async fn guarantee_declines_and_magic_amounts() {
    let bank = Bank::start().await;
    let base = || issuance_body("BGREQ-D");
    let unknown = "BG00049999999999";

    let applicant = bank
        .issue(with(base(), "applicantAccountNo", json!("000401999999")))
        .await;
    let past = bank
        .issue(with(base(), "expiryDate", json!("2026-04-01")))
        .await;
    let currency = bank.issue(with(base(), "currency", json!("CHF"))).await;
    let invalid = bank.issue(with(base(), "amount", json!("1000.13"))).await;
    let timeout = bank
        .app
        .post(
            "/api/v1/trade/bank-guarantee/issuance",
            with(base(), "amount", json!("1000.96")),
        )
        .await;
    let verify = bank.verify(unknown).await;
    let amend = bank
        .amend(unknown, "AMD-X", json!({ "amount": "10.00" }))
        .await;
    let invoke = bank.invoke(unknown, "CLAIM-X", "10.00").await;
    let usd = bank
        .issue(with(
            with(base(), "currency", json!("USD")),
            "amount",
            json!("150000.00"),
        ))
        .await;

    assert_eq!(applicant["responseCode"], "BG002");
    assert_eq!(past["responseCode"], "BG003");
    assert_eq!(past["message"], "Expiry date must be after today");
    assert_eq!(currency["responseCode"], "BG008");
    assert_eq!(invalid["responseCode"], "BG009");
    timeout.assert_envelope(504, 8013);
    for answer in [&verify, &amend, &invoke] {
        assert_eq!(
            *answer,
            json!({ "status": "FAILURE", "responseCode": "BG001", "message": "Bank guarantee not found" })
        );
    }
    assert_eq!(
        usd["responseCode"], "BG000",
        "the declines stored nothing under BGREQ-D"
    );
    assert_eq!(usd["guarantee"]["currency"], "USD");
    let bg = bg_number(&usd);
    let past_amend = bank
        .amend(&bg, "AMD-P", json!({ "expiryDate": "2026-03-31" }))
        .await;
    assert_eq!(past_amend["responseCode"], "BG003");
    assert_eq!(past_amend["guarantee"]["bgStatus"], "ISSUED");
}

#[tokio::test]
async fn malformed_guarantee_requests_name_the_field() {
    let bank = Bank::start().await;
    let post = |op: &'static str, body: Value| {
        let path = format!("/api/v1/trade/bank-guarantee/{op}");
        let app = &bank.app;
        async move { app.post(&path, body).await }
    };
    let cases = [
        (
            "issuance",
            "claimPeriodDays",
            with(issuance_body("R"), "claimPeriodDays", json!(366)),
        ),
        (
            "issuance",
            "expiryDate",
            with(issuance_body("R"), "expiryDate", json!("30/06/2026")),
        ),
        (
            "issuance",
            "guaranteeType",
            with(issuance_body("R"), "guaranteeType", json!("LOAN")),
        ),
        (
            "issuance",
            "currency",
            with(issuance_body("R"), "currency", json!("inr")),
        ),
        (
            "issuance",
            "amount",
            with(
                with(issuance_body("R"), "currency", json!("JPY")),
                "amount",
                json!("10.50"),
            ),
        ),
        ("verify", "bgNumber", json!({ "bgNumber": "bg-1" })),
        (
            "amendment",
            "amount",
            json!({ "bgNumber": "BG00040000000001", "amendmentRefNo": "A1" }),
        ),
        (
            "invocation",
            "claimAmount",
            json!({ "bgNumber": "BG00040000000001", "claimRefNo": "C1", "claimAmount": "0" }),
        ),
    ];

    for (op, field, body) in cases {
        let answer = post(op, body).await;
        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{op} {field}: {message}"
        );
    }
}
