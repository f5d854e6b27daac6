//! `POST /api/v1/iwish/add-funds` [sandbank]: any amount, any time, at least ₹100 (`IW102`): moves it
//! from the funding account (or another account of this bank) into the goal account through the
//! ledger.

use crate::api::sample;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Reply},
        formats::{AccountNo, Amount, Money},
        magic::{magic_amount, MagicAmount},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    goal_creation::check_minimum,
    model::{money::insufficient, GoalId, Outcome},
    state::IwishBook,
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "IwishAddFundsRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct AddFundsRequest {
    pub goal_id: GoalId,
    /// At least ₹100. Ending `.51`: insufficient funds (`IW301`); `.96`: timeout (504).
    pub amount: Amount,
    /// The account to debit; the goal's funding account when absent.
    #[oai(skip_serializing_if_is_none)]
    pub from_account: Option<AccountNo>,
}

impl poem_openapi::types::Example for AddFundsRequest {
    fn example() -> Self {
        Self {
            goal_id: sample("IW3706472746"),
            amount: sample("2000.00"),
            from_account: None,
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "IwishAddFundsData")]
#[oai(rename_all = "camelCase")]
pub struct AddFundsData {
    pub goal_id: String,
    pub amount: Money,
    pub from_account: String,
    /// The credit's TRANSACTIONID on the goal account.
    pub transaction_id: String,
    pub goal_balance: Money,
    pub total_deposited: Money,
}

enveloped_answer!(
    AddFundsResponse,
    schema "IwishAddFundsResponse",
    Outcome,
    data AddFundsData,
    "Added, or `IW102` / `IW201` / `IW202` / `IW301` / `IW302`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: AddFundsRequest,
) -> Reply<AddFundsResponse> {
    let amount = request.amount.value();
    let magic = magic_amount(amount);
    if magic == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let result = sandbox.family(app, IwishBook::new, |book, ctx| {
        let goal = book.goal(request.goal_id.as_str())?;
        goal.expect_active()?;
        check_minimum("amount", amount)?;
        let from = request
            .from_account
            .as_ref()
            .map_or_else(|| goal.funding_account.clone(), ToString::to_string);
        if magic == Some(MagicAmount::InsufficientFunds) {
            return Err(insufficient(&from, amount));
        }
        let entry = book.add_funds(ctx, request.goal_id.as_str(), &from, amount)?;
        let goal = book.goal(request.goal_id.as_str())?;
        Ok((
            format!("{amount} added to goal {}", goal.id),
            AddFundsData {
                goal_id: goal.id.clone(),
                amount: amount.into(),
                from_account: from,
                transaction_id: entry,
                goal_balance: ctx
                    .ledger
                    .balance(&goal.account_no)
                    .unwrap_or_default()
                    .into(),
                total_deposited: goal.principal.into(),
            },
        ))
    });
    Ok(Answer(AddFundsResponse::of(result)))
}
