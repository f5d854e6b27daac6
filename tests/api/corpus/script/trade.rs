//! Trade: nostro balances and accounts, outward remittances under each charge code and currency with
//! their status moving by the clock, every decline; bank guarantees issued, verified, amended, invoked,
//! refused and expiring.

use serde_json::{json, Value};

use super::super::recorder::Recorder;

const REMITTER: &str = "000405000001";
const UNKNOWN_BG: &str = "BG00049999999999";

fn path(op: &str) -> String {
    format!("/api/v1/trade/{op}")
}

fn with(mut body: Value, field: &str, value: &str) -> Value {
    body[field] = json!(value);
    body
}

fn order(reference: &str, currency: &str, amount: &str, charges: &str) -> Value {
    json!({
        "transactionRefNo": reference, "remitterAccountNo": REMITTER, "currency": currency,
        "amount": amount, "beneficiaryName": "Acme Software Inc", "beneficiaryAccountNo": "026009593",
        "beneficiaryAddress": "100 Main Street, New York NY 10001, US", "beneficiaryBic": "CHASUS33",
        "purposeCode": "S1006", "charges": charges, "remittanceInformation": "Invoice 2026-118"
    })
}

/// A USD 1 000 order with shared charges and one field changed.
fn usd(reference: &str, field: &str, value: &str) -> Value {
    with(order(reference, "USD", "1000.00", "SHA"), field, value)
}

fn guarantee(reference: &str) -> Value {
    json!({
        "requestRefNo": reference, "guaranteeType": "PERFORMANCE", "applicantAccountNo": REMITTER,
        "beneficiaryName": "National Highways Authority of India",
        "beneficiaryAddress": "G-5 and 6, Sector 10, Dwarka, New Delhi 110075", "currency": "INR",
        "amount": "2500000.00", "expiryDate": "2026-06-30", "claimPeriodDays": 30
    })
}

fn amendment(bg: &str, reference: &str, field: &str, value: &str) -> Value {
    with(
        json!({ "bgNumber": bg, "amendmentRefNo": reference }),
        field,
        value,
    )
}

fn claim(bg: &str, reference: &str, amount: &str) -> Value {
    json!({ "bgNumber": bg, "claimRefNo": reference, "claimAmount": amount })
}

pub async fn chain(rec: &mut Recorder) {
    accounts(rec).await;
    orders(rec).await;
    refused_orders(rec).await;
    order_status(rec).await;
    let (bg, second) = issue(rec).await;
    amend_and_invoke(rec, &bg, &second).await;
    rec.advance("P275D", "past the extended expiry").await;
    let verify = path("bank-guarantee/verify");
    rec.post("guarantee: expired", &verify, json!({ "bgNumber": bg }))
        .await;
    let late = amendment(&bg, "CORPUS-AMD-9", "expiryDate", "2027-12-31");
    let note = "guarantee: an expired one cannot be amended";
    rec.post(note, &path("bank-guarantee/amendment"), late)
        .await;
}

async fn accounts(rec: &mut Recorder) {
    let balance = path("remittance/balance-inquiry");
    for (currency, why) in [
        ("USD", "the USD nostro"),
        ("JPY", "the JPY nostro"),
        ("CHF", "a currency without one"),
        ("usd", "lower case"),
    ] {
        let body = json!({ "currency": currency });
        rec.post(&format!("nostro balance: {why}"), &balance, body)
            .await;
    }
    let inquiry = path("remittance/account-inquiry");
    for (account, why) in [
        (REMITTER, "the remitter"),
        ("000401999999", "an unknown account"),
        ("000409884001", "a nostro"),
    ] {
        let body = json!({ "accountNo": account });
        rec.post(&format!("account inquiry: {why}"), &inquiry, body)
            .await;
    }
}

async fn orders(rec: &mut Recorder) {
    let jpy = with(
        order("CORPUS-ORM-JPY", "JPY", "150000", "SHA"),
        "beneficiaryBic",
        "BOTKJPJTXXX",
    );
    for (body, why) in [
        (
            order("CORPUS-ORM-SHA", "USD", "1000.00", "SHA"),
            "USD, charges shared",
        ),
        (
            order("CORPUS-ORM-SHA", "USD", "1000.00", "SHA"),
            "the same reference again",
        ),
        (
            order("CORPUS-ORM-OUR", "USD", "1000.00", "OUR"),
            "USD, charges ours",
        ),
        (
            order("CORPUS-ORM-BEN", "EUR", "1000.00", "BEN"),
            "EUR, charges the beneficiary's",
        ),
        (jpy, "JPY"),
        (
            with(
                order("CORPUS-ORM-HOLD", "USD", "500.00", "SHA"),
                "beneficiaryName",
                "Sanctioned Party",
            ),
            "a sanctions hold",
        ),
    ] {
        let note = format!("remittance: {why}");
        rec.post(&note, &path("remittance/transaction-order"), body)
            .await;
    }
}

async fn refused_orders(rec: &mut Recorder) {
    let small = with(
        order("CORPUS-D5B", "USD", "9000.00", "SHA"),
        "remitterAccountNo",
        "000405000002",
    );
    for (body, why) in [
        (usd("CORPUS-D1", "currency", "CHF"), "no nostro"),
        (
            usd("CORPUS-D2", "beneficiaryBic", "ABCDUS33"),
            "an unknown BIC",
        ),
        (
            usd("CORPUS-D3", "purposeCode", "P9999"),
            "an unknown purpose",
        ),
        (
            usd("CORPUS-D4", "remitterAccountNo", "000401999999"),
            "an unknown remitter",
        ),
        (order("CORPUS-D5", "USD", "1000.51", "SHA"), "amount .51"),
        (small, "beyond the remitter's balance"),
        (
            order("CORPUS-D6", "USD", "6000000.00", "SHA"),
            "beyond the limit",
        ),
        (order("CORPUS-D7", "USD", "1000.13", "SHA"), "amount .13"),
        (order("CORPUS-D8", "USD", "1000.96", "SHA"), "amount .96"),
        (
            usd("CORPUS-D10", "beneficiaryAccountNo", "DE89370400440000"),
            "an invalid IBAN",
        ),
        (
            order("CORPUS-D11", "USD", "20.00", "BEN"),
            "charges above the amount",
        ),
        (
            usd("CORPUS-D12", "beneficiaryBic", "chasus33"),
            "a lower-case BIC",
        ),
        (
            usd("CORPUS-D13", "charges", "XYZ"),
            "an unknown charge code",
        ),
    ] {
        let note = format!("remittance: {why}");
        rec.post(&note, &path("remittance/transaction-order"), body)
            .await;
    }
}

async fn order_status(rec: &mut Recorder) {
    let inquire = path("remittance/transaction-inquiry");
    let at = |reference: &str| json!({ "transactionRefNo": reference });
    rec.post(
        "remittance status: accepted",
        &inquire,
        at("CORPUS-ORM-SHA"),
    )
    .await;
    rec.advance("PT1H", "the remittance is processing").await;
    rec.post(
        "remittance status: processing",
        &inquire,
        at("CORPUS-ORM-SHA"),
    )
    .await;
    rec.advance("P1D", "a business day on").await;
    for (reference, why) in [
        ("CORPUS-ORM-SHA", "completed"),
        ("CORPUS-ORM-HOLD", "the held order rejected"),
        ("CORPUS-NONE", "an unknown reference"),
    ] {
        let note = format!("remittance status: {why}");
        rec.post(&note, &inquire, at(reference)).await;
    }
}

/// Two guarantees issued, then the refusals; returns their numbers.
async fn issue(rec: &mut Recorder) -> (String, String) {
    let issue = path("bank-guarantee/issuance");
    let first = rec
        .post("guarantee: issue", &issue, guarantee("CORPUS-BG-1"))
        .await;
    let second = rec
        .post("guarantee: issue another", &issue, guarantee("CORPUS-BG-2"))
        .await;
    rec.post(
        "guarantee: the same request again",
        &issue,
        guarantee("CORPUS-BG-1"),
    )
    .await;
    let refused =
        |reference: &str, field: &str, value: &str| with(guarantee(reference), field, value);
    let mut long_claim = guarantee("CORPUS-BG-D7");
    long_claim["claimPeriodDays"] = json!(366);
    for (body, why) in [
        (
            refused("CORPUS-BG-D1", "applicantAccountNo", "000401999999"),
            "an unknown applicant",
        ),
        (
            refused("CORPUS-BG-D2", "expiryDate", "2020-04-01"),
            "an expiry past",
        ),
        (
            refused("CORPUS-BG-D3", "currency", "CHF"),
            "an unknown currency",
        ),
        (refused("CORPUS-BG-D4", "amount", "1000.13"), "amount .13"),
        (
            refused("CORPUS-BG-D5", "amount", "1000.51"),
            "amount .51: no magic for guarantees",
        ),
        (refused("CORPUS-BG-D6", "amount", "1000.96"), "amount .96"),
        (long_claim, "a claim period over a year"),
        (
            refused("CORPUS-BG-D8", "guaranteeType", "MORAL"),
            "an unknown type",
        ),
    ] {
        rec.post(&format!("guarantee refused: {why}"), &issue, body)
            .await;
    }
    let number = "/guarantee/bgNumber";
    (first.field(number), second.field(number))
}

async fn amend_and_invoke(rec: &mut Recorder, bg: &str, second: &str) {
    let verify = path("bank-guarantee/verify");
    let amend = path("bank-guarantee/amendment");
    let invoke = path("bank-guarantee/invocation");
    let number = |bg: &str| json!({ "bgNumber": bg });
    let unchanged = json!({ "bgNumber": bg, "amendmentRefNo": "CORPUS-AMD-6" });
    for (op, body, why) in [
        (&verify, number(bg), "verify"),
        (
            &amend,
            amendment(bg, "CORPUS-AMD-1", "amount", "3000000.00"),
            "raise the amount",
        ),
        (
            &amend,
            amendment(bg, "CORPUS-AMD-2", "expiryDate", "2026-12-31"),
            "extend the expiry",
        ),
        (
            &amend,
            amendment(bg, "CORPUS-AMD-3", "expiryDate", "2026-03-31"),
            "an expiry in the past",
        ),
        (
            &amend,
            amendment(bg, "CORPUS-AMD-4", "amount", "1000.13"),
            "amount .13",
        ),
        (
            &amend,
            amendment(bg, "CORPUS-AMD-5", "amount", "1000.96"),
            "amount .96",
        ),
        (&amend, unchanged, "nothing to change"),
        (&verify, number(bg), "verify after the amendments"),
        (
            &invoke,
            claim(second, "CORPUS-CLAIM-1", "2500000.01"),
            "a claim above the amount",
        ),
        (
            &invoke,
            claim(second, "CORPUS-CLAIM-2", "1000.96"),
            "a claim of .96",
        ),
        (
            &invoke,
            claim(second, "CORPUS-CLAIM-3", "1000000.00"),
            "a claim",
        ),
        (
            &invoke,
            claim(second, "CORPUS-CLAIM-3", "1000000.00"),
            "the same claim again",
        ),
        (&verify, number(second), "verify the invoked guarantee"),
        (
            &amend,
            amendment(second, "CORPUS-AMD-7", "amount", "10.00"),
            "amend an invoked guarantee",
        ),
        (&verify, number(UNKNOWN_BG), "verify an unknown guarantee"),
        (
            &amend,
            amendment(UNKNOWN_BG, "CORPUS-AMD-8", "amount", "10.00"),
            "amend an unknown guarantee",
        ),
        (
            &invoke,
            claim(UNKNOWN_BG, "CORPUS-CLAIM-4", "10.00"),
            "invoke an unknown guarantee",
        ),
    ] {
        rec.post(&format!("guarantee: {why}"), op, body).await;
    }
}
