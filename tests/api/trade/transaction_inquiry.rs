//! An order's status on the sandbox clock (accepted, processing, completed; weekends; a sanctions
//! hold) and unknown references.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{decimal_of, order_body, with, Bank, REMITTER, USD_NOSTRO};

#[tokio::test]
async fn status_moves_accepted_processing_completed_with_the_clock() {
    let bank = Bank::start().await;
    bank.order(order_body("ORM-CLK", "USD", "100.00", "SHA"))
        .await;

    bank.advance("PT59M").await;
    let at_59m = bank.inquire("ORM-CLK").await;
    bank.advance("PT1M").await;
    let at_1h = bank.inquire("ORM-CLK").await;
    bank.advance("PT22H59M").await;
    let before_a_day = bank.inquire("ORM-CLK").await;
    bank.advance("PT1M").await;
    let after_a_day = bank.inquire("ORM-CLK").await;

    let status = |a: &Value| a["remittance"]["transactionStatus"].clone();
    assert_eq!(status(&at_59m), "ACCEPTED");
    assert_eq!(status(&at_1h), "PROCESSING");
    assert_eq!(status(&before_a_day), "PROCESSING");
    assert_eq!(status(&after_a_day), "COMPLETED");
    assert_eq!(
        after_a_day["remittance"]["statusHistory"],
        json!([
            { "status": "ACCEPTED", "at": "2026-04-01T10:00:00+05:30" },
            { "status": "PROCESSING", "at": "2026-04-01T11:00:00+05:30" },
            { "status": "COMPLETED", "at": "2026-04-02T10:00:00+05:30" }
        ])
    );
}

#[tokio::test]
async fn a_friday_order_completes_on_monday() {
    let bank = Bank::start().await;
    bank.advance("P2D").await; // Friday 2026-04-03
    bank.order(order_body("ORM-FRI", "USD", "100.00", "SHA"))
        .await;

    bank.advance("P2D").await; // Sunday
    let sunday = bank.inquire("ORM-FRI").await;
    bank.advance("P1D").await; // Monday 10:00
    let monday = bank.inquire("ORM-FRI").await;

    assert_eq!(sunday["remittance"]["transactionStatus"], "PROCESSING");
    assert_eq!(monday["remittance"]["transactionStatus"], "COMPLETED");
    assert_eq!(
        monday["remittance"]["statusHistory"][2]["at"],
        "2026-04-06T10:00:00+05:30"
    );
}

#[tokio::test]
async fn a_sanctions_hold_is_rejected_and_refunded() {
    let bank = Bank::start().await;
    let before = bank.balance(REMITTER);
    bank.call("remittance/balance-inquiry", json!({ "currency": "USD" }))
        .await;
    let body = with(
        order_body("ORM-SANCT", "USD", "500.00", "SHA"),
        "beneficiaryName",
        json!("Sanctioned Party"),
    );

    let held = bank.order(body).await;
    let debited = bank.balance(REMITTER);
    bank.advance("PT2H").await;
    let still_held = bank.inquire("ORM-SANCT").await;
    bank.advance("P1D").await;
    let rejected = bank.inquire("ORM-SANCT").await;

    assert_eq!(held["responseCode"], "TR000");
    assert_eq!(held["remittance"]["transactionStatus"], "ON_HOLD");
    assert_eq!(
        before - debited,
        decimal_of(&held["remittance"]["totalDebitInr"])
    );
    assert_eq!(
        bank.balance(USD_NOSTRO),
        Decimal::from(5_000_000),
        "nothing paid out"
    );
    assert_eq!(still_held["remittance"]["transactionStatus"], "ON_HOLD");
    assert_eq!(rejected["remittance"]["transactionStatus"], "REJECTED");
    assert_eq!(bank.balance(REMITTER), before, "refunded in full");
    let lowercase = with(
        order_body("ORM-SANCT2", "USD", "500.00", "SHA"),
        "beneficiaryName",
        json!("sanctioned party"),
    );
    let not_magic = bank.order(lowercase).await;
    assert_eq!(
        not_magic["remittance"]["transactionStatus"], "ACCEPTED",
        "case-sensitive"
    );
}

#[tokio::test]
async fn inquiry_of_an_unknown_reference_is_not_found() {
    let bank = Bank::start().await;

    let answer = bank.inquire("NEVER-SENT").await;
    let bad = bank
        .app
        .post(
            "/api/v1/trade/remittance/transaction-inquiry",
            json!({ "transactionRefNo": "" }),
        )
        .await;

    assert_eq!(
        answer,
        json!({ "status": "FAILURE", "responseCode": "TR009", "message": "Transaction not found" })
    );
    assert!(bad
        .assert_envelope(400, 8017)
        .contains("`transactionRefNo`"));
}
