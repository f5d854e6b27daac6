//! iWish: goals through HTTP — creation, funding, editing, viewing, history,
//! premature closure and maturity — with the product rules, the magic values, the clock-driven interest
//! and standing instructions, and the money in the ledger.

use serde_json::{json, Value};

use crate::helpers::{decimal, decimal_of, ledger_bank, Answer, LedgerApp};

mod funds_add;
mod goal_closure;
mod goal_creation;
mod goal_edit;
mod goal_view;
mod month_end;

const SAVINGS: &str = "000401000001";
/// Holds ₹63,750.
const SMALL_SAVINGS: &str = "000401000005";

ledger_bank!();

impl Bank {
    async fn new() -> Self {
        Self(LedgerApp::frozen().await)
    }
    /// The TRANSACTIONID of an account's latest entry.
    fn last_entry(&self, account: &str) -> String {
        self.ledger(|ledger| {
            let entry = ledger.account(account).unwrap().entries.back().unwrap();
            format!("{} {} {}", entry.id, entry.direction.code(), entry.amount)
        })
    }

    fn goal_accounts(&self) -> usize {
        self.ledger(|ledger| {
            ledger
                .accounts()
                .filter(|a| a.account_no.starts_with("000477"))
                .count()
        })
    }

    async fn post(&self, op: &str, body: Value) -> Answer {
        self.app.post(&format!("/api/v1/iwish/{op}"), body).await
    }
    /// Creates a goal; returns its id.
    async fn create(&self, body: Value) -> String {
        let answer = self.post("goal-creation", body).await;
        assert_success(&answer);
        answer.json["data"]["goalId"].as_str().unwrap().to_string()
    }

    async fn view(&self, goal: &str) -> Value {
        let answer = self.post("goal-view", json!({ "goalId": goal })).await;
        assert_success(&answer);
        answer.json["data"].clone()
    }

    async fn history(&self, goal: &str) -> Vec<Value> {
        let answer = self
            .post("transaction-history", json!({ "goalId": goal }))
            .await;
        assert_success(&answer);
        answer.json["data"]["transactions"]
            .as_array()
            .unwrap()
            .clone()
    }
}

fn goal(deposit: &str, tenure: u32) -> Value {
    json!({
        "goalName": "Goa trip",
        "category": "TRAVEL",
        "targetAmount": "60000.00",
        "tenureMonths": tenure,
        "initialDeposit": deposit,
        "fundingAccount": SAVINGS
    })
}

fn with(mut body: Value, field: &str, value: Value) -> Value {
    body[field] = value;
    body
}

#[track_caller]
fn assert_success(answer: &Answer) {
    assert_eq!(answer.status.as_u16(), 200, "{:?}", answer.json);
    assert_eq!(answer.json["status"], "SUCCESS", "{:?}", answer.json);
    assert_eq!(answer.json["responseCode"], "IW000", "{:?}", answer.json);
}

#[track_caller]
fn assert_failure(answer: &Answer, code: &str) {
    assert_eq!(answer.status.as_u16(), 200, "{:?}", answer.json);
    assert_eq!(answer.json["status"], "FAILURE", "{:?}", answer.json);
    assert_eq!(answer.json["responseCode"], code, "{:?}", answer.json);
    assert!(answer.json.get("data").is_none(), "{:?}", answer.json);
}
