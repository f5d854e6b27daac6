//! Premature closure with its penalty, and maturity without one.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{assert_failure, assert_success, decimal, decimal_of, goal, with, Bank, SAVINGS};

#[tokio::test]
async fn premature_closure_takes_the_penalty_and_pays_the_rest_back() {
    let bank = Bank::new().await;
    let id = bank.create(goal("10000.00", 12)).await;
    let account = bank.view(&id).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();
    bank.advance("P40D").await; // 11 May
    let savings = bank.balance(SAVINGS).unwrap();

    let closed = bank.post("goal-closure", json!({ "goalId": id })).await;
    let again = bank.post("goal-closure", json!({ "goalId": id })).await;
    let add = bank
        .post("add-funds", json!({ "goalId": id, "amount": "500.00" }))
        .await;
    let edit = bank
        .post("goal-edit", json!({ "goalId": id, "goalName": "later" }))
        .await;

    assert_success(&closed);
    let data = &closed.json["data"];
    assert_eq!(data["status"], "CLOSED");
    let payout = &data["payout"];
    // April: 53.42 credited; 1–10 May accrued on 10,053.42 (plus April's fraction of a paisa).
    assert_eq!(payout["closureType"], "PREMATURE");
    assert_eq!(payout["principal"], "10000.00");
    assert_eq!(payout["interest"], "71.33");
    assert_eq!(payout["penalty"], "10.97", "71.33 × 1.00 / 6.50");
    assert_eq!(payout["netPayout"], "10060.36");
    assert_eq!(payout["creditedAccount"], SAVINGS);
    assert_eq!(payout["closedAt"], "2026-05-11T10:00:00+05:30");
    assert_eq!(
        bank.balance(SAVINGS).unwrap() - savings,
        decimal("10060.36")
    );
    assert_eq!(
        bank.last_entry(SAVINGS),
        format!("{} CR 10060.36", payout["transactionId"].as_str().unwrap())
    );
    assert_eq!(bank.balance(&account), Some(Decimal::ZERO));
    assert_failure(&again, "IW202");
    assert_failure(&add, "IW202");
    assert_failure(&edit, "IW202");
    let view = bank.view(&id).await;
    assert_eq!(view["status"], "CLOSED");
    assert_eq!(view["balance"], "0.00");
    assert_eq!(view["payout"]["netPayout"], "10060.36");
    let kinds: Vec<Value> = bank
        .history(&id)
        .await
        .iter()
        .map(|t| t["type"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            json!("INITIAL_DEPOSIT"),
            json!("INTEREST_CREDIT"),
            json!("INTEREST_CREDIT"),
            json!("PREMATURE_PENALTY"),
            json!("CLOSURE_PAYOUT")
        ]
    );
}

#[tokio::test]
async fn closing_on_the_first_day_returns_the_deposit_whole() {
    let bank = Bank::new().await;
    let savings = bank.balance(SAVINGS).unwrap();
    let id = bank.create(goal("5000.00", 12)).await;

    let closed = bank.post("goal-closure", json!({ "goalId": id })).await;

    assert_success(&closed);
    assert_eq!(closed.json["data"]["payout"]["interest"], "0.00");
    assert_eq!(closed.json["data"]["payout"]["penalty"], "0.00");
    assert_eq!(closed.json["data"]["payout"]["netPayout"], "5000.00");
    assert_eq!(bank.balance(SAVINGS).unwrap(), savings);
}

#[tokio::test]
async fn a_goal_pays_out_at_maturity_without_penalty() {
    let bank = Bank::new().await;
    let savings = bank.balance(SAVINGS).unwrap();
    let id = bank
        .create(with(
            with(goal("10000.00", 6), "siAmount", json!("1000.00")),
            "siDay",
            json!(10),
        ))
        .await;
    let account = bank.view(&id).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();

    bank.advance("P183D").await; // 1 October 2026, 10:00: matured at 00:00

    let view = bank.view(&id).await;
    assert_eq!(view["status"], "MATURED");
    assert_eq!(view["balance"], "0.00");
    let payout = &view["payout"];
    assert_eq!(payout["closureType"], "MATURITY");
    assert_eq!(payout["penalty"], "0.00");
    assert_eq!(
        payout["principal"], "16000.00",
        "10,000 + six SIs (10 April … 10 September)"
    );
    assert_eq!(payout["closedAt"], "2026-10-01T00:00:00+05:30");
    let interest = decimal_of(&payout["interest"]);
    // ≈ 10,000 × 6.5% × ½ + the SIs' months (19.2 × 1,000 × 6.5% / 12), compounded monthly.
    assert_eq!(interest, decimal("435.79"));
    assert_eq!(
        decimal_of(&payout["netPayout"]),
        decimal("16000.00") + interest
    );
    assert_eq!(
        bank.balance(SAVINGS).unwrap(),
        savings + interest,
        "every rupee came back, with interest"
    );
    assert_eq!(bank.balance(&account), Some(Decimal::ZERO));
    let history = bank.history(&id).await;
    let credited: Decimal = history
        .iter()
        .filter(|t| t["type"] == "INTEREST_CREDIT")
        .map(|t| decimal_of(&t["amount"]))
        .sum();
    assert_eq!(credited, interest);
    assert_eq!(
        history
            .iter()
            .filter(|t| t["type"] == "INTEREST_CREDIT")
            .count(),
        6,
        "April … September month ends"
    );
    assert_eq!(history.last().unwrap()["type"], "MATURITY_PAYOUT");
    assert_failure(
        &bank.post("goal-closure", json!({ "goalId": id })).await,
        "IW202",
    );
}
