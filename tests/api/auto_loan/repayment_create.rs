//! Dues and repayment: overdue instalments on the clock, EMIs and foreclosure, closure, refusals.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{assert_failure, assert_success, decimal, Bank, DEMO_SAVINGS, POOL};

#[tokio::test]
async fn forty_days_without_payment_make_the_first_emi_overdue() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("DISBURSED").await;
    let loan = loan.unwrap();

    bank.advance("P40D").await;
    let overdue = bank.status(&no).await;
    let paid = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI", "amount": "10318.62" }))
        .await;
    let after = bank.status(&no).await;

    assert_eq!(overdue["overdueAmount"], "10318.62");
    assert_eq!(overdue["dpd"], 10, "due 1 May, today 11 May");
    assert_eq!(overdue["nextDueDate"], "2026-06-01");
    assert_eq!(overdue["amortisationSchedule"][0]["status"], "OVERDUE");
    assert_eq!(
        overdue["foreclosureAmount"], "503645.83",
        "the overdue EMI plus the principal after it"
    );
    assert_success(&paid);
    assert_eq!(
        paid.json["data"]["principalRepaid"], "6672.79",
        "{:?}",
        paid.json
    );
    assert_eq!(paid.json["data"]["interestPaid"], "3645.83");
    assert_eq!(after["overdueAmount"], "0.00");
    assert_eq!(after["dpd"], 0);
    assert_eq!(after["amortisationSchedule"][0]["status"], "PAID");
    assert_eq!(after["emiSchedule"]["instalmentsPaid"], 1);
}

#[tokio::test]
async fn repayments_move_money_from_the_payer_to_the_pool() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let savings = bank.balance(DEMO_SAVINGS).unwrap();
    let pool = bank.balance(POOL).unwrap();

    let partial = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI", "amount": "5000.00" }))
        .await;

    assert_success(&partial);
    let data = &partial.json["data"];
    assert_eq!(data["applicationNo"], no.as_str());
    assert_eq!(data["state"], "ACTIVE");
    assert_eq!(data["amountPaid"], "5000.00");
    assert_eq!(data["interestPaid"], "3645.83", "interest first");
    assert_eq!(data["principalRepaid"], "1354.17");
    assert_eq!(data["principalOutstanding"], "498645.83");
    assert!(data["transactionId"].as_str().unwrap().starts_with('S'));
    assert_eq!(
        savings - bank.balance(DEMO_SAVINGS).unwrap(),
        decimal("5000.00")
    );
    assert_eq!(bank.balance(POOL).unwrap() - pool, decimal("5000.00"));
    assert_eq!(bank.balance(&loan), Some(decimal("498645.83")));
    let status = bank.status(&no).await;
    assert_eq!(status["amortisationSchedule"][0]["status"], "PARTLY_PAID");
}

#[tokio::test]
async fn foreclosure_closes_the_loan_and_empties_the_memo() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let savings = bank.balance(DEMO_SAVINGS).unwrap();
    bank.post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": "10318.62" })).await;

    let closed = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "FORECLOSURE" }))
        .await;
    let again = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": "1.00" }))
        .await;

    assert_success(&closed);
    assert_eq!(closed.json["data"]["state"], "CLOSED");
    assert_eq!(closed.json["data"]["amountPaid"], "493327.21");
    assert_eq!(closed.json["data"]["interestPaid"], "0.00");
    assert_eq!(closed.json["data"]["principalOutstanding"], "0.00");
    assert_eq!(bank.balance(&loan), Some(Decimal::ZERO));
    assert_eq!(
        bank.balance(DEMO_SAVINGS).unwrap(),
        savings,
        "another account paid"
    );
    assert_eq!(
        bank.balance(POOL).unwrap(),
        decimal("1000000000") - decimal("500000") + decimal("10318.62") + decimal("493327.21")
    );
    assert_failure(&again, "AL202");
    assert_eq!(again.json["currentState"], "CLOSED");
    let status = bank.status(&no).await;
    assert_eq!(status["state"], "CLOSED");
    assert!(status.get("foreclosureAmount").is_none());
}

#[tokio::test]
async fn paying_every_instalment_closes_the_loan() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let status = bank.status(&no).await;
    let total: Decimal = status["amortisationSchedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| decimal(l["amount"].as_str().unwrap()))
        .sum();

    let above = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": (total + Decimal::ONE).to_string() }))
        .await;
    let all = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": total.to_string() }))
        .await;

    assert_failure(&above, "AL503");
    assert_success(&all);
    assert_eq!(all.json["data"]["state"], "CLOSED");
    assert_eq!(all.json["data"]["principalRepaid"], "500000.00");
    assert_eq!(bank.balance(&loan), Some(Decimal::ZERO));
}

#[tokio::test]
async fn repayment_failures_and_magic_amounts() {
    let bank = Bank::new().await;
    let (_, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let pay = |account: &str, amount: Value| json!({ "loanAccountNo": loan, "debitAccount": account, "repaymentType": "EMI", "amount": amount });
    let savings = bank.balance(DEMO_SAVINGS).unwrap();

    let magic_51 = bank
        .post("repayment", pay(DEMO_SAVINGS, json!("100.51")))
        .await;
    let magic_96 = bank
        .post("repayment", pay(DEMO_SAVINGS, json!("100.96")))
        .await;
    // 000401000005 holds ₹63,750.
    let poor = bank
        .post("repayment", pay("000401000005", json!("70000.00")))
        .await;
    let outside = bank
        .post("repayment", pay("000405009999", json!("100.00")))
        .await;
    let missing = bank
        .post(
            "repayment",
            json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI" }),
        )
        .await;
    let unknown = bank.post("repayment", json!({ "loanAccountNo": "000466999999", "debitAccount": DEMO_SAVINGS, "repaymentType": "FORECLOSURE" })).await;

    assert_failure(&magic_51, "AL501");
    magic_96.assert_envelope(504, 8013);
    assert_failure(&poor, "AL501");
    assert_failure(&outside, "AL502");
    assert!(missing.assert_envelope(400, 8017).contains("`amount`"));
    assert_failure(&unknown, "AL201");
    assert_eq!(
        bank.balance(DEMO_SAVINGS).unwrap(),
        savings,
        "nothing moved"
    );
    assert_eq!(bank.balance(&loan), Some(decimal("500000.00")));
}
