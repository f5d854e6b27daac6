//! Cash Management: every CIB operation, the bank's rules and codes, the magic
//! values, idempotency under concurrency, the NEFT batch clock and the ledger's consistency — all
//! through HTTP, as a partner calls it.

use std::sync::Arc;

use poem::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Answer, TestApp};

const DEMO_ACCOUNT: &str = "000405000001";
const SECOND_ACCOUNT: &str = "000405000002";
const BENEFICIARY: &str = "000405009999";

fn path(op: &str) -> String {
    format!("/api/Corporate/CIB/v1/{op}")
}

fn identity() -> Value {
    json!({
        "AGGRID": "SANDAGGR1",
        "CORPID": "SANDCORP1",
        "USERID": "SANDUSER1",
        "URN": "SANDURN0001"
    })
}

/// The identity block plus `extra`'s fields.
fn with(extra: Value) -> Value {
    let mut body = identity();
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn payment(unique_id: &str, txn_type: &str, amount: &str) -> Value {
    with(json!({
        "AGGRNAME": "SANDBANK",
        "UNIQUEID": unique_id,
        "DEBITACC": DEMO_ACCOUNT,
        "CREDITACC": BENEFICIARY,
        "IFSC": "ICIC0000004",
        "AMOUNT": amount,
        "CURRENCY": "INR",
        "TXNTYPE": txn_type,
        "PAYEENAME": "Ravi Kumar",
        "REMARKS": "Invoice 42",
        "WORKFLOW_REQD": "N"
    }))
}

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("money is a string: {value}"))
        .parse()
        .unwrap()
}

async fn cib(app: &TestApp, op: &str, body: Value) -> Answer {
    app.post(&path(op), body).await
}

/// A fresh app, clock frozen. The demo corporate user starts registered, as partners going live find
/// it: nothing to call first.
async fn registered_app() -> TestApp {
    let app = spawn_app();
    app.freeze_clock().await;
    app
}

/// The demo user who starts unregistered (`SANDUSER2` of `SANDCORP2`), for the registration flow.
fn unregistered() -> Value {
    json!({
        "AGGRID": "SANDAGGR1",
        "CORPID": "SANDCORP2",
        "USERID": "SANDUSER2",
        "URN": "SANDURN0002"
    })
}

/// The unregistered user's identity block plus `extra`'s fields.
fn unregistered_with(extra: Value) -> Value {
    let mut body = unregistered();
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn balance(app: &TestApp, account: &str) -> Decimal {
    let answer = cib(app, "BalanceInquiry", with(json!({ "ACCOUNTNO": account }))).await;
    assert_eq!(answer.json["RESPONSE"], "SUCCESS", "{:?}", answer.json);
    money(&answer.json["EFFECTIVEBAL"])
}

async fn pay(app: &TestApp, body: Value) -> Value {
    let answer = cib(app, "Transaction", body).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json
}

async fn inquire(app: &TestApp, unique_id: &str) -> Value {
    cib(
        app,
        "TransactionInquiry",
        with(json!({ "UNIQUEID": unique_id })),
    )
    .await
    .json
}

#[track_caller]
fn assert_failure(json: &Value, status: &str, code: &str) {
    assert_eq!(json["RESPONSE"], "FAILURE", "{json:?}");
    assert_eq!(json["STATUS"], status, "{json:?}");
    assert_eq!(json["RESPONSECODE"], code, "{json:?}");
}

/// Every page of an account's statement, following CONFLG / LASTTRID.
async fn statement(app: &TestApp, account: &str, from: &str, to: &str) -> Vec<Value> {
    let mut records = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut body = with(json!({ "ACCOUNTNO": account, "FROMDATE": from, "TODATE": to }));
        if let Some(last) = &cursor {
            body["CONFLG"] = json!("Y");
            body["LASTTRID"] = json!(last);
        }
        let answer = cib(app, "AccountStatement", body).await;
        assert_eq!(answer.json["RESPONSE"], "SUCCESS", "{:?}", answer.json);
        let page = answer.json["Record"].as_array().unwrap().clone();
        assert!(page.len() <= 50, "a page holds at most 50 records");
        records.extend(page);
        if answer.json["CONFLG"] == "N" {
            return records;
        }
        cursor = Some(answer.json["LASTTRID"].as_str().unwrap().to_string());
    }
}

// ---- Registration, status, deregistration ----------------------------------------------------

#[tokio::test]
async fn registration_registers_the_unregistered_demo_user() {
    let app = spawn_app();

    let answer = cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK", "ALIASID": "sanduser2" })),
    )
    .await;
    let again = cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "Registered",
            "MESSAGE": "Registration successful: the user may now call the CIB APIs",
            "CORPID": "SANDCORP2",
            "USERID": "SANDUSER2",
            "AGGRID": "SANDAGGR1",
            "URN": "SANDURN0002",
            "ALIASID": "sanduser2"
        })
    );
    assert_eq!(again.json["STATUS"], "Registered");
    assert_eq!(
        again.json["MESSAGE"],
        "User is already registered for API banking"
    );
}

#[tokio::test]
async fn the_demo_user_starts_registered_and_calls_without_registering() {
    let app = spawn_app();

    let status = cib(
        &app,
        "RegistrationStatus",
        with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    let balance = cib(
        &app,
        "BalanceInquiry",
        with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
    )
    .await;
    let register = cib(
        &app,
        "Registration",
        with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;

    assert_eq!(status.json["STATUS"], "Registered", "{:?}", status.json);
    assert_eq!(
        status.json["MESSAGE"],
        "User is registered for API banking (onboarded by the bank)"
    );
    assert_eq!(balance.json["RESPONSE"], "SUCCESS", "{:?}", balance.json);
    assert_eq!(balance.json["EFFECTIVEBAL"], "1000000.00");
    assert_eq!(
        register.json["MESSAGE"],
        "User is already registered for API banking"
    );
}

#[tokio::test]
async fn registration_status_follows_the_lifecycle() {
    let app = spawn_app();
    let status_body = unregistered_with(json!({ "AGGRNAME": "SANDBANK" }));

    let before = cib(&app, "RegistrationStatus", status_body.clone()).await;
    cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK", "ALIASID": "ops" })),
    )
    .await;
    let registered = cib(&app, "RegistrationStatus", status_body.clone()).await;
    let deregistered = cib(&app, "Deregistration", unregistered()).await;
    let after = cib(&app, "RegistrationStatus", status_body.clone()).await;

    assert_eq!(before.json["RESPONSE"], "SUCCESS");
    assert_eq!(before.json["STATUS"], "Not Registered");
    assert_eq!(registered.json["STATUS"], "Registered");
    assert_eq!(registered.json["ALIASID"], "ops");
    assert_eq!(
        deregistered.json,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "Deregistered",
            "MESSAGE": "User deregistered from API banking"
        })
    );
    assert_eq!(after.json["STATUS"], "Deregistered");
}

#[tokio::test]
async fn a_deregistered_or_never_registered_user_gets_9907() {
    let app = registered_app().await;
    cib(&app, "Deregistration", identity()).await;

    let balance = cib(
        &app,
        "BalanceInquiry",
        with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
    )
    .await;
    let deregister_again = cib(&app, "Deregistration", identity()).await;

    assert_failure(&balance.json, "FAILURE", "9907");
    assert_failure(&deregister_again.json, "FAILURE", "9907");
}

#[tokio::test]
async fn every_operation_but_registration_needs_a_registered_user() {
    let app = spawn_app();
    app.freeze_clock().await;
    let account = "000405000003";
    let mut transaction = payment("U1", "IFS", "10.00");
    for (field, value) in unregistered().as_object().unwrap() {
        transaction[field] = value.clone();
    }
    transaction["DEBITACC"] = json!(account);

    let answers = [
        cib(
            &app,
            "BalanceInquiry",
            unregistered_with(json!({ "ACCOUNTNO": account })),
        )
        .await,
        cib(
            &app,
            "AccountStatement",
            unregistered_with(
                json!({ "ACCOUNTNO": account, "FROMDATE": "01-03-2026", "TODATE": "31-03-2026" }),
            ),
        )
        .await,
        cib(&app, "Transaction", transaction).await,
        cib(
            &app,
            "TransactionInquiry",
            unregistered_with(json!({ "UNIQUEID": "U1" })),
        )
        .await,
        cib(&app, "Deregistration", unregistered()).await,
    ];

    for answer in &answers {
        assert_eq!(answer.status, StatusCode::OK);
        assert_failure(&answer.json, "FAILURE", "9907");
    }
}

#[tokio::test]
async fn ids_not_in_the_banks_records_get_9906() {
    let app = spawn_app();
    let mut wrong_urn = with(json!({ "AGGRNAME": "SANDBANK" }));
    wrong_urn["URN"] = json!("SANDURN0002");
    let wrong_name = with(json!({ "AGGRNAME": "PARTNERCO" }));
    let mut unknown_corp = with(json!({ "AGGRNAME": "SANDBANK" }));
    unknown_corp["CORPID"] = json!("NOSUCHCORP");

    for body in [wrong_urn, wrong_name, unknown_corp] {
        let answer = cib(&app, "Registration", body.clone()).await;
        assert_failure(&answer.json, "FAILURE", "9906");
        let status = cib(&app, "RegistrationStatus", body).await;
        assert_failure(&status.json, "FAILURE", "9906");
    }
    let mut unknown = identity();
    unknown["USERID"] = json!("SOMEONE");
    let balance = cib(
        &app,
        "BalanceInquiry",
        with(json!({ "ACCOUNTNO": DEMO_ACCOUNT, "USERID": "SOMEONE" })),
    )
    .await;
    assert_failure(&balance.json, "FAILURE", "9906");
    assert_failure(
        &cib(&app, "Deregistration", unknown).await.json,
        "FAILURE",
        "9906",
    );
}

#[tokio::test]
async fn registrations_are_per_user() {
    let app = spawn_app();
    let third = json!({
        "AGGRID": "SANDAGGR2", "AGGRNAME": "PARTNERCO", "CORPID": "SANDCORP3",
        "USERID": "SANDUSER3", "URN": "SANDURN0003"
    });

    let registered = cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    cib(&app, "Deregistration", identity()).await;
    let demo = cib(
        &app,
        "RegistrationStatus",
        with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    let other = cib(&app, "RegistrationStatus", third).await;

    assert_eq!(registered.json["STATUS"], "Registered");
    assert_eq!(demo.json["STATUS"], "Deregistered");
    assert_eq!(
        other.json["STATUS"], "Registered",
        "another user is untouched"
    );
}

#[tokio::test]
async fn identity_fields_are_validated_naming_the_field() {
    let app = spawn_app();
    let body = |field: &str, value: Option<Value>| {
        let mut body = with(json!({ "ACCOUNTNO": DEMO_ACCOUNT }));
        match value {
            Some(value) => body[field] = value,
            None => {
                body.as_object_mut().unwrap().remove(field);
            }
        }
        body
    };

    for field in ["AGGRID", "CORPID", "USERID", "URN"] {
        for value in [Some(json!("bad id!")), Some(json!(5)), None] {
            let answer = cib(&app, "BalanceInquiry", body(field, value.clone())).await;
            let message = answer.assert_envelope(400, 8017);
            assert!(message.contains(field), "{field}={value:?}: {message}");
        }
    }
}

// ---- Balance inquiry -------------------------------------------------------------------------

#[tokio::test]
async fn balance_inquiry_answers_the_fixture_balance() {
    let app = registered_app().await;

    let answer = cib(
        &app,
        "BalanceInquiry",
        with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
    )
    .await;

    assert_eq!(
        answer.json,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "SUCCESS",
            "MESSAGE": "Balance fetched",
            "ACCOUNTNO": DEMO_ACCOUNT,
            "EFFECTIVEBAL": "1000000.00",
            "CURRENCY": "INR",
            "DATE": "01-04-2026"
        })
    );
    assert_eq!(balance(&app, SECOND_ACCOUNT).await, Decimal::from(50_000));
}

#[tokio::test]
async fn another_corporates_account_gets_9906() {
    let app = registered_app().await;

    let answer = cib(
        &app,
        "BalanceInquiry",
        with(json!({ "ACCOUNTNO": "000405000003" })),
    )
    .await;
    let statement = cib(
        &app,
        "AccountStatement",
        with(json!({ "ACCOUNTNO": "000405000003", "FROMDATE": "01-03-2026", "TODATE": "31-03-2026" })),
    )
    .await;
    let pay = cib(&app, "Transaction", {
        let mut body = payment("FOREIGN1", "IFS", "10.00");
        body["DEBITACC"] = json!("000405000003");
        body
    })
    .await;

    assert_failure(&answer.json, "FAILURE", "9906");
    assert_failure(&statement.json, "FAILURE", "9906");
    assert_failure(&pay.json, "FAILURE", "9906");
}

#[tokio::test]
async fn a_malformed_account_number_is_a_schema_error_naming_the_field() {
    let app = registered_app().await;

    let answer = cib(&app, "BalanceInquiry", with(json!({ "ACCOUNTNO": "12AB" }))).await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("ACCOUNTNO"), "{message}");
}

// ---- Account statement -----------------------------------------------------------------------

#[tokio::test]
async fn the_statement_pages_through_at_least_90_days_of_history() {
    let app = registered_app().await;

    let first = cib(
        &app,
        "AccountStatement",
        with(
            json!({ "ACCOUNTNO": DEMO_ACCOUNT, "FROMDATE": "01-12-2025", "TODATE": "01-04-2026" }),
        ),
    )
    .await;
    let all = statement(&app, DEMO_ACCOUNT, "01-12-2025", "01-04-2026").await;

    assert_eq!(first.json["RESPONSE"], "SUCCESS");
    assert_eq!(first.json["ACCOUNTNO"], DEMO_ACCOUNT);
    assert_eq!(first.json["CONFLG"], "Y", "more than one page of history");
    assert_eq!(first.json["Record"].as_array().unwrap().len(), 50);
    assert_eq!(
        first.json["LASTTRID"],
        first.json["Record"][49]["TRANSACTIONID"]
    );
    assert!(all.len() > 50, "{} records", all.len());
    let mut ids: Vec<&str> = all
        .iter()
        .map(|r| r["TRANSACTIONID"].as_str().unwrap())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no record twice across pages");
    let oldest = all[0]["VALUEDATE"].as_str().unwrap();
    assert!(
        oldest.ends_with("-12-2025"),
        "history reaches back 90+ days: {oldest}"
    );
    let record = &all[0];
    for field in [
        "TRANSACTIONID",
        "VALUEDATE",
        "TXNDATE",
        "REMARKS",
        "AMOUNT",
        "BALANCE",
        "TYPE",
    ] {
        assert!(record.get(field).is_some(), "{field} in {record}");
    }
    assert!(["CR", "DR"].contains(&record["TYPE"].as_str().unwrap()));
}

#[tokio::test]
async fn statement_dates_are_validated() {
    let app = registered_app().await;
    let body = |from: &str, to: &str| {
        with(json!({ "ACCOUNTNO": DEMO_ACCOUNT, "FROMDATE": from, "TODATE": to }))
    };

    let iso = cib(&app, "AccountStatement", body("2026-03-01", "31-03-2026")).await;
    let reversed = cib(&app, "AccountStatement", body("31-03-2026", "01-03-2026")).await;
    let mut no_cursor = body("01-03-2026", "31-03-2026");
    no_cursor["CONFLG"] = json!("Y");
    let no_cursor = cib(&app, "AccountStatement", no_cursor).await;
    let mut bad_cursor = body("01-03-2026", "31-03-2026");
    bad_cursor["CONFLG"] = json!("Y");
    bad_cursor["LASTTRID"] = json!("NOPE");
    let bad_cursor = cib(&app, "AccountStatement", bad_cursor).await;

    assert!(iso.assert_envelope(400, 8017).contains("FROMDATE"));
    assert!(no_cursor.assert_envelope(400, 8017).contains("LASTTRID"));
    // Well-formed but not a statement the bank can give: its decline (HTTP 200, 995109).
    for (declined, field) in [(&reversed, "TODATE"), (&bad_cursor, "LASTTRID")] {
        assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.json);
        assert_eq!(declined.json["RESPONSE"], "FAILURE");
        assert_eq!(declined.json["RESPONSECODE"], "995109");
        assert!(declined.json["MESSAGE"].as_str().unwrap().contains(field));
    }
}

#[tokio::test]
async fn a_range_without_entries_is_an_empty_last_page() {
    let app = registered_app().await;

    let answer = cib(
        &app,
        "AccountStatement",
        with(
            json!({ "ACCOUNTNO": DEMO_ACCOUNT, "FROMDATE": "01-01-2020", "TODATE": "31-01-2020" }),
        ),
    )
    .await;

    assert_eq!(answer.json["RESPONSE"], "SUCCESS");
    assert_eq!(answer.json["CONFLG"], "N");
    assert_eq!(answer.json["LASTTRID"], "");
    assert_eq!(answer.json["Record"], json!([]));
}

// ---- Transaction: the rails ------------------------------------------------------------------

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
    app.post("/sandbox/clock", json!({ "advance": "PT29M" }))
        .await;
    let still_pending = inquire(&app, "NEFT0004").await;
    app.post("/sandbox/clock", json!({ "advance": "PT1M" }))
        .await;
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

// ---- Transaction: declines and magic values ------------------------------------------------------

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

// ---- Idempotency -------------------------------------------------------------------------------

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

// ---- Approval workflow ---------------------------------------------------------------------------

#[tokio::test]
async fn workflow_payments_wait_for_approval_then_execute() {
    let app = registered_app().await;
    let mut body = payment("WF0001", "IFS", "5000.00");
    body["WORKFLOW_REQD"] = json!("Y");
    let mut absent = payment("WF0002", "IFS", "5000.00");
    absent.as_object_mut().unwrap().remove("WORKFLOW_REQD");

    let pending = pay(&app, body).await;
    let also_pending = pay(&app, absent).await;
    let balance_before = balance(&app, DEMO_ACCOUNT).await;
    let inquiry = inquire(&app, "WF0001").await;
    let approved = app.post("/sandbox/cib/WF0001/approve", json!({})).await;
    let again = app.post("/sandbox/cib/WF0001/approve", json!({})).await;

    assert_eq!(pending["RESPONSE"], "SUCCESS");
    assert_eq!(pending["STATUS"], "PENDING");
    assert_eq!(pending["MESSAGE"], "Pending For approval");
    assert!(
        pending.get("UTRNUMBER").is_none(),
        "no UTR before execution"
    );
    assert_eq!(also_pending["MESSAGE"], "Pending For approval");
    assert_eq!(
        balance_before,
        Decimal::from(1_000_000),
        "nothing debited yet"
    );
    assert_eq!(inquiry["STATUS"], "PENDING");
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.json);
    assert_eq!(approved.json["STATUS"], "SUCCESS");
    assert!(approved.json["UTRNUMBER"].is_string());
    assert_eq!(approved.json["REQID"], pending["REQID"]);
    again.assert_envelope(409, 409);
    assert_eq!(inquire(&app, "WF0001").await["STATUS"], "SUCCESS");
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(995_000));
}

#[tokio::test]
async fn a_rejected_payment_fails_without_moving_money() {
    let app = registered_app().await;
    let mut body = payment("WF0003", "RGS", "5000.00");
    body["WORKFLOW_REQD"] = json!("Y");
    pay(&app, body).await;

    let rejected = app.post("/sandbox/cib/WF0003/reject", json!({})).await;
    let unknown = app.post("/sandbox/cib/NOSUCH/approve", json!({})).await;

    assert_eq!(rejected.status, StatusCode::OK);
    assert_failure(&rejected.json, "FAILURE", "999937");
    assert_failure(&inquire(&app, "WF0003").await, "FAILURE", "999937");
    unknown.assert_envelope(404, 404);
    assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_000_000));
}

#[tokio::test]
async fn an_approved_neft_payment_then_waits_for_its_batch() {
    let app = registered_app().await;
    let mut body = payment("WF0004", "RGS", "5000.00");
    body["WORKFLOW_REQD"] = json!("Y");
    pay(&app, body).await;
    app.post("/sandbox/clock", json!({ "advance": "PT40M" }))
        .await;

    let approved = app.post("/sandbox/cib/WF0004/approve", json!({})).await;
    app.post("/sandbox/clock", json!({ "advance": "PT20M" }))
        .await;
    let settled = inquire(&app, "WF0004").await;

    assert_eq!(approved.json["STATUS"], "PENDING");
    assert!(approved.json["MESSAGE"]
        .as_str()
        .unwrap()
        .contains("01-04-2026 11:00:00"));
    assert_eq!(settled["STATUS"], "SUCCESS");
}

// ---- Transaction inquiry ---------------------------------------------------------------------------

#[tokio::test]
async fn transaction_inquiry_refuses_aggrname_as_the_bank_does() {
    let app = registered_app().await;
    pay(&app, payment("INQ0001", "IFS", "10.00")).await;

    let answer = cib(
        &app,
        "TransactionInquiry",
        with(json!({ "UNIQUEID": "INQ0001", "AGGRNAME": "SANDBANK" })),
    )
    .await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("AGGRNAME"), "{message}");
}

#[tokio::test]
async fn transaction_inquiry_answers_the_payment() {
    let app = registered_app().await;
    let paid = pay(&app, payment("INQ0002", "IFS", "10.00")).await;

    let answer = inquire(&app, "INQ0002").await;
    let unknown = inquire(&app, "INQ9999").await;

    assert_eq!(
        answer,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "SUCCESS",
            "MESSAGE": "Transaction Successful",
            "UNIQUEID": "INQ0002",
            "UTRNUMBER": paid["UTRNUMBER"],
            "REQID": paid["REQID"]
        })
    );
    assert_failure(&unknown, "FAILURE", "999940");
}

#[tokio::test]
async fn another_corporates_payment_reads_as_not_found() {
    let app = registered_app().await;
    pay(&app, payment("INQ0003", "IFS", "10.00")).await;
    let other = json!({
        "AGGRID": "SANDAGGR1", "AGGRNAME": "SANDBANK", "CORPID": "SANDCORP2",
        "USERID": "SANDUSER2", "URN": "SANDURN0002"
    });
    cib(&app, "Registration", other.clone()).await;
    let mut inquiry = other;
    inquiry.as_object_mut().unwrap().remove("AGGRNAME");
    inquiry["UNIQUEID"] = json!("INQ0003");

    let answer = cib(&app, "TransactionInquiry", inquiry).await;

    assert_failure(&answer.json, "FAILURE", "999940");
}

// ---- The ledger: balance, statement and inquiry agree ---------------------------------------------

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
    app.post("/sandbox/clock", json!({ "advance": "PT1H" }))
        .await;

    let records = statement(&app, DEMO_ACCOUNT, "01-11-2025", "01-04-2026").await;
    let current = balance(&app, DEMO_ACCOUNT).await;

    let first = &records[0];
    let signed = |r: &Value| match r["TYPE"].as_str().unwrap() {
        "CR" => money(&r["AMOUNT"]),
        _ => -money(&r["AMOUNT"]),
    };
    let opening = money(&first["BALANCE"]) - signed(first);
    let mut running = opening;
    for record in &records {
        running += signed(record);
        assert_eq!(running, money(&record["BALANCE"]), "at {record}");
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
        with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    let payment = cib(
        &two,
        "TransactionInquiry",
        with(json!({ "UNIQUEID": "ISO0001" })),
    )
    .await;

    assert_eq!(status.json["STATUS"], "Registered");
    assert_failure(&payment.json, "FAILURE", "999940");
}

// ---- Collections: virtual accounts, credits, the MIS push ------------------------------------------

mod collections {
    use std::{
        sync::{Arc, Mutex},
        time::Duration,
    };

    use poem::{http::StatusCode, listener::TcpAcceptor, Request, Response, Server};
    use rust_decimal::Decimal;
    use sandbank::{
        sandbox::{callbacks::RetryPolicy, state::DemoApp},
        SandboxSettings,
    };
    use serde_json::{json, Value};

    use super::{balance, registered_app, statement, DEMO_ACCOUNT, SECOND_ACCOUNT};
    use crate::helpers::{spawn_app, spawn_app_with, TestApp};

    /// A partner's callback endpoint on loopback: records every body, answers `status` + `reply`.
    struct Receiver {
        url: String,
        bodies: Arc<Mutex<Vec<Value>>>,
    }

    fn receiver(status: u16, reply: &'static str) -> Receiver {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/mis", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let acceptor = TcpAcceptor::from_std(listener).unwrap();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let seen = bodies.clone();
        let endpoint = poem::endpoint::make(move |mut request: Request| {
            let seen = seen.clone();
            async move {
                let bytes = request.take_body().into_vec().await.unwrap_or_default();
                seen.lock()
                    .unwrap()
                    .push(serde_json::from_slice(&bytes).unwrap_or(Value::Null));
                Response::builder()
                    .status(StatusCode::from_u16(status).unwrap())
                    .content_type("application/json")
                    .body(reply)
            }
        });
        tokio::spawn(Server::new_with_acceptor(acceptor).run(endpoint));
        Receiver { url, bodies }
    }

    fn fast_retries(callback_url: Option<String>) -> SandboxSettings {
        SandboxSettings {
            demo: DemoApp {
                callback_url,
                ..DemoApp::default()
            },
            callback_policy: RetryPolicy {
                max_attempts: 5,
                first_backoff: Duration::from_millis(10),
                timeout: Duration::from_secs(2),
            },
            ..SandboxSettings::default()
        }
    }

    async fn create_va(app: &TestApp, payer_code: &str, callback_url: Option<&str>) -> Value {
        let mut body =
            json!({ "corpId": "SANDCORP1", "payerCode": payer_code, "payerName": "Asha Traders" });
        if let Some(url) = callback_url {
            body["callbackUrl"] = json!(url);
        }
        let answer = app.post("/api/v1/ecollection/virtual-accounts", body).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        answer.json
    }

    fn credit(va: &str, amount: &str, mode: &str) -> Value {
        json!({
            "virtualAccountNumber": va,
            "amount": amount,
            "mode": mode,
            "remitterName": "Asha Traders",
            "remitterAccount": "50100012345678",
            "remitterIfsc": "HDFC0000001",
            "remarks": "Invoice 42"
        })
    }

    async fn simulate(app: &TestApp, body: Value) -> Value {
        let answer = app.post("/api/v1/ecollection/simulate-credit", body).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        answer.json
    }

    async fn mis(app: &TestApp) -> Vec<Value> {
        let answer = app
            .post(
                "/api/v1/ecollection/mis",
                json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-30" }),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        answer.json["records"].as_array().unwrap().clone()
    }

    /// Waits (on real time: the push is real HTTP) until the record for `utr` is no longer QUEUED
    /// and `done` holds.
    async fn settled_mis(app: &TestApp, utr: &str, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..250 {
            let records = mis(app).await;
            if let Some(record) = records.iter().find(|r| r["UTR"] == utr) {
                if done(record) {
                    return record.clone();
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "the MIS push for {utr} did not settle: {:?}",
            mis(app).await
        );
    }

    #[tokio::test]
    async fn a_virtual_account_is_the_client_code_and_the_payer_code() {
        let app = spawn_app();
        app.freeze_clock().await;

        let created = create_va(&app, "CUST0042", Some("https://partner.example/mis")).await;
        let again = create_va(&app, "CUST0042", None).await;

        assert_eq!(
            created,
            json!({
                "virtualAccountNumber": "SBNK01CUST0042",
                "ifsc": "ICIC0000104",
                "beneficiaryName": "Sandbank Demo Traders Pvt Ltd",
                "corpId": "SANDCORP1",
                "payerCode": "CUST0042",
                "payerName": "Asha Traders",
                "collectionAccount": DEMO_ACCOUNT,
                "callbackUrl": "https://partner.example/mis",
                "status": "ACTIVE",
                "createdAt": "2026-04-01T10:00:00+05:30"
            })
        );
        assert_eq!(
            again, created,
            "the same corporate and payer code: the same account"
        );
    }

    #[tokio::test]
    async fn virtual_account_creation_is_validated() {
        let app = spawn_app();
        let post = |body: Value| app.post("/api/v1/ecollection/virtual-accounts", body);

        let unknown = post(json!({ "corpId": "NOSUCHCORP", "payerCode": "C1" })).await;
        let foreign = post(json!({ "corpId": "SANDCORP1", "payerCode": "C1", "collectionAccount": "000405000003" })).await;
        let lower = post(json!({ "corpId": "SANDCORP1", "payerCode": "cust1" })).await;
        let bad_url =
            post(json!({ "corpId": "SANDCORP1", "payerCode": "C1", "callbackUrl": "ftp://x" }))
                .await;
        let second = post(json!({ "corpId": "SANDCORP1", "payerCode": "C2", "collectionAccount": SECOND_ACCOUNT })).await;

        unknown.assert_envelope(404, 404);
        foreign.assert_envelope(404, 404);
        assert!(lower.assert_envelope(400, 8017).contains("payerCode"));
        assert!(bad_url.assert_envelope(400, 8017).contains("callbackUrl"));
        assert_eq!(second.json["collectionAccount"], SECOND_ACCOUNT);
    }

    #[tokio::test]
    async fn a_credit_lands_in_the_collection_account_and_its_mis_is_pushed() {
        let partner = receiver(200, r#"{"status":"ACCEPT"}"#);
        let app = registered_app_with(fast_retries(None)).await;
        create_va(&app, "CUST0007", Some(&partner.url)).await;

        let credited = simulate(&app, credit("SBNK01CUST0007", "25000.00", "NEFT")).await;
        let utr = credited["utr"].as_str().unwrap().to_string();
        let record = settled_mis(&app, &utr, |r| r["deliveryStatus"] == "DELIVERED").await;

        assert_eq!(credited["duplicate"], false);
        assert_eq!(credited["amount"], "25000.00");
        assert_eq!(credited["collectionAccount"], DEMO_ACCOUNT);
        assert_eq!(credited["creditedAt"], "2026-04-01T10:00:00+05:30");
        assert!(utr.starts_with("HDFCN26091") && utr.len() == 16, "{utr}");
        assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_025_000));
        let today = statement(&app, DEMO_ACCOUNT, "01-04-2026", "01-04-2026").await;
        let entry = today.last().unwrap();
        assert_eq!(entry["TYPE"], "CR");
        assert_eq!(entry["AMOUNT"], "25000.00");
        assert_eq!(entry["TRANSACTIONID"], credited["transactionId"]);
        assert_eq!(
            entry["REMARKS"],
            format!("NEFT/{utr}/Asha Traders/SBNK01CUST0007")
        );
        let pushed = partner.bodies.lock().unwrap().clone();
        assert_eq!(
            pushed,
            vec![json!({
                "ClientCode": "SBNK01",
                "VirtualAccountNumber": "SBNK01CUST0007",
                "Mode": "NEFT",
                "UTR": utr,
                "SenderRemark": "Invoice 42",
                "ClientAccountNo": DEMO_ACCOUNT,
                "Amount": "25000.00",
                "PayerName": "Asha Traders",
                "PayerAccNumber": "50100012345678",
                "PayerBankIFSC": "HDFC0000001",
                "PayerPaymentDate": "2026-04-01 10:00:00",
                "BankInternalTransactionNumber": credited["transactionId"]
            })]
        );
        assert_eq!(credited["misRecord"], pushed[0]);
        assert_eq!(record["clientDecision"], "ACCEPT");
        assert_eq!(record["attempts"], 1);
        assert_eq!(record["lastHttpStatus"], 200);
        let callbacks = app.get("/sandbox/callbacks").await;
        assert_eq!(callbacks.json[0]["kind"], "ecollection-mis");
        assert_eq!(callbacks.json[0]["reference"], utr.as_str());
    }

    #[tokio::test]
    async fn the_corporate_may_reject_the_mis_record() {
        let partner = receiver(200, r#"{"status":"REJECT","reason":"unknown payer"}"#);
        let app = spawn_app();
        app.freeze_clock().await;
        create_va(&app, "CUST0008", Some(&partner.url)).await;

        let credited = simulate(&app, credit("SBNK01CUST0008", "300000.00", "RTGS")).await;
        let utr = credited["utr"].as_str().unwrap();
        let record = settled_mis(&app, utr, |r| r["deliveryStatus"] == "DELIVERED").await;

        assert!(
            utr.starts_with("HDFCR520260401") && utr.len() == 22,
            "{utr}"
        );
        assert_eq!(record["clientDecision"], "REJECT");
        assert_eq!(record["Mode"], "RTGS");
    }

    #[tokio::test]
    async fn a_failing_partner_is_retried_and_reported() {
        let partner = receiver(500, "oops");
        let app = spawn_app_with(fast_retries(None));
        app.freeze_clock().await;
        create_va(&app, "CUST0009", Some(&partner.url)).await;

        let credited = simulate(&app, credit("SBNK01CUST0009", "100.00", "IMPS")).await;
        let utr = credited["utr"].as_str().unwrap();
        let record = settled_mis(&app, utr, |r| r["attempts"] == 5).await;

        assert!(
            utr.len() == 12 && utr.bytes().all(|b| b.is_ascii_digit()),
            "{utr}"
        );
        assert_eq!(record["deliveryStatus"], "FAILED");
        assert_eq!(record["lastHttpStatus"], 500);
        assert!(record.get("clientDecision").is_none());
        assert_eq!(partner.bodies.lock().unwrap().len(), 5);
    }

    #[tokio::test]
    async fn the_demo_virtual_account_pushes_to_the_apps_callback_url() {
        let partner = receiver(200, "OK");
        let app = spawn_app_with(fast_retries(Some(partner.url.clone())));
        app.freeze_clock().await;

        let credited = simulate(&app, credit("SBNK01CUST0001", "1000.00", "NEFT")).await;
        let utr = credited["utr"].as_str().unwrap();
        let record = settled_mis(&app, utr, |r| r["deliveryStatus"] == "DELIVERED").await;

        assert_eq!(record["clientDecision"], "ACCEPT", "any 2xx accepts");
        assert_eq!(partner.bodies.lock().unwrap()[0]["UTR"], utr);
    }

    #[tokio::test]
    async fn without_any_callback_url_the_push_fails_visibly() {
        let app = spawn_app();
        app.freeze_clock().await;

        let credited = simulate(&app, credit("SBNK01CUST0001", "1000.00", "NEFT")).await;
        let utr = credited["utr"].as_str().unwrap();
        let record = settled_mis(&app, utr, |r| r["deliveryStatus"] != "QUEUED").await;

        assert_eq!(record["deliveryStatus"], "FAILED");
        let callbacks = app.get("/sandbox/callbacks").await;
        assert!(callbacks.json[0]["error"]
            .as_str()
            .unwrap()
            .contains("no callback URL"));
    }

    #[tokio::test]
    async fn a_utr_is_credited_once() {
        let app = registered_app().await;
        let mut body = credit("SBNK01CUST0001", "5000.00", "IMPS");
        body["utr"] = json!("609112345678");

        let first = simulate(&app, body.clone()).await;
        let second = simulate(&app, body).await;

        assert_eq!(first["duplicate"], false);
        assert_eq!(second["duplicate"], true);
        assert_eq!(second["transactionId"], first["transactionId"]);
        assert_eq!(balance(&app, DEMO_ACCOUNT).await, Decimal::from(1_005_000));
        assert_eq!(mis(&app).await.len(), 1);
    }

    #[tokio::test]
    async fn credits_follow_the_rails_rules() {
        let app = spawn_app();

        let unknown = app
            .post(
                "/api/v1/ecollection/simulate-credit",
                credit("SBNK01NOSUCH", "10.00", "NEFT"),
            )
            .await;
        let small_rtgs = app
            .post(
                "/api/v1/ecollection/simulate-credit",
                credit("SBNK01CUST0001", "1000.00", "RTGS"),
            )
            .await;
        let big_imps = app
            .post(
                "/api/v1/ecollection/simulate-credit",
                credit("SBNK01CUST0001", "500000.01", "IMPS"),
            )
            .await;
        let bad_mode = app
            .post(
                "/api/v1/ecollection/simulate-credit",
                credit("SBNK01CUST0001", "10.00", "UPI"),
            )
            .await;

        unknown.assert_envelope(404, 404);
        assert!(small_rtgs.assert_envelope(400, 8017).contains("amount"));
        assert!(big_imps.assert_envelope(400, 8017).contains("amount"));
        assert!(bad_mode.assert_envelope(400, 8017).contains("mode"));
    }

    #[tokio::test]
    async fn the_mis_lists_by_date_and_virtual_account() {
        let app = spawn_app();
        app.freeze_clock().await;
        create_va(&app, "CUST0002", None).await;
        simulate(&app, credit("SBNK01CUST0001", "100.00", "NEFT")).await;
        app.post("/sandbox/clock", json!({ "advance": "P1D" }))
            .await;
        simulate(&app, credit("SBNK01CUST0002", "200.00", "NEFT")).await;
        let list = |body: Value| app.post("/api/v1/ecollection/mis", body);

        let first_day = list(
            json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-01" }),
        )
        .await;
        let both = list(
            json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-02" }),
        )
        .await;
        let one_va = list(json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-01", "toDate": "2026-04-02", "virtualAccountNumber": "SBNK01CUST0002" })).await;
        let other_corp = list(
            json!({ "corpId": "SANDCORP2", "fromDate": "2026-04-01", "toDate": "2026-04-02" }),
        )
        .await;
        let reversed = list(
            json!({ "corpId": "SANDCORP1", "fromDate": "2026-04-02", "toDate": "2026-04-01" }),
        )
        .await;
        let unknown = list(
            json!({ "corpId": "NOSUCHCORP", "fromDate": "2026-04-01", "toDate": "2026-04-01" }),
        )
        .await;

        let amounts = |a: &crate::helpers::Answer| -> Vec<String> {
            a.json["records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["Amount"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(amounts(&first_day), ["100.00"]);
        assert_eq!(amounts(&both), ["100.00", "200.00"]);
        assert_eq!(amounts(&one_va), ["200.00"]);
        assert_eq!(amounts(&other_corp), Vec::<String>::new());
        // A range that ends before it starts holds no credit.
        assert_eq!(amounts(&reversed), Vec::<String>::new());
        unknown.assert_envelope(404, 404);
    }

    async fn registered_app_with(settings: SandboxSettings) -> TestApp {
        let app = spawn_app_with(settings);
        app.freeze_clock().await;
        app
    }
}

// ---- A randomized sequence keeps the ledger's invariants -------------------------------------------

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
                    app.post(
                        "/sandbox/clock",
                        json!({ "advance": format!("PT{minutes}M") }),
                    )
                    .await;
                }
            }
        }

        let mut total = Decimal::ZERO;
        for account in [DEMO_ACCOUNT, SECOND_ACCOUNT] {
            let records = statement(&app, account, "01-11-2025", "31-12-2026").await;
            let current = balance(&app, account).await;
            let signed = |r: &Value| match r["TYPE"].as_str().unwrap() {
                "CR" => money(&r["AMOUNT"]),
                _ => -money(&r["AMOUNT"]),
            };
            let mut running = money(&records[0]["BALANCE"]) - signed(&records[0]);
            for record in &records {
                running += signed(record);
                assert_eq!(
                    running,
                    money(&record["BALANCE"]),
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
                    paid_out += money(&legs[0]["AMOUNT"]);
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
    let before_other = money(
        &as_other("BalanceInquiry", with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })))
            .await
            .json["EFFECTIVEBAL"],
    );

    let paid = pay(&app, payment("ISO-1", "TPA", "1000.00")).await;
    let seen_by_other = as_other("TransactionInquiry", with(json!({ "UNIQUEID": "ISO-1" }))).await;
    let after_other = money(
        &as_other("BalanceInquiry", with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })))
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
