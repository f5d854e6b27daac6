//! Name enquiry (`composite-validation`): the demo beneficiary, magic accounts, other banks, RRNs,
//! `x-priority` and validation.

use poem::http::StatusCode;
use serde_json::{json, Value};

use super::name_enquiry_body;
use crate::helpers::{spawn_app, DEMO_KEY};

async fn name_enquiry(app: &crate::helpers::TestApp, body: Value) -> crate::helpers::Answer {
    app.post_raw(
        "/api/v1/composite-validation",
        Some(DEMO_KEY),
        "application/json",
        body.to_string().into_bytes(),
        &[("x-priority", "0100")],
    )
    .await
}

#[tokio::test]
async fn name_enquiry_finds_the_demo_beneficiary() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("000405009999", "ICIC0000004")).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["ActCode"], "0");
    assert_eq!(answer.json["Response"], "SUCCESS");
    assert_eq!(answer.json["BeneName"], "Ravi Kumar");
    assert_eq!(answer.json["TranRefNo"], "NE20260401000001");
    let rrn = answer.json["BankRRN"].as_str().unwrap();
    assert!(
        rrn.len() == 12 && rrn.bytes().all(|b| b.is_ascii_digit()),
        "{rrn}"
    );
}

#[tokio::test]
async fn name_enquiry_magic_account_0000_is_invalid() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("123456780000", "HDFC0000001")).await;

    assert_eq!(answer.json["ActCode"], "52");
    assert_eq!(answer.json["BeneName"], "");
}

#[tokio::test]
async fn name_enquiry_for_an_unknown_bank_is_invalid_ifsc() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("123456789012", "ZZZZ0000001")).await;

    assert_eq!(answer.json["ActCode"], "201");
}

#[tokio::test]
async fn a_directory_account_does_not_answer_at_another_bank() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("000405009999", "HDFC0000001")).await;

    assert_eq!(answer.json["ActCode"], "52");
}

#[tokio::test]
async fn name_enquiry_rrn_derives_from_the_client_reference() {
    let app = spawn_app();
    let first = name_enquiry(&app, name_enquiry_body("000405009999", "ICIC0000004")).await;
    let mut other = name_enquiry_body("000405009999", "ICIC0000004");
    other["TranRefNo"] = json!("NE20260401000002");

    let again = name_enquiry(&app, name_enquiry_body("000405009999", "ICIC0000004")).await;
    let second = name_enquiry(&app, other).await;

    assert_eq!(first.json["BankRRN"], again.json["BankRRN"]);
    assert_ne!(first.json["BankRRN"], second.json["BankRRN"]);
}

#[tokio::test]
async fn name_enquiry_needs_x_priority() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/composite-validation",
            name_enquiry_body("000405009999", "ICIC0000004"),
        )
        .await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("`x-priority`"), "{message}");
}

#[tokio::test]
async fn name_enquiry_validates_each_field() {
    let app = spawn_app();
    let cases = [
        ("BeneAccNo", json!("12AB")),
        ("BeneIFSC", json!("ICIC1000004")),
        ("RemMobile", json!("12345")),
        ("TransactionDate", json!("2026-04-01")),
        ("TransactionDate", json!("20261301103000")),
        ("TranRefNo", json!("")),
    ];
    for (field, value) in cases {
        let mut body = name_enquiry_body("000405009999", "ICIC0000004");
        body[field] = value.clone();

        let answer = name_enquiry(&app, body).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}={value}: {message}"
        );
    }
}
