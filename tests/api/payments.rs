//! Payments & UPI through HTTP as a partner calls them: composite payments on every rail, their
//! status, merchant UPI collect with its callbacks, refunds, QR and VPA validation. Ledger effects
//! are read through the library (`Sandbox::transact`) until the balance inquiry lands.

use std::{str::FromStr, sync::Arc};

use poem::http::StatusCode;
use rust_decimal::Decimal;
use sandbank::SandboxSettings;
use serde_json::{json, Value};

use crate::helpers::{ledger_bank, Answer, LedgerApp, DEMO_KEY};

ledger_bank!();

fn spawn_bank() -> Bank {
    Bank(LedgerApp::spawn())
}

fn spawn_bank_with(settings: SandboxSettings) -> Bank {
    Bank(LedgerApp::spawn_with(settings))
}

fn money(raw: &str) -> Decimal {
    Decimal::from_str(raw).unwrap()
}

impl Bank {
    /// The sum of every balance in the demo app's ledger.
    fn total(&self) -> Decimal {
        self.ledger(|ledger| ledger.accounts().map(|a| a.balance).sum())
    }

    async fn pay(&self, priority: &str, body: Value) -> Answer {
        self.app
            .post_raw(
                "/api/v1/composite-payment",
                Some(DEMO_KEY),
                "application/json",
                body.to_string().into_bytes(),
                &[("x-priority", priority)],
            )
            .await
    }

    async fn status(&self, priority: &str, body: Value) -> Answer {
        self.app
            .post_raw(
                "/api/v1/composite-status",
                Some(DEMO_KEY),
                "application/json",
                body.to_string().into_bytes(),
                &[("x-priority", priority)],
            )
            .await
    }
}

const CORPORATE: &str = "000405000001";
const SAVINGS: &str = "000401000001";
const SECOND_CORPORATE: &str = "000405000002";

fn imps(reference: &str, amount: &str) -> Value {
    json!({
        "localTxnDtTime": "20260401100000",
        "beneAccNo": "000405009999",
        "beneIFSC": "ICIC0000004",
        "amount": amount,
        "tranRefNo": reference,
        "paymentRef": "FTTransferP2A",
        "senderName": "Sandbank Demo Traders",
        "mobile": "9800000001",
        "retailerCode": "rcode",
        "passCode": "447c4524c9074b8c97e3a3c40ca7458d",
        "bcID": "IBCKer00055",
        "crpId": "SANDCORP1",
        "crpUsr": "SANDUSER1",
        "aggrId": "SANDAGGR1"
    })
}

fn neft(reference: &str, amount: &str) -> Value {
    json!({
        "tranRefNo": reference,
        "amount": amount,
        "senderAcctNo": CORPORATE,
        "beneAccNo": "000405009999",
        "beneName": "Ravi Kumar",
        "beneIFSC": "ICIC0000004",
        "narration1": "Invoice 42",
        "narration2": "April",
        "crpId": "SANDCORP1",
        "crpUsr": "SANDUSER1",
        "aggrId": "SANDAGGR1",
        "aggrName": "SANDBANK",
        "urn": "SANDURN0001",
        "txnType": "RGS",
        "WORKFLOW_REQD": "N"
    })
}

fn upi_pay(seq: &str, payee: &str, amount: &str) -> Value {
    json!({
        "device-id": "400438400438400438",
        "mobile": "9800000001",
        "channel-code": "MICICI",
        "profile-id": "2996304",
        "seq-no": seq,
        "payee-va": payee,
        "payer-va": "9800000001@icici",
        "payee-name": "Sandbank Store",
        "amount": amount,
        "currency": "INR",
        "txn-type": "PAY",
        "remarks": "Order 42",
        "mcc": "5411",
        "merchant-type": "ENTITY"
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    for (k, v) in b.as_object().unwrap() {
        a[k] = v.clone();
    }
    a
}

// ---- composite payment: IMPS ----

#[tokio::test]
async fn imps_pays_an_external_beneficiary_at_once_and_status_answers_the_same() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let before = bank.balance(CORPORATE).unwrap();

    let paid = bank.pay("0100", imps("IMPS-OK-1", "1500.00")).await;
    let status = bank
        .status("0100", json!({ "tranRefNo": "IMPS-OK-1" }))
        .await;

    assert_eq!(paid.status, 200, "{:?}", paid.json);
    assert_eq!(paid.json["ActCode"], "0");
    assert_eq!(paid.json["Response"], "Transaction Successful");
    assert_eq!(paid.json["BeneName"], "Ravi Kumar");
    assert_eq!(paid.json["TranRefNo"], "IMPS-OK-1");
    let rrn = paid.json["BankRRN"].as_str().unwrap();
    assert!(
        rrn.len() == 12 && rrn.bytes().all(|b| b.is_ascii_digit()),
        "{rrn}"
    );
    assert_eq!(status.json, paid.json, "status answers the original");
    assert_eq!(bank.balance(CORPORATE).unwrap(), before - money("1500.00"));
}

#[tokio::test]
async fn a_reused_tran_ref_no_answers_14_with_the_original_rrn_and_moves_money_once() {
    let bank = spawn_bank();
    let before = bank.balance(CORPORATE).unwrap();

    let first = bank.pay("0100", imps("IMPS-DUP-1", "100.00")).await;
    let again = bank.pay("0100", imps("IMPS-DUP-1", "100.00")).await;
    let status = bank
        .status("0100", json!({ "tranRefNo": "IMPS-DUP-1" }))
        .await;

    assert_eq!(first.json["ActCode"], "0");
    assert_eq!(again.json["ActCode"], "14");
    assert_eq!(again.json["BankRRN"], first.json["BankRRN"]);
    assert_eq!(status.json["ActCode"], "0", "status is the original's");
    assert_eq!(bank.balance(CORPORATE).unwrap(), before - money("100.00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_move_money_once() {
    let bank = Arc::new(spawn_bank());
    let before = bank.balance(CORPORATE).unwrap();

    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let bank = bank.clone();
        requests.spawn(async move { bank.pay("0100", imps("IMPS-RACE-1", "250.00")).await });
    }
    let answers = requests.join_all().await;

    let codes: Vec<&str> = answers
        .iter()
        .map(|a| a.json["ActCode"].as_str().unwrap())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == "0").count(), 1, "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "14").count(),
        15,
        "{codes:?}"
    );
    assert_eq!(bank.balance(CORPORATE).unwrap(), before - money("250.00"));
}

#[tokio::test]
async fn imps_answer_codes_follow_the_magic_values() {
    let bank = spawn_bank();
    let before = bank.balance(CORPORATE).unwrap();
    let cases = [
        ("IMPS-51", imps("IMPS-51", "100.51"), "51"),
        ("IMPS-13", imps("IMPS-13", "100.13"), "13"),
        (
            "IMPS-52",
            merge(imps("IMPS-52", "100.00"), json!({"beneAccNo": "123450000"})),
            "52",
        ),
        (
            "IMPS-201",
            merge(
                imps("IMPS-201", "100.00"),
                json!({"beneIFSC": "ZZZZ0000001"}),
            ),
            "201",
        ),
        (
            "IMPS-12",
            merge(imps("IMPS-12", "100.00"), json!({"crpId": "NOSUCHCORP"})),
            "12",
        ),
        ("IMPS-LIMIT", imps("IMPS-LIMIT", "500000.01"), "13"),
    ];

    for (reference, body, code) in cases {
        let answer = bank.pay("0100", body).await;

        assert_eq!(answer.status, 200, "{reference}: {:?}", answer.json);
        assert_eq!(
            answer.json["ActCode"], code,
            "{reference}: {:?}",
            answer.json
        );
        let status = bank.status("0100", json!({ "tranRefNo": reference })).await;
        assert_eq!(status.json["ActCode"], code, "{reference} status");
    }
    assert_eq!(
        bank.balance(CORPORATE).unwrap(),
        before,
        "no decline moves money"
    );
}

#[tokio::test]
async fn an_amount_ending_96_times_out_and_status_reads_96() {
    let bank = spawn_bank();
    let before = bank.balance(CORPORATE).unwrap();

    let answer = bank.pay("0100", imps("IMPS-96", "100.96")).await;
    let status = bank.status("0100", json!({ "tranRefNo": "IMPS-96" })).await;
    let retry = bank.pay("0100", imps("IMPS-96", "100.96")).await;

    answer.assert_envelope(504, 8013);
    assert_eq!(status.json["ActCode"], "96");
    assert_eq!(retry.json["ActCode"], "14", "the reference is spent");
    assert_eq!(bank.balance(CORPORATE).unwrap(), before);
}

#[tokio::test]
async fn a_missing_rail_field_is_the_rails_decline_and_a_bad_priority_or_format_is_8017() {
    let bank = spawn_bank();
    let mut body = imps("IMPS-MISSING", "100.00");
    body.as_object_mut().unwrap().remove("passCode");

    let missing = bank.pay("0100", body).await;
    let bad_priority = bank.pay("0000", imps("IMPS-P", "1.00")).await;
    let bad_format = bank
        .pay(
            "0100",
            merge(imps("IMPS-F", "1.00"), json!({"beneIFSC": "icic"})),
        )
        .await;
    let neft_missing = bank.pay("0010", imps("IMPS-N", "1.00")).await;

    // Which fields a body needs depends on `x-priority`, which no schema of the body can state:
    // a field the named rail lacks is that rail's decline (HTTP 200, code 8017), nothing moves.
    assert_eq!(missing.status, StatusCode::OK, "{:?}", missing.json);
    assert_eq!(missing.json["ActCode"], "8017");
    assert!(missing.json["Response"]
        .as_str()
        .unwrap()
        .contains("`passCode` is required for IMPS"));
    assert_eq!(
        neft_missing.status,
        StatusCode::OK,
        "{:?}",
        neft_missing.json
    );
    assert_eq!(neft_missing.json["RESPONSE"], "FAILURE");
    assert_eq!(neft_missing.json["RESPONSECODE"], "8017");
    assert!(neft_missing.json["MESSAGE"]
        .as_str()
        .unwrap()
        .contains("`senderAcctNo` is required for NEFT"));
    assert!(bad_priority
        .assert_envelope(400, 8017)
        .contains("x-priority"));
    assert!(bad_format.assert_envelope(400, 8017).contains("`beneIFSC`"));
}

#[tokio::test]
async fn an_unknown_reference_reads_not_found_in_the_rails_shape() {
    let bank = spawn_bank();

    let imps_status = bank.status("0100", json!({ "tranRefNo": "NOPE" })).await;
    let neft_status = bank.status("0010", json!({ "tranRefNo": "NOPE" })).await;
    let upi_status = bank.status("1000", json!({ "seq-no": "NOPE" })).await;
    let neither = bank.status("0100", json!({})).await;

    assert_eq!(imps_status.json["ActCode"], "25");
    assert_eq!(neft_status.json["STATUS"], "FAILURE");
    assert_eq!(neft_status.json["RESPONSECODE"], "100025");
    assert_eq!(upi_status.json["response"], "5003");
    assert!(neither.assert_envelope(400, 8017).contains("tranRefNo"));
}

// ---- NEFT, RTGS and fallback ----

#[tokio::test]
async fn neft_debits_at_once_and_delivers_in_the_next_half_hourly_batch() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await; // 10:00 IST: the next batch is 10:30
    let internal = merge(
        neft("NEFT-1", "2000.00"),
        json!({"beneAccNo": SECOND_CORPORATE, "beneName": "Sandbank Demo Traders"}),
    );
    let (debit_before, credit_before) = (
        bank.balance(CORPORATE).unwrap(),
        bank.balance(SECOND_CORPORATE).unwrap(),
    );

    let paid = bank.pay("0010", internal).await;
    let pending = bank.status("0010", json!({ "tranRefNo": "NEFT-1" })).await;
    let credit_while_pending = bank.balance(SECOND_CORPORATE).unwrap();
    bank.advance("PT29M").await;
    let still_pending = bank.status("0010", json!({ "tranRefNo": "NEFT-1" })).await;
    bank.advance("PT1M").await;
    let settled = bank.status("0010", json!({ "tranRefNo": "NEFT-1" })).await;

    assert_eq!(paid.json["RESPONSE"], "SUCCESS", "{:?}", paid.json);
    assert_eq!(paid.json["STATUS"], "PENDING");
    assert!(paid.json["MESSAGE"].as_str().unwrap().contains("10:30"));
    let utr = paid.json["UTRNUMBER"].as_str().unwrap();
    assert!(utr.starts_with("ICICN") && utr.len() == 16, "{utr}");
    assert_eq!(pending.json["STATUS"], "PENDING");
    assert_eq!(still_pending.json["STATUS"], "PENDING");
    assert_eq!(settled.json["STATUS"], "SUCCESS");
    assert_eq!(settled.json["UTRNUMBER"], utr);
    assert_eq!(
        bank.balance(CORPORATE).unwrap(),
        debit_before - money("2000")
    );
    assert_eq!(credit_while_pending, credit_before);
    assert_eq!(
        bank.balance(SECOND_CORPORATE).unwrap(),
        credit_before + money("2000")
    );
}

#[tokio::test]
async fn neft_duplicates_workflow_and_declines_answer_in_cib_style() {
    let bank = spawn_bank();
    let before = bank.balance(CORPORATE).unwrap();

    let first = bank.pay("0010", neft("NEFT-D", "10.00")).await;
    let again = bank.pay("0010", neft("NEFT-D", "10.00")).await;
    let workflow = bank
        .pay(
            "0010",
            merge(neft("NEFT-W", "10.00"), json!({"WORKFLOW_REQD": "Y"})),
        )
        .await;
    let poor = bank.pay("0010", neft("NEFT-51", "10.51")).await;
    let foreign = bank
        .pay(
            "0010",
            merge(neft("NEFT-9906", "10.00"), json!({"senderAcctNo": SAVINGS})),
        )
        .await;
    let invalid = bank
        .pay(
            "0010",
            merge(
                neft("NEFT-0000", "10.00"),
                json!({"beneAccNo": "999990000"}),
            ),
        )
        .await;

    assert_eq!(first.json["STATUS"], "PENDING");
    assert_eq!(again.json["STATUS"], "DUPLICATE");
    assert_eq!(again.json["RESPONSECODE"], "999936");
    assert_eq!(again.json["UNIQUEID"], "NEFT-D");
    assert_eq!(workflow.json["STATUS"], "PENDING");
    assert_eq!(workflow.json["MESSAGE"], "Pending For approval");
    assert!(
        workflow.json.get("UTRNUMBER").is_none(),
        "{:?}",
        workflow.json
    );
    for (answer, code) in [(&poor, "100030"), (&foreign, "9906"), (&invalid, "100046")] {
        assert_eq!(answer.json["RESPONSE"], "FAILURE", "{:?}", answer.json);
        assert_eq!(answer.json["STATUS"], "FAILURE");
        assert_eq!(answer.json["RESPONSECODE"], code);
    }
    assert_eq!(bank.balance(CORPORATE).unwrap(), before - money("10.00"));
}

#[tokio::test]
async fn rtgs_settles_at_once_above_its_minimum_and_refuses_below_it() {
    let bank = spawn_bank();
    let rtgs = |reference: &str, amount: &str| {
        merge(
            neft(reference, amount),
            json!({"txnType": "RTG", "beneAccNo": SAVINGS, "beneName": "Rahul Kumar Eswaran"}),
        )
    };
    let (debit_before, credit_before) = (
        bank.balance(CORPORATE).unwrap(),
        bank.balance(SAVINGS).unwrap(),
    );

    let paid = bank.pay("0001", rtgs("RTGS-1", "250000.00")).await;
    let small = bank.pay("0001", rtgs("RTGS-2", "1000.00")).await;

    assert_eq!(paid.json["STATUS"], "SUCCESS", "{:?}", paid.json);
    let utr = paid.json["UTRNUMBER"].as_str().unwrap();
    assert!(utr.starts_with("ICICR") && utr.len() == 22, "{utr}");
    assert_eq!(small.json["STATUS"], "FAILURE");
    assert_eq!(small.json["RESPONSECODE"], "100013");
    assert_eq!(
        bank.balance(CORPORATE).unwrap(),
        debit_before - money("250000")
    );
    assert_eq!(
        bank.balance(SAVINGS).unwrap(),
        credit_before + money("250000")
    );
}

#[tokio::test]
async fn a_multi_rail_priority_falls_back_on_a_rail_refusal_only() {
    let bank = spawn_bank();
    let both =
        |reference: &str, amount: &str| merge(neft(reference, amount), imps(reference, amount));

    let over_imps = bank.pay("0110", both("FB-1", "600000.00")).await;
    let within_imps = bank.pay("0110", both("FB-2", "1000.00")).await;
    let declined = bank.pay("0110", both("FB-3", "1000.51")).await;
    let over_imps_only = bank.pay("0100", imps("FB-4", "600000.00")).await;
    let not_imps_branch = bank
        .pay(
            "0110",
            merge(both("FB-5", "10.00"), json!({"beneIFSC": "BARB0KOTHRU"})),
        )
        .await;

    assert_eq!(
        over_imps.json["STATUS"], "PENDING",
        "NEFT took it: {:?}",
        over_imps.json
    );
    assert_eq!(within_imps.json["ActCode"], "0", "IMPS took it");
    assert_eq!(
        declined.json["ActCode"], "51",
        "insufficient funds never falls back"
    );
    assert_eq!(over_imps_only.json["ActCode"], "13");
    assert_eq!(
        not_imps_branch.json["STATUS"], "PENDING",
        "{:?}",
        not_imps_branch.json
    );
    let status = bank.status("0100", json!({"tranRefNo": "FB-1"})).await;
    assert_eq!(
        status.json["STATUS"], "PENDING",
        "status answers in the carrying rail's shape"
    );
}

// ---- composite payment: UPI ----

#[tokio::test]
async fn upi_pay_to_a_merchant_moves_money_inside_the_bank() {
    let bank = spawn_bank();
    let total_before = bank.total();
    let payer_before = bank.balance(SAVINGS).unwrap();

    let paid = bank
        .pay("1000", upi_pay("SEQ-1", "sandbankstore@icici", "250.00"))
        .await;
    let again = bank
        .pay("1000", upi_pay("SEQ-1", "sandbankstore@icici", "250.00"))
        .await;
    let status = bank.status("1000", json!({"seq-no": "SEQ-1"})).await;
    let bad_handle = bank
        .pay("1000", upi_pay("SEQ-2", "someone@nobank", "1.00"))
        .await;
    let poor = bank
        .pay("1000", upi_pay("SEQ-3", "sandbankstore@icici", "1.51"))
        .await;
    let over = bank
        .pay("1000", upi_pay("SEQ-4", "sandbankstore@icici", "100000.01"))
        .await;

    assert_eq!(paid.json["success"], "true", "{:?}", paid.json);
    assert_eq!(paid.json["response"], "0");
    assert_eq!(paid.json["status"], "SUCCESS");
    assert_eq!(paid.json["seq-no"], "SEQ-1");
    assert_eq!(again.json["response"], "5002");
    assert_eq!(again.json["BankRRN"], paid.json["BankRRN"]);
    assert_eq!(status.json, paid.json);
    assert_eq!(bad_handle.json["response"], "37");
    assert_eq!(poor.json["response"], "Z9");
    assert_eq!(over.json["response"], "5005");
    assert_eq!(bank.balance(SAVINGS).unwrap(), payer_before - money("250"));
    assert_eq!(bank.balance("000406400000"), Some(money("250.00")));
    assert_eq!(
        bank.total(),
        total_before,
        "an internal payment conserves money"
    );
}

// ---- merchant UPI: collect, status, callbacks ----

const DEMO_MERCHANT: &str = "400000";
const SETTLEMENT: &str = "000406400000";
/// 30 minutes after the frozen clock (10:00 IST).
const COLLECT_BY: &str = "01/04/2026 10:30 AM";

fn collect(tran_id: &str, payer: &str, amount: &str) -> Value {
    json!({
        "payerVa": payer,
        "amount": amount,
        "note": "Order 42",
        "collectByDate": COLLECT_BY,
        "merchantId": DEMO_MERCHANT,
        "merchantName": "Sandbank Store",
        "subMerchantId": DEMO_MERCHANT,
        "subMerchantName": "Sandbank Store",
        "terminalId": "5411",
        "merchantTranId": tran_id,
        "billNumber": "BILL42"
    })
}

fn ids(extra: Value) -> Value {
    merge(
        json!({"merchantId": DEMO_MERCHANT, "subMerchantId": DEMO_MERCHANT, "terminalId": "5411"}),
        extra,
    )
}

impl Bank {
    async fn upi(&self, op: &str, body: Value) -> Answer {
        self.app
            .post(
                &format!("/api/MerchantAPI/UPI/v0/{op}/{DEMO_MERCHANT}"),
                body,
            )
            .await
    }

    async fn upi_status(&self, tran_id: &str) -> Answer {
        self.upi(
            "TransactionStatus3",
            ids(json!({"merchantTranId": tran_id})),
        )
        .await
    }

    /// Raises a collect and returns its BankRRN.
    async fn collect(&self, tran_id: &str, payer: &str, amount: &str) -> String {
        let answer = self
            .upi("CollectPay3", collect(tran_id, payer, amount))
            .await;
        assert_eq!(answer.json["response"], "92", "{:?}", answer.json);
        answer.json["BankRRN"].as_str().unwrap().to_string()
    }

    /// The app's callback attempts once at least `n` are recorded (delivery runs in the background).
    async fn callbacks(&self, n: usize) -> Vec<Value> {
        for _ in 0..250 {
            let answer = self.app.get("/sandbox/callbacks").await;
            let attempts = answer.json.as_array().cloned().unwrap_or_default();
            if attempts.len() >= n {
                return attempts;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("fewer than {n} callback attempts recorded");
    }
}

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
    assert_eq!(bank.balance(SETTLEMENT), Some(money("499.00")));
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
        Some(money("10.00")),
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
    assert_eq!(bank.balance(SETTLEMENT), Some(money("75.00")));
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
        Some(money("20.00")),
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
    assert_eq!(bank.balance(SETTLEMENT), Some(money("30.00")));
}

#[tokio::test]
async fn collect_refusals_and_validation() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;

    let past = bank
        .upi(
            "CollectPay3",
            merge(
                collect("C-P", "success@icici", "1.00"),
                json!({"collectByDate": "01/04/2026 09:59 AM"}),
            ),
        )
        .await;
    let malformed = bank
        .upi(
            "CollectPay3",
            merge(
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

/// A partner endpoint on loopback that records every body and answers 500 to the first
/// `failures` calls, then 200.
async fn partner_endpoint(failures: usize) -> (String, Arc<std::sync::Mutex<Vec<Value>>>) {
    use poem::{
        http::StatusCode,
        listener::{Acceptor, Listener, TcpListener},
        Server,
    };
    let bodies = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = bodies.clone();
    let endpoint = poem::endpoint::make(move |mut request: poem::Request| {
        let seen = seen.clone();
        async move {
            let bytes = request.take_body().into_vec().await.unwrap_or_default();
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let calls = {
                let mut seen = seen.lock().unwrap();
                seen.push(body);
                seen.len()
            };
            if calls <= failures {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::OK
            }
        }
    });
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let address = *acceptor.local_addr()[0].as_socket_addr().unwrap();
    tokio::spawn(Server::new_with_acceptor(acceptor).run(endpoint));
    (format!("http://{address}/upi/callback"), bodies)
}

#[tokio::test]
async fn a_settled_collect_calls_back_retrying_until_the_partner_accepts() {
    let (url, received) = partner_endpoint(2).await;
    let bank = spawn_bank_with(SandboxSettings {
        demo: sandbank::sandbox::state::DemoApp {
            callback_url: Some(url.clone()),
            ..Default::default()
        },
        callback_policy: sandbank::sandbox::callbacks::RetryPolicy {
            first_backoff: std::time::Duration::from_millis(10),
            ..Default::default()
        },
        ..Default::default()
    });
    bank.app.freeze_clock().await;
    let rrn = bank.collect("C-CB", "success@icici", "499.00").await;

    bank.advance("PT1M").await;
    let attempts = bank.callbacks(3).await;
    let status = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": rrn})))
        .await;

    let statuses: Vec<Value> = attempts.iter().map(|a| a["status"].clone()).collect();
    assert_eq!(
        statuses,
        vec![json!(200), json!(500), json!(500)],
        "newest first"
    );
    let numbers: Vec<Value> = attempts.iter().map(|a| a["attempt"].clone()).collect();
    assert_eq!(numbers, vec![json!(3), json!(2), json!(1)]);
    assert!(attempts
        .iter()
        .all(|a| a["kind"] == "upi-collect" && a["reference"] == rrn.as_str()));
    assert!(attempts.iter().all(|a| a["url"] == url.as_str()));
    let body = received.lock().unwrap()[2].clone();
    assert_eq!(
        body,
        json!({
            "merchantId": "400000",
            "subMerchantId": "400000",
            "terminalId": "5411",
            "BankRRN": rrn,
            "merchantTranId": "C-CB",
            "PayerName": body["PayerName"],
            "PayerMobile": body["PayerMobile"],
            "PayerVA": "success@icici",
            "PayerAmount": "499.00",
            "TxnStatus": "SUCCESS",
            "TxnInitDate": "20260401100000",
            "TxnCompletionDate": "20260401100005"
        })
    );
    assert!(!body["PayerName"].as_str().unwrap().is_empty());
    assert_eq!(
        attempts[0]["requestBody"], body,
        "the record holds the body sent"
    );
    assert_eq!(status.json["success"], "true");
    for (field, value) in body.as_object().unwrap() {
        assert_eq!(&status.json[field], value, "CallbackStatus2 field {field}");
    }
}

#[tokio::test]
async fn callback_status_answers_the_callback_it_would_send_while_pending() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let rrn = bank.collect("C-CS", "pending@icici", "12.00").await;

    let pending = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": rrn})))
        .await;
    let unknown = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": "000000000001"})))
        .await;
    bank.app
        .post(&format!("/sandbox/upi/{rrn}/reject"), json!({}))
        .await;
    let rejected = bank
        .upi("CallbackStatus2", ids(json!({"BankRRN": rrn})))
        .await;
    let attempts = bank.callbacks(1).await;

    assert_eq!(pending.json["TxnStatus"], "PENDING");
    assert_eq!(pending.json["TxnCompletionDate"], "");
    assert_eq!(unknown.json["response"], "5003");
    assert_eq!(rejected.json["TxnStatus"], "FAILURE");
    assert_eq!(rejected.json["TxnCompletionDate"], "20260401100000");
    assert!(attempts[0]["error"]
        .as_str()
        .unwrap()
        .contains("no callback URL"));
}

// ---- refunds, QR, VPA validation ----

fn refund(tran_id: &str, original_rrn: &str, original_tran: &str, amount: &str) -> Value {
    ids(json!({
        "originalBankRRN": original_rrn,
        "merchantTranId": tran_id,
        "originalmerchantTranId": original_tran,
        "payeeVa": "success@icici",
        "refundAmount": amount,
        "note": "Returned",
        "onlineRefund": "Y"
    }))
}

#[tokio::test]
async fn refunds_are_partial_and_never_exceed_the_original() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let rrn = bank.collect("C-RF", "success@icici", "499.00").await;
    let early = bank
        .upi("Refund", refund("RF-0", &rrn, "C-RF", "1.00"))
        .await;
    bank.advance("PT5S").await;

    let first = bank
        .upi("Refund", refund("RF-1", &rrn, "C-RF", "200.00"))
        .await;
    let over = bank
        .upi("Refund", refund("RF-2", &rrn, "C-RF", "299.01"))
        .await;
    let rest = bank
        .upi("Refund", refund("RF-3", &rrn, "C-RF", "299.00"))
        .await;
    let beyond = bank
        .upi("Refund", refund("RF-4", &rrn, "C-RF", "0.01"))
        .await;
    let duplicate = bank
        .upi("Refund", refund("RF-1", &rrn, "C-RF", "1.00"))
        .await;
    let wrong_payee = bank
        .upi(
            "Refund",
            merge(
                refund("RF-5", &rrn, "C-RF", "1.00"),
                json!({"payeeVa": "other@icici"}),
            ),
        )
        .await;
    let wrong_original = bank
        .upi("Refund", refund("RF-6", &rrn, "C-OTHER", "1.00"))
        .await;
    let refund_status = bank.upi_status("RF-1").await;

    assert_eq!(early.json["response"], "5021", "not yet successful");
    assert_eq!(first.json["success"], "true", "{:?}", first.json);
    assert_eq!(first.json["response"], "0");
    assert_eq!(first.json["status"], "SUCCESS");
    assert_eq!(first.json["originalBankRRN"], rrn.as_str());
    assert_eq!(first.json["refundableAmount"], "299.00");
    assert_eq!(over.json["response"], "5020");
    assert_eq!(over.json["status"], "FAILURE");
    assert_eq!(rest.json["response"], "0");
    assert_eq!(rest.json["refundableAmount"], "0.00");
    assert_eq!(beyond.json["response"], "5020");
    assert_eq!(duplicate.json["response"], "5002");
    assert_eq!(wrong_payee.json["response"], "5022");
    assert_eq!(wrong_original.json["response"], "5003");
    assert_eq!(refund_status.json["status"], "SUCCESS");
    assert_eq!(refund_status.json["amount"], "200.00");
    assert_eq!(
        bank.balance(SETTLEMENT),
        Some(money("0.00")),
        "499 in, 499 refunded"
    );
}

#[tokio::test]
async fn qr3_answers_a_upi_intent_that_a_sandbox_approval_pays() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await;
    let body = ids(json!({"amount": "250", "merchantTranId": "QR-1", "billNumber": "BILL/7"}));

    let qr = bank.upi("QR3", body.clone()).await;
    let again = bank.upi("QR3", body).await;
    let ref_id = qr.json["refId"].as_str().unwrap().to_string();
    let pending = bank.upi_status("QR-1").await;
    bank.app
        .post(&format!("/sandbox/upi/{ref_id}/approve"), json!({}))
        .await;
    let paid = bank.upi_status("QR-1").await;

    assert_eq!(qr.json["success"], "true", "{:?}", qr.json);
    assert_eq!(qr.json["response"], "0");
    assert_eq!(
        qr.json["qrString"],
        format!("upi://pay?pa=sandbankstore@icici&pn=Sandbank%20Store&am=250.00&tr={ref_id}&tn=BILL%2F7&cu=INR")
    );
    assert_eq!(again.json["response"], "5002");
    assert_eq!(pending.json["status"], "PENDING");
    assert_eq!(paid.json["status"], "SUCCESS");
    assert_eq!(bank.balance(SETTLEMENT), Some(money("250.00")));
}

#[tokio::test]
async fn validate_address_names_known_vpas_and_refuses_unknown_handles() {
    let bank = spawn_bank();
    let check = |vpa: &str| {
        bank.app.post(
            "/api/v1/upi2/ValidateAddress",
            json!({"VirtualAddress": vpa}),
        )
    };

    let merchant = check("sandbankstore@icici").await;
    let person = check("9800000001@ybl").await;
    let synthetic = check("someone@paytm").await;
    let unknown = check("someone@nobank").await;
    let malformed = check("someone").await;

    assert_eq!(
        merchant.json,
        json!({"success": "true", "response": "0", "message": "VPA is available for transaction", "payeeName": "Sandbank Store"})
    );
    assert_eq!(person.json["payeeName"], "Rahul Eswaran");
    assert_eq!(synthetic.json["success"], "true");
    assert_eq!(
        synthetic.json["payeeName"],
        check("someone@paytm").await.json["payeeName"],
        "stable"
    );
    assert_eq!(unknown.json["success"], "false");
    assert_eq!(unknown.json["response"], "37");
    assert!(malformed
        .assert_envelope(400, 8017)
        .contains("`VirtualAddress`"));
}

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
    use sandbank::sandbox::ledger::Direction;
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
                let body = merge(
                    neft(&reference, amount),
                    json!({"beneAccNo": SECOND_CORPORATE}),
                );
                bank.pay("0010", body).await
            }
            2 => {
                let body = merge(neft(&reference, amount), json!({"beneAccNo": SAVINGS}));
                bank.pay("0001", body).await
            }
            3 => {
                let body = merge(imps(&reference, amount), neft(&reference, amount));
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
