//! UPI refunds: partial, and never beyond the original.

use serde_json::json;

use super::{decimal, merged, refund, spawn_bank, SETTLEMENT};

#[tokio::test]
async fn refunds_are_partial_and_never_exceed_the_original() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let rrn = bank.collect("C-RF", "success@icici", "499.00").await;
    let early = bank
        .upi("Refund", refund("RF-0", &rrn, "C-RF", "1.00"))
        .await;
    bank.advance("PT5S").await;

    let first = bank
        .upi("Refund", refund("RF-1", &rrn, "C-RF", "200.00"))
        .await;
    let over = bank
        .upi("Refund", refund("RF-2", &rrn, "C-RF", "299.01"))
        .await;
    let rest = bank
        .upi("Refund", refund("RF-3", &rrn, "C-RF", "299.00"))
        .await;
    let beyond = bank
        .upi("Refund", refund("RF-4", &rrn, "C-RF", "0.01"))
        .await;
    let duplicate = bank
        .upi("Refund", refund("RF-1", &rrn, "C-RF", "1.00"))
        .await;
    let wrong_payee = bank
        .upi(
            "Refund",
            merged(
                refund("RF-5", &rrn, "C-RF", "1.00"),
                json!({"payeeVa": "other@icici"}),
            ),
        )
        .await;
    let wrong_original = bank
        .upi("Refund", refund("RF-6", &rrn, "C-OTHER", "1.00"))
        .await;
    let refund_status = bank.upi_status("RF-1").await;

    assert_eq!(early.json["response"], "5021", "not yet successful");
    assert_eq!(first.json["success"], "true", "{:?}", first.json);
    assert_eq!(first.json["response"], "0");
    assert_eq!(first.json["status"], "SUCCESS");
    assert_eq!(first.json["originalBankRRN"], rrn.as_str());
    assert_eq!(first.json["refundableAmount"], "299.00");
    assert_eq!(over.json["response"], "5020");
    assert_eq!(over.json["status"], "FAILURE");
    assert_eq!(rest.json["response"], "0");
    assert_eq!(rest.json["refundableAmount"], "0.00");
    assert_eq!(beyond.json["response"], "5020");
    assert_eq!(duplicate.json["response"], "5002");
    assert_eq!(wrong_payee.json["response"], "5022");
    assert_eq!(wrong_original.json["response"], "5003");
    assert_eq!(refund_status.json["status"], "SUCCESS");
    assert_eq!(refund_status.json["amount"], "200.00");
    assert_eq!(
        bank.balance(SETTLEMENT),
        Some(decimal("0.00")),
        "499 in, 499 refunded"
    );
}
