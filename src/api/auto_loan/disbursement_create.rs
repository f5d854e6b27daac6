//! `POST /api/v1/auto-loan/disbursement` [sandbank]: pays the sanctioned amount to the dealer and opens
//! the loan account. Allowed in `SANCTIONED`; the application becomes `DISBURSED`, then `ACTIVE` 1
//! sandbox day later. The first EMI falls due one month after the disbursement date.
//!
//! Money, through the ledger: the bank's auto-loan pool `000499000001` (₹100 crore of capital credited
//! from outside on first use, topped up likewise when short) is debited the loan amount; the
//! dealer's account is credited when it is an account of this bank (in the ledger), else the money
//! leaves the bank (NEFT to the dealer's bank, `UTR`). The new loan account's balance is the principal
//! outstanding (a memo of the receivable, credited from outside the customer ledger), so it starts at
//! the loan amount and falls as repayments repay principal. The processing fee is not moved: the
//! dealer collects it with the down payment.

use crate::api::sample;
use chrono::{DateTime, FixedOffset};
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::Answer,
        clock::ist,
        formats::{AccountNo, ApplicationNo, Ifsc, Money},
        ledger::Transfer,
        lending::{self, is_internal_book},
        magic::is_invalid_account,
        store::Ctx,
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    codes,
    model::{activation_delay, Decline, Loan, Outcome, Stage, Step},
    state::{ensure_pool, ist_date, AutoLoanBook, POOL_ACCOUNT},
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanDisbursementRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct DisbursementRequest {
    pub application_no: ApplicationNo,
    /// The dealer's account. Ending `0000`: invalid (`AL401`).
    pub dealer_account: AccountNo,
    #[oai(rename = "dealerIFSC")]
    #[serde(rename = "dealerIFSC")]
    pub dealer_ifsc: Ifsc,
}

impl poem_openapi::types::Example for DisbursementRequest {
    fn example() -> Self {
        Self {
            application_no: sample("ALN8042395748"),
            dealer_account: sample("000405000002"),
            dealer_ifsc: sample("ICIC0000004"),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanDisbursementData")]
#[oai(rename_all = "camelCase")]
pub struct DisbursementData {
    pub application_no: String,
    /// The loan account: repayments and status name it.
    pub loan_account_no: String,
    pub state: Stage,
    pub disbursed_amount: Money,
    /// The transfer's reference.
    #[oai(rename = "UTR")]
    pub utr: String,
    /// `INTERNAL` (dealer's account credited in this bank) or `NEFT` (paid out to another bank).
    pub mode: String,
    pub disbursed_at: DateTime<FixedOffset>,
    pub emi: Money,
    pub first_due_date: chrono::NaiveDate,
}

enveloped_answer!(
    DisbursementResponse,
    schema "AutoLoanDisbursementResponse",
    Outcome,
    data DisbursementData,
    "Disbursed, or `AL201` / `AL202` / `AL401` / `AL402`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: DisbursementRequest,
) -> Answer<DisbursementResponse> {
    let dealer = request.dealer_account.to_string();
    let bank_known = sandbox
        .fixtures
        .bank_name(request.dealer_ifsc.bank_code())
        .is_some();
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let application = book.application(&request.application_no)?;
        application.expect(Step::Disbursement)?;
        if is_invalid_account(&dealer) || is_internal_book(&dealer) {
            return Err(Decline::new(
                codes::INVALID_DEALER_ACCOUNT,
                format!("Dealer account {dealer} does not exist"),
            ));
        }
        let internal = ctx.ledger.account(&dealer).is_some();
        if !internal && !bank_known {
            return Err(Decline::new(
                codes::INVALID_DEALER_IFSC,
                format!(
                    "IFSC {} names no bank in the directory",
                    request.dealer_ifsc
                ),
            ));
        }
        let terms = application.terms.clone().expect("sanctioned terms");
        let no = application.no.clone();
        let applicant = application.applicant.clone();
        let utr = utr(sandbox, &app.id, &no);
        let loan_account = new_loan_account(sandbox, &app.id, &no, ctx);
        let payment = Payment {
            no: &no,
            applicant: &applicant,
            dealer: internal.then_some(dealer.as_str()),
            loan_account: &loan_account,
            amount: terms.loan_amount,
            utr: &utr,
        };
        pay_dealer(ctx, &payment);
        let start = ist_date(ctx.now);
        let schedule = lending::schedule(terms.loan_amount, terms.roi, terms.tenure_months, start);
        let first_due_date = schedule[0].due_date;
        let application = book.application(&no)?;
        application.loan = Some(Loan {
            account_no: loan_account.clone(),
            amount: terms.loan_amount,
            utr: utr.clone(),
            disbursed_at: ctx.now,
            dealer_account: dealer.clone(),
            dealer_ifsc: request.dealer_ifsc.to_string(),
            dealer_internal: internal,
            paid: vec![rust_decimal::Decimal::ZERO; schedule.len()],
            schedule,
        });
        application.move_to(Stage::Disbursed, ctx.now);
        book.loans.insert(loan_account.clone(), no.clone());
        book.schedule_activation(&no, ctx.now + activation_delay());
        Ok((
            format!("Disbursed {} to the dealer", terms.loan_amount),
            DisbursementData {
                application_no: no,
                loan_account_no: loan_account,
                state: Stage::Disbursed,
                disbursed_amount: terms.loan_amount.into(),
                utr,
                mode: if internal { "INTERNAL" } else { "NEFT" }.into(),
                disbursed_at: ctx.now.with_timezone(&ist()),
                emi: terms.emi.into(),
                first_due_date,
            },
        ))
    });
    Answer(DisbursementResponse::of(result))
}

/// A fresh loan account number (`000466` + 6 digits), stable for the app and application.
fn new_loan_account(sandbox: &Sandbox, app_id: &str, no: &str, ctx: &Ctx<'_>) -> String {
    let mut salt = 0u32;
    loop {
        let candidate = sandbox.determinism.app_code(
            "000466",
            "auto-loan-account",
            app_id,
            format_args!("{no}|{salt}"),
            6,
        );
        if ctx.ledger.account(&candidate).is_none() {
            return candidate;
        }
        salt += 1;
    }
}

/// A disbursement's money: from the pool to the dealer, and the loan account opened on the principal.
struct Payment<'a> {
    no: &'a str,
    applicant: &'a str,
    /// The dealer's account when it is an account of this bank (else the money leaves by NEFT).
    dealer: Option<&'a str>,
    loan_account: &'a str,
    amount: Decimal,
    utr: &'a str,
}

/// Pays the dealer from the pool and opens the loan account holding the principal outstanding.
fn pay_dealer(ctx: &mut Ctx<'_>, payment: &Payment<'_>) {
    ensure_pool(ctx, payment.amount).expect("capital is a valid amount");
    let remarks = format!("AUTO LOAN DISB {}", payment.no);
    ctx.ledger
        .transfer(Transfer {
            debit: Some(POOL_ACCOUNT),
            credit: payment.dealer,
            amount: payment.amount,
            at: ctx.now,
            remarks: &remarks,
            reference: payment.utr,
        })
        .expect("the pool holds the capital");
    ctx.ledger.open(
        payment.loan_account,
        &format!("AUTO LOAN {}", payment.applicant),
        "INR",
    );
    ctx.ledger
        .transfer(Transfer {
            debit: None,
            credit: Some(payment.loan_account),
            amount: payment.amount,
            at: ctx.now,
            remarks: "PRINCIPAL OUTSTANDING",
            reference: payment.utr,
        })
        .expect("the loan account was just opened");
}

/// The disbursement's UTR (`SBNKN` + 11 digits), stable for the app and application.
fn utr(sandbox: &Sandbox, app_id: &str, no: &str) -> String {
    sandbox
        .determinism
        .app_code("SBNKN", "auto-loan-utr", app_id, no, 11)
}
