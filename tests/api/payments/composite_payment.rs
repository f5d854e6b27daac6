//! `POST /api/v1/composite-payment` and `/api/v1/composite-status` on every rail: IMPS, NEFT and RTGS
//! with the `x-priority` fallback, and UPI pay to a merchant.

use std::sync::Arc;

use poem::http::StatusCode;
use serde_json::json;

use super::{
    decimal, imps, merged, neft, spawn_bank, upi_pay, CORPORATE, SAVINGS, SECOND_CORPORATE,
};

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
    assert_eq!(
        bank.balance(CORPORATE).unwrap(),
        before - decimal("1500.00")
    );
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
    assert_eq!(bank.balance(CORPORATE).unwrap(), before - decimal("100.00"));
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
    assert_eq!(bank.balance(CORPORATE).unwrap(), before - decimal("250.00"));
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
            merged(imps("IMPS-52", "100.00"), json!({"beneAccNo": "123450000"})),
            "52",
        ),
        (
            "IMPS-201",
            merged(
                imps("IMPS-201", "100.00"),
                json!({"beneIFSC": "ZZZZ0000001"}),
            ),
            "201",
        ),
        (
            "IMPS-12",
            merged(imps("IMPS-12", "100.00"), json!({"crpId": "NOSUCHCORP"})),
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
            merged(imps("IMPS-F", "1.00"), json!({"beneIFSC": "icic"})),
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

#[tokio::test]
async fn neft_debits_at_once_and_delivers_in_the_next_half_hourly_batch() {
    let bank = spawn_bank();
    bank.app.freeze_clock().await; // 10:00 IST: the next batch is 10:30
    let internal = merged(
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
        debit_before - decimal("2000")
    );
    assert_eq!(credit_while_pending, credit_before);
    assert_eq!(
        bank.balance(SECOND_CORPORATE).unwrap(),
        credit_before + decimal("2000")
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
            merged(neft("NEFT-W", "10.00"), json!({"WORKFLOW_REQD": "Y"})),
        )
        .await;
    let poor = bank.pay("0010", neft("NEFT-51", "10.51")).await;
    let foreign = bank
        .pay(
            "0010",
            merged(neft("NEFT-9906", "10.00"), json!({"senderAcctNo": SAVINGS})),
        )
        .await;
    let invalid = bank
        .pay(
            "0010",
            merged(
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
    assert_eq!(bank.balance(CORPORATE).unwrap(), before - decimal("10.00"));
}

#[tokio::test]
async fn rtgs_settles_at_once_above_its_minimum_and_refuses_below_it() {
    let bank = spawn_bank();
    let rtgs = |reference: &str, amount: &str| {
        merged(
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
        debit_before - decimal("250000")
    );
    assert_eq!(
        bank.balance(SAVINGS).unwrap(),
        credit_before + decimal("250000")
    );
}

#[tokio::test]
async fn a_multi_rail_priority_falls_back_on_a_rail_refusal_only() {
    let bank = spawn_bank();
    let both =
        |reference: &str, amount: &str| merged(neft(reference, amount), imps(reference, amount));

    let over_imps = bank.pay("0110", both("FB-1", "600000.00")).await;
    let within_imps = bank.pay("0110", both("FB-2", "1000.00")).await;
    let declined = bank.pay("0110", both("FB-3", "1000.51")).await;
    let over_imps_only = bank.pay("0100", imps("FB-4", "600000.00")).await;
    let not_imps_branch = bank
        .pay(
            "0110",
            merged(both("FB-5", "10.00"), json!({"beneIFSC": "BARB0KOTHRU"})),
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
    assert_eq!(
        bank.balance(SAVINGS).unwrap(),
        payer_before - decimal("250")
    );
    assert_eq!(bank.balance("000406400000"), Some(decimal("250.00")));
    assert_eq!(
        bank.total(),
        total_before,
        "an internal payment conserves money"
    );
}
