//! Merchant UPI collect (`CollectPay`) and its status on the sandbox clock: the magic payers, the
//! sandbox's approve and reject, duplicates and refusals.

use std::sync::Arc;

use serde_json::json;

use super::{collect, decimal, merged, spawn_bank, SETTLEMENT};

#[tokio::test]
async fn success_at_icici_is_approved_after_5_seconds_of_sandbox_time() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;

    let raised = bank
        .upi("CollectPay3", collect("C-OK", "success@icici", "499.00"))
        .await;
    let pending = bank.upi_status("C-OK").await;
    bank.advance("PT4S").await;
    let still_pending = bank.upi_status("C-OK").await;
    bank.advance("PT1S").await;
    let settled = bank.upi_status("C-OK").await;

    assert_eq!(raised.status, 200);
    assert_eq!(raised.json["response"], "92");
    assert_eq!(raised.json["success"], "true");
    assert_eq!(raised.json["message"], "Transaction Initiated");
    assert_eq!(raised.json["merchantTranId"], "C-OK");
    let rrn = raised.json["BankRRN"].as_str().unwrap();
    assert!(
        rrn.len() == 12 && rrn.bytes().all(|b| b.is_ascii_digit()),
        "{rrn}"
    );
    assert_eq!(pending.json["status"], "PENDING");
    assert_eq!(pending.json["response"], "92");
    assert_eq!(still_pending.json["status"], "PENDING");
    assert_eq!(settled.json["status"], "SUCCESS");
    assert_eq!(settled.json["response"], "0");
    assert_eq!(settled.json["success"], "true");
    assert_eq!(settled.json["OriginalBankRRN"], rrn);
    assert_eq!(settled.json["amount"], "499.00");
    assert_eq!(bank.balance(SETTLEMENT), Some(decimal("499.00")));
}

#[tokio::test]
async fn magic_payers_decline_expire_or_wait_and_others_approve_after_30_seconds() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    bank.collect("C-FAIL", "failure@icici", "10.00").await;
    bank.collect("C-EXP", "expired@icici", "10.00").await;
    bank.collect("C-WAIT", "pending@icici", "10.00").await;
    bank.collect("C-ANY", "9800000001@ybl", "10.00").await;

    bank.advance("PT29S").await;
    let any_early = bank.upi_status("C-ANY").await;
    bank.advance("PT1S").await;
    let any = bank.upi_status("C-ANY").await;
    let failed = bank.upi_status("C-FAIL").await;
    let not_yet_expired = bank.upi_status("C-EXP").await;
    bank.advance("PT30M").await;
    let expired = bank.upi_status("C-EXP").await;
    bank.advance("P1D").await;
    let waiting = bank.upi_status("C-WAIT").await;

    assert_eq!(any_early.json["status"], "PENDING");
    assert_eq!(any.json["status"], "SUCCESS");
    assert_eq!(failed.json["status"], "FAILURE");
    assert_eq!(failed.json["response"], "00ZA");
    assert_eq!(failed.json["success"], "false");
    assert_eq!(not_yet_expired.json["status"], "PENDING");
    assert_eq!(expired.json["status"], "EXPIRED");
    assert_eq!(expired.json["response"], "U69");
    assert_eq!(
        waiting.json["status"], "PENDING",
        "pending@icici never answers by itself"
    );
    assert_eq!(
        bank.balance(SETTLEMENT),
        Some(decimal("10.00")),
        "only the approval credits"
    );
}

#[tokio::test]
async fn sandbox_approve_and_reject_settle_a_pending_collect_by_hand() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let approved = bank.collect("C-A", "pending@icici", "75.00").await;
    let rejected = bank.collect("C-R", "pending@icici", "75.00").await;

    let approve = bank
        .app
        .post(&format!("/sandbox/upi/{approved}/approve"), json!({}))
        .await;
    let again = bank
        .app
        .post(&format!("/sandbox/upi/{approved}/reject"), json!({}))
        .await;
    let reject = bank
        .app
        .post(&format!("/sandbox/upi/{rejected}/reject"), json!({}))
        .await;
    let unknown = bank
        .app
        .post("/sandbox/upi/123456789012/approve", json!({}))
        .await;

    assert_eq!(approve.status, 200, "{:?}", approve.json);
    assert_eq!(approve.json["status"], "SUCCESS");
    assert_eq!(approve.json["BankRRN"], approved.as_str());
    again.assert_envelope(409, 409);
    assert_eq!(reject.json["status"], "FAILURE");
    assert_eq!(reject.json["response"], "00ZA");
    unknown.assert_envelope(404, 404);
    assert_eq!(bank.upi_status("C-A").await.json["status"], "SUCCESS");
    assert_eq!(bank.upi_status("C-R").await.json["status"], "FAILURE");
    assert_eq!(bank.balance(SETTLEMENT), Some(decimal("75.00")));
}

#[tokio::test]
async fn a_reused_merchant_tran_id_answers_5002_without_a_second_collect() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;

    let first = bank.collect("C-DUP", "success@icici", "20.00").await;
    let again = bank
        .upi("CollectPay3", collect("C-DUP", "success@icici", "20.00"))
        .await;
    bank.advance("PT1M").await;

    assert_eq!(again.json["response"], "5002");
    assert_eq!(again.json["success"], "false");
    assert_eq!(again.json["BankRRN"], first.as_str());
    assert_eq!(
        bank.balance(SETTLEMENT),
        Some(decimal("20.00")),
        "collected once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicate_collects_raise_one_collect() {
    let bank = Arc::new(spawn_bank());
    bank.app.freeze_clock().await;

    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let bank = bank.clone();
        requests.spawn(async move {
            bank.upi("CollectPay3", collect("C-RACE", "success@icici", "30.00"))
                .await
        });
    }
    let answers = requests.join_all().await;
    bank.advance("PT1M").await;

    let codes: Vec<&str> = answers
        .iter()
        .map(|a| a.json["response"].as_str().unwrap())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == "92").count(), 1, "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "5002").count(),
        11,
        "{codes:?}"
    );
    assert_eq!(bank.balance(SETTLEMENT), Some(decimal("30.00")));
}

#[tokio::test]
async fn collect_refusals_and_validation() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;

    let past = bank
        .upi(
            "CollectPay3",
            merged(
                collect("C-P", "success@icici", "1.00"),
                json!({"collectByDate": "01/04/2026 09:59 AM"}),
            ),
        )
        .await;
    let malformed = bank
        .upi(
            "CollectPay3",
            merged(
                collect("C-M", "success@icici", "1.00"),
                json!({"collectByDate": "2026-04-01"}),
            ),
        )
        .await;
    let bad_vpa = bank
        .upi("CollectPay3", collect("C-V", "someone@nobank", "1.00"))
        .await;
    let not_a_vpa = bank
        .upi("CollectPay3", collect("C-V2", "not-a-vpa", "1.00"))
        .await;
    let timeout = bank
        .upi("CollectPay3", collect("C-T", "success@icici", "1.96"))
        .await;
    let other_merchant = bank
        .app
        .post(
            "/api/MerchantAPI/UPI/v0/CollectPay3/999999",
            collect("C-X", "success@icici", "1.00"),
        )
        .await;
    let unknown = bank.upi_status("C-NOPE").await;

    assert_eq!(past.json["response"], "5006");
    assert!(malformed
        .assert_envelope(400, 8017)
        .contains("`collectByDate`"));
    assert_eq!(bad_vpa.json["response"], "37");
    assert!(not_a_vpa.assert_envelope(400, 8017).contains("`payerVa`"));
    timeout.assert_envelope(504, 8013);
    assert_eq!(other_merchant.json["response"], "5001");
    assert_eq!(unknown.json["response"], "5003");
    assert!(unknown.json.get("status").is_none());
}
