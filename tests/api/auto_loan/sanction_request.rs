//! Sanction: pending for one sandbox hour.

use serde_json::json;

use super::{assert_success, Bank};

#[tokio::test]
async fn a_sanction_is_pending_for_one_sandbox_hour() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("DOCUMENTS_RECEIVED").await;

    let sanction = bank.post("sanction", json!({ "applicationNo": no })).await;
    bank.advance("PT59M").await;
    let before = bank.status(&no).await;
    bank.advance("PT1M").await;
    let after = bank.status(&no).await;

    assert_success(&sanction);
    let data = &sanction.json["data"];
    assert!(data["sanctionLetterNo"].as_str().unwrap().starts_with("SL"));
    assert_eq!(data["state"], "SANCTION_PENDING");
    assert_eq!(data["sanctionDueAt"], "2026-04-01T11:00:00+05:30");
    assert_eq!(
        data["terms"],
        json!({ "loanAmount": "500000.00", "tenureMonths": 60, "roi": "8.75", "emi": "10318.62",
                "processingFee": "2500.00", "validUntil": "2026-05-01" })
    );
    assert_eq!(before["state"], "SANCTION_PENDING");
    assert_eq!(after["state"], "SANCTIONED");
    assert_eq!(after["allowedNextSteps"], json!(["disbursement"]));
    let history: Vec<&str> = after["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "OFFERED",
            "ELIGIBLE",
            "DOCUMENTS_RECEIVED",
            "SANCTION_PENDING",
            "SANCTIONED"
        ]
    );
    assert_eq!(after["history"][4]["at"], "2026-04-01T11:00:00+05:30");
}
