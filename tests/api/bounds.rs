//! The per-app object bound: objects carrying money or an open obligation are never evicted, a used
//! reference stays a duplicate after its object is archived, and a new object refused at the bound
//! (429, `response` 8020) moves nothing. The ledger balances at the bound: debits = credits + pending.

use rust_decimal::Decimal;
use sandbank::SandboxSettings;
use serde_json::{json, Value};

use crate::helpers::{
    composite::{self, imps, neft},
    decimal, merged, Answer, LedgerApp,
};

const CORPORATE: &str = "000405000001";
const SECOND_CORPORATE: &str = "000405000002";

fn bank(object_limit: usize) -> LedgerApp {
    LedgerApp::spawn_with(SandboxSettings {
        object_limit,
        ..SandboxSettings::default()
    })
}

/// A NEFT from the demo corporate's first account to its second: debited at once, credited at the
/// next half-hourly batch.
fn internal_neft(reference: &str, amount: &str) -> Value {
    let to_second = json!({ "beneAccNo": SECOND_CORPORATE, "beneName": "Sandbank Demo Traders" });
    merged(neft(reference, amount), to_second)
}

async fn pay(bank: &LedgerApp, priority: &str, body: Value) -> Answer {
    composite::pay(&bank.app, priority, body).await
}

async fn status(bank: &LedgerApp, priority: &str, reference: &str) -> Answer {
    composite::status(&bank.app, priority, json!({ "tranRefNo": reference })).await
}

/// Money out of the first corporate account, money into the second, and money still pending (the
/// NEFTs that status inquiry says are waiting for their batch).
async fn books(
    bank: &LedgerApp,
    debited_from: Decimal,
    credited_to: Decimal,
    refs: &[String],
) -> (Decimal, Decimal, Decimal) {
    let debits = debited_from - bank.balance(CORPORATE).unwrap();
    let credits = bank.balance(SECOND_CORPORATE).unwrap() - credited_to;
    let mut pending = Decimal::ZERO;
    for reference in refs {
        if status(bank, "0010", reference).await.json["STATUS"] == "PENDING" {
            pending += decimal("100.00");
        }
    }
    (debits, credits, pending)
}

#[tokio::test]
async fn pending_payments_are_never_evicted_so_debits_equal_credits_plus_pending_at_the_bound() {
    let bank = bank(10);
    bank.app.freeze_clock().await; // 10:00 IST: every NEFT waits for the 10:30 batch
    let (debit_before, credit_before) = (
        bank.balance(CORPORATE).unwrap(),
        bank.balance(SECOND_CORPORATE).unwrap(),
    );
    let refs: Vec<String> = (1..=15).map(|i| format!("BOUND-NEFT-{i:02}")).collect();

    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for reference in &refs {
        let answer = pay(&bank, "0010", internal_neft(reference, "100.00")).await;
        if answer.status == 200 {
            assert_eq!(answer.json["STATUS"], "PENDING", "{:?}", answer.json);
            accepted.push(reference.clone());
        } else {
            let message = answer.assert_envelope(429, 8020);
            assert!(message.contains("--max-objects-per-app"), "{message}");
            refused.push(reference.clone());
        }
    }
    let (debits, credits, pending) = books(&bank, debit_before, credit_before, &refs).await;

    assert_eq!(accepted.len(), 10, "the bound holds 10 pending payments");
    assert_eq!(refused.len(), 5, "the rest are refused, not evicted");
    assert_eq!(
        debits,
        decimal("1000.00"),
        "only accepted payments were debited"
    );
    assert_eq!(
        debits,
        credits + pending,
        "debits = credits + pending, before the batch"
    );
    for reference in &accepted {
        assert_eq!(
            status(&bank, "0010", reference).await.json["STATUS"],
            "PENDING"
        );
    }

    bank.advance("PT1H").await;
    let (debits, credits, pending) = books(&bank, debit_before, credit_before, &refs).await;

    assert_eq!(
        pending,
        Decimal::ZERO,
        "every accepted NEFT settled at its batch"
    );
    assert_eq!(
        debits, credits,
        "nothing vanished: {debits} out, {credits} in"
    );
    let retried = pay(&bank, "0010", internal_neft(&refused[0], "100.00")).await;
    assert_eq!(
        retried.json["STATUS"], "PENDING",
        "settled ones make room: {:?}",
        retried.json
    );
}

#[tokio::test]
async fn an_evicted_reference_stays_a_duplicate_and_is_never_debited_twice() {
    let bank = bank(3);
    bank.app.freeze_clock().await;
    for i in 1..=6 {
        let answer = pay(&bank, "0100", imps(&format!("BOUND-IMPS-{i}"), "10.00")).await;
        assert_eq!(answer.json["ActCode"], "0", "{:?}", answer.json);
    }
    let after_six = bank.balance(CORPORATE).unwrap();

    let again = pay(&bank, "0100", imps("BOUND-IMPS-1", "10.00")).await;
    let neft_again = pay(&bank, "0010", internal_neft("BOUND-IMPS-2", "10.00")).await;

    assert_eq!(again.status, 200);
    assert_eq!(again.json["ActCode"], "14", "duplicate: {:?}", again.json);
    assert!(again.json["Response"]
        .as_str()
        .unwrap()
        .contains("archived"));
    assert_eq!(
        neft_again.json["STATUS"], "DUPLICATE",
        "{:?}",
        neft_again.json
    );
    assert_eq!(neft_again.json["RESPONSECODE"], "999936");
    assert_eq!(
        bank.balance(CORPORATE).unwrap(),
        after_six,
        "nothing debited twice"
    );
}

#[tokio::test]
async fn a_refusal_at_the_bound_is_per_app_and_a_reset_makes_room() {
    let bank = bank(2);
    bank.app.freeze_clock().await;
    let other = bank
        .app
        .create_app(json!({ "name": "Second CI job" }))
        .await;
    for i in 1..=2 {
        pay(&bank, "0010", internal_neft(&format!("FULL-{i}"), "100.00")).await;
    }

    let refused = pay(&bank, "0010", internal_neft("FULL-3", "100.00")).await;
    let others = bank
        .app
        .post_raw(
            "/api/v1/composite-payment",
            Some(&other.apikey),
            "application/json",
            internal_neft("FULL-3", "100.00").to_string().into_bytes(),
            &[("x-priority", "0010")],
        )
        .await;
    let reset = bank.app.post("/sandbox/reset", json!({})).await;
    let after_reset = pay(&bank, "0010", internal_neft("FULL-3", "100.00")).await;

    refused.assert_envelope(429, 8020);
    assert_eq!(
        others.status, 200,
        "another app has its own bound: {:?}",
        others.json
    );
    assert_eq!(reset.status, 200, "{:?}", reset.json);
    assert_eq!(after_reset.status, 200, "{:?}", after_reset.json);
}

#[tokio::test]
async fn a_used_merchant_tran_id_stays_a_duplicate_after_its_collect_is_archived() {
    let bank = bank(2);
    bank.app.freeze_clock().await;
    let collect = |tran: &str| {
        json!({
            "payerVa": "failure@icici",
            "amount": "10.00",
            "note": "Order",
            "collectByDate": "01/05/2026 06:30 PM",
            "merchantId": "400000",
            "subMerchantId": "400000",
            "subMerchantName": "Sandbank Store",
            "terminalId": "5411",
            "merchantName": "Sandbank Store",
            "merchantTranId": tran,
            "billNumber": "B1"
        })
    };
    let path = "/api/MerchantAPI/UPI/v0/CollectPay3/400000";
    for tran in ["BOUND-UPI-1", "BOUND-UPI-2"] {
        let answer = bank.app.post(path, collect(tran)).await;
        assert_eq!(answer.json["response"], "92", "{:?}", answer.json);
    }
    let open = bank.app.post(path, collect("BOUND-UPI-3")).await;
    bank.advance("PT1M").await; // failure@icici declines after 5 seconds: both are settled

    let third = bank.app.post(path, collect("BOUND-UPI-3")).await;
    let fourth = bank.app.post(path, collect("BOUND-UPI-4")).await;
    let first_again = bank.app.post(path, collect("BOUND-UPI-1")).await;

    open.assert_envelope(429, 8020);
    assert_eq!(
        third.json["response"], "92",
        "room was made: {:?}",
        third.json
    );
    assert_eq!(fourth.json["response"], "92", "{:?}", fourth.json);
    assert_eq!(
        first_again.json["response"], "5002",
        "{:?}",
        first_again.json
    );
}
