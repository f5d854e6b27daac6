//! Eligibility: the chosen terms priced, terms beyond the offer refused, steps out of order named,
//! repricing.

use serde_json::json;

use super::{assert_failure, assert_success, Bank, DEALER, DEMO_PAN, SHA};

#[tokio::test]
async fn eligibility_prices_the_chosen_terms_by_reducing_balance() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let answer = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "500000.00", "tenureMonths": 60 }),
        )
        .await;

    assert_success(&answer);
    assert_eq!(
        answer.json["data"],
        json!({
            "applicationNo": no,
            "state": "ELIGIBLE",
            "eligible": true,
            "loanAmount": "500000.00",
            "tenureMonths": 60,
            "emi": "10318.62",
            "roi": "8.75",
            "processingFee": "2500.00",
            "reasons": []
        })
    );
}

#[tokio::test]
async fn terms_beyond_the_offer_are_not_eligible_and_change_nothing() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let too_much = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "600000.00", "tenureMonths": 84 }),
        )
        .await;
    let used_offer = bank.offer(DEMO_PAN, "USED", "400000.00").await;
    let used_no = used_offer.json["data"]["applicationNo"].as_str().unwrap();
    let too_long = bank
        .post(
            "eligibility",
            json!({ "applicationNo": used_no, "loanAmount": "100000.00", "tenureMonths": 72 }),
        )
        .await;
    let out_of_range = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "100000.00", "tenureMonths": 6 }),
        )
        .await;
    let bad_no = bank
        .post(
            "eligibility",
            json!({ "applicationNo": "AL1", "loanAmount": "100000.00", "tenureMonths": 12 }),
        )
        .await;
    let unknown = bank
        .post("eligibility", json!({ "applicationNo": "ALN0000000000", "loanAmount": "100000.00", "tenureMonths": 12 }))
        .await;

    assert_success(&too_much);
    assert_eq!(too_much.json["data"]["eligible"], false);
    assert_eq!(
        too_much.json["data"]["reasons"],
        json!(["LOAN_AMOUNT_ABOVE_OFFER"])
    );
    assert_eq!(too_much.json["data"]["state"], "OFFERED");
    assert_eq!(too_much.json["data"]["emi"], "0.00");
    assert_eq!(
        too_long.json["data"]["reasons"],
        json!(["TENURE_ABOVE_MAX"])
    );
    assert!(out_of_range
        .assert_envelope(400, 8017)
        .contains("`tenureMonths`"));
    assert!(bad_no
        .assert_envelope(400, 8017)
        .contains("`applicationNo`"));
    assert_failure(&unknown, "AL201");
    assert_eq!(bank.status(&no).await["state"], "OFFERED");
}

#[tokio::test]
async fn steps_out_of_order_name_the_state_and_the_allowed_steps() {
    let bank = Bank::new().await;
    let (offered, _) = bank.application_at("OFFERED").await;
    let (received, _) = bank.application_at("DOCUMENTS_RECEIVED").await;
    let (pending, _) = bank.application_at("SANCTION_PENDING").await;

    let sanction_early = bank
        .post("sanction", json!({ "applicationNo": offered }))
        .await;
    let documents_early = bank
        .post("documents", json!({ "applicationNo": offered, "documentType": "PAN", "fileName": "p.pdf", "sha256": SHA }))
        .await;
    let disburse_early = bank
        .post("disbursement", json!({ "applicationNo": received, "dealerAccount": DEALER, "dealerIFSC": "ICIC0000004" }))
        .await;
    let reprice_late = bank
        .post(
            "eligibility",
            json!({ "applicationNo": received, "loanAmount": "100000.00", "tenureMonths": 12 }),
        )
        .await;
    let sanction_twice = bank
        .post("sanction", json!({ "applicationNo": pending }))
        .await;

    assert_failure(&sanction_early, "AL202");
    assert_eq!(sanction_early.json["currentState"], "OFFERED");
    assert_eq!(
        sanction_early.json["allowedNextSteps"],
        json!(["eligibility"])
    );
    assert!(sanction_early.json["message"]
        .as_str()
        .unwrap()
        .contains("is OFFERED"));
    assert_failure(&documents_early, "AL202");
    assert_failure(&disburse_early, "AL202");
    assert_eq!(disburse_early.json["currentState"], "DOCUMENTS_RECEIVED");
    assert_eq!(
        disburse_early.json["allowedNextSteps"],
        json!(["documents", "sanction"])
    );
    assert_failure(&reprice_late, "AL202");
    assert_failure(&sanction_twice, "AL202");
    assert_eq!(sanction_twice.json["currentState"], "SANCTION_PENDING");
    assert_eq!(sanction_twice.json["allowedNextSteps"], json!([]));
    assert!(sanction_twice.json["message"]
        .as_str()
        .unwrap()
        .contains("1 sandbox hour"));
}

#[tokio::test]
async fn eligible_applications_can_be_repriced_and_documents_keep_coming() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("ELIGIBLE").await;

    let sanction_early = bank.post("sanction", json!({ "applicationNo": no })).await;
    let repriced = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "100000.00", "tenureMonths": 12 }),
        )
        .await;
    let doc = |kind: &str| json!({ "applicationNo": no, "documentType": kind, "fileName": "f.pdf", "sha256": SHA });
    bank.post("documents", doc("PASSPORT")).await;
    bank.post("documents", doc("BANK_STATEMENT")).await;
    let more = bank.post("documents", doc("ITR")).await;
    let sanction = bank.post("sanction", json!({ "applicationNo": no })).await;

    assert_failure(&sanction_early, "AL202");
    assert_eq!(sanction_early.json["currentState"], "ELIGIBLE");
    assert_eq!(
        sanction_early.json["allowedNextSteps"],
        json!(["eligibility", "documents"])
    );
    assert_success(&repriced);
    assert_eq!(repriced.json["data"]["state"], "ELIGIBLE");
    // ₹1,00,000 at 8.75% for 12 months; the fee is at least ₹2,000.
    assert_eq!(repriced.json["data"]["emi"], "8733.56");
    assert_eq!(repriced.json["data"]["processingFee"], "2000.00");
    assert_success(&more);
    assert_eq!(more.json["data"]["state"], "DOCUMENTS_RECEIVED");
    assert_eq!(
        sanction.json["data"]["terms"]["loanAmount"], "100000.00",
        "the sanction is on the latest terms"
    );
}
