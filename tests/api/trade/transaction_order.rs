//! Outward remittance orders: the charges moving exactly what they say, currencies and their nostros,
//! the day's rate, idempotency, and declines that create and move nothing.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{assert_uetr_v4, decimal_of, order_body, with, Bank, REMITTER, USD_NOSTRO};

#[tokio::test]
async fn a_sha_order_debits_the_remitter_and_the_nostro_exactly() {
    let bank = Bank::start().await;
    let remitter_before = bank.balance(REMITTER);
    bank.call("remittance/balance-inquiry", json!({ "currency": "USD" }))
        .await;
    let nostro_before = bank.balance(USD_NOSTRO);

    let answer = bank
        .order(order_body("ORM1", "USD", "1000.00", "SHA"))
        .await;

    assert_eq!(answer["status"], "SUCCESS");
    assert_eq!(answer["responseCode"], "TR000");
    let r = &answer["remittance"];
    assert_eq!(
        *r,
        json!({
            "transactionRefNo": "ORM1",
            "uetr": r["uetr"],
            "transactionStatus": "ACCEPTED",
            "statusHistory": [{ "status": "ACCEPTED", "at": "2026-04-01T10:00:00+05:30" }],
            "remitterAccountNo": REMITTER,
            "currency": "USD",
            "amount": "1000.00",
            "fxRate": "82.6506",
            "inrAmount": "82650.60",
            "charges": "SHA",
            "commission": "500.00",
            "gst": "90.00",
            "correspondentCharges": "25.00",
            "chargesInr": "590.00",
            "totalDebitInr": "83240.60",
            "beneficiaryAmount": "975.00",
            "beneficiaryName": "Acme Software Inc",
            "beneficiaryAccountNo": "026009593",
            "beneficiaryBic": "CHASUS33",
            "beneficiaryBank": "JPMorgan Chase Bank, N.A., New York",
            "purposeCode": "S1006",
            "valueDate": "2026-04-01"
        })
    );
    assert_uetr_v4(r["uetr"].as_str().unwrap());
    assert_eq!(
        remitter_before - bank.balance(REMITTER),
        decimal_of(&r["totalDebitInr"])
    );
    assert_eq!(
        nostro_before - bank.balance(USD_NOSTRO),
        Decimal::from(1000)
    );
    assert_eq!(bank.inquire("ORM1").await["remittance"], *r);
}

#[tokio::test]
async fn our_and_ben_charges_move_exactly_what_they_say() {
    let bank = Bank::start().await;
    let before = bank.balance(REMITTER);

    let our = bank
        .order(order_body("ORM-OUR", "USD", "1000.00", "OUR"))
        .await;
    let after_our = bank.balance(REMITTER);
    let ben = bank
        .order(order_body("ORM-BEN", "USD", "1000.00", "BEN"))
        .await;
    let after_ben = bank.balance(REMITTER);

    let our = &our["remittance"];
    let ben = &ben["remittance"];
    // OUR: the bank's ₹590 plus the correspondent's USD 25 at 82.6506 (₹2,066.27).
    assert_eq!(our["chargesInr"], "2656.27");
    assert_eq!(our["totalDebitInr"], "85306.87");
    assert_eq!(our["beneficiaryAmount"], "1000.00");
    // BEN: nothing on top; USD 25 + ₹590 / 82.6506 (USD 7.14) come off the amount.
    assert_eq!(ben["chargesInr"], "0.00");
    assert_eq!(ben["totalDebitInr"], "82650.60");
    assert_eq!(ben["beneficiaryAmount"], "967.86");
    assert_eq!(before - after_our, decimal_of(&our["totalDebitInr"]));
    assert_eq!(after_our - after_ben, decimal_of(&ben["totalDebitInr"]));
    assert_eq!(
        bank.balance(USD_NOSTRO),
        Decimal::from(5_000_000 - 2000),
        "the nostro pays the ordered amount each time"
    );
}

#[tokio::test]
async fn other_currencies_use_their_nostro_and_minor_units() {
    let bank = Bank::start().await;
    let body = with(
        order_body("ORM-JPY", "JPY", "150000", "SHA"),
        "beneficiaryBic",
        json!("BOTKJPJTXXX"),
    );
    let before = bank.balance(REMITTER);

    let answer = bank.order(body).await;

    let r = &answer["remittance"];
    assert_eq!(answer["responseCode"], "TR000", "{answer}");
    assert_eq!(r["beneficiaryBank"], "MUFG Bank, Ltd., Tokyo");
    assert_eq!(
        r["beneficiaryAmount"], "147000.00",
        "JPY 3,000 correspondent charge"
    );
    let rate = decimal_of(&r["fxRate"]);
    assert_eq!(
        decimal_of(&r["inrAmount"]),
        (Decimal::from(150_000) * rate).round_dp(2)
    );
    assert_eq!(
        before - bank.balance(REMITTER),
        decimal_of(&r["totalDebitInr"])
    );
    assert_eq!(
        bank.balance("000409839201"),
        Decimal::from(500_000_000 - 150_000)
    );
    let fraction = bank
        .app
        .post(
            "/api/v1/trade/remittance/transaction-order",
            order_body("ORM-JPY2", "JPY", "100.50", "SHA"),
        )
        .await;
    assert!(fraction
        .assert_envelope(400, 8017)
        .contains("`amount`: JPY has no minor units"));
}

#[tokio::test]
async fn the_rate_is_fixed_for_the_day_and_moves_the_next() {
    let bank = Bank::start().await;

    let first = bank
        .order(order_body("ORM-D1A", "USD", "100.00", "SHA"))
        .await;
    let same_day = bank
        .order(order_body("ORM-D1B", "USD", "200.00", "SHA"))
        .await;
    bank.advance("P1D").await;
    let next_day = bank
        .order(order_body("ORM-D2", "USD", "100.00", "SHA"))
        .await;

    let rate = |a: &Value| a["remittance"]["fxRate"].as_str().unwrap().to_string();
    assert_eq!(rate(&first), "82.6506");
    assert_eq!(rate(&same_day), rate(&first));
    assert_ne!(rate(&next_day), rate(&first));
    let next = decimal_of(&next_day["remittance"]["fxRate"]);
    assert!(
        (decimal_of(&json!("82.4175"))..=decimal_of(&json!("84.0825"))).contains(&next),
        "{next}"
    );
}

#[tokio::test]
async fn a_repeated_reference_answers_the_original_and_moves_money_once() {
    let bank = Bank::start().await;
    let before = bank.balance(REMITTER);

    let first = bank
        .order(order_body("ORM-IDEM", "EUR", "250.00", "OUR"))
        .await;
    let again = bank
        .order(order_body("ORM-IDEM", "EUR", "250.00", "OUR"))
        .await;
    let changed = bank
        .order(order_body("ORM-IDEM", "EUR", "260.00", "OUR"))
        .await;

    assert_eq!(again, first);
    assert_eq!(
        before - bank.balance(REMITTER),
        decimal_of(&first["remittance"]["totalDebitInr"])
    );
    assert_eq!(changed["status"], "FAILURE");
    assert_eq!(changed["responseCode"], "TR008");
    assert!(changed.get("remittance").is_none());
    assert_eq!(
        before - bank.balance(REMITTER),
        decimal_of(&first["remittance"]["totalDebitInr"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_debit_once() {
    let bank = Arc::new(Bank::start().await);
    let before = bank.balance(REMITTER);

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let bank = bank.clone();
            tokio::spawn(async move {
                bank.app
                    .post(
                        "/api/v1/trade/remittance/transaction-order",
                        order_body("ORM-RACE", "GBP", "300.00", "SHA"),
                    )
                    .await
                    .json
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("the task completes"));
    }

    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(answers[0]["responseCode"], "TR000");
    let debit = decimal_of(&answers[0]["remittance"]["totalDebitInr"]);
    assert_eq!(before - bank.balance(REMITTER), debit, "debited once");
    assert_eq!(bank.balance("000409882601"), Decimal::from(2_000_000 - 300));
}

#[tokio::test]
async fn the_uetr_is_stable_across_sandboxes_and_differs_by_reference() {
    let one = Bank::start().await;
    let two = Bank::start().await;

    let a = one
        .order(order_body("ORM-U1", "USD", "100.00", "SHA"))
        .await;
    let b = two
        .order(order_body("ORM-U1", "USD", "100.00", "SHA"))
        .await;
    let c = one
        .order(order_body("ORM-U2", "USD", "100.00", "SHA"))
        .await;

    assert_eq!(a["remittance"]["uetr"], b["remittance"]["uetr"]);
    assert_ne!(a["remittance"]["uetr"], c["remittance"]["uetr"]);
    assert_uetr_v4(c["remittance"]["uetr"].as_str().unwrap());
}

#[tokio::test]
async fn declines_create_nothing_and_move_nothing() {
    let bank = Bank::start().await;
    bank.call("remittance/balance-inquiry", json!({ "currency": "USD" }))
        .await;
    let remitter = bank.balance(REMITTER);
    let small = "000405000002"; // ₹50,000
    let small_before = bank.balance(small);
    let base = |r: &str| order_body(r, "USD", "1000.00", "SHA");
    let cases = [
        ("TR001", with(base("D1"), "currency", json!("CHF"))),
        (
            "TR002",
            with(base("D2"), "beneficiaryBic", json!("ABCDUS33")),
        ),
        ("TR003", with(base("D3"), "purposeCode", json!("P9999"))),
        (
            "TR004",
            with(base("D4"), "remitterAccountNo", json!("000401999999")),
        ),
        (
            "TR004",
            with(base("D4N"), "remitterAccountNo", json!(USD_NOSTRO)),
        ),
        ("TR005", with(base("D5"), "amount", json!("1000.51"))),
        (
            "TR005",
            with(base("D5B"), "remitterAccountNo", json!(small)),
        ),
        ("TR006", with(base("D6"), "amount", json!("6000000.00"))),
        ("TR007", with(base("D7"), "amount", json!("1000.13"))),
        (
            "TR010",
            with(
                base("D10"),
                "beneficiaryAccountNo",
                json!("DE89370400440000"),
            ),
        ),
        (
            "TR011",
            with(base("D11"), "amount", json!("20.00")).tap_charges("BEN"),
        ),
    ];

    for (code, body) in cases {
        let reference = body["transactionRefNo"].as_str().unwrap().to_string();
        let answer = bank.order(body).await;
        assert_eq!(answer["status"], "FAILURE", "{code}: {answer}");
        assert_eq!(answer["responseCode"], code, "{answer}");
        assert!(answer.get("remittance").is_none());
        assert_eq!(bank.inquire(&reference).await["responseCode"], "TR009");
    }
    assert_eq!(bank.balance(REMITTER), remitter);
    assert_eq!(bank.balance(small), small_before);
    assert_eq!(bank.balance(USD_NOSTRO), Decimal::from(5_000_000));
    let retry = bank.order(base("D5")).await;
    assert_eq!(
        retry["responseCode"], "TR000",
        "a declined reference can be used again"
    );
}

trait TapCharges {
    fn tap_charges(self, charges: &str) -> Value;
}

impl TapCharges for Value {
    fn tap_charges(self, charges: &str) -> Value {
        with(self, "charges", json!(charges))
    }
}

#[tokio::test]
async fn a_timeout_amount_answers_8013_and_moves_nothing() {
    let bank = Bank::start().await;
    let before = bank.balance(REMITTER);

    let answer = bank
        .app
        .post(
            "/api/v1/trade/remittance/transaction-order",
            order_body("ORM-TO", "USD", "1000.96", "SHA"),
        )
        .await;

    answer.assert_envelope(504, 8013);
    assert_eq!(bank.balance(REMITTER), before);
    assert_eq!(bank.inquire("ORM-TO").await["responseCode"], "TR009");
}

#[tokio::test]
async fn malformed_orders_name_the_field() {
    let bank = Bank::start().await;
    let base = || order_body("ORM-BAD", "USD", "100.00", "SHA");
    let cases = [
        (
            "beneficiaryBic",
            with(base(), "beneficiaryBic", json!("chasus33")),
        ),
        (
            "beneficiaryBic",
            with(base(), "beneficiaryBic", json!("CHASUS3")),
        ),
        (
            "beneficiaryBic",
            with(base(), "beneficiaryBic", json!("CHAS1S33")),
        ),
        ("currency", with(base(), "currency", json!("usd"))),
        ("purposeCode", with(base(), "purposeCode", json!("X1006"))),
        ("charges", with(base(), "charges", json!("ALL"))),
        ("amount", with(base(), "amount", json!("-5"))),
        (
            "transactionRefNo",
            with(base(), "transactionRefNo", json!("has space")),
        ),
        (
            "beneficiaryAccountNo",
            with(base(), "beneficiaryAccountNo", json!("de89 3704")),
        ),
        (
            "beneficiaryAddress",
            with(base(), "beneficiaryAddress", json!("  ")),
        ),
        (
            "remitterAccountNo",
            with(base(), "remitterAccountNo", json!("12")),
        ),
    ];

    for (field, body) in cases {
        let answer = bank
            .app
            .post("/api/v1/trade/remittance/transaction-order", body)
            .await;
        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}: {message}"
        );
    }
    let mut missing = base();
    missing.as_object_mut().unwrap().remove("charges");
    let answer = bank
        .app
        .post("/api/v1/trade/remittance/transaction-order", missing)
        .await;
    assert!(answer.assert_envelope(400, 8017).contains("charges"));
}
