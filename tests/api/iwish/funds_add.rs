//! Adding funds moves money from the funding account.

use serde_json::{json, Value};

use super::{assert_failure, assert_success, decimal, goal, Bank, SAVINGS};

#[tokio::test]
async fn add_funds_moves_money_from_the_funding_account() {
    let bank = Bank::new().await;
    let id = bank.create(goal("5000.00", 12)).await;
    let account = bank.view(&id).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();
    let savings = bank.balance(SAVINGS).unwrap();
    let corporate = bank.balance("000405000001").unwrap();

    let added = bank
        .post("add-funds", json!({ "goalId": id, "amount": "2000.00" }))
        .await;
    let from_other = bank
        .post(
            "add-funds",
            json!({ "goalId": id, "amount": "100.00", "fromAccount": "000405000001" }),
        )
        .await;
    let small = bank
        .post("add-funds", json!({ "goalId": id, "amount": "99.00" }))
        .await;
    let magic = bank
        .post("add-funds", json!({ "goalId": id, "amount": "500.51" }))
        .await;
    let timeout = bank
        .post("add-funds", json!({ "goalId": id, "amount": "500.96" }))
        .await;
    let too_much = bank
        .post("add-funds", json!({ "goalId": id, "amount": "300000.00" }))
        .await;
    let outside = bank
        .post(
            "add-funds",
            json!({ "goalId": id, "amount": "500.00", "fromAccount": "000405009999" }),
        )
        .await;

    assert_success(&added);
    let data = &added.json["data"];
    assert_eq!(data["amount"], "2000.00");
    assert_eq!(data["fromAccount"], SAVINGS);
    assert_eq!(data["goalBalance"], "7000.00");
    assert_eq!(data["totalDeposited"], "7000.00");
    assert!(data["transactionId"].as_str().unwrap().starts_with('S'));
    assert_success(&from_other);
    assert_failure(&small, "IW102");
    assert_failure(&magic, "IW301");
    timeout.assert_envelope(504, 8013);
    assert_failure(&too_much, "IW301");
    assert_failure(&outside, "IW302");
    assert_eq!(savings - bank.balance(SAVINGS).unwrap(), decimal("2000.00"));
    assert_eq!(
        corporate - bank.balance("000405000001").unwrap(),
        decimal("100.00")
    );
    assert_eq!(bank.balance(&account), Some(decimal("7100.00")));
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
            json!("ADD_FUNDS"),
            json!("ADD_FUNDS")
        ]
    );
}
