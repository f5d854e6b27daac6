//! Same request, same bytes: across independently built apps, and with fixture data immune to `--seed`.

use poem::http::StatusCode;
use sandbank::SandboxSettings;
use serde_json::{json, Value};

use crate::helpers::{
    cib::{cib, identity_with, DEMO_ACCOUNT},
    spawn_app, spawn_app_with, TestApp,
};

/// A mix of fixture, synthetic and magic inputs across every Building Blocks operation.
fn requests() -> Vec<(&'static str, Value)> {
    let mut requests = Vec::new();
    for pan in [
        "ABCPE1234F",
        "KLMPS4321Q",
        "AAACB1234Q",
        "ZZZPZ0000Z",
        "QQQPQ9999Q",
        "FGHPM5566T",
    ] {
        requests.push(("/api/v0/panValidation", json!({ "pan": pan })));
        requests.push((
            "/api/v1/bureau-check",
            json!({ "pan": pan, "name": "Any Name", "dateOfBirth": "1990-01-01", "mobile": "9876543210", "consent": "Y" }),
        ));
        requests.push((
            "/api/v1/eligibility-check",
            json!({ "pan": pan, "product": "PERSONAL_LOAN", "monthlyIncome": "95000", "requestedAmount": "250000" }),
        ));
    }
    requests
}

async fn answers(app: &TestApp) -> Vec<Vec<u8>> {
    app.freeze_clock().await;
    let mut bodies = Vec::new();
    for (path, body) in requests() {
        let answer = app.post(path, body).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {:?}", answer.json);
        bodies.push(answer.bytes);
    }
    let branch = app.get("/api/v1/ifsc/HDFC0000001").await;
    assert_eq!(branch.status, StatusCode::OK, "{:?}", branch.json);
    bodies.push(branch.bytes);
    bodies
}

#[tokio::test]
async fn two_independently_built_apps_answer_byte_for_byte_the_same() {
    let first = answers(&spawn_app()).await;
    let second = answers(&spawn_app()).await;

    assert_eq!(first.len(), second.len());
    for (i, (a, b)) in first.iter().zip(&second).enumerate() {
        assert_eq!(a, b, "answer {i} differs");
    }
}

async fn pan_holder(app: &TestApp, pan: &str) -> Value {
    app.post("/api/v0/panValidation", json!({ "pan": pan }))
        .await
        .json["data"]
        .clone()
}

#[tokio::test]
async fn a_different_seed_changes_synthetic_data_but_never_fixture_data() {
    let default_seed = spawn_app();
    let other_seed = spawn_app_with(SandboxSettings {
        seed: 7,
        ..SandboxSettings::default()
    });

    let fixture_a = pan_holder(&default_seed, "ABCPE1234F").await;
    let fixture_b = pan_holder(&other_seed, "ABCPE1234F").await;
    let mut synthetic_differs = 0;
    for pan in ["KLMPS4321Q", "FGHPM5566T", "QWEPR1111T", "ASDPF2222G"] {
        if pan_holder(&default_seed, pan).await != pan_holder(&other_seed, pan).await {
            synthetic_differs += 1;
        }
    }

    assert_eq!(
        fixture_a, fixture_b,
        "fixture data must not depend on the seed"
    );
    assert!(
        synthetic_differs >= 3,
        "only {synthetic_differs} of 4 synthetic holders changed with the seed"
    );
}

/// One clock advance that settles work in two families at once (an iWish standing instruction and a
/// remittance's sanctions hold): the ledger entries they post must be numbered in the same order on
/// every app, every run. Families once settled in a `HashMap`'s random order.
async fn settled_together(app: &TestApp) -> (Value, Value) {
    app.freeze_clock().await;
    let goal = app
        .post(
            "/api/v1/iwish/goal-creation",
            json!({ "category": "TRAVEL", "fundingAccount": "000401000001", "goalName": "Goa trip",
                    "initialDeposit": "5000.00", "siAmount": "4500.00", "siDay": 2,
                    "targetAmount": "60000.00", "tenureMonths": 12 }),
        )
        .await;
    assert_eq!(goal.status, StatusCode::OK, "{:?}", goal.json);
    let order = app
        .post(
            "/api/v1/trade/remittance/transaction-order",
            json!({ "amount": "1000.00", "beneficiaryAccountNo": "026009593",
                    "beneficiaryAddress": "100 Main Street, New York NY 10001, US",
                    "beneficiaryBic": "CHASUS33", "beneficiaryName": "Sanctioned Party",
                    "charges": "SHA", "currency": "USD", "purposeCode": "S1006",
                    "remittanceInformation": "Invoice 2026-118", "remitterAccountNo": "000405000001",
                    "transactionRefNo": "ORM20260401000001" }),
        )
        .await;
    assert_eq!(order.status, StatusCode::OK, "{:?}", order.json);
    app.advance_clock("P1D").await;
    let goal_id = goal.json["data"]["goalId"]
        .as_str()
        .expect("a goal id")
        .to_string();
    let history = app
        .post(
            "/api/v1/iwish/transaction-history",
            json!({ "goalId": goal_id }),
        )
        .await;
    let statement = cib(
        app,
        "AccountStatement",
        identity_with(json!({
            "ACCOUNTNO": DEMO_ACCOUNT, "FROMDATE": "01-04-2026", "TODATE": "02-04-2026"
        })),
    )
    .await;
    assert_eq!(history.status, StatusCode::OK, "{:?}", history.json);
    assert_eq!(statement.status, StatusCode::OK, "{:?}", statement.json);
    (history.json, statement.json)
}

#[tokio::test]
async fn families_settling_at_once_number_their_entries_the_same_on_every_app() {
    let first = settled_together(&spawn_app()).await;
    for _ in 0..7 {
        assert_eq!(settled_together(&spawn_app()).await, first);
    }
}
