//! `POST /api/v1/iwish/goal-creation` [sandbank]: a goal with its own account, funded from a savings
//! account of this bank. The initial deposit moves through the ledger; when the funding account cannot
//! pay, nothing is created (`IW301`). Product rules: tenure 6–120 months (`IW101`), every deposit at
//! least ₹100 (`IW102`).

use crate::api::sample;
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::Reply,
        formats::{AccountNo, Amount, GoalName, SiDay},
        magic::{magic_amount, MagicAmount},
        store::Full,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes,
    goal_view::{describe, goal_answer, GoalResponse},
    model::{
        ist_date, minimum_deposit, money::insufficient, Category, Decline, StandingInstruction,
    },
    state::{IwishBook, NewGoal},
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "IwishGoalCreationRequest")]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct GoalCreationRequest {
    /// 1 to 50 characters.
    pub goal_name: GoalName,
    pub category: Category,
    pub target_amount: Amount,
    /// 6 to 120 months (`IW101` otherwise).
    pub tenure_months: u32,
    /// At least ₹100 (`IW102`). Ending `.51`: insufficient funds (`IW301`); `.96`: timeout (504).
    pub initial_deposit: Amount,
    /// A savings account of this bank, e.g. the demo person's `000401000001`.
    pub funding_account: AccountNo,
    /// Monthly standing instruction, at least ₹100; send with `siDay`.
    pub si_amount: Option<Amount>,
    /// Day of the month for the standing instruction, 1–28; send with `siAmount`.
    pub si_day: Option<SiDay>,
}

impl poem_openapi::types::Example for GoalCreationRequest {
    fn example() -> Self {
        Self {
            goal_name: sample("Goa trip"),
            category: Category::Travel,
            target_amount: sample("60000.00"),
            tenure_months: 12,
            initial_deposit: sample("5000.00"),
            funding_account: sample("000401000001"),
            si_amount: Some(sample("4500.00")),
            si_day: Some(sample(5)),
        }
    }
}

/// The standing instruction of a request: both fields or neither.
/// [`standing_instruction`]'s rule as a schema: `siAmount` and `siDay` together or not at all;
/// the goal's name as [`goal_name`](super::model::goal_name) reads it.
pub fn standing_instruction_rule() -> serde_json::Value {
    use crate::api::SchemaRule;
    // Absent or `null` (a property's schema says nothing when the property is absent).
    let absent = |field: &str, ty: &str| serde_json::json!({ "properties": { field: { "type": ty, "nullable": true, "enum": [null] } } });
    serde_json::json!({
        "anyOf": [
            { "allOf": [absent("siDay", "integer"), absent("siAmount", "string")] },
            { "allOf": [SchemaRule::present::<Amount>("siAmount"), SchemaRule::present::<u32>("siDay")] },
        ],
    })
}

pub fn standing_instruction(
    amount: Option<Amount>,
    day: Option<u32>,
) -> Result<Option<StandingInstruction>, Rejection> {
    match (amount, day) {
        (Some(amount), Some(day)) => Ok(Some(StandingInstruction {
            amount: amount.value(),
            day,
        })),
        (None, None) => Ok(None),
        (Some(_), None) => Err(Rejection::schema("siDay", "is required with siAmount")),
        (None, Some(_)) => Err(Rejection::schema("siAmount", "is required with siDay")),
    }
}

/// `IW102` unless `amount` is at least ₹100.
pub fn check_minimum(field: &str, amount: Decimal) -> Result<(), Decline> {
    if amount < minimum_deposit() {
        Err(Decline::new(
            codes::BELOW_MINIMUM,
            format!("{field} must be at least 100.00, got {amount}"),
        ))
    } else {
        Ok(())
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: GoalCreationRequest,
) -> Reply<GoalResponse> {
    let si = standing_instruction(request.si_amount, request.si_day.map(u32::from))?;
    let deposit = request.initial_deposit.value();
    let magic = magic_amount(deposit);
    if magic == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let funding = request.funding_account.to_string();
    let outcome = sandbox.family(app, IwishBook::new, |book, ctx| {
        // Room first: a goal refused at the object bound moves nothing.
        book.room_for_goal(ctx)?;
        let mut create = || {
            if !(6..=120).contains(&request.tenure_months) {
                return Err(Decline::new(
                    codes::TENURE_OUT_OF_RANGE,
                    format!(
                        "tenureMonths must be 6 to 120 months, got {}",
                        request.tenure_months
                    ),
                ));
            }
            check_minimum("initialDeposit", deposit)?;
            if let Some(si) = si {
                check_minimum("siAmount", si.amount)?;
            }
            if magic == Some(MagicAmount::InsufficientFunds) {
                return Err(insufficient(&funding, deposit));
            }
            let (id, account_no) = loop {
                let seq = book.next_seq();
                let id = sandbox
                    .determinism
                    .app_code("IW", "iwish-goal", &app.id, seq, 10);
                let account_no =
                    sandbox
                        .determinism
                        .app_code("000477", "iwish-account", &app.id, &id, 6);
                if !book.goals.contains(&id) && ctx.ledger.account(&account_no).is_none() {
                    break (id, account_no);
                }
            };
            book.create(
                ctx,
                id.clone(),
                account_no,
                NewGoal {
                    name: request.goal_name.to_string(),
                    category: request.category,
                    target_amount: request.target_amount.value(),
                    tenure_months: request.tenure_months,
                    initial_deposit: deposit,
                    funding_account: funding.clone(),
                    si,
                },
            )?;
            let goal = book.goal(&id)?;
            Ok((
                format!("Goal {id} created"),
                describe(goal, ctx.ledger, ist_date(ctx.now)),
            ))
        };
        Ok::<_, Full>(create())
    })?;
    Ok(goal_answer(outcome))
}
