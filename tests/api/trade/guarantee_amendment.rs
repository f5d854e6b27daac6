//! Guarantee amendments: amount and expiry with a history, none after expiry.

use serde_json::json;

use super::{bg_number, issuance_body, Bank};

#[tokio::test]
async fn amendments_change_amount_and_expiry_and_keep_a_history() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-AMD")).await);

    bank.advance("PT2H").await;
    let first = bank
        .amend(&bg, "AMD-1", json!({ "amount": "3000000.00" }))
        .await;
    let second = bank
        .amend(
            &bg,
            "AMD-2",
            json!({ "expiryDate": "2026-09-30", "amount": "2750000.00" }),
        )
        .await;
    let repeat = bank.amend(&bg, "AMD-2", json!({ "amount": "1.00" })).await;
    let verified = bank.verify(&bg).await;

    assert_eq!(first["responseCode"], "BG000");
    assert_eq!(first["guarantee"]["bgStatus"], "AMENDED");
    assert_eq!(first["guarantee"]["amount"], "3000000.00");
    assert_eq!(first["guarantee"]["expiryDate"], "2026-06-30");
    assert_eq!(second["guarantee"]["expiryDate"], "2026-09-30");
    assert_eq!(second["guarantee"]["claimExpiryDate"], "2026-10-30");
    assert_eq!(repeat, second, "a repeated amendmentRefNo changes nothing");
    assert_eq!(
        verified["guarantee"]["amendments"],
        json!([
            {
                "amendmentNo": "AMD001", "amendmentRefNo": "AMD-1",
                "amendedAt": "2026-04-01T12:00:00+05:30",
                "previousAmount": "2500000.00", "amount": "3000000.00",
                "previousExpiryDate": "2026-06-30", "expiryDate": "2026-06-30"
            },
            {
                "amendmentNo": "AMD002", "amendmentRefNo": "AMD-2",
                "amendedAt": "2026-04-01T12:00:00+05:30",
                "previousAmount": "3000000.00", "amount": "2750000.00",
                "previousExpiryDate": "2026-06-30", "expiryDate": "2026-09-30"
            }
        ])
    );
    assert_eq!(verified["guarantee"]["amount"], "2750000.00");
}

#[tokio::test]
async fn a_guarantee_expires_by_the_clock_and_cannot_be_amended_after() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-EXP")).await);

    bank.advance("P90D").await; // 2026-06-30: the last day in force
    let last_day = bank.verify(&bg).await;
    bank.advance("P1D").await;
    let expired = bank.verify(&bg).await;
    let amend = bank
        .amend(&bg, "AMD-LATE", json!({ "expiryDate": "2026-12-31" }))
        .await;

    assert_eq!(last_day["guarantee"]["bgStatus"], "ISSUED");
    assert_eq!(expired["guarantee"]["bgStatus"], "EXPIRED");
    assert_eq!(amend["status"], "FAILURE");
    assert_eq!(amend["responseCode"], "BG004");
    assert_eq!(amend["guarantee"]["bgStatus"], "EXPIRED");
    assert_eq!(amend["guarantee"]["expiryDate"], "2026-06-30", "unchanged");
}
