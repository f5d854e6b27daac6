//! `POST /api/v1/iwish/goal-edit` [sandbank]: renames a goal, changes its target, or sets, changes or
//! cancels its standing instruction (the next debit is the first new `siDay` after now). Send at least
//! one change. A closed or matured goal takes none (`IW202`).

use crate::api::sample;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::Reply,
        formats::{Amount, GoalName, SiDay},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    goal_creation::{check_minimum, standing_instruction},
    goal_view::{describe, goal_answer, GoalResponse},
    model::{ist_date, GoalId},
    state::IwishBook,
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "IwishGoalEditRequest")]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct GoalEditRequest {
    pub goal_id: GoalId,
    pub goal_name: Option<GoalName>,
    pub target_amount: Option<Amount>,
    /// A new standing instruction: `siAmount` (at least ₹100) with `siDay` (1–28).
    pub si_amount: Option<Amount>,
    pub si_day: Option<SiDay>,
    /// `true` cancels the standing instruction.
    pub cancel_si: Option<bool>,
}

impl poem_openapi::types::Example for GoalEditRequest {
    fn example() -> Self {
        Self {
            goal_id: sample("IW3706472746"),
            goal_name: Some(sample("Goa and Gokarna trip")),
            target_amount: Some(sample("75000.00")),
            si_amount: None,
            si_day: None,
            cancel_si: None,
        }
    }
}

/// What [`answer`] needs beyond the standing instruction's pair: something to change, and no new
/// standing instruction together with `cancelSi: true`.
pub fn schema_rule() -> crate::api::SchemaRule {
    use crate::api::SchemaRule;
    let cancel = serde_json::json!({
        "required": ["cancelSi"],
        "properties": { "cancelSi": { "type": "boolean", "enum": [true] } },
    });
    SchemaRule {
        schema: "IwishGoalEditRequest",
        rule: serde_json::json!({
            "allOf": [
                { "anyOf": [
                    { "required": ["goalName"], "properties": { "goalName": { "type": "string" } } },
                    SchemaRule::present::<Amount>("targetAmount"),
                    SchemaRule::present::<Amount>("siAmount"),
                    cancel,
                ] },
                { "not": { "allOf": [cancel, SchemaRule::present::<Amount>("siAmount")] } },
            ],
        }),
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: GoalEditRequest,
) -> Reply<GoalResponse> {
    let si = standing_instruction(request.si_amount, request.si_day.map(u32::from))?;
    let cancel = request.cancel_si == Some(true);
    if cancel && si.is_some() {
        return Err(Rejection::schema(
            "cancelSi",
            "cannot be sent with a new siAmount and siDay",
        ));
    }
    if request.goal_name.is_none() && request.target_amount.is_none() && si.is_none() && !cancel {
        return Err(Rejection::schema(
            "",
            "send at least one of goalName, targetAmount, siAmount with siDay, or cancelSi",
        ));
    }
    Ok(goal_answer(sandbox.family(
        app,
        IwishBook::new,
        |book, ctx| {
            let goal = book.goal(request.goal_id.as_str())?;
            goal.expect_active()?;
            if let Some(si) = si {
                check_minimum("siAmount", si.amount)?;
            }
            if let Some(name) = &request.goal_name {
                goal.name.clone_from(name.as_string());
            }
            if let Some(target) = request.target_amount {
                goal.target_amount = target.value();
            }
            if si.is_some() || cancel {
                book.set_si(request.goal_id.as_str(), si, ctx.now);
            }
            let goal = book.goal(request.goal_id.as_str())?;
            Ok((
                format!("Goal {} updated", goal.id),
                describe(goal, ctx.ledger, ist_date(ctx.now)),
            ))
        },
    )))
}
