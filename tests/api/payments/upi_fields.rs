//! The merchant UPI requests' field rules: a bad field is a 400/8017 naming it, with the bank's
//! words, whichever operation carries it (the body parses once; no handler checks a field again).

use serde_json::{json, Value};

use super::{collect, ids, merged, refund, spawn_bank};

fn long(n: usize) -> String {
    "x".repeat(n)
}

/// One bad field per case: the operation, its body and the refusal's exact words.
fn cases() -> Vec<(&'static str, Value, String)> {
    let collect_with = |field: &str, value: Value| {
        merged(
            collect("UF-1", "success@icici", "1.00"),
            json!({ field: value }),
        )
    };
    let refund_with = |field: &str, value: Value| {
        merged(
            refund("UF-R", "163435879754", "UF-1", "1.00"),
            json!({ field: value }),
        )
    };
    let text = |field: &str, max: usize, length: usize| {
        format!(
            "field `{field}`: must be 1 to {max} characters and not blank, got {length} characters"
        )
    };
    let reference = |field: &str, raw: &str| {
        format!("field `{field}`: must be 1 to 35 letters, digits or -_/. characters, got `{raw}`")
    };
    vec![
        ("CollectPay3", collect_with("note", json!("")), text("note", 50, 0)),
        ("CollectPay3", collect_with("note", json!(long(51))), text("note", 50, 51)),
        ("CollectPay3", collect_with("merchantName", json!(" \t ")), text("merchantName", 100, 3)),
        ("CollectPay3", collect_with("subMerchantName", json!(long(101))), text("subMerchantName", 100, 101)),
        ("CollectPay3", collect_with("merchantTranId", json!("a b")), reference("merchantTranId", "a b")),
        ("CollectPay3", collect_with("billNumber", json!(long(36))), reference("billNumber", &long(36))),
        (
            "CollectPay3",
            collect_with("collectByDate", json!("31/02/2026 06:30 PM")),
            "field `collectByDate`: must be dd/MM/yyyy hh:mm a (e.g. 02/04/2026 06:30 PM), got `31/02/2026 06:30 PM`".into(),
        ),
        (
            "QR3",
            ids(json!({"amount": "1.00", "merchantTranId": "", "billNumber": "B1"})),
            reference("merchantTranId", ""),
        ),
        (
            "QR3",
            ids(json!({"amount": "1.00", "merchantTranId": "Q-1", "billNumber": "<b>"})),
            reference("billNumber", "<b>"),
        ),
        ("TransactionStatus3", ids(json!({"merchantTranId": "a;b"})), reference("merchantTranId", "a;b")),
        ("Refund", refund_with("merchantTranId", json!("a b")), reference("merchantTranId", "a b")),
        ("Refund", refund_with("originalBankRRN", json!(long(36))), reference("originalBankRRN", &long(36))),
        (
            "Refund",
            refund_with("originalmerchantTranId", json!("")),
            reference("originalmerchantTranId", ""),
        ),
        ("Refund", refund_with("note", json!("  ")), text("note", 50, 2)),
        ("Refund", refund_with("onlineRefund", json!("YES")), "field `onlineRefund`: must be Y or N".into()),
        ("CallbackStatus2", ids(json!({"BankRRN": "12 34"})), reference("BankRRN", "12 34")),
    ]
}

#[tokio::test]
async fn a_bad_field_is_8017_naming_it_in_the_banks_words() {
    let bank = spawn_bank();
    for (op, body, reason) in cases() {
        let answer = bank.upi(op, body).await;
        let message = answer.assert_envelope(400, 8017);
        assert_eq!(
            message,
            format!("Schema validation failed: {reason}"),
            "{op}"
        );
    }
}
