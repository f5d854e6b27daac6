//! How iWish money moves, every movement through the ledger and recorded in the goal's history:
//! deposits (initial, add-funds, standing instructions) from an account of this bank into the goal
//! account, interest credited from the bank, and the payout of the whole balance to the funding account.

use rust_decimal::Decimal;

use crate::sandbox::bank::{
    formats::rupees,
    ledger::{LedgerError, Transfer},
    lending::is_internal_book,
    store::Ctx,
};

use super::{ist_date, ClosureType, Decline, Goal, GoalStatus, Payout, Txn, TxnStatus, TxnType};
use crate::api::iwish::codes;

/// The funding account is not a savings or current account of this bank (`IW302`).
pub fn unknown_account(account: &str) -> Decline {
    Decline::new(
        codes::UNKNOWN_ACCOUNT,
        format!("{account} is not a savings or current account of this bank"),
    )
}

/// The funding account lacks the funds (`IW301`).
pub fn insufficient(account: &str, amount: Decimal) -> Decline {
    Decline::new(
        codes::INSUFFICIENT_FUNDS,
        format!("Insufficient funds in {account} for {amount}"),
    )
}

pub(in crate::api::iwish) fn record(
    ctx: &Ctx<'_>,
    goal: &mut Goal,
    entry: Option<String>,
    kind: TxnType,
    amount: Decimal,
) {
    let balance_after = ctx.ledger.balance(&goal.account_no).unwrap_or_default();
    let remarks = match kind {
        TxnType::InitialDeposit => "Initial deposit",
        TxnType::AddFunds => "Funds added",
        TxnType::StandingInstruction => "Standing instruction",
        TxnType::InterestCredit => "Interest credited",
        TxnType::PrematurePenalty => "Premature closure penalty",
        TxnType::ClosurePayout => "Paid to the funding account on closure",
        TxnType::MaturityPayout => "Paid to the funding account at maturity",
    };
    goal.record(Txn {
        id: entry.unwrap_or_default(),
        at: ctx.now,
        kind,
        amount,
        balance_after,
        status: TxnStatus::Success,
        remarks: remarks.to_string(),
    });
}

/// Moves `amount` from `from` into the goal account, accruing first at the old balance.
pub(in crate::api::iwish) fn deposit(
    ctx: &mut Ctx<'_>,
    goal: &mut Goal,
    from: &str,
    amount: Decimal,
    kind: TxnType,
) -> Result<String, Decline> {
    if is_internal_book(from) {
        return Err(unknown_account(from));
    }
    let balance = ctx.ledger.balance(&goal.account_no).unwrap_or_default();
    goal.accrue_to(balance, ist_date(ctx.now));
    let remarks = format!("IWISH DEPOSIT {}", goal.id);
    let posting = ctx
        .ledger
        .transfer(Transfer {
            debit: Some(from),
            credit: Some(&goal.account_no),
            amount,
            at: ctx.now,
            remarks: &remarks,
            reference: &goal.id,
        })
        .map_err(|e| match e {
            LedgerError::InsufficientFunds { .. } => insufficient(from, amount),
            LedgerError::UnknownAccount(account) => unknown_account(&account),
            LedgerError::InvalidAmount => Decline::new(
                codes::BELOW_MINIMUM,
                format!("{amount} is not a valid amount"),
            ),
        })?;
    goal.principal += amount;
    let entry = posting.credit_entry.unwrap_or_default();
    record(ctx, goal, Some(entry.clone()), kind, amount);
    Ok(entry)
}

/// Credits the accrued interest, rounded to paise, from the bank (outside the customer ledger).
pub(in crate::api::iwish) fn credit_interest(ctx: &mut Ctx<'_>, goal: &mut Goal) {
    let amount = rupees(goal.accrued);
    if amount <= Decimal::ZERO {
        return;
    }
    goal.accrued -= amount;
    goal.interest_credited += amount;
    let remarks = format!("IWISH INTEREST {}", goal.id);
    let posting = ctx
        .ledger
        .transfer(Transfer {
            debit: None,
            credit: Some(&goal.account_no),
            amount,
            at: ctx.now,
            remarks: &remarks,
            reference: &goal.id,
        })
        .expect("the goal account exists");
    record(
        ctx,
        goal,
        posting.credit_entry,
        TxnType::InterestCredit,
        amount,
    );
}

/// Pays the goal account's whole balance to the funding account and settles the goal.
pub(in crate::api::iwish) fn pay_out(
    ctx: &mut Ctx<'_>,
    goal: &mut Goal,
    closure_type: ClosureType,
    penalty: Decimal,
) -> Payout {
    let net = ctx.ledger.balance(&goal.account_no).unwrap_or_default();
    let (kind, status, remarks) = match closure_type {
        ClosureType::Premature => (TxnType::ClosurePayout, GoalStatus::Closed, "IWISH CLOSURE"),
        ClosureType::Maturity => (
            TxnType::MaturityPayout,
            GoalStatus::Matured,
            "IWISH MATURITY",
        ),
    };
    let mut transaction_id = String::new();
    if net > Decimal::ZERO {
        // The funding account may have been closed in another family; then the money leaves.
        let credit = ctx
            .ledger
            .account(&goal.funding_account)
            .map(|_| goal.funding_account.as_str());
        let posting = ctx
            .ledger
            .transfer(Transfer {
                debit: Some(&goal.account_no),
                credit,
                amount: net,
                at: ctx.now,
                remarks: &format!("{remarks} {}", goal.id),
                reference: &goal.id,
            })
            .expect("the goal account holds its balance");
        transaction_id = posting.credit_entry.clone().unwrap_or_default();
        record(ctx, goal, posting.debit_entry, kind, net);
    }
    goal.status = status;
    goal.next_si_at = None;
    let payout = Payout {
        closure_type,
        principal: goal.principal,
        interest: goal.interest_credited,
        penalty,
        net,
        at: ctx.now,
        transaction_id,
    };
    goal.payout = Some(payout.clone());
    payout
}
