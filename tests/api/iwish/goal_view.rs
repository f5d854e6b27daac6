//! Unknown goals in every operation; another sandbox's goals are invisible.

use serde_json::json;

use super::{assert_failure, goal, Bank};

#[tokio::test]
async fn unknown_goals_are_not_found_in_every_operation() {
    let bank = Bank::new().await;
    let unknown = json!({ "goalId": "IW0000000000" });

    for op in ["goal-view", "goal-closure", "transaction-history"] {
        assert_failure(&bank.post(op, unknown.clone()).await, "IW201");
    }
    let add = bank
        .post(
            "add-funds",
            json!({ "goalId": "IW0000000000", "amount": "500.00" }),
        )
        .await;
    let edit = bank
        .post(
            "goal-edit",
            json!({ "goalId": "IW0000000000", "goalName": "x" }),
        )
        .await;
    assert_failure(&add, "IW201");
    assert_failure(&edit, "IW201");
}

#[tokio::test]
async fn another_sandbox_does_not_see_the_goal() {
    let bank = Bank::new().await;
    let other = Bank::new().await;
    let id = bank.create(goal("1000.00", 12)).await;

    assert_failure(
        &other.post("goal-view", json!({ "goalId": id })).await,
        "IW201",
    );
}
