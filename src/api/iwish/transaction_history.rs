//! `POST /api/v1/iwish/transaction-history` [sandbank]: a goal's transactions, oldest first: deposits,
//! standing-instruction debits (failed ones too), interest credits, penalty and payout, each with the
//! goal account's balance after it.

use chrono::{DateTime, FixedOffset};
use poem_openapi::Object;

use crate::sandbox::{
    bank::{answer::Answer, clock::ist, formats::Money},
    gateway::apps::App,
    Sandbox,
};

use super::{
    goal_view::GoalRequest,
    model::{Outcome, TxnStatus, TxnType},
    state::IwishBook,
};

#[derive(Object, Debug)]
#[oai(rename = "IwishTransactionLine")]
#[oai(rename_all = "camelCase")]
pub struct TransactionLine {
    /// The entry's TRANSACTIONID on the goal account (empty for a failed standing instruction).
    pub transaction_id: String,
    pub at: DateTime<FixedOffset>,
    #[oai(rename = "type")]
    pub kind: TxnType,
    pub amount: Money,
    pub balance_after: Money,
    pub status: TxnStatus,
    pub remarks: String,
}

#[derive(Object, Debug)]
#[oai(rename = "IwishHistoryData")]
#[oai(rename_all = "camelCase")]
pub struct HistoryData {
    pub goal_id: String,
    pub transactions: Vec<TransactionLine>,
}

enveloped_answer!(
    HistoryResponse,
    schema "IwishHistoryResponse",
    Outcome,
    data HistoryData,
    "The transactions, or `IW201`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: GoalRequest,
) -> Answer<HistoryResponse> {
    let result = sandbox.family(app, IwishBook::new, |book, _| {
        let goal = book.goal(request.goal_id.as_str())?;
        let transactions: Vec<TransactionLine> = goal
            .history
            .iter()
            .map(|t| TransactionLine {
                transaction_id: t.id.clone(),
                at: t.at.with_timezone(&ist()),
                kind: t.kind,
                amount: t.amount.into(),
                balance_after: t.balance_after.into(),
                status: t.status,
                remarks: t.remarks.clone(),
            })
            .collect();
        Ok((
            format!("{} transactions", transactions.len()),
            HistoryData {
                goal_id: goal.id.clone(),
                transactions,
            },
        ))
    });
    Answer(HistoryResponse::of(result))
}
