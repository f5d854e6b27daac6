//! Editing a goal's name, target and standing instruction.

use serde_json::{json, Value};

use super::{assert_failure, assert_success, goal, Bank};

#[tokio::test]
async fn edit_changes_name_target_and_standing_instruction() {
    let bank = Bank::new().await;
    let id = bank.create(goal("6000.00", 12)).await;

    let renamed = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "goalName": "Goa and Gokarna", "targetAmount": "120000.00" }),
        )
        .await;
    let si = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "siAmount": "2500.00", "siDay": 20 }),
        )
        .await;
    let cancelled = bank
        .post("goal-edit", json!({ "goalId": id, "cancelSi": true }))
        .await;
    let nothing = bank.post("goal-edit", json!({ "goalId": id })).await;
    let both = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "cancelSi": true, "siAmount": "500.00", "siDay": 2 }),
        )
        .await;
    let small = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "siAmount": "10.00", "siDay": 2 }),
        )
        .await;

    assert_success(&renamed);
    assert_eq!(renamed.json["data"]["goalName"], "Goa and Gokarna");
    assert_eq!(renamed.json["data"]["targetAmount"], "120000.00");
    assert_eq!(renamed.json["data"]["progressPercent"], "5.00");
    assert_eq!(
        si.json["data"]["standingInstruction"],
        json!({ "siAmount": "2500.00", "siDay": 20, "nextSiAt": "2026-04-20T06:00:00+05:30" })
    );
    assert_success(&cancelled);
    assert!(cancelled.json["data"].get("standingInstruction").is_none());
    nothing.assert_envelope(400, 8017);
    assert!(both.assert_envelope(400, 8017).contains("`cancelSi`"));
    assert_failure(&small, "IW102");
    bank.advance("P30D").await;
    let kinds: Vec<Value> = bank
        .history(&id)
        .await
        .iter()
        .map(|t| t["type"].clone())
        .collect();
    assert!(
        !kinds.contains(&json!("STANDING_INSTRUCTION")),
        "a cancelled instruction never runs: {kinds:?}"
    );
}
