//! The sandbox clock: interest at each month end, standing instructions on their day.

use serde_json::{json, Value};

use super::{decimal, goal, with, Bank, SAVINGS, SMALL_SAVINGS};

#[tokio::test]
async fn interest_is_credited_at_each_sandbox_month_end() {
    let bank = Bank::new().await;
    let id = bank.create(goal("10000.00", 12)).await;

    bank.advance("P29D").await; // 30 April, 10:00
    let before = bank.view(&id).await;
    bank.advance("PT14H").await; // 1 May, 00:00
    let after = bank.view(&id).await;

    assert_eq!(before["interestCredited"], "0.00");
    assert_eq!(
        before["interestAccrued"], "51.64",
        "10,000 × 6.5% × 29/365, not yet credited"
    );
    assert_eq!(after["interestAccrued"], "0.00");
    assert_eq!(after["interestCredited"], "53.42", "10,000 × 6.5% × 30/365");
    assert_eq!(after["balance"], "10053.42");
    assert_eq!(after["totalDeposited"], "10000.00");
    let history = bank.history(&id).await;
    assert_eq!(history[1]["type"], "INTEREST_CREDIT");
    assert_eq!(history[1]["amount"], "53.42");
    assert_eq!(history[1]["at"], "2026-04-30T23:59:59+05:30");
    let account = after["goalAccountNo"].as_str().unwrap();
    assert_eq!(bank.balance(account), Some(decimal("10053.42")));
}

#[tokio::test]
async fn standing_instructions_debit_on_their_day_and_failures_are_recorded() {
    let bank = Bank::new().await;
    let rich = bank
        .create(with(
            with(goal("10000.00", 12), "siAmount", json!("1000.00")),
            "siDay",
            json!(5),
        ))
        .await;
    let poor = bank
        .create(with(
            with(
                with(goal("60000.00", 12), "fundingAccount", json!(SMALL_SAVINGS)),
                "siAmount",
                json!("5000.00"),
            ),
            "siDay",
            json!(5),
        ))
        .await;
    let savings = bank.balance(SAVINGS).unwrap();

    bank.advance("P40D").await; // 11 May: SIs ran on 5 April and 5 May

    let rich_history = bank.history(&rich).await;
    let si: Vec<&Value> = rich_history
        .iter()
        .filter(|t| t["type"] == "STANDING_INSTRUCTION")
        .collect();
    assert_eq!(si.len(), 2);
    assert_eq!(si[0]["at"], "2026-04-05T06:00:00+05:30");
    assert_eq!(si[0]["status"], "SUCCESS");
    assert_eq!(savings - bank.balance(SAVINGS).unwrap(), decimal("2000.00"));
    let view = bank.view(&rich).await;
    assert_eq!(view["totalDeposited"], "12000.00");
    assert_eq!(
        view["standingInstruction"]["nextSiAt"],
        "2026-06-05T06:00:00+05:30"
    );
    let poor_history = bank.history(&poor).await;
    let failed: Vec<&Value> = poor_history
        .iter()
        .filter(|t| t["type"] == "STANDING_INSTRUCTION")
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|t| t["status"] == "FAILED"), "{failed:?}");
    assert_eq!(failed[0]["transactionId"], "");
    assert!(failed[0]["remarks"]
        .as_str()
        .unwrap()
        .contains("insufficient funds"));
    assert_eq!(
        bank.balance(SMALL_SAVINGS),
        Some(decimal("3750.00")),
        "nothing moved"
    );
    assert_eq!(bank.view(&poor).await["totalDeposited"], "60000.00");
}
