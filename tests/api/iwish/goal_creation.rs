//! Goal creation: the initial deposit moved into a new goal account, the product rules, validation,
//! concurrency and funding accounts.

use std::sync::Arc;

use serde_json::json;

use super::{assert_failure, assert_success, decimal, goal, with, Bank, SAVINGS};

#[tokio::test]
async fn creation_moves_the_initial_deposit_into_a_new_goal_account() {
    let bank = Bank::new().await;
    let before = bank.balance(SAVINGS).unwrap();

    let answer = bank
        .post(
            "goal-creation",
            with(
                with(goal("5000.00", 12), "siAmount", json!("4500.00")),
                "siDay",
                json!(5),
            ),
        )
        .await;

    assert_success(&answer);
    let data = &answer.json["data"];
    let id = data["goalId"].as_str().unwrap();
    let account = data["goalAccountNo"].as_str().unwrap();
    assert!(id.starts_with("IW") && id.len() == 12, "{id}");
    assert!(
        account.starts_with("000477") && account.len() == 12,
        "{account}"
    );
    assert_eq!(
        data,
        &json!({
            "goalId": id,
            "goalAccountNo": account,
            "goalName": "Goa trip",
            "category": "TRAVEL",
            "status": "ACTIVE",
            "targetAmount": "60000.00",
            "tenureMonths": 12,
            "createdAt": "2026-04-01T10:00:00+05:30",
            "maturityDate": "2027-04-01",
            "interestRate": "6.50",
            "fundingAccount": SAVINGS,
            "balance": "5000.00",
            "totalDeposited": "5000.00",
            "interestCredited": "0.00",
            "interestAccrued": "0.00",
            "progressPercent": "8.33",
            "standingInstruction": {
                "siAmount": "4500.00",
                "siDay": 5,
                "nextSiAt": "2026-04-05T06:00:00+05:30"
            }
        })
    );
    assert_eq!(before - bank.balance(SAVINGS).unwrap(), decimal("5000.00"));
    assert_eq!(bank.balance(account), Some(decimal("5000.00")));
    let history = bank.history(id).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["type"], "INITIAL_DEPOSIT");
    assert_eq!(history[0]["status"], "SUCCESS");
    assert_eq!(history[0]["balanceAfter"], "5000.00");
}

#[tokio::test]
async fn insufficient_funds_create_nothing() {
    let bank = Bank::new().await;
    let before = bank.balance(SAVINGS).unwrap();

    let too_much = bank.post("goal-creation", goal("250000.01", 12)).await;
    let magic = bank.post("goal-creation", goal("100.51", 12)).await;
    let timeout = bank.post("goal-creation", goal("100.96", 12)).await;

    assert_failure(&too_much, "IW301");
    assert!(too_much.json["message"].as_str().unwrap().contains(SAVINGS));
    assert_failure(&magic, "IW301");
    timeout.assert_envelope(504, 8013);
    assert_eq!(bank.balance(SAVINGS).unwrap(), before);
    assert_eq!(bank.goal_accounts(), 0, "no goal account was opened");
}

#[tokio::test]
async fn product_rules_are_enforced_with_clear_errors() {
    let bank = Bank::new().await;

    let short = bank.post("goal-creation", goal("1000.00", 5)).await;
    let long = bank.post("goal-creation", goal("1000.00", 121)).await;
    let small = bank.post("goal-creation", goal("99.99", 12)).await;
    let small_si = bank
        .post(
            "goal-creation",
            with(
                with(goal("1000.00", 12), "siAmount", json!("50.00")),
                "siDay",
                json!(1),
            ),
        )
        .await;
    let outside = bank
        .post(
            "goal-creation",
            with(goal("1000.00", 12), "fundingAccount", json!("000405009999")),
        )
        .await;
    let shortest = bank.post("goal-creation", goal("100.00", 6)).await;
    let longest = bank.post("goal-creation", goal("100.00", 120)).await;

    assert_failure(&short, "IW101");
    assert!(short.json["message"]
        .as_str()
        .unwrap()
        .contains("tenureMonths must be 6 to 120"));
    assert_failure(&long, "IW101");
    assert_failure(&small, "IW102");
    assert!(small.json["message"]
        .as_str()
        .unwrap()
        .contains("initialDeposit"));
    assert_failure(&small_si, "IW102");
    assert!(small_si.json["message"]
        .as_str()
        .unwrap()
        .contains("siAmount"));
    assert_failure(&outside, "IW302");
    assert_success(&shortest);
    assert_eq!(shortest.json["data"]["maturityDate"], "2026-10-01");
    assert_success(&longest);
    assert_eq!(longest.json["data"]["maturityDate"], "2036-04-01");
}

#[tokio::test]
async fn malformed_requests_name_the_field() {
    let bank = Bank::new().await;
    let cases = [
        (with(goal("1000.00", 12), "goalName", json!("")), "goalName"),
        (
            with(goal("1000.00", 12), "category", json!("CRYPTO")),
            "category",
        ),
        (
            with(goal("1000.00", 12), "initialDeposit", json!("12.345")),
            "initialDeposit",
        ),
        (
            with(goal("1000.00", 12), "fundingAccount", json!("12AB")),
            "fundingAccount",
        ),
        (
            with(
                with(goal("1000.00", 12), "siAmount", json!("500.00")),
                "siDay",
                json!(29),
            ),
            "siDay",
        ),
        (
            with(goal("1000.00", 12), "siAmount", json!("500.00")),
            "siDay",
        ),
        (with(goal("1000.00", 12), "siDay", json!(5)), "siAmount"),
    ];

    for (body, field) in cases {
        let answer = bank.post("goal-creation", body).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}: {message}"
        );
    }
    let bad_id = bank.post("goal-view", json!({ "goalId": "IW12" })).await;
    assert!(bad_id.assert_envelope(400, 8017).contains("`goalId`"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_goals_never_overdraw_the_funding_account() {
    let bank = Arc::new(Bank::new().await);

    // ₹2,50,000 pays for eight goals of ₹30,000, not ten.
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let bank = bank.clone();
            tokio::spawn(async move { bank.post("goal-creation", goal("30000.00", 12)).await })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap().json["responseCode"].clone());
    }

    assert_eq!(
        codes.iter().filter(|c| *c == "IW000").count(),
        8,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| *c == "IW301").count(),
        2,
        "{codes:?}"
    );
    assert_eq!(bank.balance(SAVINGS), Some(decimal("10000.00")));
    assert_eq!(bank.goal_accounts(), 8);
}

#[tokio::test]
async fn a_goal_account_cannot_fund_another_goal() {
    let bank = Bank::new().await;
    let first = bank.create(goal("5000.00", 12)).await;
    let account = bank.view(&first).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();
    let second = bank.create(goal("1000.00", 12)).await;

    let create = bank
        .post(
            "goal-creation",
            with(goal("1000.00", 12), "fundingAccount", json!(account)),
        )
        .await;
    let add = bank
        .post(
            "add-funds",
            json!({ "goalId": second, "amount": "1000.00", "fromAccount": account }),
        )
        .await;
    let own = bank
        .post(
            "add-funds",
            json!({ "goalId": first, "amount": "1000.00", "fromAccount": account }),
        )
        .await;

    assert_failure(&create, "IW302");
    assert_failure(&add, "IW302");
    assert_failure(&own, "IW302");
    assert_eq!(bank.balance(&account), Some(decimal("5000.00")));
}
