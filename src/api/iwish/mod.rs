//! iWish: goal-based flexible recurring deposits. Each goal has its own account in
//! the ledger, funded from a savings account of this bank; interest (6.50% a year) is credited at each
//! sandbox-clock month end, standing instructions debit on their day, and the goal pays out at maturity
//! or on premature closure (with its penalty). One file per operation; the methods here only route,
//! the rules live in `book`.

mod codes;
mod funds_add;
mod goal_closure;
mod goal_creation;
mod goal_edit;
mod goal_view;
mod model;
pub(crate) mod state;
mod transaction_history;

use poem_openapi::OpenApi;

use crate::sandbox::{
    bank::answer::Reply,
    gateway::{credentials::AppKey, payload::BankJson},
};

use super::{ApiTags, SchemaRule};

/// What this family's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    ["IwishGoalCreationRequest", "IwishGoalEditRequest"]
        .into_iter()
        .map(|schema| SchemaRule {
            schema,
            rule: goal_creation::standing_instruction_rule(),
        })
        .chain([goal_edit::schema_rule()])
        .collect()
}

pub use funds_add::{AddFundsRequest, AddFundsResponse};
pub use goal_closure::ClosureResponse;
pub use goal_creation::GoalCreationRequest;
pub use goal_edit::GoalEditRequest;
pub use goal_view::{GoalRequest, GoalResponse};
pub use transaction_history::HistoryResponse;

family_api!(IwishApi);

#[OpenApi(tag = "ApiTags::Iwish")]
impl IwishApi {
    /// Create a goal
    ///
    /// Opens a goal account and moves the initial deposit into it from the funding account (a savings
    /// account of this bank), with an optional monthly standing instruction. Insufficient funds
    /// (`IW301`) create nothing. Tenure 6–120 months (`IW101`); deposits at least ₹100 (`IW102`).
    #[oai(
        path = "/api/v1/iwish/goal-creation",
        method = "post",
        operation_id = "iwishGoalCreation"
    )]
    async fn goal_creation(
        &self,
        auth: AppKey,
        body: BankJson<GoalCreationRequest>,
    ) -> Reply<GoalResponse> {
        goal_creation::answer(&self.sandbox, &auth.0, body.0)
    }

    /// View a goal
    ///
    /// Balance, deposits, interest credited and accrued, progress to target, the standing instruction
    /// and its next debit, and the payout once closed or matured — on the app's sandbox clock.
    #[oai(
        path = "/api/v1/iwish/goal-view",
        method = "post",
        operation_id = "iwishGoalView"
    )]
    async fn goal_view(&self, auth: AppKey, body: BankJson<GoalRequest>) -> Reply<GoalResponse> {
        Ok(goal_view::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Edit a goal
    ///
    /// Rename it, change its target, or set, change or cancel its standing instruction.
    #[oai(
        path = "/api/v1/iwish/goal-edit",
        method = "post",
        operation_id = "iwishGoalEdit"
    )]
    async fn goal_edit(
        &self,
        auth: AppKey,
        body: BankJson<GoalEditRequest>,
    ) -> Reply<GoalResponse> {
        goal_edit::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Add funds to a goal
    ///
    /// Any amount of at least ₹100, any time, from the funding account (or another account of this
    /// bank) into the goal account.
    #[oai(
        path = "/api/v1/iwish/add-funds",
        method = "post",
        operation_id = "iwishAddFunds"
    )]
    async fn add_funds(
        &self,
        auth: AppKey,
        body: BankJson<AddFundsRequest>,
    ) -> Reply<AddFundsResponse> {
        funds_add::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Close a goal early
    ///
    /// Premature closure: credits the accrued interest, takes the penalty (1.00% a year off the rate),
    /// pays the rest to the funding account and answers the breakdown (principal, interest, penalty,
    /// net payout).
    #[oai(
        path = "/api/v1/iwish/goal-closure",
        method = "post",
        operation_id = "iwishGoalClosure"
    )]
    async fn goal_closure(
        &self,
        auth: AppKey,
        body: BankJson<GoalRequest>,
    ) -> Reply<ClosureResponse> {
        Ok(goal_closure::answer(&self.sandbox, &auth.0, body.0))
    }

    /// A goal's transactions
    ///
    /// Deposits, standing-instruction debits (failed ones too), interest credits, penalty and payout,
    /// oldest first, with the goal account's balance after each.
    #[oai(
        path = "/api/v1/iwish/transaction-history",
        method = "post",
        operation_id = "iwishTransactionHistory"
    )]
    async fn transaction_history(
        &self,
        auth: AppKey,
        body: BankJson<GoalRequest>,
    ) -> Reply<HistoryResponse> {
        Ok(transaction_history::answer(&self.sandbox, &auth.0, body.0))
    }
}
