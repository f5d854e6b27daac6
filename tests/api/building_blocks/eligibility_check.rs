//! Eligibility check: FOIR limits, maximums, credit cards, declines, amounts.

use serde_json::{json, Value};

use super::{eligibility_body, DEMO_PAN};
use crate::helpers::spawn_app;

#[tokio::test]
async fn demo_person_is_eligible_for_an_auto_loan_within_the_foir_limit() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "AUTO_LOAN", "150000.00", "400000.00"),
        )
        .await;

    // Obligations: 5% of 42,315.75 + 1% of 51,23,400 + 3% of 4,12,350 = 65,720.29; half the income
    // leaves 9,279.71 a month, which repays 4,49,666 over 60 months at 8.75%: floored to 4,49,000.
    assert_eq!(
        answer.json,
        json!({ "eligible": true, "maxAmount": "449000.00", "roi": "8.75", "reasons": [] })
    );
}

#[tokio::test]
async fn asking_above_the_maximum_is_declined_with_the_maximum() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "AUTO_LOAN", "150000.00", "900000.00"),
        )
        .await;

    assert_eq!(answer.json["eligible"], false);
    assert_eq!(answer.json["maxAmount"], "449000.00");
    assert_eq!(
        answer.json["reasons"],
        json!(["REQUESTED_AMOUNT_ABOVE_MAX"])
    );
}

#[tokio::test]
async fn credit_card_limit_is_three_times_income() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "CREDIT_CARD", "150000", "100000"),
        )
        .await;

    assert_eq!(
        answer.json,
        json!({ "eligible": true, "maxAmount": "450000.00", "roi": "36.00", "reasons": [] })
    );
}

#[tokio::test]
async fn low_scores_no_history_and_unknown_pans_are_declined() {
    let app = spawn_app();
    let cases = [
        ("UJGPK3526L", "BUREAU_SCORE_BELOW_CUTOFF"), // fixture, score 587
        ("VTRPD8029Q", "NO_CREDIT_HISTORY"),         // fixture, score -1
        ("KLMPS0000Q", "PAN_NOT_FOUND"),             // magic digits
    ];
    for (pan, reason) in cases {
        let answer = app
            .post(
                "/api/v1/eligibility-check",
                eligibility_body(pan, "PERSONAL_LOAN", "90000", "100000"),
            )
            .await;

        assert_eq!(answer.json["eligible"], false, "{pan}");
        assert_eq!(answer.json["maxAmount"], "0.00", "{pan}");
        assert_eq!(answer.json["reasons"], json!([reason]), "{pan}");
        assert!(
            answer.json.get("roi").is_none(),
            "a decline carries no rate: {}",
            answer.json
        );
    }
}

#[tokio::test]
async fn eligibility_amounts_are_validated() {
    let app = spawn_app();
    let cases = [
        ("monthlyIncome", json!("-5")),
        ("monthlyIncome", json!("0")),
        ("requestedAmount", json!("100.005")),
        ("requestedAmount", json!("lots")),
        ("requestedAmount", json!(1e30)),
        ("product", json!("HOME_LOAN")),
    ];
    for (field, value) in cases {
        let mut body = eligibility_body(DEMO_PAN, "AUTO_LOAN", "150000", "100000");
        body[field] = value.clone();

        let answer = app.post("/api/v1/eligibility-check", body).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}={value}: {message}"
        );
    }
}

#[tokio::test]
async fn eligibility_reads_json_numbers_by_their_decimal_text() {
    let app = spawn_app();
    let with = |requested: Value| json!({ "pan": DEMO_PAN, "product": "CREDIT_CARD", "monthlyIncome": 150000, "requestedAmount": requested });

    let two_places = app
        .post("/api/v1/eligibility-check", with(json!(100.13)))
        .await;
    let three_places = app
        .post("/api/v1/eligibility-check", with(json!(100.135)))
        .await;

    assert_eq!(two_places.json["eligible"], true, "{:?}", two_places.json);
    assert_eq!(two_places.json["maxAmount"], "450000.00");
    let message = three_places.assert_envelope(400, 8017);
    assert!(message.contains("100.135"), "{message}");
}
