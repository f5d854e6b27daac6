//! Across the family's operations: another app's state is invisible, and any sequence keeps every
//! ledger consistent.

use rust_decimal::Decimal;
use serde_json::json;

use super::{collect, imps, merged, neft, refund, spawn_bank, upi_pay, SAVINGS, SECOND_CORPORATE};
use crate::helpers::DEMO_KEY;

#[tokio::test]
async fn another_apps_state_is_invisible() {
    let first = spawn_bank();
    let second = spawn_bank();
    first.app.freeze_clock().await;
    first.collect("C-ISO", "pending@icici", "5.00").await;
    first.pay("0100", imps("ISO-1", "5.00")).await;

    assert_eq!(second.upi_status("C-ISO").await.json["response"], "5003");
    assert_eq!(
        second
            .status("0100", json!({"tranRefNo": "ISO-1"}))
            .await
            .json["ActCode"],
        "25"
    );
}

/// Any sequence of valid and invalid payments, collects, refunds and clock moves keeps every account
/// consistent (opening balance + entries = balance) and never negative.
#[tokio::test]
async fn random_sequences_keep_every_ledger_consistent() {
    use sandbank::sandbox::bank::ledger::Direction;
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let mut seed: u64 = 0x5eed_2026;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let amounts = [
        "10.00",
        "999.99",
        "100.51",
        "100.13",
        "250000.00",
        "600000.00",
        "1.00",
        "50000.00",
    ];
    let mut collected: Vec<(String, String)> = Vec::new();

    for i in 0..120 {
        let amount = amounts[next(amounts.len() as u64) as usize];
        let reference = format!("R{}", next(70)); // reused references exercise duplicates
        match next(7) {
            0 => bank.pay("0100", imps(&reference, amount)).await,
            1 => {
                let body = merged(
                    neft(&reference, amount),
                    json!({"beneAccNo": SECOND_CORPORATE}),
                );
                bank.pay("0010", body).await
            }
            2 => {
                let body = merged(neft(&reference, amount), json!({"beneAccNo": SAVINGS}));
                bank.pay("0001", body).await
            }
            3 => {
                let body = merged(imps(&reference, amount), neft(&reference, amount));
                bank.pay("0110", body).await
            }
            4 => {
                bank.pay("1000", upi_pay(&reference, "sandbankstore@icici", amount))
                    .await
            }
            5 => {
                let answer = bank
                    .upi("CollectPay3", collect(&reference, "success@icici", amount))
                    .await;
                if answer.json["response"] == "92" {
                    let rrn = answer.json["BankRRN"].as_str().unwrap().to_string();
                    collected.push((rrn, reference));
                }
                answer
            }
            _ if !collected.is_empty() => {
                let (rrn, tran) = collected[next(collected.len() as u64) as usize].clone();
                bank.upi("Refund", refund(&format!("RF{i}"), &rrn, &tran, amount))
                    .await
            }
            _ => continue,
        };
        if next(5) == 0 {
            bank.advance("PT10M").await;
        }
    }

    let app = bank.sandbox.apps.by_apikey(DEMO_KEY).unwrap();
    bank.sandbox.transact(&app, |state, _| {
        for account in state.ledger.accounts() {
            let entries: Decimal = account
                .entries
                .iter()
                .map(|e| match e.direction {
                    Direction::Credit => e.amount,
                    Direction::Debit => -e.amount,
                })
                .sum();
            assert_eq!(
                account.opening_balance + entries,
                account.balance,
                "{}",
                account.account_no
            );
            assert!(
                account.balance >= Decimal::ZERO,
                "{} went negative",
                account.account_no
            );
        }
    });
}
