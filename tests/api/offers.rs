//! Banking Offers: pre-approved offers by each key, the score rules, validation and
//! blocking with every refusal, expiry by the sandbox clock, and the magic amounts.

use poem::http::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

const DEMO_CUSTOMER: &str = "CUST000001";

async fn offers(app: &TestApp, key: Value) -> Value {
    let answer = app.post("/api/v1/offers/pre-approved", key).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json
}

fn offer_of<'a>(answer: &'a Value, product: &str) -> &'a Value {
    answer["offers"]
        .as_array()
        .expect("offers list")
        .iter()
        .find(|o| o["product"] == product)
        .unwrap_or_else(|| panic!("no {product} offer in {answer}"))
}

async fn check(app: &TestApp, op: &str, offer_id: &str, customer: &str, amount: &str) -> Value {
    let answer = app
        .post(
            &format!("/api/v1/offers/{op}"),
            json!({ "offerId": offer_id, "customerId": customer, "amount": amount }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json
}

fn products(answer: &Value) -> Vec<&str> {
    answer["offers"]
        .as_array()
        .expect("offers list")
        .iter()
        .map(|o| o["product"].as_str().unwrap())
        .collect()
}

// ---- pre-approved ---------------------------------------------------------------------------

#[tokio::test]
async fn the_demo_customer_gets_all_four_offers() {
    let app = spawn_app();
    app.freeze_clock().await;

    let answer = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;

    let offer = |id: &str, product: &str, amount: &str, roi: &str, tenure: u32| {
        json!({
            "offerId": id, "product": product, "amount": amount, "roi": roi, "tenure": tenure,
            "validTill": "2026-05-01", "status": "AVAILABLE"
        })
    };
    assert_eq!(
        answer,
        json!({
            "status": "SUCCESS",
            "responseCode": "OF000",
            "message": "Success",
            "customerId": "CUST000001",
            "offers": [
                offer("OFPL208924938330", "PERSONAL_LOAN", "1170000.00", "10.50", 48),
                offer("OFAL551075160418", "AUTO_LOAN", "1810000.00", "8.75", 60),
                offer("OFCC693954171320", "CREDIT_CARD", "300000.00", "36.00", 0),
                offer("OFPY926817690665", "PAYLATER", "30000.00", "0.00", 1),
            ]
        })
    );
}

#[tokio::test]
async fn mobile_and_account_find_the_same_customer_and_offers() {
    let app = spawn_app();
    app.freeze_clock().await;
    let by_id = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;

    let by_mobile = offers(&app, json!({ "mobile": "9800000001" })).await;
    let by_account = offers(&app, json!({ "accountNo": "000401000001" })).await;

    assert_eq!(by_mobile, by_id);
    assert_eq!(by_account, by_id);
}

#[tokio::test]
async fn offers_follow_the_score_band() {
    let app = spawn_app();
    app.freeze_clock().await;

    // 719: every product, at the 700–749 premium (+1.25) and 75% of the share.
    let mid = offers(&app, json!({ "customerId": "CUST000002" })).await;
    // 657: below the personal-loan (700) and card (680) cut-offs.
    let low = offers(&app, json!({ "customerId": "CUST000021" })).await;
    // 587 and no history (-1): nothing.
    let poor = offers(&app, json!({ "customerId": "CUST000003" })).await;
    let none = offers(&app, json!({ "customerId": "CUST000019" })).await;

    assert_eq!(
        products(&mid),
        ["PERSONAL_LOAN", "AUTO_LOAN", "CREDIT_CARD", "PAYLATER"]
    );
    assert_eq!(offer_of(&mid, "PERSONAL_LOAN")["roi"], "11.75");
    assert_eq!(offer_of(&mid, "CREDIT_CARD")["amount"], "305000.00");
    assert_eq!(products(&low), ["AUTO_LOAN", "PAYLATER"]);
    assert_eq!(offer_of(&low, "AUTO_LOAN")["roi"], "11.25");
    for answer in [&poor, &none] {
        assert_eq!(answer["status"], "SUCCESS");
        assert_eq!(
            answer["message"],
            "No pre-approved offers for this customer"
        );
        assert_eq!(answer["offers"], json!([]));
    }
}

#[tokio::test]
async fn valid_till_is_fixed_at_first_generation() {
    let app = spawn_app();
    app.freeze_clock().await;
    let first = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;

    app.advance_clock("P10D").await;
    let later = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;

    assert_eq!(later, first, "same ids and validTill ten days on");
}

#[tokio::test]
async fn offers_expire_by_the_sandbox_clock() {
    let app = spawn_app();
    app.freeze_clock().await;
    let first = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;
    let id = offer_of(&first, "PAYLATER")["offerId"]
        .as_str()
        .unwrap()
        .to_string();

    app.advance_clock("P30D").await; // 2026-05-01: the last valid day
    let last_day = check(&app, "validate", &id, DEMO_CUSTOMER, "1000.00").await;
    app.advance_clock("P1D").await;
    let expired = check(&app, "validate", &id, DEMO_CUSTOMER, "1000.00").await;
    let block = check(&app, "block", &id, DEMO_CUSTOMER, "1000.00").await;
    let listed = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;

    assert_eq!(last_day["responseCode"], "OF000");
    assert_eq!(expired["status"], "FAILURE");
    assert_eq!(expired["responseCode"], "OF004");
    assert_eq!(expired["message"], "Offer has expired");
    assert_eq!(expired["offer"]["status"], "EXPIRED");
    assert_eq!(block["responseCode"], "OF004");
    assert_eq!(offer_of(&listed, "PAYLATER")["status"], "EXPIRED");
}

#[tokio::test]
async fn unknown_customers_and_applications_are_business_not_found() {
    let app = spawn_app();

    let customer = offers(&app, json!({ "customerId": "CUST999999" })).await;
    let mobile = offers(&app, json!({ "mobile": "9123456789" })).await;
    let account = offers(&app, json!({ "accountNo": "000401999999" })).await;
    let application = offers(&app, json!({ "applicationNo": "AL2026000001" })).await;

    for answer in [&customer, &mobile, &account] {
        assert_eq!(
            *answer,
            json!({
                "status": "FAILURE", "responseCode": "OF001", "message": "Customer not found",
                "offers": []
            })
        );
    }
    assert_eq!(application["responseCode"], "OF002");
    assert_eq!(application["message"], "Application not found");
}

#[tokio::test]
async fn exactly_one_key_is_required() {
    let app = spawn_app();

    let none = app.post("/api/v1/offers/pre-approved", json!({})).await;
    let two = app
        .post(
            "/api/v1/offers/pre-approved",
            json!({ "customerId": DEMO_CUSTOMER, "mobile": "9800000001" }),
        )
        .await;
    let bad_id = app
        .post(
            "/api/v1/offers/pre-approved",
            json!({ "customerId": "cust-1" }),
        )
        .await;
    let bad_mobile = app
        .post("/api/v1/offers/pre-approved", json!({ "mobile": "12345" }))
        .await;

    assert!(none.assert_envelope(400, 8017).contains("`customerId`"));
    assert!(two
        .assert_envelope(400, 8017)
        .contains("`mobile`: send exactly one"));
    assert!(bad_id.assert_envelope(400, 8017).contains("`customerId`"));
    assert!(bad_mobile.assert_envelope(400, 8017).contains("`mobile`"));
}

// ---- validate and block ----------------------------------------------------------------------

#[tokio::test]
async fn validate_then_block_then_everything_is_refused() {
    let app = spawn_app();
    app.freeze_clock().await;
    let list = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;
    let id = offer_of(&list, "PERSONAL_LOAN")["offerId"]
        .as_str()
        .unwrap()
        .to_string();

    let valid = check(&app, "validate", &id, DEMO_CUSTOMER, "1170000.00").await;
    let blocked = check(&app, "block", &id, DEMO_CUSTOMER, "500000.00").await;
    let validate_again = check(&app, "validate", &id, DEMO_CUSTOMER, "1000.00").await;
    let block_again = check(&app, "block", &id, DEMO_CUSTOMER, "1000.00").await;
    let listed = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;

    assert_eq!(valid["status"], "SUCCESS");
    assert_eq!(valid["responseCode"], "OF000");
    assert_eq!(valid["offer"]["status"], "AVAILABLE");
    assert!(valid.get("blockReference").is_none());
    assert_eq!(blocked["responseCode"], "OF000");
    assert_eq!(blocked["offer"]["status"], "BLOCKED");
    assert_eq!(blocked["blockedAmount"], "500000.00");
    assert_eq!(blocked["blockReference"].as_str().unwrap().len(), 12);
    for refused in [&validate_again, &block_again] {
        assert_eq!(refused["status"], "FAILURE");
        assert_eq!(refused["responseCode"], "OF006");
        assert_eq!(refused["offer"]["status"], "BLOCKED");
    }
    assert_eq!(offer_of(&listed, "PERSONAL_LOAN")["status"], "BLOCKED");
    assert_eq!(offer_of(&listed, "AUTO_LOAN")["status"], "AVAILABLE");
}

#[tokio::test]
async fn amount_customer_and_offer_must_match() {
    let app = spawn_app();
    app.freeze_clock().await;
    let list = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;
    let id = offer_of(&list, "CREDIT_CARD")["offerId"]
        .as_str()
        .unwrap()
        .to_string();
    offers(&app, json!({ "customerId": "CUST000002" })).await;

    let above = check(&app, "validate", &id, DEMO_CUSTOMER, "300000.01").await;
    let block_above = check(&app, "block", &id, DEMO_CUSTOMER, "300000.01").await;
    let other_customer = check(&app, "validate", &id, "CUST000002", "1000.00").await;
    let unknown_offer = check(&app, "validate", "OFCC000000000000", DEMO_CUSTOMER, "1.00").await;
    let unknown_customer = check(&app, "block", &id, "CUST999999", "1000.00").await;
    let still_available = check(&app, "validate", &id, DEMO_CUSTOMER, "300000.00").await;

    assert_eq!(above["responseCode"], "OF005");
    assert_eq!(above["message"], "Amount is above the offered amount");
    assert_eq!(block_above["responseCode"], "OF005");
    assert_eq!(other_customer["responseCode"], "OF003");
    assert!(other_customer.get("offer").is_none());
    assert_eq!(unknown_offer["responseCode"], "OF003");
    assert_eq!(unknown_customer["responseCode"], "OF001");
    assert_eq!(
        still_available["responseCode"], "OF000",
        "refusals changed nothing"
    );
}

#[tokio::test]
async fn an_offer_is_unknown_until_listed_and_to_other_apps_state() {
    let app = spawn_app();
    app.freeze_clock().await;

    let before_listing = check(&app, "validate", "OFPL208924938330", DEMO_CUSTOMER, "1.00").await;
    offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;
    let after_listing = check(&app, "validate", "OFPL208924938330", DEMO_CUSTOMER, "1.00").await;
    let fresh = spawn_app();
    let other_sandbox = check(&fresh, "block", "OFPL208924938330", DEMO_CUSTOMER, "1.00").await;

    assert_eq!(before_listing["responseCode"], "OF003");
    assert_eq!(after_listing["responseCode"], "OF000");
    assert_eq!(other_sandbox["responseCode"], "OF003");
}

#[tokio::test]
async fn magic_amounts_and_validation() {
    let app = spawn_app();
    app.freeze_clock().await;
    let list = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;
    let id = offer_of(&list, "AUTO_LOAN")["offerId"]
        .as_str()
        .unwrap()
        .to_string();

    let invalid = check(&app, "block", &id, DEMO_CUSTOMER, "1000.13").await;
    let timeout = app
        .post(
            "/api/v1/offers/validate",
            json!({ "offerId": id, "customerId": DEMO_CUSTOMER, "amount": "1000.96" }),
        )
        .await;
    let zero = app
        .post(
            "/api/v1/offers/block",
            json!({ "offerId": id, "customerId": DEMO_CUSTOMER, "amount": "0" }),
        )
        .await;
    let missing = app
        .post(
            "/api/v1/offers/validate",
            json!({ "offerId": id, "amount": "1.00" }),
        )
        .await;
    let bad_offer = app
        .post(
            "/api/v1/offers/validate",
            json!({ "offerId": "of-1", "customerId": DEMO_CUSTOMER, "amount": "1.00" }),
        )
        .await;
    let still_available = check(&app, "validate", &id, DEMO_CUSTOMER, "1000.00").await;

    assert_eq!(invalid["responseCode"], "OF007");
    timeout.assert_envelope(504, 8013);
    assert!(zero.assert_envelope(400, 8017).contains("`amount`"));
    assert!(missing.assert_envelope(400, 8017).contains("customerId"));
    assert!(bad_offer.assert_envelope(400, 8017).contains("`offerId`"));
    assert_eq!(still_available["responseCode"], "OF000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_blocks_of_one_offer_succeed_once() {
    let app = std::sync::Arc::new(spawn_app());
    app.freeze_clock().await;
    let list = offers(&app, json!({ "customerId": DEMO_CUSTOMER })).await;
    let id = offer_of(&list, "PAYLATER")["offerId"]
        .as_str()
        .unwrap()
        .to_string();

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (app, id) = (app.clone(), id.clone());
            tokio::spawn(async move { check(&app, "block", &id, DEMO_CUSTOMER, "1000.00").await })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.expect("the task completes")["responseCode"].clone());
    }

    assert_eq!(
        codes.iter().filter(|c| **c == "OF000").count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == "OF006").count(),
        7,
        "{codes:?}"
    );
}
