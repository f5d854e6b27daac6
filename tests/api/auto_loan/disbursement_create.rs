//! Disbursement: the dealer paid from the pool (inside or outside the bank) once, the loan opened and
//! active a day later; the bank's own books can neither pay nor be paid.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::json;

use super::{assert_failure, assert_success, decimal, Bank, DEALER, DEMO_SAVINGS, POOL};

#[tokio::test]
async fn disbursement_credits_an_internal_dealer_from_the_pool_and_opens_the_loan() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("SANCTIONED").await;
    let dealer_before = bank.balance(DEALER).unwrap();

    let answer = bank
        .post(
            "disbursement",
            json!({ "applicationNo": no, "dealerAccount": DEALER, "dealerIFSC": "ICIC0000004" }),
        )
        .await;

    assert_success(&answer);
    let data = &answer.json["data"];
    let loan = data["loanAccountNo"].as_str().unwrap();
    assert!(loan.starts_with("000466") && loan.len() == 12, "{loan}");
    assert_eq!(data["state"], "DISBURSED");
    assert_eq!(data["disbursedAmount"], "500000.00");
    assert_eq!(data["mode"], "INTERNAL");
    assert_eq!(data["emi"], "10318.62");
    assert_eq!(data["firstDueDate"], "2026-05-01");
    let utr = data["UTR"].as_str().unwrap();
    assert!(utr.starts_with("SBNKN") && utr.len() == 16, "{utr}");
    assert_eq!(
        bank.balance(DEALER).unwrap() - dealer_before,
        decimal("500000.00")
    );
    assert_eq!(
        bank.balance(POOL).unwrap(),
        decimal("1000000000") - decimal("500000.00")
    );
    assert_eq!(
        bank.balance(loan),
        Some(decimal("500000.00")),
        "principal outstanding"
    );
}

#[tokio::test]
async fn an_external_dealer_is_paid_out_of_the_bank() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("SANCTIONED").await;

    let answer = bank
        .post("disbursement", json!({ "applicationNo": no, "dealerAccount": "000405009999", "dealerIFSC": "ICIC0000004" }))
        .await;

    assert_success(&answer);
    assert_eq!(answer.json["data"]["mode"], "NEFT");
    assert_eq!(
        bank.balance("000405009999"),
        None,
        "not an account of this bank"
    );
    assert_eq!(bank.balance(POOL).unwrap(), decimal("999500000.00"));
}

#[tokio::test]
async fn invalid_dealer_accounts_and_ifscs_are_refused_and_nothing_moves() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("SANCTIONED").await;

    let invalid = bank
        .post("disbursement", json!({ "applicationNo": no, "dealerAccount": "123450000", "dealerIFSC": "ICIC0000004" }))
        .await;
    let unknown_bank = bank
        .post("disbursement", json!({ "applicationNo": no, "dealerAccount": "123456789", "dealerIFSC": "ZZZZ0000001" }))
        .await;
    let bad_ifsc = bank
        .post(
            "disbursement",
            json!({ "applicationNo": no, "dealerAccount": "123456789", "dealerIFSC": "ICIC1" }),
        )
        .await;

    assert_failure(&invalid, "AL401");
    assert_failure(&unknown_bank, "AL402");
    assert!(bad_ifsc.assert_envelope(400, 8017).contains("`dealerIFSC`"));
    assert_eq!(bank.balance(POOL), None, "the pool was never needed");
    assert_eq!(bank.status(&no).await["state"], "SANCTIONED");
}

#[tokio::test]
async fn a_disbursed_loan_turns_active_a_day_later_with_its_schedule() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("DISBURSED").await;
    let loan = loan.unwrap();

    let repay_early = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI", "amount": "100.00" }))
        .await;
    let disbursed = bank.status(&no).await;
    bank.advance("P1D").await;
    let active = bank.post("status", json!({ "loanAccountNo": loan })).await;

    assert_failure(&repay_early, "AL202");
    assert_eq!(repay_early.json["currentState"], "DISBURSED");
    assert_eq!(disbursed["state"], "DISBURSED");
    assert_success(&active);
    let data = &active.json["data"];
    assert_eq!(data["state"], "ACTIVE");
    assert_eq!(data["applicationNo"], no.as_str());
    assert_eq!(data["allowedNextSteps"], json!(["repayment"]));
    assert_eq!(
        data["emiSchedule"],
        json!({
            "emi": "10318.62", "tenureMonths": 60, "instalmentsPaid": 0, "instalmentsRemaining": 60,
            "firstDueDate": "2026-05-01", "lastDueDate": "2031-04-01",
            "totalInterest": data["emiSchedule"]["totalInterest"].clone(),
            "totalPayable": data["emiSchedule"]["totalPayable"].clone(),
            "amountPaid": "0.00", "principalOutstanding": "500000.00"
        })
    );
    let schedule = data["amortisationSchedule"].as_array().unwrap();
    assert_eq!(schedule.len(), 60);
    assert_eq!(
        schedule[0],
        json!({ "instalmentNo": 1, "dueDate": "2026-05-01", "amount": "10318.62",
                "principal": "6672.79", "interest": "3645.83", "closingBalance": "493327.21",
                "amountPaid": "0.00", "status": "UPCOMING" })
    );
    assert_eq!(schedule[59]["closingBalance"], "0.00");
    let principal: Decimal = schedule
        .iter()
        .map(|l| decimal(l["principal"].as_str().unwrap()))
        .sum();
    assert_eq!(principal, decimal("500000.00"));
    let interest: Decimal = schedule
        .iter()
        .map(|l| decimal(l["interest"].as_str().unwrap()))
        .sum();
    assert_eq!(
        decimal(data["emiSchedule"]["totalInterest"].as_str().unwrap()),
        interest
    );
    assert_eq!(data["overdueAmount"], "0.00");
    assert_eq!(data["dpd"], 0);
    assert_eq!(data["nextDueDate"], "2026-05-01");
    assert_eq!(data["foreclosureAmount"], "500000.00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_disbursements_pay_the_dealer_once() {
    let bank = Arc::new(Bank::new().await);
    let (no, _) = bank.application_at("SANCTIONED").await;
    let dealer_before = bank.balance(DEALER).unwrap();

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let bank = bank.clone();
            let no = no.clone();
            tokio::spawn(async move {
                bank.post(
                    "disbursement",
                    json!({ "applicationNo": no, "dealerAccount": DEALER, "dealerIFSC": "ICIC0000004" }),
                )
                .await
            })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap().json["responseCode"].clone());
    }

    assert_eq!(
        codes.iter().filter(|c| *c == "AL000").count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| *c == "AL202").count(),
        7,
        "{codes:?}"
    );
    assert_eq!(
        bank.balance(DEALER).unwrap() - dealer_before,
        decimal("500000.00")
    );
    assert_eq!(bank.balance(POOL).unwrap(), decimal("999500000.00"));
}

#[tokio::test]
async fn the_banks_own_books_cannot_pay_or_be_paid() {
    let bank = Bank::new().await;
    let (_, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let (sanctioned, _) = bank.application_at("SANCTIONED").await;

    let from_memo = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": loan, "repaymentType": "EMI", "amount": "100.00" }))
        .await;
    let from_pool = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": POOL, "repaymentType": "EMI", "amount": "100.00" }))
        .await;
    let to_memo = bank
        .post("disbursement", json!({ "applicationNo": sanctioned, "dealerAccount": loan, "dealerIFSC": "ICIC0000004" }))
        .await;

    assert_failure(&from_memo, "AL502");
    assert_failure(&from_pool, "AL502");
    assert_failure(&to_memo, "AL401");
    assert_eq!(bank.balance(&loan), Some(decimal("500000.00")));
}
