//! The ledger across operations: balance, statement and inquiry agree; references are deterministic;
//! state is per sandbox and per app; a randomized sequence keeps the ledger's invariants.

use poem::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{
    assert_failure, balance, cib, decimal_of, identity, identity_with, inquire, path, pay, payment,
    registered_app, statement, DEMO_ACCOUNT, SECOND_ACCOUNT,
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn balance_and_statement_agree_after_several_payments() {
    let app = registered_app().await;
    let mut tpa = payment("LED0004", "TPA", "1234.56");
    tpa["CREDITACC"] = json!(SECOND_ACCOUNT);
    let payments = [
        payment("LED0001", "IFS", "1500.25"),
        payment("LED0002", "RGS", "20000.00"),
        payment("LED0003", "RTG", "250000.00"),
        tpa,
        payment("LED0005", "IFS", "100.13"),
        payment("LED0006", "IFS", "600000.00"),
    ];
    for body in payments {
        pay(&app, body).await;
    }
    app.advance_clock("PT1H").await;

    let records = statement(&app, DEMO_ACCOUNT, "01-11-2025", "01-04-2026").await;
    let current = balance(&app, DEMO_ACCOUNT).await;

    let first = &records[0];
    let signed = |r: &Value| match r["TYPE"].as_str().unwrap() {
        "CR" => decimal_of(&r["AMOUNT"]),
        _ => -decimal_of(&r["AMOUNT"]),
    };
    let opening = decimal_of(&first["BALANCE"]) - signed(first);
    let mut running = opening;
    for record in &records {
        running += signed(record);
        assert_eq!(running, decimal_of(&record["BALANCE"]), "at {record}");
    }
    assert_eq!(running, current, "opening + entries = balance");
    let expected_out = Decimal::new(150_025, 2)
        + Decimal::from(20_000)
        + Decimal::from(250_000)
        + Decimal::new(123_456, 2);
    assert_eq!(current, Decimal::from(1_000_000) - expected_out);
    let today: Vec<&Value> = records
        .iter()
        .filter(|r| r["VALUEDATE"] == "01-04-2026")
        .collect();
    assert_eq!(today.len(), 4, "four payments debited, two refused");
    assert!(today.iter().all(|r| r["TYPE"] == "DR"));
    for id in ["LED0001", "LED0002", "LED0003", "LED0004"] {
        let inquiry = inquire(&app, id).await;
        assert_eq!(inquiry["STATUS"], "SUCCESS", "{id}: {inquiry:?}");
        let utr = inquiry["UTRNUMBER"].as_str().unwrap();
        assert!(
            today
                .iter()
                .any(|r| r["REMARKS"].as_str().unwrap().contains(utr)),
            "{id}'s UTR {utr} is in the statement"
        );
    }
}

#[tokio::test]
async fn references_are_deterministic_across_apps() {
    let one = registered_app().await;
    let two = registered_app().await;

    let a = pay(&one, payment("DET0001", "RTG", "250000.00")).await;
    let b = pay(&two, payment("DET0001", "RTG", "250000.00")).await;

    // Two identical declines would be equal too: the payment must go through with its references.
    assert_eq!(a["STATUS"], "SUCCESS", "{a:?}");
    assert!(
        a["UTRNUMBER"].as_str().is_some_and(|utr| !utr.is_empty()),
        "{a:?}"
    );
    assert_eq!(a, b);
}

#[tokio::test]
async fn state_is_per_sandbox() {
    let one = registered_app().await;
    let two = spawn_app();
    pay(&one, payment("ISO0001", "IFS", "10.00")).await;
    cib(&one, "Deregistration", identity()).await;

    let status = cib(
        &two,
        "RegistrationStatus",
        identity_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    let payment = cib(
        &two,
        "TransactionInquiry",
        identity_with(json!({ "UNIQUEID": "ISO0001" })),
    )
    .await;

    assert_eq!(status.json["STATUS"], "Registered");
    assert_failure(&payment.json, "FAILURE", "999940");
}

/// A small fixed-seed generator: the sequence is random-looking but the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::test]
async fn any_sequence_of_operations_keeps_the_ledger_consistent() {
    for seed in [7_u64, 2026, 0x5eed] {
        let app = registered_app().await;
        let mut rng = XorShift(seed);
        let mut ids = Vec::new();
        let mut credited_in = Decimal::ZERO;
        for step in 0..60 {
            match rng.below(10) {
                0..=5 => {
                    let id = format!("P{seed}X{step}");
                    let rail = ["TPA", "RGS", "RTG", "IFS"][rng.below(4) as usize];
                    let rupees =
                        [10, 999, 25_000, 200_000, 450_000, 700_000][rng.below(6) as usize];
                    let paise = ["00", "13", "51", "25"][rng.below(4) as usize];
                    let mut body = payment(&id, rail, &format!("{rupees}.{paise}"));
                    if rng.below(2) == 0 {
                        body["DEBITACC"] = json!(SECOND_ACCOUNT);
                    }
                    if rail == "TPA" && rng.below(2) == 0 {
                        let other = if body["DEBITACC"] == DEMO_ACCOUNT {
                            SECOND_ACCOUNT
                        } else {
                            DEMO_ACCOUNT
                        };
                        body["CREDITACC"] = json!(other);
                    }
                    if rng.below(3) == 0 {
                        body["WORKFLOW_REQD"] = json!("Y");
                    }
                    pay(&app, body).await;
                    ids.push(id);
                }
                6 if !ids.is_empty() => {
                    let id = &ids[rng.below(ids.len() as u64) as usize];
                    let action = if rng.below(3) == 0 {
                        "reject"
                    } else {
                        "approve"
                    };
                    let answer = app
                        .post(&format!("/sandbox/cib/{id}/{action}"), json!({}))
                        .await;
                    assert!(
                        [200, 409].contains(&answer.status.as_u16()),
                        "{:?}",
                        answer.json
                    );
                }
                7 if !ids.is_empty() => {
                    let id = ids[rng.below(ids.len() as u64) as usize].clone();
                    let replay = pay(&app, payment(&id, "IFS", "10.00")).await;
                    assert_eq!(replay["STATUS"], "DUPLICATE");
                }
                8 => {
                    let amount = Decimal::from(rng.below(50_000) + 1);
                    let answer = app
                        .post(
                            "/api/v1/ecollection/simulate-credit",
                            json!({
                                "virtualAccountNumber": "SBNK01CUST0001", "amount": amount.to_string(),
                                "mode": "IMPS", "remitterName": "Asha Traders",
                                "remitterAccount": "50100012345678", "remitterIfsc": "HDFC0000001"
                            }),
                        )
                        .await;
                    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
                    credited_in += amount;
                }
                _ => {
                    let minutes = rng.below(45) + 1;
                    app.advance_clock(&format!("PT{minutes}M")).await;
                }
            }
        }

        let mut total = Decimal::ZERO;
        for account in [DEMO_ACCOUNT, SECOND_ACCOUNT] {
            let records = statement(&app, account, "01-11-2025", "31-12-2026").await;
            let current = balance(&app, account).await;
            let signed = |r: &Value| match r["TYPE"].as_str().unwrap() {
                "CR" => decimal_of(&r["AMOUNT"]),
                _ => -decimal_of(&r["AMOUNT"]),
            };
            let mut running = decimal_of(&records[0]["BALANCE"]) - signed(&records[0]);
            for record in &records {
                running += signed(record);
                assert_eq!(
                    running,
                    decimal_of(&record["BALANCE"]),
                    "seed {seed}, {account} at {record}"
                );
                assert!(
                    running >= Decimal::ZERO,
                    "seed {seed}: {account} went negative"
                );
            }
            assert_eq!(
                running, current,
                "seed {seed}: {account} opening + entries = balance"
            );
            total += current;
        }
        // Money leaves only by executed external payments; it arrives only by collections.
        let mut paid_out = Decimal::ZERO;
        for id in &ids {
            let inquiry = inquire(&app, id).await;
            let executed = inquiry.get("UTRNUMBER").is_some();
            assert_eq!(
                executed,
                inquiry["STATUS"] == "SUCCESS"
                    || inquiry["MESSAGE"]
                        .as_str()
                        .unwrap()
                        .contains("NEFT settles"),
                "seed {seed}: {inquiry:?}"
            );
            if executed {
                let records = statement(&app, DEMO_ACCOUNT, "01-04-2026", "31-12-2026").await;
                let second = statement(&app, SECOND_ACCOUNT, "01-04-2026", "31-12-2026").await;
                let utr = inquiry["UTRNUMBER"].as_str().unwrap();
                let legs: Vec<&Value> = records
                    .iter()
                    .chain(second.iter())
                    .filter(|r| r["REMARKS"].as_str().unwrap().contains(utr))
                    .collect();
                assert!(
                    !legs.is_empty() && legs.len() <= 2,
                    "seed {seed}: {id} legs {legs:?}"
                );
                if legs.len() == 1 {
                    paid_out += decimal_of(&legs[0]["AMOUNT"]);
                }
            }
        }
        assert_eq!(
            total,
            Decimal::from(1_050_000) - paid_out + credited_in,
            "seed {seed}: money is conserved"
        );
    }
}

#[tokio::test]
async fn payments_are_bounded_and_the_oldest_settled_go_first() {
    let app = crate::helpers::spawn_app_with(sandbank::SandboxSettings {
        object_limit: 3,
        ..sandbank::SandboxSettings::default()
    });
    app.freeze_clock().await;
    let mut waiting = payment("BND0001", "IFS", "10.00");
    waiting["WORKFLOW_REQD"] = json!("Y");
    pay(&app, waiting).await;
    for id in ["BND0002", "BND0003", "BND0004"] {
        pay(&app, payment(id, "IFS", "10.00")).await;
    }

    let pending = inquire(&app, "BND0001").await;
    let evicted = inquire(&app, "BND0002").await;
    let kept = inquire(&app, "BND0004").await;

    assert_eq!(pending["STATUS"], "PENDING", "unsettled payments are kept");
    assert_failure(&evicted, "FAILURE", "999940");
    assert_eq!(kept["STATUS"], "SUCCESS");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(999_970));
}

/// Two apps on one server: B neither sees A's payment nor A's debit, and A's reset brings A's balance
/// back to the fixtures without touching B.
#[tokio::test]
async fn another_apps_payment_reads_as_not_found_and_its_money_is_its_own() {
    let app = registered_app().await;
    let other = app.create_app(json!({ "name": "Second CI job" })).await;
    let as_other = |op: &'static str, body: Value| {
        let key = other.apikey.clone();
        let app = &app;
        async move {
            app.post_raw(
                &path(op),
                Some(&key),
                "application/json",
                body.to_string().into_bytes(),
                &[],
            )
            .await
        }
    };
    let before_other = decimal_of(
        &as_other(
            "BalanceInquiry",
            identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
        )
        .await
        .json["EFFECTIVEBAL"],
    );

    let paid = pay(&app, payment("ISO-1", "TPA", "1000.00")).await;
    let seen_by_other = as_other(
        "TransactionInquiry",
        identity_with(json!({ "UNIQUEID": "ISO-1" })),
    )
    .await;
    let after_other = decimal_of(
        &as_other(
            "BalanceInquiry",
            identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
        )
        .await
        .json["EFFECTIVEBAL"],
    );

    assert_eq!(paid["STATUS"], "SUCCESS", "{paid}");
    assert_eq!(inquire(&app, "ISO-1").await["STATUS"], "SUCCESS");
    assert_ne!(
        seen_by_other.json["STATUS"], "SUCCESS",
        "{:?}",
        seen_by_other.json
    );
    assert_eq!(
        seen_by_other.json["RESPONSE"], "FAILURE",
        "{:?}",
        seen_by_other.json
    );
    assert_eq!(
        before_other, after_other,
        "A's debit must not touch B's ledger"
    );
    assert_eq!(
        balance(&app, DEMO_ACCOUNT).await,
        before_other - Decimal::from(1000)
    );
}
