//! `POST /api/v1/auto-loan/repayment` [sandbank]: pays a loan from an account of this bank — how a
//! partner reaches `CLOSED`. Allowed in `ACTIVE`.
//!
//! - `EMI`: `amount` goes to the instalments in schedule order (overdue first, then the current one,
//!   then ahead), interest before principal within each; paying ahead pays the scheduled instalments
//!   as they stand (no re-amortisation). At most everything still owed (`AL503`).
//! - `FORECLOSURE`: pays the foreclosure amount (`/status` shows it): every instalment due up to
//!   today in full, plus the principal of the rest (no interest for future months, no foreclosure
//!   charge).
//!
//! Money: the debit account is debited and the auto-loan pool credited with the payment; the loan
//! account's principal-outstanding memo falls by the principal repaid. When nothing is owed the loan
//! is `CLOSED`.

use crate::api::sample;
use poem_openapi::{Enum, Object};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Reply},
        formats::{AccountNo, Amount, Money},
        ledger::{LedgerError, Transfer},
        lending::is_internal_book,
        magic::{magic_amount, MagicAmount},
        store::Ctx,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes,
    model::{Decline, Outcome, Stage, Step},
    state::{ist_date, AutoLoanBook, POOL_ACCOUNT},
};

#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "AutoLoanRepaymentType")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RepaymentType {
    /// Pay `amount` towards the instalments.
    Emi,
    /// Pay off the loan at today's foreclosure amount.
    Foreclosure,
}

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanRepaymentRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct RepaymentRequest {
    pub loan_account_no: AccountNo,
    /// The account of this bank to debit (e.g. the applicant's savings account).
    pub debit_account: AccountNo,
    pub repayment_type: RepaymentType,
    /// Required for `EMI`; ignored for `FORECLOSURE`. Ending `.51`: insufficient funds (`AL501`);
    /// `.96`: backend timeout (504).
    #[oai(skip_serializing_if_is_none)]
    pub amount: Option<Amount>,
}

/// `amount` with `EMI`, as [`answer`] checks.
pub fn schema_rule() -> crate::api::SchemaRule {
    crate::api::SchemaRule {
        schema: "AutoLoanRepaymentRequest",
        rule: serde_json::json!({
            "anyOf": [
                { "properties": { "repaymentType": { "type": "string", "enum": ["FORECLOSURE"] } } },
                crate::api::SchemaRule::present::<Amount>("amount"),
            ],
        }),
    }
}

impl poem_openapi::types::Example for RepaymentRequest {
    fn example() -> Self {
        Self {
            loan_account_no: sample("000466000001"),
            debit_account: sample("000401000001"),
            repayment_type: RepaymentType::Emi,
            amount: Some(sample("10318.62")),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanRepaymentData")]
#[oai(rename_all = "camelCase")]
pub struct RepaymentData {
    pub application_no: String,
    pub loan_account_no: String,
    pub state: Stage,
    pub amount_paid: Money,
    pub principal_repaid: Money,
    pub interest_paid: Money,
    pub principal_outstanding: Money,
    pub overdue_amount: Money,
    pub dpd: u32,
    #[oai(skip_serializing_if_is_none)]
    pub next_due_date: Option<chrono::NaiveDate>,
    /// The debit's TRANSACTIONID in the debit account's statement.
    pub transaction_id: String,
}

enveloped_answer!(
    RepaymentResponse,
    schema "AutoLoanRepaymentResponse",
    Outcome,
    data RepaymentData,
    "Paid, or `AL201` / `AL202` / `AL501` / `AL502` / `AL503`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: RepaymentRequest,
) -> Reply<RepaymentResponse> {
    let amount = requested_amount(&request)?;
    let magic = amount.and_then(magic_amount);
    if magic == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let account_no = request.loan_account_no.to_string();
    let payer = request.debit_account.to_string();
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let application = book.by_loan_account(&account_no)?;
        application.expect(Step::Repayment)?;
        let today = ist_date(ctx.now);
        let loan = application
            .loan
            .as_mut()
            .expect("an ACTIVE application has a loan");
        let due = amount.unwrap_or_else(|| loan.dues(today).foreclosure_amount);
        if due > loan.remaining() {
            return Err(Decline::new(
                codes::AMOUNT_ABOVE_OUTSTANDING,
                format!("{due} is more than the {} still owed", loan.remaining()),
            ));
        }
        let transaction_id = collect(ctx, &payer, &account_no, due, magic)?;
        let principal = match request.repayment_type {
            RepaymentType::Emi => loan.pay(due),
            RepaymentType::Foreclosure => loan.foreclose(today),
        };
        if principal > Decimal::ZERO {
            ctx.ledger
                .transfer(Transfer {
                    debit: Some(&account_no),
                    credit: None,
                    amount: principal,
                    at: ctx.now,
                    remarks: "PRINCIPAL REPAID",
                    reference: &account_no,
                })
                .expect("the memo holds the principal outstanding");
        }
        let dues = loan.dues(today);
        let repaid = loan.is_repaid();
        if repaid {
            application.move_to(Stage::Closed, ctx.now);
        }
        Ok((
            if repaid {
                format!("Paid {due}: the loan is closed")
            } else {
                format!("Paid {due}")
            },
            RepaymentData {
                application_no: application.no.clone(),
                loan_account_no: account_no.clone(),
                state: application.stage,
                amount_paid: due.into(),
                principal_repaid: principal.into(),
                interest_paid: (due - principal).into(),
                principal_outstanding: dues.principal_outstanding.into(),
                overdue_amount: dues.overdue_amount.into(),
                dpd: dues.dpd,
                next_due_date: dues.next_due_date,
                transaction_id,
            },
        ))
    });
    Ok(Answer(RepaymentResponse::of(result)))
}

/// Debits `due` from the payer into the lending pool: the payer must be a customer account of this
/// bank with the funds. Answers the debit's transaction id.
fn collect(
    ctx: &mut Ctx<'_>,
    payer: &str,
    account_no: &str,
    due: Decimal,
    magic: Option<MagicAmount>,
) -> Result<String, Decline> {
    if ctx.ledger.account(payer).is_none() || is_internal_book(payer) {
        return Err(Decline::new(
            codes::UNKNOWN_DEBIT_ACCOUNT,
            format!("{payer} is not a savings or current account of this bank"),
        ));
    }
    let insufficient = || {
        Decline::new(
            codes::INSUFFICIENT_FUNDS,
            format!("Insufficient funds in {payer} for {due}"),
        )
    };
    if magic == Some(MagicAmount::InsufficientFunds) {
        return Err(insufficient());
    }
    let remarks = format!("AUTO LOAN REPAYMENT {account_no}");
    let posting = ctx
        .ledger
        .transfer(Transfer {
            debit: Some(payer),
            credit: Some(POOL_ACCOUNT),
            amount: due,
            at: ctx.now,
            remarks: &remarks,
            reference: account_no,
        })
        .map_err(|e| match e {
            LedgerError::InsufficientFunds { .. } => insufficient(),
            other => Decline::new(codes::UNKNOWN_DEBIT_ACCOUNT, format!("{other:?}")),
        })?;
    Ok(posting.debit_entry.unwrap_or_default())
}

/// The amount an EMI repayment names (it must name one); none for a foreclosure, which pays what it takes.
fn requested_amount(request: &RepaymentRequest) -> Result<Option<Decimal>, Rejection> {
    match (request.repayment_type, request.amount) {
        (RepaymentType::Emi, None) => Err(Rejection::schema(
            "amount",
            "is required when repaymentType is EMI",
        )),
        (RepaymentType::Emi, Some(amount)) => Ok(Some(amount.value())),
        (RepaymentType::Foreclosure, _) => Ok(None),
    }
}
