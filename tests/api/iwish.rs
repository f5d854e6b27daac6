//! iWish: goals through HTTP — creation, funding, editing, viewing, history,
//! premature closure and maturity — with the product rules, the magic values, the clock-driven interest
//! and standing instructions, and the money in the ledger.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::{ledger_bank, Answer, LedgerApp};

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

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn money(value: &Value) -> Decimal {
    d(value.as_str().unwrap())
}

// ---- Creation -------------------------------------------------------------------------------

#[tokio::test]
async fn creation_moves_the_initial_deposit_into_a_new_goal_account() {
    let bank = Bank::new().await;
    let before = bank.balance(SAVINGS).unwrap();

    let answer = bank
        .post(
            "goal-creation",
            with(
                with(goal("5000.00", 12), "siAmount", json!("4500.00")),
                "siDay",
                json!(5),
            ),
        )
        .await;

    assert_success(&answer);
    let data = &answer.json["data"];
    let id = data["goalId"].as_str().unwrap();
    let account = data["goalAccountNo"].as_str().unwrap();
    assert!(id.starts_with("IW") && id.len() == 12, "{id}");
    assert!(
        account.starts_with("000477") && account.len() == 12,
        "{account}"
    );
    assert_eq!(
        data,
        &json!({
            "goalId": id,
            "goalAccountNo": account,
            "goalName": "Goa trip",
            "category": "TRAVEL",
            "status": "ACTIVE",
            "targetAmount": "60000.00",
            "tenureMonths": 12,
            "createdAt": "2026-04-01T10:00:00+05:30",
            "maturityDate": "2027-04-01",
            "interestRate": "6.50",
            "fundingAccount": SAVINGS,
            "balance": "5000.00",
            "totalDeposited": "5000.00",
            "interestCredited": "0.00",
            "interestAccrued": "0.00",
            "progressPercent": "8.33",
            "standingInstruction": {
                "siAmount": "4500.00",
                "siDay": 5,
                "nextSiAt": "2026-04-05T06:00:00+05:30"
            }
        })
    );
    assert_eq!(before - bank.balance(SAVINGS).unwrap(), d("5000.00"));
    assert_eq!(bank.balance(account), Some(d("5000.00")));
    let history = bank.history(id).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["type"], "INITIAL_DEPOSIT");
    assert_eq!(history[0]["status"], "SUCCESS");
    assert_eq!(history[0]["balanceAfter"], "5000.00");
}

#[tokio::test]
async fn insufficient_funds_create_nothing() {
    let bank = Bank::new().await;
    let before = bank.balance(SAVINGS).unwrap();

    let too_much = bank.post("goal-creation", goal("250000.01", 12)).await;
    let magic = bank.post("goal-creation", goal("100.51", 12)).await;
    let timeout = bank.post("goal-creation", goal("100.96", 12)).await;

    assert_failure(&too_much, "IW301");
    assert!(too_much.json["message"].as_str().unwrap().contains(SAVINGS));
    assert_failure(&magic, "IW301");
    timeout.assert_envelope(504, 8013);
    assert_eq!(bank.balance(SAVINGS).unwrap(), before);
    assert_eq!(bank.goal_accounts(), 0, "no goal account was opened");
}

#[tokio::test]
async fn product_rules_are_enforced_with_clear_errors() {
    let bank = Bank::new().await;

    let short = bank.post("goal-creation", goal("1000.00", 5)).await;
    let long = bank.post("goal-creation", goal("1000.00", 121)).await;
    let small = bank.post("goal-creation", goal("99.99", 12)).await;
    let small_si = bank
        .post(
            "goal-creation",
            with(
                with(goal("1000.00", 12), "siAmount", json!("50.00")),
                "siDay",
                json!(1),
            ),
        )
        .await;
    let outside = bank
        .post(
            "goal-creation",
            with(goal("1000.00", 12), "fundingAccount", json!("000405009999")),
        )
        .await;
    let shortest = bank.post("goal-creation", goal("100.00", 6)).await;
    let longest = bank.post("goal-creation", goal("100.00", 120)).await;

    assert_failure(&short, "IW101");
    assert!(short.json["message"]
        .as_str()
        .unwrap()
        .contains("tenureMonths must be 6 to 120"));
    assert_failure(&long, "IW101");
    assert_failure(&small, "IW102");
    assert!(small.json["message"]
        .as_str()
        .unwrap()
        .contains("initialDeposit"));
    assert_failure(&small_si, "IW102");
    assert!(small_si.json["message"]
        .as_str()
        .unwrap()
        .contains("siAmount"));
    assert_failure(&outside, "IW302");
    assert_success(&shortest);
    assert_eq!(shortest.json["data"]["maturityDate"], "2026-10-01");
    assert_success(&longest);
    assert_eq!(longest.json["data"]["maturityDate"], "2036-04-01");
}

#[tokio::test]
async fn malformed_requests_name_the_field() {
    let bank = Bank::new().await;
    let cases = [
        (with(goal("1000.00", 12), "goalName", json!("")), "goalName"),
        (
            with(goal("1000.00", 12), "category", json!("CRYPTO")),
            "category",
        ),
        (
            with(goal("1000.00", 12), "initialDeposit", json!("12.345")),
            "initialDeposit",
        ),
        (
            with(goal("1000.00", 12), "fundingAccount", json!("12AB")),
            "fundingAccount",
        ),
        (
            with(
                with(goal("1000.00", 12), "siAmount", json!("500.00")),
                "siDay",
                json!(29),
            ),
            "siDay",
        ),
        (
            with(goal("1000.00", 12), "siAmount", json!("500.00")),
            "siDay",
        ),
        (with(goal("1000.00", 12), "siDay", json!(5)), "siAmount"),
    ];

    for (body, field) in cases {
        let answer = bank.post("goal-creation", body).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}: {message}"
        );
    }
    let bad_id = bank.post("goal-view", json!({ "goalId": "IW12" })).await;
    assert!(bad_id.assert_envelope(400, 8017).contains("`goalId`"));
}

// ---- View, edit, add funds, history ---------------------------------------------------------

#[tokio::test]
async fn unknown_goals_are_not_found_in_every_operation() {
    let bank = Bank::new().await;
    let unknown = json!({ "goalId": "IW0000000000" });

    for op in ["goal-view", "goal-closure", "transaction-history"] {
        assert_failure(&bank.post(op, unknown.clone()).await, "IW201");
    }
    let add = bank
        .post(
            "add-funds",
            json!({ "goalId": "IW0000000000", "amount": "500.00" }),
        )
        .await;
    let edit = bank
        .post(
            "goal-edit",
            json!({ "goalId": "IW0000000000", "goalName": "x" }),
        )
        .await;
    assert_failure(&add, "IW201");
    assert_failure(&edit, "IW201");
}

#[tokio::test]
async fn add_funds_moves_money_from_the_funding_account() {
    let bank = Bank::new().await;
    let id = bank.create(goal("5000.00", 12)).await;
    let account = bank.view(&id).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();
    let savings = bank.balance(SAVINGS).unwrap();
    let corporate = bank.balance("000405000001").unwrap();

    let added = bank
        .post("add-funds", json!({ "goalId": id, "amount": "2000.00" }))
        .await;
    let from_other = bank
        .post(
            "add-funds",
            json!({ "goalId": id, "amount": "100.00", "fromAccount": "000405000001" }),
        )
        .await;
    let small = bank
        .post("add-funds", json!({ "goalId": id, "amount": "99.00" }))
        .await;
    let magic = bank
        .post("add-funds", json!({ "goalId": id, "amount": "500.51" }))
        .await;
    let timeout = bank
        .post("add-funds", json!({ "goalId": id, "amount": "500.96" }))
        .await;
    let too_much = bank
        .post("add-funds", json!({ "goalId": id, "amount": "300000.00" }))
        .await;
    let outside = bank
        .post(
            "add-funds",
            json!({ "goalId": id, "amount": "500.00", "fromAccount": "000405009999" }),
        )
        .await;

    assert_success(&added);
    let data = &added.json["data"];
    assert_eq!(data["amount"], "2000.00");
    assert_eq!(data["fromAccount"], SAVINGS);
    assert_eq!(data["goalBalance"], "7000.00");
    assert_eq!(data["totalDeposited"], "7000.00");
    assert!(data["transactionId"].as_str().unwrap().starts_with('S'));
    assert_success(&from_other);
    assert_failure(&small, "IW102");
    assert_failure(&magic, "IW301");
    timeout.assert_envelope(504, 8013);
    assert_failure(&too_much, "IW301");
    assert_failure(&outside, "IW302");
    assert_eq!(savings - bank.balance(SAVINGS).unwrap(), d("2000.00"));
    assert_eq!(
        corporate - bank.balance("000405000001").unwrap(),
        d("100.00")
    );
    assert_eq!(bank.balance(&account), Some(d("7100.00")));
    let kinds: Vec<Value> = bank
        .history(&id)
        .await
        .iter()
        .map(|t| t["type"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            json!("INITIAL_DEPOSIT"),
            json!("ADD_FUNDS"),
            json!("ADD_FUNDS")
        ]
    );
}

#[tokio::test]
async fn edit_changes_name_target_and_standing_instruction() {
    let bank = Bank::new().await;
    let id = bank.create(goal("6000.00", 12)).await;

    let renamed = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "goalName": "Goa and Gokarna", "targetAmount": "120000.00" }),
        )
        .await;
    let si = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "siAmount": "2500.00", "siDay": 20 }),
        )
        .await;
    let cancelled = bank
        .post("goal-edit", json!({ "goalId": id, "cancelSi": true }))
        .await;
    let nothing = bank.post("goal-edit", json!({ "goalId": id })).await;
    let both = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "cancelSi": true, "siAmount": "500.00", "siDay": 2 }),
        )
        .await;
    let small = bank
        .post(
            "goal-edit",
            json!({ "goalId": id, "siAmount": "10.00", "siDay": 2 }),
        )
        .await;

    assert_success(&renamed);
    assert_eq!(renamed.json["data"]["goalName"], "Goa and Gokarna");
    assert_eq!(renamed.json["data"]["targetAmount"], "120000.00");
    assert_eq!(renamed.json["data"]["progressPercent"], "5.00");
    assert_eq!(
        si.json["data"]["standingInstruction"],
        json!({ "siAmount": "2500.00", "siDay": 20, "nextSiAt": "2026-04-20T06:00:00+05:30" })
    );
    assert_success(&cancelled);
    assert!(cancelled.json["data"].get("standingInstruction").is_none());
    nothing.assert_envelope(400, 8017);
    assert!(both.assert_envelope(400, 8017).contains("`cancelSi`"));
    assert_failure(&small, "IW102");
    bank.advance("P30D").await;
    let kinds: Vec<Value> = bank
        .history(&id)
        .await
        .iter()
        .map(|t| t["type"].clone())
        .collect();
    assert!(
        !kinds.contains(&json!("STANDING_INSTRUCTION")),
        "a cancelled instruction never runs: {kinds:?}"
    );
}

// ---- The clock: interest, standing instructions, maturity -----------------------------------

#[tokio::test]
async fn interest_is_credited_at_each_sandbox_month_end() {
    let bank = Bank::new().await;
    let id = bank.create(goal("10000.00", 12)).await;

    bank.advance("P29D").await; // 30 April, 10:00
    let before = bank.view(&id).await;
    bank.advance("PT14H").await; // 1 May, 00:00
    let after = bank.view(&id).await;

    assert_eq!(before["interestCredited"], "0.00");
    assert_eq!(
        before["interestAccrued"], "51.64",
        "10,000 × 6.5% × 29/365, not yet credited"
    );
    assert_eq!(after["interestAccrued"], "0.00");
    assert_eq!(after["interestCredited"], "53.42", "10,000 × 6.5% × 30/365");
    assert_eq!(after["balance"], "10053.42");
    assert_eq!(after["totalDeposited"], "10000.00");
    let history = bank.history(&id).await;
    assert_eq!(history[1]["type"], "INTEREST_CREDIT");
    assert_eq!(history[1]["amount"], "53.42");
    assert_eq!(history[1]["at"], "2026-04-30T23:59:59+05:30");
    let account = after["goalAccountNo"].as_str().unwrap();
    assert_eq!(bank.balance(account), Some(d("10053.42")));
}

#[tokio::test]
async fn standing_instructions_debit_on_their_day_and_failures_are_recorded() {
    let bank = Bank::new().await;
    let rich = bank
        .create(with(
            with(goal("10000.00", 12), "siAmount", json!("1000.00")),
            "siDay",
            json!(5),
        ))
        .await;
    let poor = bank
        .create(with(
            with(
                with(goal("60000.00", 12), "fundingAccount", json!(SMALL_SAVINGS)),
                "siAmount",
                json!("5000.00"),
            ),
            "siDay",
            json!(5),
        ))
        .await;
    let savings = bank.balance(SAVINGS).unwrap();

    bank.advance("P40D").await; // 11 May: SIs ran on 5 April and 5 May

    let rich_history = bank.history(&rich).await;
    let si: Vec<&Value> = rich_history
        .iter()
        .filter(|t| t["type"] == "STANDING_INSTRUCTION")
        .collect();
    assert_eq!(si.len(), 2);
    assert_eq!(si[0]["at"], "2026-04-05T06:00:00+05:30");
    assert_eq!(si[0]["status"], "SUCCESS");
    assert_eq!(savings - bank.balance(SAVINGS).unwrap(), d("2000.00"));
    let view = bank.view(&rich).await;
    assert_eq!(view["totalDeposited"], "12000.00");
    assert_eq!(
        view["standingInstruction"]["nextSiAt"],
        "2026-06-05T06:00:00+05:30"
    );
    let poor_history = bank.history(&poor).await;
    let failed: Vec<&Value> = poor_history
        .iter()
        .filter(|t| t["type"] == "STANDING_INSTRUCTION")
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|t| t["status"] == "FAILED"), "{failed:?}");
    assert_eq!(failed[0]["transactionId"], "");
    assert!(failed[0]["remarks"]
        .as_str()
        .unwrap()
        .contains("insufficient funds"));
    assert_eq!(
        bank.balance(SMALL_SAVINGS),
        Some(d("3750.00")),
        "nothing moved"
    );
    assert_eq!(bank.view(&poor).await["totalDeposited"], "60000.00");
}

#[tokio::test]
async fn premature_closure_takes_the_penalty_and_pays_the_rest_back() {
    let bank = Bank::new().await;
    let id = bank.create(goal("10000.00", 12)).await;
    let account = bank.view(&id).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();
    bank.advance("P40D").await; // 11 May
    let savings = bank.balance(SAVINGS).unwrap();

    let closed = bank.post("goal-closure", json!({ "goalId": id })).await;
    let again = bank.post("goal-closure", json!({ "goalId": id })).await;
    let add = bank
        .post("add-funds", json!({ "goalId": id, "amount": "500.00" }))
        .await;
    let edit = bank
        .post("goal-edit", json!({ "goalId": id, "goalName": "later" }))
        .await;

    assert_success(&closed);
    let data = &closed.json["data"];
    assert_eq!(data["status"], "CLOSED");
    let payout = &data["payout"];
    // April: 53.42 credited; 1–10 May accrued on 10,053.42 (plus April's fraction of a paisa).
    assert_eq!(payout["closureType"], "PREMATURE");
    assert_eq!(payout["principal"], "10000.00");
    assert_eq!(payout["interest"], "71.33");
    assert_eq!(payout["penalty"], "10.97", "71.33 × 1.00 / 6.50");
    assert_eq!(payout["netPayout"], "10060.36");
    assert_eq!(payout["creditedAccount"], SAVINGS);
    assert_eq!(payout["closedAt"], "2026-05-11T10:00:00+05:30");
    assert_eq!(bank.balance(SAVINGS).unwrap() - savings, d("10060.36"));
    assert_eq!(
        bank.last_entry(SAVINGS),
        format!("{} CR 10060.36", payout["transactionId"].as_str().unwrap())
    );
    assert_eq!(bank.balance(&account), Some(Decimal::ZERO));
    assert_failure(&again, "IW202");
    assert_failure(&add, "IW202");
    assert_failure(&edit, "IW202");
    let view = bank.view(&id).await;
    assert_eq!(view["status"], "CLOSED");
    assert_eq!(view["balance"], "0.00");
    assert_eq!(view["payout"]["netPayout"], "10060.36");
    let kinds: Vec<Value> = bank
        .history(&id)
        .await
        .iter()
        .map(|t| t["type"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            json!("INITIAL_DEPOSIT"),
            json!("INTEREST_CREDIT"),
            json!("INTEREST_CREDIT"),
            json!("PREMATURE_PENALTY"),
            json!("CLOSURE_PAYOUT")
        ]
    );
}

#[tokio::test]
async fn closing_on_the_first_day_returns_the_deposit_whole() {
    let bank = Bank::new().await;
    let savings = bank.balance(SAVINGS).unwrap();
    let id = bank.create(goal("5000.00", 12)).await;

    let closed = bank.post("goal-closure", json!({ "goalId": id })).await;

    assert_success(&closed);
    assert_eq!(closed.json["data"]["payout"]["interest"], "0.00");
    assert_eq!(closed.json["data"]["payout"]["penalty"], "0.00");
    assert_eq!(closed.json["data"]["payout"]["netPayout"], "5000.00");
    assert_eq!(bank.balance(SAVINGS).unwrap(), savings);
}

#[tokio::test]
async fn a_goal_pays_out_at_maturity_without_penalty() {
    let bank = Bank::new().await;
    let savings = bank.balance(SAVINGS).unwrap();
    let id = bank
        .create(with(
            with(goal("10000.00", 6), "siAmount", json!("1000.00")),
            "siDay",
            json!(10),
        ))
        .await;
    let account = bank.view(&id).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();

    bank.advance("P183D").await; // 1 October 2026, 10:00: matured at 00:00

    let view = bank.view(&id).await;
    assert_eq!(view["status"], "MATURED");
    assert_eq!(view["balance"], "0.00");
    let payout = &view["payout"];
    assert_eq!(payout["closureType"], "MATURITY");
    assert_eq!(payout["penalty"], "0.00");
    assert_eq!(
        payout["principal"], "16000.00",
        "10,000 + six SIs (10 April … 10 September)"
    );
    assert_eq!(payout["closedAt"], "2026-10-01T00:00:00+05:30");
    let interest = money(&payout["interest"]);
    // ≈ 10,000 × 6.5% × ½ + the SIs' months (19.2 × 1,000 × 6.5% / 12), compounded monthly.
    assert_eq!(interest, d("435.79"));
    assert_eq!(money(&payout["netPayout"]), d("16000.00") + interest);
    assert_eq!(
        bank.balance(SAVINGS).unwrap(),
        savings + interest,
        "every rupee came back, with interest"
    );
    assert_eq!(bank.balance(&account), Some(Decimal::ZERO));
    let history = bank.history(&id).await;
    let credited: Decimal = history
        .iter()
        .filter(|t| t["type"] == "INTEREST_CREDIT")
        .map(|t| money(&t["amount"]))
        .sum();
    assert_eq!(credited, interest);
    assert_eq!(
        history
            .iter()
            .filter(|t| t["type"] == "INTEREST_CREDIT")
            .count(),
        6,
        "April … September month ends"
    );
    assert_eq!(history.last().unwrap()["type"], "MATURITY_PAYOUT");
    assert_failure(
        &bank.post("goal-closure", json!({ "goalId": id })).await,
        "IW202",
    );
}

#[tokio::test]
async fn another_sandbox_does_not_see_the_goal() {
    let bank = Bank::new().await;
    let other = Bank::new().await;
    let id = bank.create(goal("1000.00", 12)).await;

    assert_failure(
        &other.post("goal-view", json!({ "goalId": id })).await,
        "IW201",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_goals_never_overdraw_the_funding_account() {
    let bank = Arc::new(Bank::new().await);

    // ₹2,50,000 pays for eight goals of ₹30,000, not ten.
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let bank = bank.clone();
            tokio::spawn(async move { bank.post("goal-creation", goal("30000.00", 12)).await })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap().json["responseCode"].clone());
    }

    assert_eq!(
        codes.iter().filter(|c| *c == "IW000").count(),
        8,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| *c == "IW301").count(),
        2,
        "{codes:?}"
    );
    assert_eq!(bank.balance(SAVINGS), Some(d("10000.00")));
    assert_eq!(bank.goal_accounts(), 8);
}

#[tokio::test]
async fn a_goal_account_cannot_fund_another_goal() {
    let bank = Bank::new().await;
    let first = bank.create(goal("5000.00", 12)).await;
    let account = bank.view(&first).await["goalAccountNo"]
        .as_str()
        .unwrap()
        .to_string();
    let second = bank.create(goal("1000.00", 12)).await;

    let create = bank
        .post(
            "goal-creation",
            with(goal("1000.00", 12), "fundingAccount", json!(account)),
        )
        .await;
    let add = bank
        .post(
            "add-funds",
            json!({ "goalId": second, "amount": "1000.00", "fromAccount": account }),
        )
        .await;
    let own = bank
        .post(
            "add-funds",
            json!({ "goalId": first, "amount": "1000.00", "fromAccount": account }),
        )
        .await;

    assert_failure(&create, "IW302");
    assert_failure(&add, "IW302");
    assert_failure(&own, "IW302");
    assert_eq!(bank.balance(&account), Some(d("5000.00")));
}
