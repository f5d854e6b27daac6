//! CIB as published partner code calls it: no Registration first, OTP-confirmed payments (`Create`
//! then `TransactionOTP`) with the OTP's codes on the sandbox clock, and the NEFT status by UTR.

use serde_json::{json, Value};

use super::otp_create;
use crate::helpers::{
    cib::{cib, identity_with, unregistered_with, DEMO_ACCOUNT},
    spawn_app, Answer, LedgerApp, TestApp,
};

fn otp_payment(unique_id: &str, txn_type: &str, amount: &str, otp: Option<&str>) -> Value {
    let mut body = identity_with(json!({
        "AGGRNAME": "SANDBANK",
        "UNIQUEID": unique_id,
        "DEBITACC": DEMO_ACCOUNT,
        "CREDITACC": "000405009999",
        "IFSC": "ICIC0000004",
        "AMOUNT": amount,
        "CURRENCY": "INR",
        "TXNTYPE": txn_type,
        "PAYEENAME": "Ravi Kumar",
        "REMARKS": "Invoice 42"
    }));
    if let Some(otp) = otp {
        body["OTP"] = json!(otp);
    }
    body
}

async fn neft_status(app: &TestApp, utr: &Value) -> Answer {
    app.post(
        "/api/v1/CIBNEFTStatus",
        identity_with(json!({ "UTRNUMBER": utr })),
    )
    .await
}

#[track_caller]
fn assert_code(answer: &Answer, status: &str, code: &str) {
    assert_eq!(answer.status, 200, "{:?}", answer.json);
    assert_eq!(answer.json["RESPONSE"], "FAILURE", "{:?}", answer.json);
    assert_eq!(answer.json["STATUS"], status, "{:?}", answer.json);
    assert_eq!(answer.json["RESPONSECODE"], code, "{:?}", answer.json);
}

#[tokio::test]
async fn create_then_transaction_otp_pays_at_once_and_only_once() {
    let bank = LedgerApp::frozen().await;
    let before = bank.balance(DEMO_ACCOUNT).unwrap();

    let sent = otp_create(&bank.app, "OTP-PAY-1", Some("100.00")).await;
    let paid = cib(
        &bank.app,
        "TransactionOTP",
        otp_payment("OTP-PAY-1", "IFS", "100.00", Some("123456")),
    )
    .await;
    let again = cib(
        &bank.app,
        "TransactionOTP",
        otp_payment("OTP-PAY-1", "IFS", "100.00", Some("123456")),
    )
    .await;
    let resend = otp_create(&bank.app, "OTP-PAY-1", None).await;
    let inquiry = cib(
        &bank.app,
        "TransactionInquiry",
        identity_with(json!({ "UNIQUEID": "OTP-PAY-1" })),
    )
    .await;

    assert_eq!(sent.json["RESPONSE"], "SUCCESS", "{:?}", sent.json);
    assert_eq!(sent.json["STATUS"], "SUCCESS");
    assert_eq!(sent.json["UNIQUEID"], "OTP-PAY-1");
    assert!(sent.json["MESSAGE"].as_str().unwrap().contains("OTP sent"));
    assert_eq!(paid.json["RESPONSE"], "SUCCESS", "{:?}", paid.json);
    assert_eq!(
        paid.json["STATUS"], "SUCCESS",
        "no WORKFLOW_REQD: the OTP authorises"
    );
    assert!(paid.json["UTRNUMBER"].is_string());
    assert_code(&again, "DUPLICATE", "999936");
    assert_code(&resend, "DUPLICATE", "999936");
    assert_eq!(inquiry.json["STATUS"], "SUCCESS");
    assert_eq!(inquiry.json["UTRNUMBER"], paid.json["UTRNUMBER"]);
    assert_eq!(
        (before - bank.balance(DEMO_ACCOUNT).unwrap()).to_string(),
        "100.00"
    );
}

#[tokio::test]
async fn a_missing_or_wrong_otp_is_refused_and_changes_nothing() {
    let bank = LedgerApp::frozen().await;
    let before = bank.balance(DEMO_ACCOUNT).unwrap();
    let pay = |id: &str, amount: &str, otp: Option<&str>| {
        cib(
            &bank.app,
            "TransactionOTP",
            otp_payment(id, "IFS", amount, otp),
        )
    };

    let without_create = pay("OTP-NO-CREATE", "10.00", Some("123456")).await;
    otp_create(&bank.app, "OTP-WRONG-1", Some("10.00")).await;
    let no_otp = pay("OTP-WRONG-1", "10.00", None).await;
    let blank_otp = pay("OTP-WRONG-1", "10.00", Some("")).await;
    let wrong_otp = pay("OTP-WRONG-1", "10.00", Some("000000")).await;
    let other_amount = pay("OTP-WRONG-1", "11.00", Some("123456")).await;
    let untouched = bank.balance(DEMO_ACCOUNT).unwrap();
    let right = pay("OTP-WRONG-1", "10.00", Some("123456")).await;

    assert_code(&without_create, "FAILURE", "99274");
    assert!(without_create.json["MESSAGE"]
        .as_str()
        .unwrap()
        .contains("call Create first"));
    assert_code(&no_otp, "FAILURE", "99274");
    assert_code(&blank_otp, "FAILURE", "99274");
    assert_code(&wrong_otp, "FAILURE", "994006");
    assert_code(&other_amount, "FAILURE", "994006");
    assert_eq!(untouched, before, "refused OTPs move nothing");
    assert_eq!(right.json["STATUS"], "SUCCESS", "{:?}", right.json);
}

#[tokio::test]
async fn an_otp_expires_after_15_minutes_of_sandbox_time() {
    let bank = LedgerApp::frozen().await;
    let pay = |id: &str| {
        cib(
            &bank.app,
            "TransactionOTP",
            otp_payment(id, "IFS", "10.00", Some("123456")),
        )
    };
    otp_create(&bank.app, "OTP-EDGE", None).await;
    otp_create(&bank.app, "OTP-OLD", None).await;

    bank.advance("PT15M").await;
    let at_15_minutes = pay("OTP-EDGE").await;
    bank.advance("PT1S").await;
    let after = pay("OTP-OLD").await;
    let fresh = otp_create(&bank.app, "OTP-OLD", None).await;
    let with_fresh = pay("OTP-OLD").await;

    assert_eq!(
        at_15_minutes.json["STATUS"], "SUCCESS",
        "{:?}",
        at_15_minutes.json
    );
    assert_code(&after, "FAILURE", "107889");
    assert_eq!(fresh.json["RESPONSE"], "SUCCESS");
    assert_eq!(
        with_fresh.json["STATUS"], "SUCCESS",
        "{:?}",
        with_fresh.json
    );
}

#[tokio::test]
async fn transaction_otp_follows_transactions_rules_and_workflow() {
    let app = spawn_app();
    app.freeze_clock().await;
    for id in ["OTP-RULE-1", "OTP-RULE-2", "OTP-RULE-3"] {
        otp_create(&app, id, None).await;
    }
    let mut parked = otp_payment("OTP-RULE-2", "IFS", "10.00", Some("123456"));
    parked["WORKFLOW_REQD"] = json!("Y");

    let rtgs_too_small = cib(
        &app,
        "TransactionOTP",
        otp_payment("OTP-RULE-1", "RTG", "1000.00", Some("123456")),
    )
    .await;
    let waiting = cib(&app, "TransactionOTP", parked).await;
    let timeout = cib(
        &app,
        "TransactionOTP",
        otp_payment("OTP-RULE-3", "IFS", "10.96", Some("123456")),
    )
    .await;

    assert_code(&rtgs_too_small, "FAILURE", "995109");
    assert_eq!(waiting.json["STATUS"], "PENDING", "{:?}", waiting.json);
    assert_eq!(waiting.json["MESSAGE"], "Pending For approval");
    timeout.assert_envelope(504, 8013);
}

#[tokio::test]
async fn the_unregistered_user_and_unknown_ids_are_refused_before_any_otp() {
    let app = spawn_app();
    let unregistered = unregistered_with(json!({ "UNIQUEID": "OTP-REG-1" }));
    let mut stranger = identity_with(json!({ "UNIQUEID": "OTP-REG-2" }));
    stranger["USERID"] = json!("SOMEONE");

    let not_registered = cib(&app, "Create", unregistered).await;
    let unknown = cib(&app, "Create", stranger).await;
    let missing_unique_id = cib(&app, "Create", identity_with(json!({}))).await;

    assert_code(&not_registered, "FAILURE", "9907");
    assert_code(&unknown, "FAILURE", "9906");
    assert!(missing_unique_id
        .assert_envelope(400, 8017)
        .contains("UNIQUEID"));
}

#[tokio::test]
async fn neft_status_by_utr_follows_the_batch_for_cib_and_composite_neft() {
    let bank = LedgerApp::frozen().await;
    otp_create(&bank.app, "NEFT-UTR-1", None).await;
    let cib_neft = cib(
        &bank.app,
        "TransactionOTP",
        otp_payment("NEFT-UTR-1", "RGS", "500.00", Some("123456")),
    )
    .await;
    let composite_neft = bank
        .app
        .post_raw(
            "/api/v1/composite-payment",
            Some(crate::helpers::DEMO_KEY),
            "application/json",
            json!({
                "tranRefNo": "NEFT-UTR-2", "amount": 250, "senderAcctNo": DEMO_ACCOUNT,
                "beneAccNo": "000405009999", "beneIFSC": "ICIC0000004", "beneName": "Ravi Kumar",
                "narration1": "Test", "crpId": "SANDCORP1", "crpUsr": "SANDUSER1",
                "aggrName": "SANDBANK", "aggrId": "SANDAGGR1", "urn": "SANDURN0001",
                "txnType": "RGS", "WORKFLOW_REQD": "N"
            })
            .to_string()
            .into_bytes(),
            &[("x-priority", "0010")],
        )
        .await;
    let (cib_utr, composite_utr) = (
        &cib_neft.json["UTRNUMBER"],
        &composite_neft.json["UTRNUMBER"],
    );

    let cib_pending = neft_status(&bank.app, cib_utr).await;
    let composite_pending = neft_status(&bank.app, composite_utr).await;
    bank.advance("PT31M").await;
    let cib_settled = neft_status(&bank.app, cib_utr).await;
    let composite_settled = neft_status(&bank.app, composite_utr).await;
    let repeated = neft_status(&bank.app, cib_utr).await;

    assert_eq!(
        cib_pending.json["STATUS"], "PENDING",
        "{:?}",
        cib_pending.json
    );
    assert_eq!(
        composite_pending.json["STATUS"], "PENDING",
        "{:?}",
        composite_pending.json
    );
    assert_eq!(cib_settled.json["STATUS"], "SUCCESS");
    assert_eq!(cib_settled.json["RESPONSE"], "SUCCESS");
    assert_eq!(cib_settled.json["UNIQUEID"], "NEFT-UTR-1");
    assert_eq!(&cib_settled.json["UTRNUMBER"], cib_utr);
    assert_eq!(composite_settled.json["STATUS"], "SUCCESS");
    assert_eq!(composite_settled.json["UNIQUEID"], "NEFT-UTR-2");
    assert_eq!(
        cib_settled.bytes, repeated.bytes,
        "same request, same bytes"
    );
}

#[tokio::test]
async fn an_unknown_utr_or_another_corporates_utr_is_999941() {
    let app = spawn_app();
    app.freeze_clock().await;
    otp_create(&app, "NEFT-UTR-3", None).await;
    let paid = cib(
        &app,
        "TransactionOTP",
        otp_payment("NEFT-UTR-3", "RGS", "500.00", Some("123456")),
    )
    .await;
    let imps = cib(&app, "Transaction", {
        let mut body = otp_payment("IMPS-UTR-1", "IFS", "5.00", None);
        body["WORKFLOW_REQD"] = json!("N");
        body
    })
    .await;
    let other_corporate = json!({
        "AGGRID": "SANDAGGR2", "CORPID": "SANDCORP3", "USERID": "SANDUSER3",
        "URN": "SANDURN0003", "UTRNUMBER": paid.json["UTRNUMBER"]
    });

    let unknown = neft_status(&app, &json!("ICICN26091999999")).await;
    let not_neft = neft_status(&app, &imps.json["UTRNUMBER"]).await;
    let theirs = app.post("/api/v1/CIBNEFTStatus", other_corporate).await;
    let malformed = neft_status(&app, &json!("ICICN-26091")).await;

    assert_code(&unknown, "FAILURE", "999941");
    assert_eq!(unknown.json["UTRNUMBER"], "ICICN26091999999");
    assert_code(&not_neft, "FAILURE", "999941");
    assert_code(&theirs, "FAILURE", "999941");
    assert!(malformed.assert_envelope(400, 8017).contains("UTRNUMBER"));
}

#[tokio::test]
async fn otp_payments_answer_the_same_bytes_in_every_app() {
    let (one, two) = (spawn_app(), spawn_app());
    let mut answers = Vec::new();
    for app in [&one, &two] {
        app.freeze_clock().await;
        otp_create(app, "OTP-DET-1", Some("42.00")).await;
        let paid = cib(
            app,
            "TransactionOTP",
            otp_payment("OTP-DET-1", "RGS", "42.00", Some("123456")),
        )
        .await;
        answers.push(paid.bytes);
    }

    assert_eq!(answers[0], answers[1]);
}
