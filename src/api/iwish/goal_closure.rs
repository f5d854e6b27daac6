//! `POST /api/v1/iwish/goal-closure` [sandbank]: closes a goal before maturity. Credits the interest
//! accrued since the last month end, takes the premature penalty (1.00% a year off the 6.50% rate for
//! the whole holding: interest × 1.00 / 6.50, rounded to paise), pays the rest to the funding account,
//! and answers the breakdown. A goal pays out by itself at maturity (see `/goal-view`'s `payout`); a
//! closed or matured goal answers `IW202`.

use poem_openapi::Object;

use crate::sandbox::{
    bank::{answer::Answer, clock::ist},
    gateway::apps::App,
    Sandbox,
};

use super::{
    goal_view::{GoalRequest, PayoutView},
    model::Outcome,
    state::IwishBook,
};

#[derive(Object, Debug)]
#[oai(rename = "IwishClosureData")]
#[oai(rename_all = "camelCase")]
pub struct ClosureData {
    pub goal_id: String,
    pub status: super::model::GoalStatus,
    pub payout: PayoutView,
}

enveloped_answer!(
    ClosureResponse,
    schema "IwishClosureResponse",
    Outcome,
    data ClosureData,
    "Closed with its payout breakdown, or `IW201` / `IW202`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: GoalRequest,
) -> Answer<ClosureResponse> {
    let result = sandbox.family(app, IwishBook::new, |book, ctx| {
        let payout = book.close(ctx, request.goal_id.as_str())?;
        let goal = book.goal(request.goal_id.as_str())?;
        Ok((
            format!(
                "Goal {} closed: {} paid to {}",
                goal.id, payout.net, goal.funding_account
            ),
            ClosureData {
                goal_id: goal.id.clone(),
                status: goal.status,
                payout: PayoutView {
                    closure_type: payout.closure_type,
                    principal: payout.principal.into(),
                    interest: payout.interest.into(),
                    penalty: payout.penalty.into(),
                    net_payout: payout.net.into(),
                    credited_account: goal.funding_account.clone(),
                    transaction_id: payout.transaction_id,
                    closed_at: payout.at.with_timezone(&ist()),
                },
            },
        ))
    });
    Answer(ClosureResponse::of(result))
}
