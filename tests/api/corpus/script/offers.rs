//! Banking Offers: the pre-approved list by each key and score band, validate and block, the refusals,
//! the magic amounts, and expiry by the sandbox clock.

use serde_json::{json, Value};

use super::super::recorder::{Got, Recorder};

const LIST: &str = "/api/v1/offers/pre-approved";
const VALIDATE: &str = "/api/v1/offers/validate";
const BLOCK: &str = "/api/v1/offers/block";
const DEMO_CUSTOMER: &str = "CUST000001";

fn offer_id(list: &Got, product: &str) -> String {
    list.json["offers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|offer| offer["product"] == product)
        .and_then(|offer| offer["offerId"].as_str())
        .unwrap_or_else(|| panic!("no {product} offer in {}", list.json))
        .to_string()
}

fn check(offer: &str, customer: &str, amount: &str) -> Value {
    json!({ "offerId": offer, "customerId": customer, "amount": amount })
}

/// `application`: an Auto Loan application of the demo person.
pub async fn chain(rec: &mut Recorder, application: &str) {
    let demo = json!({ "customerId": DEMO_CUSTOMER });
    let list = rec.post("offers for the demo customer", LIST, demo).await;
    lists(rec, application).await;
    checks(
        rec,
        &offer_id(&list, "CREDIT_CARD"),
        &offer_id(&list, "AUTO_LOAN"),
    )
    .await;
    expiry(rec, &offer_id(&list, "PAYLATER")).await;
}

async fn lists(rec: &mut Recorder, application: &str) {
    let customer = |id: &str| json!({ "customerId": id });
    for (key, why) in [
        (json!({ "mobile": "9800000001" }), "by mobile"),
        (json!({ "accountNo": "000401000001" }), "by account"),
        (
            json!({ "applicationNo": application }),
            "by loan application",
        ),
        (customer("CUST000002"), "a 719 score"),
        (customer("CUST000021"), "a 657 score"),
        (customer("CUST000003"), "a 587 score: none"),
        (customer("CUST000019"), "no history: none"),
        (customer("CUST999999"), "an unknown customer"),
        (json!({ "mobile": "9123456789" }), "an unknown mobile"),
        (json!({ "accountNo": "000401999999" }), "an unknown account"),
        (
            json!({ "applicationNo": "AL2026000001" }),
            "an unknown application",
        ),
        (json!({}), "no key"),
        (
            json!({ "customerId": DEMO_CUSTOMER, "mobile": "9800000001" }),
            "two keys",
        ),
        (customer("cust-1"), "a malformed customer id"),
    ] {
        rec.post(&format!("offers: {why}"), LIST, key).await;
    }
}

async fn checks(rec: &mut Recorder, card: &str, auto: &str) {
    let demo = DEMO_CUSTOMER;
    for (path, body, why) in [
        (VALIDATE, check(card, demo, "300000.01"), "above the offer"),
        (
            BLOCK,
            check(card, demo, "300000.01"),
            "block above the offer",
        ),
        (
            VALIDATE,
            check(card, "CUST000002", "1000.00"),
            "another customer's offer",
        ),
        (
            VALIDATE,
            check("OFCC000000000000", demo, "1.00"),
            "an unknown offer",
        ),
        (
            BLOCK,
            check(card, "CUST999999", "1000.00"),
            "an unknown customer",
        ),
        (
            VALIDATE,
            check(card, demo, "300000.00"),
            "the offered amount",
        ),
        (VALIDATE, check(auto, demo, "1000.13"), "amount .13"),
        (VALIDATE, check(auto, demo, "1000.96"), "amount .96"),
        (
            BLOCK,
            check(auto, demo, "1000.51"),
            "amount .51: no magic for offers",
        ),
        (BLOCK, check(card, demo, "250000.00"), "block it"),
        (BLOCK, check(card, demo, "250000.00"), "block it again"),
        (
            VALIDATE,
            check(card, demo, "1000.00"),
            "validate once blocked",
        ),
        (VALIDATE, check(auto, demo, "-1.00"), "a negative amount"),
        (
            VALIDATE,
            json!({ "offerId": auto, "customerId": demo }),
            "no amount",
        ),
    ] {
        rec.post(&format!("offers: {why}"), path, body).await;
    }
}

async fn expiry(rec: &mut Recorder, later: &str) {
    let body = || check(later, DEMO_CUSTOMER, "1000.00");
    rec.advance("P30D", "the last day the offers are valid")
        .await;
    rec.post("offers: valid on the last day", VALIDATE, body())
        .await;
    rec.advance("P1D", "the offers expire").await;
    rec.post("offers: expired", VALIDATE, body()).await;
    rec.post("offers: an expired offer cannot be blocked", BLOCK, body())
        .await;
    let demo = json!({ "customerId": DEMO_CUSTOMER });
    rec.post("offers: the list shows them expired", LIST, demo)
        .await;
}
