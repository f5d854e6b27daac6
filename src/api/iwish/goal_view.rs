//! `POST /api/v1/iwish/goal-view` [sandbank]: a goal as it stands on the app's sandbox clock — balance,
//! deposits, interest credited and accrued, progress to target, standing instruction, and the payout
//! once closed or matured. Also the answer shape of creation and edit.

use crate::api::sample;
use chrono::{DateTime, FixedOffset, NaiveDate};
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::Answer,
        clock::ist,
        formats::{rupees, Money, Percent},
        ledger::Ledger,
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::{ist_date, rate, Category, ClosureType, Goal, GoalId, GoalStatus, Outcome},
    state::IwishBook,
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "IwishGoalRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct GoalRequest {
    /// From `/goal-creation`: `IW` + 10 digits.
    pub goal_id: GoalId,
}

impl poem_openapi::types::Example for GoalRequest {
    fn example() -> Self {
        Self {
            goal_id: sample("IW3706472746"),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "IwishStandingInstructionView")]
#[oai(rename_all = "camelCase")]
pub struct StandingInstructionView {
    pub si_amount: Money,
    /// Day of the month (1–28); the debit runs at 06:00 IST.
    pub si_day: u32,
    /// The next debit (absent when none falls before maturity or the goal is settled).
    #[oai(skip_serializing_if_is_none)]
    pub next_si_at: Option<DateTime<FixedOffset>>,
}

/// What a closed or matured goal paid out.
#[derive(Object, Debug)]
#[oai(rename = "IwishPayoutView")]
#[oai(rename_all = "camelCase")]
pub struct PayoutView {
    pub closure_type: ClosureType,
    /// Deposits in.
    pub principal: Money,
    /// Interest credited over the goal's life.
    pub interest: Money,
    /// The premature penalty (0.00 at maturity).
    pub penalty: Money,
    /// principal + interest − penalty, credited to the funding account.
    pub net_payout: Money,
    pub credited_account: String,
    /// The credit's TRANSACTIONID in the funding account's statement.
    pub transaction_id: String,
    pub closed_at: DateTime<FixedOffset>,
}

#[derive(Object, Debug)]
#[oai(rename = "IwishGoalData")]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct GoalData {
    pub goal_id: String,
    /// The goal's own account in the ledger.
    pub goal_account_no: String,
    pub goal_name: String,
    pub category: Category,
    pub status: GoalStatus,
    pub target_amount: Money,
    pub tenure_months: u32,
    pub created_at: DateTime<FixedOffset>,
    pub maturity_date: NaiveDate,
    /// The sandbox RD rate, percent a year.
    pub interest_rate: Percent,
    pub funding_account: String,
    /// The goal account's balance: deposits plus interest credited (0.00 once paid out).
    pub balance: Money,
    pub total_deposited: Money,
    pub interest_credited: Money,
    /// Accrued since the last month end up to today, credited at the next one.
    pub interest_accrued: Money,
    /// Balance as a percent of the target.
    pub progress_percent: Percent,
    pub standing_instruction: Option<StandingInstructionView>,
    pub payout: Option<PayoutView>,
}

enveloped_answer!(
    GoalResponse,
    schema "IwishGoalResponse",
    Outcome,
    data GoalData,
    "The goal, or a decline in the iWish envelope."
);

/// The goal in the iWish envelope, or the decline.
pub fn goal_answer(
    result: Result<(String, GoalData), super::model::Decline>,
) -> Answer<GoalResponse> {
    Answer(GoalResponse::of(result))
}

/// The goal as a partner sees it.
pub fn describe(goal: &Goal, ledger: &Ledger, today: NaiveDate) -> GoalData {
    let at = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&ist());
    let balance = ledger.balance(&goal.account_no).unwrap_or_default();
    GoalData {
        goal_id: goal.id.clone(),
        goal_account_no: goal.account_no.clone(),
        goal_name: goal.name.clone(),
        category: goal.category,
        status: goal.status,
        target_amount: goal.target_amount.into(),
        tenure_months: goal.tenure_months,
        created_at: at(goal.created_at),
        maturity_date: goal.maturity_date,
        interest_rate: rate().into(),
        funding_account: goal.funding_account.clone(),
        balance: balance.into(),
        total_deposited: goal.principal.into(),
        interest_credited: goal.interest_credited.into(),
        interest_accrued: if goal.status == GoalStatus::Active {
            rupees(goal.accrued_as_of(balance, today)).into()
        } else {
            Money::default()
        },
        progress_percent: (balance * Decimal::ONE_HUNDRED / goal.target_amount).into(),
        standing_instruction: goal.si.map(|si| StandingInstructionView {
            si_amount: si.amount.into(),
            si_day: si.day,
            next_si_at: goal.next_si_at.map(at),
        }),
        payout: goal.payout.as_ref().map(|p| PayoutView {
            closure_type: p.closure_type,
            principal: p.principal.into(),
            interest: p.interest.into(),
            penalty: p.penalty.into(),
            net_payout: p.net.into(),
            credited_account: goal.funding_account.clone(),
            transaction_id: p.transaction_id.clone(),
            closed_at: at(p.at),
        }),
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: GoalRequest,
) -> Answer<GoalResponse> {
    goal_answer(sandbox.family(app, IwishBook::new, |book, ctx| {
        let goal = book.goal(request.goal_id.as_str())?;
        Ok((
            format!("Goal {} is {}", goal.id, goal.status.name()),
            describe(goal, ctx.ledger, ist_date(ctx.now)),
        ))
    }))
}
