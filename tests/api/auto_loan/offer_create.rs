//! Offers: income- and value-limited, priced by the bureau score, weak reports rejected, magic values.

use serde_json::{json, Value};

use super::{assert_failure, assert_success, Bank, DEMO_MOBILE, DEMO_PAN};

#[tokio::test]
async fn the_demo_person_gets_an_income_limited_offer() {
    let bank = Bank::new().await;

    let offer = bank.offer(DEMO_PAN, "NEW", "800000.00").await;

    assert_success(&offer);
    let data = &offer.json["data"];
    let no = data["applicationNo"].as_str().unwrap();
    assert!(no.starts_with("ALN") && no.len() == 13, "{no}");
    assert_eq!(
        data,
        &json!({
            "applicationNo": no,
            "state": "OFFERED",
            "offerAmount": "581000.00",
            "maxTenureMonths": 84,
            "roi": "8.75",
            "bureauScore": 780,
            "reasons": ["LIMITED_BY_INCOME"]
        })
    );
}

#[tokio::test]
async fn a_modest_vehicle_is_limited_by_value_and_a_used_one_costs_more() {
    let bank = Bank::new().await;

    let new = bank.offer(DEMO_PAN, "NEW", "400000.00").await;
    let used = bank.offer(DEMO_PAN, "USED", "400000.00").await;

    assert_eq!(new.json["data"]["offerAmount"], "360000.00", "90% LTV");
    assert_eq!(new.json["data"]["reasons"], json!([]));
    assert_eq!(used.json["data"]["offerAmount"], "320000.00", "80% LTV");
    assert_eq!(used.json["data"]["roi"], "10.25");
    assert_eq!(used.json["data"]["maxTenureMonths"], 60);
}

#[tokio::test]
async fn a_middling_score_gets_a_lower_ltv_and_a_higher_rate() {
    let bank = Bank::new().await;

    // YIIPV9136S: score 719, income ₹2,05,000.
    let offer = bank.offer("YIIPV9136S", "NEW", "400000.00").await;

    assert_success(&offer);
    assert_eq!(offer.json["data"]["bureauScore"], 719);
    assert_eq!(offer.json["data"]["roi"], "10.00");
    assert_eq!(offer.json["data"]["offerAmount"], "320000.00", "80% LTV");
    assert_eq!(
        offer.json["data"]["reasons"],
        json!(["LTV_REDUCED_FOR_SCORE"])
    );
}

#[tokio::test]
async fn weak_bureau_reports_are_rejected_with_reasons() {
    let bank = Bank::new().await;
    let cases = [
        ("UJGPK3526L", "BUREAU_SCORE_BELOW_CUTOFF"),
        ("VTRPD8029Q", "NO_CREDIT_HISTORY"),
        ("ABCPE0000F", "PAN_NOT_FOUND"),
        ("ABCPE9999F", "PAN_DEACTIVATED"),
        ("RXXPM8735X", "SEVERE_DELINQUENCY"),
        ("STWPJ0978A", "FOIR_EXCEEDED"),
    ];

    for (pan, reason) in cases {
        let offer = bank.offer(pan, "NEW", "800000.00").await;

        assert_failure(&offer, "AL203");
        assert_eq!(offer.json["data"]["state"], "REJECTED", "{pan}");
        assert_eq!(offer.json["data"]["reasons"], json!([reason]), "{pan}");
        assert_eq!(offer.json["data"]["offerAmount"], "0.00", "{pan}");
        let no = offer.json["data"]["applicationNo"].as_str().unwrap();
        let next = bank
            .post(
                "eligibility",
                json!({ "applicationNo": no, "loanAmount": "1000.00", "tenureMonths": 12 }),
            )
            .await;
        assert_failure(&next, "AL202");
        assert_eq!(next.json["currentState"], "REJECTED");
        assert_eq!(next.json["allowedNextSteps"], json!([]));
    }
}

#[tokio::test]
async fn offer_magic_values_and_validation() {
    let bank = Bank::new().await;
    bank.verify(DEMO_MOBILE).await;
    let body = |field: &str, value: Value| {
        let mut body = json!({ "pan": DEMO_PAN, "mobile": DEMO_MOBILE, "vehicleType": "NEW",
                               "onRoadPrice": "800000.00", "dealerCode": "DLR1001" });
        body[field] = value;
        body
    };

    let dealer = bank
        .post("offer", body("dealerCode", json!("DLR0000")))
        .await;
    let timeout = bank
        .post("offer", body("onRoadPrice", json!("800000.96")))
        .await;
    let vehicle = bank
        .post("offer", body("vehicleType", json!("SCOOTER")))
        .await;
    let code = bank.post("offer", body("dealerCode", json!("dlr-1"))).await;
    let pan = bank.post("offer", body("pan", json!("ABC"))).await;

    assert_failure(&dealer, "AL204");
    timeout.assert_envelope(504, 8013);
    assert!(vehicle.assert_envelope(400, 8017).contains("`vehicleType`"));
    assert!(code.assert_envelope(400, 8017).contains("`dealerCode`"));
    assert!(pan.assert_envelope(400, 8017).contains("`pan`"));
}
