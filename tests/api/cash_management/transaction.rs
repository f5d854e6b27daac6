//! `Transaction` on each rail (IMPS, RTGS, NEFT, TPA), its declines and magic values, and `UNIQUEID`
//! idempotency.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{
    assert_failure, balance, cib, inquire, pay, payment, registered_app, statement, DEMO_ACCOUNT,
    SECOND_ACCOUNT,
};

#[tokio::test]
async fn an_imps_payment_debits_at_once_and_answers_its_rrn() {
    let app = registered_app().await;

    let answer = pay(&app, payment("IMPS0001", "IFS", "2500.00")).await;

    assert_eq!(answer["RESPONSE"], "SUCCESS");
    assert_eq!(answer["STATUS"], "SUCCESS");
    assert_eq!(answer["MESSAGE"], "Transaction Successful");
    assert_eq!(answer["UNIQUEID"], "IMPS0001");
    assert_eq!(answer["URN"], "SANDURN0001");
    assert!(answer.get("RESPONSECODE").is_none(), "{answer:?}");
    let rrn = answer["UTRNUMBER"].as_str().unwrap();
    assert!(
        rrn.len() == 12 && rrn.bytes().all(|b| b.is_ascii_digit()),
        "{rrn}"
    );
    assert!(rrn.starts_with("609110"), "year 6, day 091, hour 10: {rrn}");
    let req_id = answer["REQID"].as_str().unwrap();
    assert!(req_id.len() == 9 && req_id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        balance(&app, DEMO_ACCOUNT).await,
        Decimal::new(99_750_000, 2)
    );
}

#[tokio::test]
async fn an_rtgs_payment_needs_two_lakh_and_answers_an_rtgs_utr() {
    let app = registered_app().await;

    let below = pay(&app, payment("RTGS0001", "RTG", "199999.99")).await;
    let at_minimum = pay(&app, payment("RTGS0002", "RTG", "200000.00")).await;

    assert_failure(&below, "FAILURE", "995109");
    assert!(below["MESSAGE"].as_str().unwrap().contains("RTGS"));
    assert!(below.get("UTRNUMBER").is_none());
    assert_eq!(at_minimum["STATUS"], "SUCCESS");
    let utr = at_minimum["UTRNUMBER"].as_str().unwrap();
    assert!(
        utr.starts_with("ICICR520260401") && utr.len() == 22,
        "{utr}"
    );
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(800_000));
}

#[tokio::test]
async fn imps_takes_at_most_five_lakh() {
    let app = registered_app().await;

    let over = pay(&app, payment("IMPS0002", "IFS", "500000.01")).await;
    let at_maximum = pay(&app, payment("IMPS0003", "IFS", "500000.00")).await;

    assert_failure(&over, "FAILURE", "995109");
    assert!(over["MESSAGE"].as_str().unwrap().contains("IMPS"));
    assert_eq!(at_maximum["STATUS"], "SUCCESS");
}

#[tokio::test]
async fn neft_remarks_are_32_letters_digits_or_spaces() {
    let app = registered_app().await;
    let with_remarks = |id: &str, remarks: &str| {
        let mut body = payment(id, "RGS", "100.00");
        body["REMARKS"] = json!(remarks);
        body
    };

    let long = pay(&app, with_remarks("NEFT0001", &"A".repeat(33))).await;
    let punctuated = pay(&app, with_remarks("NEFT0002", "Invoice #42")).await;
    let exact = pay(&app, with_remarks("NEFT0003", &"A1 ".repeat(11)[..32])).await;
    let imps_may = pay(&app, {
        let mut body = with_remarks("IMPS0004", "Invoice #42, April");
        body["TXNTYPE"] = json!("IFS");
        body
    })
    .await;

    assert_failure(&long, "FAILURE", "995109");
    assert_failure(&punctuated, "FAILURE", "995109");
    assert_eq!(exact["STATUS"], "PENDING", "{exact:?}");
    assert_eq!(imps_may["STATUS"], "SUCCESS", "the rule is NEFT's only");
}

#[tokio::test]
async fn neft_is_debited_at_once_and_settles_in_the_next_half_hourly_batch() {
    let app = registered_app().await;

    let accepted = pay(&app, payment("NEFT0004", "RGS", "1000.00")).await;
    let balance_while_pending = balance(&app, DEMO_ACCOUNT).await;
    let pending = inquire(&app, "NEFT0004").await;
    app.advance_clock("PT29M").await;
    let still_pending = inquire(&app, "NEFT0004").await;
    app.advance_clock("PT1M").await;
    let settled = inquire(&app, "NEFT0004").await;

    assert_eq!(accepted["RESPONSE"], "SUCCESS");
    assert_eq!(accepted["STATUS"], "PENDING");
    assert_eq!(
        accepted["MESSAGE"],
        "Transaction accepted: NEFT settles in the batch of 01-04-2026 10:30:00 IST"
    );
    let utr = accepted["UTRNUMBER"].as_str().unwrap();
    assert!(utr.starts_with("ICICN26091") && utr.len() == 16, "{utr}");
    assert_eq!(balance_while_pending, Decimal::from(999_000));
    assert_eq!(pending["STATUS"], "PENDING");
    assert_eq!(still_pending["STATUS"], "PENDING");
    assert_eq!(settled["STATUS"], "SUCCESS");
    assert_eq!(settled["UTRNUMBER"], utr);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(999_000));
}

#[tokio::test]
async fn tpa_credits_an_account_of_this_bank() {
    let app = registered_app().await;
    let mut body = payment("TPA0001", "TPA", "12500.50");
    body["CREDITACC"] = json!(SECOND_ACCOUNT);
    body["IFSC"] = json!("ICIC0000104");

    let answer = pay(&app, body).await;

    assert_eq!(answer["STATUS"], "SUCCESS", "{answer:?}");
    assert!(answer["UTRNUMBER"]
        .as_str()
        .unwrap()
        .starts_with("ICICT26091"));
    assert_eq!(
        balance(&app, DEMO_ACCOUNT).await,
        Decimal::new(98_749_950, 2)
    );
    assert_eq!(
        balance(&app, SECOND_ACCOUNT).await,
        Decimal::new(6_250_050, 2)
    );
    let credit = statement(&app, SECOND_ACCOUNT, "01-04-2026", "01-04-2026").await;
    let last = credit.last().unwrap();
    assert_eq!(last["TYPE"], "CR");
    assert_eq!(last["AMOUNT"], "12500.50");
    assert_eq!(last["BALANCE"], "62500.50");
}

#[tokio::test]
async fn paying_the_same_account_is_refused() {
    let app = registered_app().await;
    let mut body = payment("SELF0001", "TPA", "10.00");
    body["CREDITACC"] = json!(DEMO_ACCOUNT);

    let answer = pay(&app, body).await;

    assert_failure(&answer, "FAILURE", "995109");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_000_000));
}

#[tokio::test]
async fn a_debit_beyond_the_balance_fails_with_100030() {
    let app = registered_app().await;
    let mut body = payment("BIG0001", "IFS", "60000.00");
    body["DEBITACC"] = json!(SECOND_ACCOUNT);

    let answer = pay(&app, body).await;
    let inquiry = inquire(&app, "BIG0001").await;

    assert_failure(&answer, "FAILURE", "100030");
    assert_failure(&inquiry, "FAILURE", "100030");
    assert_eq!(balance(&app, SECOND_ACCOUNT).await, Decimal::from(50_000));
}

#[tokio::test]
async fn a_beneficiary_account_ending_0000_fails_with_100046() {
    let app = registered_app().await;
    let mut body = payment("BAD0001", "IFS", "10.00");
    body["CREDITACC"] = json!("123450000");

    let answer = pay(&app, body).await;

    assert_failure(&answer, "FAILURE", "100046");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_000_000));
}

#[tokio::test]
async fn magic_paise_choose_the_outcome() {
    let app = registered_app().await;

    let invalid = pay(&app, payment("MAGIC13", "IFS", "100.13")).await;
    let insufficient = pay(&app, payment("MAGIC51", "IFS", "100.51")).await;
    let timeout = cib(&app, "Transaction", payment("MAGIC96", "IFS", "100.96")).await;

    assert_failure(&invalid, "FAILURE", "995109");
    assert_eq!(invalid["MESSAGE"], "Invalid amount");
    assert_failure(&insufficient, "FAILURE", "100030");
    timeout.assert_envelope(504, 8013);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_000_000));
    let never_recorded = inquire(&app, "MAGIC96").await;
    assert_failure(&never_recorded, "FAILURE", "999940");
}

#[tokio::test]
async fn transaction_fields_are_validated_naming_the_field() {
    let app = registered_app().await;
    let broken = |field: &str, value: Value| {
        let mut body = payment("VAL0001", "IFS", "10.00");
        body[field] = value;
        body
    };
    let cases = [
        ("AMOUNT", json!("ten")),
        ("AMOUNT", json!("1.001")),
        ("TXNTYPE", json!("UPI")),
        ("CURRENCY", json!("USD")),
        ("IFSC", json!("ICIC000004")),
        ("UNIQUEID", json!("has space")),
        ("WORKFLOW_REQD", json!("maybe")),
    ];

    for (field, value) in cases {
        let answer = cib(&app, "Transaction", broken(field, value.clone())).await;
        let message = answer.assert_envelope(400, 8017);
        assert!(message.contains(field), "{field}={value}: {message}");
    }
    let mut missing = payment("VAL0002", "IFS", "10.00");
    missing.as_object_mut().unwrap().remove("AGGRNAME");
    let message = cib(&app, "Transaction", missing)
        .await
        .assert_envelope(400, 8017);
    assert!(message.contains("AGGRNAME"), "{message}");
}

#[tokio::test]
async fn an_amount_may_be_sent_as_a_json_number() {
    let app = registered_app().await;
    let mut body = payment("NUM0001", "IFS", "1.00");
    body["AMOUNT"] = json!(1.5);

    let answer = pay(&app, body).await;

    assert_eq!(answer["STATUS"], "SUCCESS");
    assert_eq!(
        balance(&app, DEMO_ACCOUNT).await,
        Decimal::new(99_999_850, 2)
    );
}

#[tokio::test]
async fn a_reused_uniqueid_is_never_paid_twice() {
    let app = registered_app().await;

    let first = pay(&app, payment("DUP0001", "IFS", "700.00")).await;
    let second = pay(&app, payment("DUP0001", "IFS", "700.00")).await;
    let different_amount = pay(&app, payment("DUP0001", "RTG", "300000.00")).await;
    let inquiry = inquire(&app, "DUP0001").await;

    assert_eq!(first["STATUS"], "SUCCESS");
    assert_failure(&second, "DUPLICATE", "999936");
    assert_failure(&different_amount, "DUPLICATE", "999936");
    assert_eq!(
        inquiry["STATUS"], "SUCCESS",
        "the inquiry answers the original"
    );
    assert_eq!(inquiry["UTRNUMBER"], first["UTRNUMBER"]);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(999_300));
}

#[tokio::test]
async fn a_failed_uniqueid_is_not_retried_either() {
    let app = registered_app().await;

    let failed = pay(&app, payment("FAIL0001", "RTG", "10.00")).await;
    let retry = pay(&app, payment("FAIL0001", "RTG", "250000.00")).await;

    assert_failure(&failed, "FAILURE", "995109");
    assert_failure(&retry, "DUPLICATE", "999936");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_000_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_move_money_once() {
    let app = Arc::new(registered_app().await);

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..24 {
        let app = app.clone();
        tasks.spawn(async move { pay(&app, payment("RACE0001", "IFS", "1000.00")).await });
    }
    let answers = tasks.join_all().await;

    let paid = answers.iter().filter(|a| a["STATUS"] == "SUCCESS").count();
    let duplicates = answers
        .iter()
        .filter(|a| a["STATUS"] == "DUPLICATE" && a["RESPONSECODE"] == "999936")
        .count();
    assert_eq!((paid, duplicates), (1, 23), "{answers:?}");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(999_000));
    let today = statement(&app, DEMO_ACCOUNT, "01-04-2026", "01-04-2026").await;
    let debits = today
        .iter()
        .filter(|r| r["REMARKS"].as_str().unwrap().starts_with("IMPS/"))
        .count();
    assert_eq!(debits, 1, "one statement entry");
}
