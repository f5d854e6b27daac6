//! Guarantee claims: within the claim period and only once.

use serde_json::json;

use super::{bg_number, issuance_body, Bank};

#[tokio::test]
async fn claims_lodge_within_the_claim_period_and_only_once() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-INV")).await);

    let above = bank.invoke(&bg, "CLAIM-0", "2500000.01").await;
    bank.advance("P100D").await; // expired 2026-06-30, claims until 2026-07-30
    let invoked = bank.invoke(&bg, "CLAIM-1", "1000000.00").await;
    let repeat = bank.invoke(&bg, "CLAIM-1", "1000000.00").await;
    let second = bank.invoke(&bg, "CLAIM-2", "5000.00").await;
    let amend = bank
        .amend(&bg, "AMD-AFTER", json!({ "amount": "1.00" }))
        .await;
    bank.advance("P400D").await;
    let verified = bank.verify(&bg).await;

    assert_eq!(above["responseCode"], "BG006");
    assert_eq!(above["guarantee"]["bgStatus"], "ISSUED");
    assert_eq!(invoked["responseCode"], "BG000");
    assert_eq!(invoked["guarantee"]["bgStatus"], "INVOKED");
    assert_eq!(
        invoked["guarantee"]["invocation"],
        json!({
            "claimRefNo": "CLAIM-1", "claimAmount": "1000000.00",
            "invokedAt": "2026-07-10T10:00:00+05:30"
        })
    );
    assert_eq!(repeat, invoked);
    assert_eq!(second["responseCode"], "BG005");
    assert_eq!(amend["responseCode"], "BG004");
    assert_eq!(
        verified["guarantee"]["bgStatus"], "INVOKED",
        "invoked stays invoked"
    );
}

#[tokio::test]
async fn a_claim_after_the_claim_period_is_refused() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-LATE")).await);

    bank.advance("P120D").await; // 2026-07-30: the last claim day
    let last_day = bank.verify(&bg).await;
    bank.advance("P1D").await;
    let late = bank.invoke(&bg, "CLAIM-LATE", "1000.00").await;

    assert_eq!(last_day["guarantee"]["bgStatus"], "EXPIRED");
    assert_eq!(late["responseCode"], "BG010");
    assert_eq!(late["message"], "Claim period has ended");
    assert!(late["guarantee"].get("invocation").is_none());
}

#[tokio::test]
async fn an_issued_or_amended_guarantee_can_be_invoked_at_once() {
    let bank = Bank::start().await;
    let issued = bg_number(&bank.issue(issuance_body("BGREQ-I1")).await);
    let amended = bg_number(&bank.issue(issuance_body("BGREQ-I2")).await);
    bank.amend(&amended, "AMD-I2", json!({ "amount": "100000.00" }))
        .await;

    let from_issued = bank.invoke(&issued, "CLAIM-I1", "2500000.00").await;
    let above_amended = bank.invoke(&amended, "CLAIM-I2", "100000.01").await;
    let from_amended = bank.invoke(&amended, "CLAIM-I2", "100000.00").await;

    assert_eq!(from_issued["responseCode"], "BG000");
    assert_eq!(from_issued["guarantee"]["bgStatus"], "INVOKED");
    assert_eq!(
        above_amended["responseCode"], "BG006",
        "the amended amount caps the claim"
    );
    assert_eq!(from_amended["guarantee"]["bgStatus"], "INVOKED");
    assert_eq!(
        from_amended["guarantee"]["amendments"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
