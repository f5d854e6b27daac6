//! iWish: goals created, funded, edited, viewed; standing instructions and interest with the sandbox
//! clock; premature closure and maturity; the product rules and magic amounts.

use serde_json::{json, Value};

use super::super::recorder::Recorder;

const SAVINGS: &str = "000401000001";
/// Holds ₹63,750.
const SMALL_SAVINGS: &str = "000401000005";
const UNKNOWN: &str = "IW9999999999";

fn path(op: &str) -> String {
    format!("/api/v1/iwish/{op}")
}

fn goal(deposit: &str, tenure: u32, account: &str) -> Value {
    json!({
        "goalName": "Corpus trip", "category": "TRAVEL", "targetAmount": "60000.00",
        "tenureMonths": tenure, "initialDeposit": deposit, "fundingAccount": account
    })
}

fn with(mut body: Value, extra: Value) -> Value {
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

pub async fn chain(rec: &mut Recorder) {
    let saving = with(
        goal("5000.00", 12, SAVINGS),
        json!({ "siAmount": "4500.00", "siDay": 5 }),
    );
    let create = path("goal-creation");
    let created = rec
        .post("a goal with a standing instruction", &create, saving)
        .await;
    let id = created.field("/data/goalId");
    let viewed = rec
        .post("goal: view", &path("goal-view"), json!({ "goalId": id }))
        .await;
    let account = viewed.field("/data/goalAccountNo");
    refusals(rec, &account).await;
    changes(rec, &id, &account).await;
    unknown_goal(rec).await;
    closures(rec, &id).await;
    maturity(rec).await;
}

async fn refusals(rec: &mut Recorder, goal_account: &str) {
    let create = path("goal-creation");
    let small_si = with(
        goal("1000.00", 12, SAVINGS),
        json!({ "siAmount": "50.00", "siDay": 1 }),
    );
    let yacht = with(goal("1000.00", 12, SAVINGS), json!({ "category": "YACHT" }));
    let unnamed = with(goal("1000.00", 12, SAVINGS), json!({ "goalName": "" }));
    for (body, why) in [
        (
            goal("250000.01", 12, SAVINGS),
            "a deposit beyond the balance",
        ),
        (goal("100.51", 12, SAVINGS), "deposit .51"),
        (goal("100.96", 12, SAVINGS), "deposit .96"),
        (
            goal("63750.01", 12, SMALL_SAVINGS),
            "just beyond a small balance",
        ),
        (goal("1000.00", 5, SAVINGS), "a tenure under 6 months"),
        (goal("1000.00", 121, SAVINGS), "a tenure over 120 months"),
        (goal("99.99", 12, SAVINGS), "a deposit under 100"),
        (small_si, "a standing instruction under 100"),
        (
            goal("1000.00", 12, "000405009999"),
            "funded from outside the bank",
        ),
        (
            goal("1000.00", 12, goal_account),
            "funded from a goal account",
        ),
        (yacht, "an unknown category"),
        (unnamed, "an empty name"),
    ] {
        rec.post(&format!("goal refused: {why}"), &create, body)
            .await;
    }
}

async fn changes(rec: &mut Recorder, id: &str, goal_account: &str) {
    let (edit, add) = (path("goal-edit"), path("add-funds"));
    let funds = |amount: &str| json!({ "goalId": id, "amount": amount });
    let from = |account: &str| json!({ "goalId": id, "amount": "1000.00", "fromAccount": account });
    let retarget =
        json!({ "goalId": id, "goalName": "Goa and Gokarna", "targetAmount": "120000.00" });
    let both = json!({ "goalId": id, "cancelSi": true, "siAmount": "500.00", "siDay": 2 });
    for (op, body, why) in [
        (&edit, retarget, "rename and retarget"),
        (
            &edit,
            json!({ "goalId": id, "siAmount": "2500.00", "siDay": 20 }),
            "change the standing instruction",
        ),
        (&edit, json!({ "goalId": id }), "nothing to change"),
        (&edit, both, "cancel and set at once"),
        (
            &edit,
            json!({ "goalId": id, "siAmount": "10.00", "siDay": 2 }),
            "a standing instruction under 100",
        ),
        (&add, funds("2000.00"), "add funds"),
        (&add, funds("2000.51"), "add funds .51"),
        (&add, funds("2000.96"), "add funds .96"),
        (&add, funds("99.00"), "add funds under 100"),
        (&add, from(goal_account), "add funds from its own account"),
        (
            &add,
            from(SMALL_SAVINGS),
            "add funds from another account of the bank",
        ),
    ] {
        rec.post(&format!("goal: {why}"), op, body).await;
    }
}

async fn unknown_goal(rec: &mut Recorder) {
    for op in [
        "goal-view",
        "goal-edit",
        "add-funds",
        "goal-closure",
        "transaction-history",
    ] {
        let body = match op {
            "add-funds" => json!({ "goalId": UNKNOWN, "amount": "1000.00" }),
            "goal-edit" => json!({ "goalId": UNKNOWN, "goalName": "Nowhere" }),
            _ => json!({ "goalId": UNKNOWN }),
        };
        rec.post(&format!("{op}: an unknown goal"), &path(op), body)
            .await;
    }
}

async fn closures(rec: &mut Recorder, id: &str) {
    let goal_id = json!({ "goalId": id });
    rec.advance("P19D", "the standing instruction's day (the 20th)")
        .await;
    rec.advance("P11D", "the month's end: interest credited")
        .await;
    rec.post("goal: after a month", &path("goal-view"), goal_id.clone())
        .await;
    let history = path("transaction-history");
    rec.post("goal: its history", &history, goal_id.clone())
        .await;
    let second = goal("1000.00", 6, SAVINGS);
    let fresh = rec
        .post("a second goal", &path("goal-creation"), second)
        .await;
    let fresh = json!({ "goalId": fresh.field("/data/goalId") });
    let closure = path("goal-closure");
    rec.post("goal: closed on its first day, whole", &closure, fresh)
        .await;
    let note = "goal: premature closure with the penalty";
    rec.post(note, &closure, goal_id.clone()).await;
    for op in ["goal-view", "goal-closure", "add-funds", "goal-edit"] {
        let body = match op {
            "add-funds" | "goal-edit" => {
                json!({ "goalId": id, "amount": "1000.00", "goalName": "Again" })
            }
            _ => goal_id.clone(),
        };
        rec.post(&format!("{op}: a closed goal"), &path(op), body)
            .await;
    }
}

async fn maturity(rec: &mut Recorder) {
    let six_months = goal("10000.00", 6, SAVINGS);
    let created = rec
        .post("a six-month goal", &path("goal-creation"), six_months)
        .await;
    let short = json!({ "goalId": created.field("/data/goalId") });
    rec.advance("P183D", "six months on: the goal matures")
        .await;
    rec.post(
        "goal: matured and paid out",
        &path("goal-view"),
        short.clone(),
    )
    .await;
    let note = "goal: the matured goal's history";
    rec.post(note, &path("transaction-history"), short).await;
}
