//! Status: exactly one key, unknown ids not found, another sandbox's applications invisible.

use serde_json::json;

use super::{assert_failure, Bank};

#[tokio::test]
async fn status_needs_exactly_one_key_and_unknown_ids_are_not_found() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let both = bank
        .post(
            "status",
            json!({ "applicationNo": no, "loanAccountNo": "000466000001" }),
        )
        .await;
    let neither = bank.post("status", json!({})).await;
    let unknown = bank
        .post("status", json!({ "applicationNo": "ALN0000000000" }))
        .await;
    let offered = bank.status(&no).await;

    both.assert_envelope(400, 8017);
    neither.assert_envelope(400, 8017);
    assert_failure(&unknown, "AL201");
    assert_eq!(offered["state"], "OFFERED");
    assert_eq!(offered["allowedNextSteps"], json!(["eligibility"]));
    assert_eq!(offered["amortisationSchedule"], json!([]));
    assert_eq!(offered["overdueAmount"], "0.00");
    assert!(offered.get("loanAccountNo").is_none());
}

#[tokio::test]
async fn another_sandbox_does_not_see_the_application() {
    let bank = Bank::new().await;
    let other = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let answer = other.post("status", json!({ "applicationNo": no })).await;

    assert_failure(&answer, "AL201");
}
