//! Trade: outward remittances and bank guarantees through HTTP, with ledger
//! balances read through the library to prove money conservation.

use std::sync::Arc;

use poem::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::{ledger_bank, LedgerApp};

const REMITTER: &str = "000405000001";
const USD_NOSTRO: &str = "000409884001";

ledger_bank!();

impl Bank {
    async fn start() -> Self {
        Self(LedgerApp::frozen().await)
    }

    fn balance(&self, account: &str) -> Decimal {
        self.0
            .balance(account)
            .unwrap_or_else(|| panic!("no account {account}"))
    }

    async fn call(&self, op: &str, body: Value) -> Value {
        let answer = self.app.post(&format!("/api/v1/trade/{op}"), body).await;
        assert_eq!(answer.status, StatusCode::OK, "{op}: {:?}", answer.json);
        answer.json
    }

    async fn order(&self, body: Value) -> Value {
        self.call("remittance/transaction-order", body).await
    }

    async fn inquire(&self, reference: &str) -> Value {
        self.call(
            "remittance/transaction-inquiry",
            json!({ "transactionRefNo": reference }),
        )
        .await
    }
}

fn dec(value: &Value) -> Decimal {
    value
        .as_str()
        .expect("a decimal string")
        .parse()
        .expect("a decimal")
}

fn order_body(reference: &str, currency: &str, amount: &str, charges: &str) -> Value {
    json!({
        "transactionRefNo": reference,
        "remitterAccountNo": REMITTER,
        "currency": currency,
        "amount": amount,
        "beneficiaryName": "Acme Software Inc",
        "beneficiaryAccountNo": "026009593",
        "beneficiaryAddress": "100 Main Street, New York NY 10001, US",
        "beneficiaryBic": "CHASUS33",
        "purposeCode": "S1006",
        "charges": charges,
        "remittanceInformation": "Invoice 2026-118"
    })
}

fn with(mut body: Value, field: &str, value: Value) -> Value {
    body[field] = value;
    body
}

fn assert_uetr_v4(uetr: &str) {
    let groups: Vec<&str> = uetr.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    assert_eq!(lengths, [8, 4, 4, 4, 12], "{uetr}");
    assert!(uetr
        .chars()
        .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert!(groups[2].starts_with('4'), "version 4: {uetr}");
    assert!("89ab".contains(&groups[3][..1]), "RFC 4122 variant: {uetr}");
}

// ---- transaction order: the happy path and the charges --------------------------------------

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
        dec(&r["totalDebitInr"])
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
    assert_eq!(before - after_our, dec(&our["totalDebitInr"]));
    assert_eq!(after_our - after_ben, dec(&ben["totalDebitInr"]));
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
    let rate = dec(&r["fxRate"]);
    assert_eq!(
        dec(&r["inrAmount"]),
        (Decimal::from(150_000) * rate).round_dp(2)
    );
    assert_eq!(before - bank.balance(REMITTER), dec(&r["totalDebitInr"]));
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
    let next = dec(&next_day["remittance"]["fxRate"]);
    assert!(
        (dec(&json!("82.4175"))..=dec(&json!("84.0825"))).contains(&next),
        "{next}"
    );
}

// ---- status with the sandbox clock ----------------------------------------------------------

#[tokio::test]
async fn status_moves_accepted_processing_completed_with_the_clock() {
    let bank = Bank::start().await;
    bank.order(order_body("ORM-CLK", "USD", "100.00", "SHA"))
        .await;

    bank.advance("PT59M").await;
    let at_59m = bank.inquire("ORM-CLK").await;
    bank.advance("PT1M").await;
    let at_1h = bank.inquire("ORM-CLK").await;
    bank.advance("PT22H59M").await;
    let before_a_day = bank.inquire("ORM-CLK").await;
    bank.advance("PT1M").await;
    let after_a_day = bank.inquire("ORM-CLK").await;

    let status = |a: &Value| a["remittance"]["transactionStatus"].clone();
    assert_eq!(status(&at_59m), "ACCEPTED");
    assert_eq!(status(&at_1h), "PROCESSING");
    assert_eq!(status(&before_a_day), "PROCESSING");
    assert_eq!(status(&after_a_day), "COMPLETED");
    assert_eq!(
        after_a_day["remittance"]["statusHistory"],
        json!([
            { "status": "ACCEPTED", "at": "2026-04-01T10:00:00+05:30" },
            { "status": "PROCESSING", "at": "2026-04-01T11:00:00+05:30" },
            { "status": "COMPLETED", "at": "2026-04-02T10:00:00+05:30" }
        ])
    );
}

#[tokio::test]
async fn a_friday_order_completes_on_monday() {
    let bank = Bank::start().await;
    bank.advance("P2D").await; // Friday 2026-04-03
    bank.order(order_body("ORM-FRI", "USD", "100.00", "SHA"))
        .await;

    bank.advance("P2D").await; // Sunday
    let sunday = bank.inquire("ORM-FRI").await;
    bank.advance("P1D").await; // Monday 10:00
    let monday = bank.inquire("ORM-FRI").await;

    assert_eq!(sunday["remittance"]["transactionStatus"], "PROCESSING");
    assert_eq!(monday["remittance"]["transactionStatus"], "COMPLETED");
    assert_eq!(
        monday["remittance"]["statusHistory"][2]["at"],
        "2026-04-06T10:00:00+05:30"
    );
}

#[tokio::test]
async fn a_sanctions_hold_is_rejected_and_refunded() {
    let bank = Bank::start().await;
    let before = bank.balance(REMITTER);
    bank.call("remittance/balance-inquiry", json!({ "currency": "USD" }))
        .await;
    let body = with(
        order_body("ORM-SANCT", "USD", "500.00", "SHA"),
        "beneficiaryName",
        json!("Sanctioned Party"),
    );

    let held = bank.order(body).await;
    let debited = bank.balance(REMITTER);
    bank.advance("PT2H").await;
    let still_held = bank.inquire("ORM-SANCT").await;
    bank.advance("P1D").await;
    let rejected = bank.inquire("ORM-SANCT").await;

    assert_eq!(held["responseCode"], "TR000");
    assert_eq!(held["remittance"]["transactionStatus"], "ON_HOLD");
    assert_eq!(before - debited, dec(&held["remittance"]["totalDebitInr"]));
    assert_eq!(
        bank.balance(USD_NOSTRO),
        Decimal::from(5_000_000),
        "nothing paid out"
    );
    assert_eq!(still_held["remittance"]["transactionStatus"], "ON_HOLD");
    assert_eq!(rejected["remittance"]["transactionStatus"], "REJECTED");
    assert_eq!(bank.balance(REMITTER), before, "refunded in full");
    let lowercase = with(
        order_body("ORM-SANCT2", "USD", "500.00", "SHA"),
        "beneficiaryName",
        json!("sanctioned party"),
    );
    let not_magic = bank.order(lowercase).await;
    assert_eq!(
        not_magic["remittance"]["transactionStatus"], "ACCEPTED",
        "case-sensitive"
    );
}

// ---- idempotency ----------------------------------------------------------------------------

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
        dec(&first["remittance"]["totalDebitInr"])
    );
    assert_eq!(changed["status"], "FAILURE");
    assert_eq!(changed["responseCode"], "TR008");
    assert!(changed.get("remittance").is_none());
    assert_eq!(
        before - bank.balance(REMITTER),
        dec(&first["remittance"]["totalDebitInr"])
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
    let debit = dec(&answers[0]["remittance"]["totalDebitInr"]);
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

// ---- declines: each creates nothing and moves nothing ---------------------------------------

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

// ---- balance, account and transaction inquiries ---------------------------------------------

#[tokio::test]
async fn every_nostro_opens_with_its_documented_balance() {
    let bank = Bank::start().await;
    let expected = [
        ("USD", "000409884001", "5000000.00", "CHASUS33"),
        ("EUR", "000409897801", "3000000.00", "DEUTDEFF"),
        ("GBP", "000409882601", "2000000.00", "BARCGB22"),
        ("AED", "000409878401", "10000000.00", "EBILAEAD"),
        ("SGD", "000409870201", "3000000.00", "DBSSSGSG"),
        ("JPY", "000409839201", "500000000.00", "BOTKJPJT"),
    ];

    for (currency, account, balance, bic) in expected {
        let answer = bank
            .call(
                "remittance/balance-inquiry",
                json!({ "currency": currency }),
            )
            .await;
        assert_eq!(answer["responseCode"], "TR000");
        assert_eq!(answer["accountType"], "NOSTRO");
        assert_eq!(answer["accountNo"], account);
        assert_eq!(answer["availableBalance"], balance, "{currency}");
        assert_eq!(answer["correspondentBic"], bic);
        assert_eq!(answer["asOf"], "2026-04-01T10:00:00+05:30");
    }
    let chf = bank
        .call("remittance/balance-inquiry", json!({ "currency": "CHF" }))
        .await;
    assert_eq!(
        chf,
        json!({ "status": "FAILURE", "responseCode": "TR001", "message": "Currency not supported" })
    );
    let bad = bank
        .app
        .post(
            "/api/v1/trade/remittance/balance-inquiry",
            json!({ "currency": "US" }),
        )
        .await;
    assert!(bad.assert_envelope(400, 8017).contains("`currency`"));
}

#[tokio::test]
async fn account_inquiry_reads_the_ledger() {
    let bank = Bank::start().await;
    bank.order(order_body("ORM-ACC", "USD", "100.00", "SHA"))
        .await;

    let demo = bank
        .call(
            "remittance/account-inquiry",
            json!({ "accountNo": REMITTER }),
        )
        .await;
    let person = bank
        .call(
            "remittance/account-inquiry",
            json!({ "accountNo": "000401000001" }),
        )
        .await;
    let unknown = bank
        .call(
            "remittance/account-inquiry",
            json!({ "accountNo": "000401999999" }),
        )
        .await;
    let bad = bank
        .app
        .post(
            "/api/v1/trade/remittance/account-inquiry",
            json!({ "accountNo": "12AB" }),
        )
        .await;

    assert_eq!(demo["accountName"], "Sandbank Demo Traders Pvt Ltd");
    assert_eq!(demo["currency"], "INR");
    assert_eq!(demo["accountStatus"], "ACTIVE");
    assert_eq!(dec(&demo["availableBalance"]), bank.balance(REMITTER));
    assert_eq!(person["accountName"], "Rahul Kumar Eswaran");
    assert_eq!(person["availableBalance"], "250000.00");
    assert_eq!(
        unknown,
        json!({ "status": "FAILURE", "responseCode": "TR004", "message": "Account not found" })
    );
    assert!(bad.assert_envelope(400, 8017).contains("`accountNo`"));
}

#[tokio::test]
async fn inquiry_of_an_unknown_reference_is_not_found() {
    let bank = Bank::start().await;

    let answer = bank.inquire("NEVER-SENT").await;
    let bad = bank
        .app
        .post(
            "/api/v1/trade/remittance/transaction-inquiry",
            json!({ "transactionRefNo": "" }),
        )
        .await;

    assert_eq!(
        answer,
        json!({ "status": "FAILURE", "responseCode": "TR009", "message": "Transaction not found" })
    );
    assert!(bad
        .assert_envelope(400, 8017)
        .contains("`transactionRefNo`"));
}

// ---- bank guarantees ------------------------------------------------------------------------

fn issuance_body(reference: &str) -> Value {
    json!({
        "requestRefNo": reference,
        "guaranteeType": "PERFORMANCE",
        "applicantAccountNo": REMITTER,
        "beneficiaryName": "National Highways Authority of India",
        "beneficiaryAddress": "G-5 and 6, Sector 10, Dwarka, New Delhi 110075",
        "currency": "INR",
        "amount": "2500000.00",
        "expiryDate": "2026-06-30",
        "claimPeriodDays": 30
    })
}

impl Bank {
    async fn issue(&self, body: Value) -> Value {
        self.call("bank-guarantee/issuance", body).await
    }

    async fn verify(&self, bg: &str) -> Value {
        self.call("bank-guarantee/verify", json!({ "bgNumber": bg }))
            .await
    }

    async fn amend(&self, bg: &str, reference: &str, change: Value) -> Value {
        let mut body = json!({ "bgNumber": bg, "amendmentRefNo": reference });
        body.as_object_mut()
            .unwrap()
            .extend(change.as_object().unwrap().clone());
        self.call("bank-guarantee/amendment", body).await
    }

    async fn invoke(&self, bg: &str, reference: &str, amount: &str) -> Value {
        self.call(
            "bank-guarantee/invocation",
            json!({ "bgNumber": bg, "claimRefNo": reference, "claimAmount": amount }),
        )
        .await
    }
}

fn bg_number(answer: &Value) -> String {
    answer["guarantee"]["bgNumber"]
        .as_str()
        .unwrap_or_else(|| panic!("no bgNumber in {answer}"))
        .to_string()
}

#[tokio::test]
async fn issuance_answers_a_bg_number_and_verify_reads_it_back() {
    let bank = Bank::start().await;
    let before = bank.balance(REMITTER);

    let issued = bank.issue(issuance_body("BGREQ1")).await;
    let bg = bg_number(&issued);
    let verified = bank.verify(&bg).await;

    assert_eq!(issued["status"], "SUCCESS");
    assert_eq!(issued["responseCode"], "BG000");
    assert!(bg.starts_with("BG0004") && bg.len() == 16, "{bg}");
    assert_eq!(
        issued["guarantee"],
        json!({
            "bgNumber": bg,
            "bgStatus": "ISSUED",
            "requestRefNo": "BGREQ1",
            "guaranteeType": "PERFORMANCE",
            "applicantAccountNo": REMITTER,
            "applicantName": "Sandbank Demo Traders Pvt Ltd",
            "beneficiaryName": "National Highways Authority of India",
            "beneficiaryAddress": "G-5 and 6, Sector 10, Dwarka, New Delhi 110075",
            "currency": "INR",
            "amount": "2500000.00",
            "issueDate": "2026-04-01",
            "expiryDate": "2026-06-30",
            "claimPeriodDays": 30,
            "claimExpiryDate": "2026-07-30",
            "amendments": []
        })
    );
    assert_eq!(verified, issued);
    assert_eq!(bank.balance(REMITTER), before, "issuance moves no money");
}

#[tokio::test]
async fn issuance_is_idempotent_on_the_request_reference() {
    let bank = Bank::start().await;

    let first = bank.issue(issuance_body("BGREQ-IDEM")).await;
    let again = bank.issue(issuance_body("BGREQ-IDEM")).await;
    let changed = bank
        .issue(with(issuance_body("BGREQ-IDEM"), "amount", json!("100.00")))
        .await;
    let other = bank.issue(issuance_body("BGREQ-OTHER")).await;

    assert_eq!(again, first);
    assert_eq!(changed["responseCode"], "BG007");
    assert!(changed.get("guarantee").is_none());
    assert_ne!(bg_number(&other), bg_number(&first));
    assert_eq!(
        bank.verify(&bg_number(&first)).await["guarantee"]["amount"],
        "2500000.00"
    );
}

#[tokio::test]
async fn amendments_change_amount_and_expiry_and_keep_a_history() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-AMD")).await);

    bank.advance("PT2H").await;
    let first = bank
        .amend(&bg, "AMD-1", json!({ "amount": "3000000.00" }))
        .await;
    let second = bank
        .amend(
            &bg,
            "AMD-2",
            json!({ "expiryDate": "2026-09-30", "amount": "2750000.00" }),
        )
        .await;
    let repeat = bank.amend(&bg, "AMD-2", json!({ "amount": "1.00" })).await;
    let verified = bank.verify(&bg).await;

    assert_eq!(first["responseCode"], "BG000");
    assert_eq!(first["guarantee"]["bgStatus"], "AMENDED");
    assert_eq!(first["guarantee"]["amount"], "3000000.00");
    assert_eq!(first["guarantee"]["expiryDate"], "2026-06-30");
    assert_eq!(second["guarantee"]["expiryDate"], "2026-09-30");
    assert_eq!(second["guarantee"]["claimExpiryDate"], "2026-10-30");
    assert_eq!(repeat, second, "a repeated amendmentRefNo changes nothing");
    assert_eq!(
        verified["guarantee"]["amendments"],
        json!([
            {
                "amendmentNo": "AMD001", "amendmentRefNo": "AMD-1",
                "amendedAt": "2026-04-01T12:00:00+05:30",
                "previousAmount": "2500000.00", "amount": "3000000.00",
                "previousExpiryDate": "2026-06-30", "expiryDate": "2026-06-30"
            },
            {
                "amendmentNo": "AMD002", "amendmentRefNo": "AMD-2",
                "amendedAt": "2026-04-01T12:00:00+05:30",
                "previousAmount": "3000000.00", "amount": "2750000.00",
                "previousExpiryDate": "2026-06-30", "expiryDate": "2026-09-30"
            }
        ])
    );
    assert_eq!(verified["guarantee"]["amount"], "2750000.00");
}

#[tokio::test]
async fn a_guarantee_expires_by_the_clock_and_cannot_be_amended_after() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-EXP")).await);

    bank.advance("P90D").await; // 2026-06-30: the last day in force
    let last_day = bank.verify(&bg).await;
    bank.advance("P1D").await;
    let expired = bank.verify(&bg).await;
    let amend = bank
        .amend(&bg, "AMD-LATE", json!({ "expiryDate": "2026-12-31" }))
        .await;

    assert_eq!(last_day["guarantee"]["bgStatus"], "ISSUED");
    assert_eq!(expired["guarantee"]["bgStatus"], "EXPIRED");
    assert_eq!(amend["status"], "FAILURE");
    assert_eq!(amend["responseCode"], "BG004");
    assert_eq!(amend["guarantee"]["bgStatus"], "EXPIRED");
    assert_eq!(amend["guarantee"]["expiryDate"], "2026-06-30", "unchanged");
}

#[tokio::test]
async fn claims_lodge_within_the_claim_period_and_only_once() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-INV")).await);

    let above = bank.invoke(&bg, "CLAIM-0", "2500000.01").await;
    bank.advance("P100D").await; // expired 2026-06-30, claims until 2026-07-30
    let invoked = bank.invoke(&bg, "CLAIM-1", "1000000.00").await;
    let repeat = bank.invoke(&bg, "CLAIM-1", "1000000.00").await;
    let second = bank.invoke(&bg, "CLAIM-2", "5000.00").await;
    let amend = bank
        .amend(&bg, "AMD-AFTER", json!({ "amount": "1.00" }))
        .await;
    bank.advance("P400D").await;
    let verified = bank.verify(&bg).await;

    assert_eq!(above["responseCode"], "BG006");
    assert_eq!(above["guarantee"]["bgStatus"], "ISSUED");
    assert_eq!(invoked["responseCode"], "BG000");
    assert_eq!(invoked["guarantee"]["bgStatus"], "INVOKED");
    assert_eq!(
        invoked["guarantee"]["invocation"],
        json!({
            "claimRefNo": "CLAIM-1", "claimAmount": "1000000.00",
            "invokedAt": "2026-07-10T10:00:00+05:30"
        })
    );
    assert_eq!(repeat, invoked);
    assert_eq!(second["responseCode"], "BG005");
    assert_eq!(amend["responseCode"], "BG004");
    assert_eq!(
        verified["guarantee"]["bgStatus"], "INVOKED",
        "invoked stays invoked"
    );
}

#[tokio::test]
async fn a_claim_after_the_claim_period_is_refused() {
    let bank = Bank::start().await;
    let bg = bg_number(&bank.issue(issuance_body("BGREQ-LATE")).await);

    bank.advance("P120D").await; // 2026-07-30: the last claim day
    let last_day = bank.verify(&bg).await;
    bank.advance("P1D").await;
    let late = bank.invoke(&bg, "CLAIM-LATE", "1000.00").await;

    assert_eq!(last_day["guarantee"]["bgStatus"], "EXPIRED");
    assert_eq!(late["responseCode"], "BG010");
    assert_eq!(late["message"], "Claim period has ended");
    assert!(late["guarantee"].get("invocation").is_none());
}

#[tokio::test]
async fn guarantee_declines_and_magic_amounts() {
    let bank = Bank::start().await;
    let base = || issuance_body("BGREQ-D");
    let unknown = "BG00049999999999";

    let applicant = bank
        .issue(with(base(), "applicantAccountNo", json!("000401999999")))
        .await;
    let past = bank
        .issue(with(base(), "expiryDate", json!("2026-04-01")))
        .await;
    let currency = bank.issue(with(base(), "currency", json!("CHF"))).await;
    let invalid = bank.issue(with(base(), "amount", json!("1000.13"))).await;
    let timeout = bank
        .app
        .post(
            "/api/v1/trade/bank-guarantee/issuance",
            with(base(), "amount", json!("1000.96")),
        )
        .await;
    let verify = bank.verify(unknown).await;
    let amend = bank
        .amend(unknown, "AMD-X", json!({ "amount": "10.00" }))
        .await;
    let invoke = bank.invoke(unknown, "CLAIM-X", "10.00").await;
    let usd = bank
        .issue(with(
            with(base(), "currency", json!("USD")),
            "amount",
            json!("150000.00"),
        ))
        .await;

    assert_eq!(applicant["responseCode"], "BG002");
    assert_eq!(past["responseCode"], "BG003");
    assert_eq!(past["message"], "Expiry date must be after today");
    assert_eq!(currency["responseCode"], "BG008");
    assert_eq!(invalid["responseCode"], "BG009");
    timeout.assert_envelope(504, 8013);
    for answer in [&verify, &amend, &invoke] {
        assert_eq!(
            *answer,
            json!({ "status": "FAILURE", "responseCode": "BG001", "message": "Bank guarantee not found" })
        );
    }
    assert_eq!(
        usd["responseCode"], "BG000",
        "the declines stored nothing under BGREQ-D"
    );
    assert_eq!(usd["guarantee"]["currency"], "USD");
    let bg = bg_number(&usd);
    let past_amend = bank
        .amend(&bg, "AMD-P", json!({ "expiryDate": "2026-03-31" }))
        .await;
    assert_eq!(past_amend["responseCode"], "BG003");
    assert_eq!(past_amend["guarantee"]["bgStatus"], "ISSUED");
}

#[tokio::test]
async fn malformed_guarantee_requests_name_the_field() {
    let bank = Bank::start().await;
    let post = |op: &'static str, body: Value| {
        let path = format!("/api/v1/trade/bank-guarantee/{op}");
        let app = &bank.app;
        async move { app.post(&path, body).await }
    };
    let cases = [
        (
            "issuance",
            "claimPeriodDays",
            with(issuance_body("R"), "claimPeriodDays", json!(366)),
        ),
        (
            "issuance",
            "expiryDate",
            with(issuance_body("R"), "expiryDate", json!("30/06/2026")),
        ),
        (
            "issuance",
            "guaranteeType",
            with(issuance_body("R"), "guaranteeType", json!("LOAN")),
        ),
        (
            "issuance",
            "currency",
            with(issuance_body("R"), "currency", json!("inr")),
        ),
        (
            "issuance",
            "amount",
            with(
                with(issuance_body("R"), "currency", json!("JPY")),
                "amount",
                json!("10.50"),
            ),
        ),
        ("verify", "bgNumber", json!({ "bgNumber": "bg-1" })),
        (
            "amendment",
            "amount",
            json!({ "bgNumber": "BG00040000000001", "amendmentRefNo": "A1" }),
        ),
        (
            "invocation",
            "claimAmount",
            json!({ "bgNumber": "BG00040000000001", "claimRefNo": "C1", "claimAmount": "0" }),
        ),
    ];

    for (op, field, body) in cases {
        let answer = post(op, body).await;
        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{op} {field}: {message}"
        );
    }
}

#[tokio::test]
async fn an_issued_or_amended_guarantee_can_be_invoked_at_once() {
    let bank = Bank::start().await;
    let issued = bg_number(&bank.issue(issuance_body("BGREQ-I1")).await);
    let amended = bg_number(&bank.issue(issuance_body("BGREQ-I2")).await);
    bank.amend(&amended, "AMD-I2", json!({ "amount": "100000.00" }))
        .await;

    let from_issued = bank.invoke(&issued, "CLAIM-I1", "2500000.00").await;
    let above_amended = bank.invoke(&amended, "CLAIM-I2", "100000.01").await;
    let from_amended = bank.invoke(&amended, "CLAIM-I2", "100000.00").await;

    assert_eq!(from_issued["responseCode"], "BG000");
    assert_eq!(from_issued["guarantee"]["bgStatus"], "INVOKED");
    assert_eq!(
        above_amended["responseCode"], "BG006",
        "the amended amount caps the claim"
    );
    assert_eq!(from_amended["guarantee"]["bgStatus"], "INVOKED");
    assert_eq!(
        from_amended["guarantee"]["amendments"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
