//! `POST /api/Corporate/CIB/v1/AccountStatement` [bank]: an account's entries between two dates,
//! 50 to a page (`CONFLG: Y` and `LASTTRID` ask for the next page). Read from the app's ledger, so the
//! balances agree with BalanceInquiry: each record's `BALANCE` is the balance right after it.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::{Enum, Object};
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        corporates::owns,
        formats::{AccountNo, BankDate, Money},
        ledger::Entry,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes,
    model::cib::{
        admitted, cib_example, cib_request, ist_timestamp, CibIdentity, CibOutcome, DATE_FORMAT,
    },
    state::CibState,
};

/// Records per page.
pub const PAGE_SIZE: usize = 50;

/// `Y`: more to come / continue after `LASTTRID`; `N`: the last page / the first page. As
/// `WORKFLOW_REQD`: `N` executes at once; `Y` (or absent) waits for the corporate's approval workflow.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum YesNo {
    Y,
    N,
}

cib_request! {
    /// The identity block, the account, the date range and the paging cursor.
    #[derive(Object, Deserialize, Debug)]
    #[oai(skip_serializing_if_is_none, example)]
    pub struct AccountStatementRequest {
        /// One of the corporate's accounts (another account: 9906).
        #[oai(rename = "ACCOUNTNO")]
        #[serde(rename = "ACCOUNTNO")]
        pub account_no: AccountNo,
        /// First value date, `DD-MM-YYYY`.
        #[oai(rename = "FROMDATE")]
        #[serde(rename = "FROMDATE")]
        pub from_date: BankDate,
        /// Last value date, `DD-MM-YYYY`, not before `FROMDATE`.
        #[oai(rename = "TODATE")]
        #[serde(rename = "TODATE")]
        pub to_date: BankDate,
        #[oai(rename = "CONFLG")]
        #[serde(rename = "CONFLG", default)]
        pub conflg: Option<YesNo>,
        /// The previous page's `LASTTRID`; needed with `CONFLG: Y`.
        #[oai(rename = "LASTTRID")]
        #[serde(rename = "LASTTRID", default)]
        pub last_trid: Option<String>,
    }
}

impl poem_openapi::types::Example for AccountStatementRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            account_no: sample("000405000001"),
            from_date: sample("31-03-2026"),
            to_date: sample("31-03-2026"),
            conflg: Some(YesNo::N),
            last_trid: None,
        })
    }
}

/// One statement line.
#[derive(Object, Debug)]
pub struct StatementRecord {
    #[oai(rename = "TRANSACTIONID")]
    pub transaction_id: String,
    /// `DD-MM-YYYY`.
    #[oai(rename = "VALUEDATE")]
    pub value_date: String,
    /// `DD-MM-YYYY HH:MM:SS`, IST.
    #[oai(rename = "TXNDATE")]
    pub txn_date: String,
    #[oai(rename = "REMARKS")]
    pub remarks: String,
    #[oai(rename = "AMOUNT")]
    pub amount: Money,
    /// The balance right after this entry.
    #[oai(rename = "BALANCE")]
    pub balance: Money,
    /// `CR` or `DR`.
    #[oai(rename = "TYPE")]
    pub kind: String,
}

/// A page of the statement.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AccountStatementResponse {
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "ACCOUNTNO")]
    pub account_no: Option<String>,
    /// `Y`: more records follow (ask again with `CONFLG: Y` and this `LASTTRID`); `N`: the last page.
    #[oai(rename = "CONFLG")]
    pub conflg: Option<String>,
    /// The last record's `TRANSACTIONID` (empty when the page is empty).
    #[oai(rename = "LASTTRID")]
    pub last_trid: Option<String>,
    /// Oldest first, at most 50.
    #[oai(rename = "Record")]
    pub record: Option<Vec<StatementRecord>>,
}

impl AccountStatementResponse {
    fn refused(outcome: CibOutcome) -> Self {
        Self {
            outcome,
            account_no: None,
            conflg: None,
            last_trid: None,
            record: None,
        }
    }
}

impl Answered for AccountStatementResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_ANSWER;
}

/// `LASTTRID` with `CONFLG: Y`, as [`answer`] needs.
pub fn schema_rule() -> crate::api::SchemaRule {
    crate::api::SchemaRule {
        schema: "AccountStatementRequest",
        rule: serde_json::json!({
            "anyOf": [
                { "properties": { "CONFLG": { "type": "string", "nullable": true, "enum": ["N", null] } } },
                { "required": ["LASTTRID"], "properties": { "LASTTRID": { "type": "string" } } },
            ],
        }),
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: AccountStatementRequest,
) -> Reply<AccountStatementResponse> {
    let (from, to) = (request.from_date.date(), request.to_date.date());
    if from > to {
        let refused = CibOutcome::failure(
            "FAILURE",
            codes::RULE_VIOLATED,
            format!(
                "TODATE {} is before FROMDATE {}",
                request.to_date, request.from_date
            ),
        );
        return Ok(Answer(AccountStatementResponse::refused(refused)));
    }
    let after = match (request.conflg, &request.last_trid) {
        (Some(YesNo::Y), Some(id)) => Some(id.clone()),
        (Some(YesNo::Y), None) => {
            return Err(Rejection::schema("LASTTRID", "is required with CONFLG Y"))
        }
        _ => None,
    };
    let identity = &request.identity();
    let corporate = identity.corporate(sandbox, None);
    let account_no = request.account_no.as_str();
    let page = sandbox.family(app, CibState::new, |state, ctx| {
        if let Err(refused) = admitted(state, identity, corporate) {
            return Ok::<_, Rejection>(Err(refused));
        }
        let entries = corporate
            .filter(|c| owns(c, account_no))
            .and_then(|_| ctx.ledger.statement(account_no, from, to));
        let Some(entries) = entries else {
            return Ok(Err(CibOutcome::failure(
                "FAILURE",
                codes::INVALID_IDS,
                format!("Account {account_no} does not belong to the corporate"),
            )));
        };
        let start = match &after {
            Some(id) => match entries.iter().position(|e| &e.id == id) {
                Some(at) => at + 1,
                None => {
                    return Ok(Err(CibOutcome::failure(
                        "FAILURE",
                        codes::RULE_VIOLATED,
                        format!("LASTTRID `{id}` is not a record of this statement"),
                    )))
                }
            },
            None => 0,
        };
        let rest = &entries[start.min(entries.len())..];
        let more = rest.len() > PAGE_SIZE;
        Ok(Ok((
            rest.iter().take(PAGE_SIZE).map(|e| record(e)).collect(),
            more,
        )))
    })?;
    let response = match page {
        Ok((records, more)) => statement(account_no, records, more),
        Err(outcome) => AccountStatementResponse::refused(outcome),
    };
    Ok(Answer(response))
}

/// A page of the statement; `more`: further records follow (`CONFLG` `Y`, continue after `LASTTRID`).
fn statement(
    account_no: &str,
    records: Vec<StatementRecord>,
    more: bool,
) -> AccountStatementResponse {
    AccountStatementResponse {
        outcome: CibOutcome::success("SUCCESS", "Statement fetched"),
        account_no: Some(account_no.to_string()),
        conflg: Some(if more { "Y" } else { "N" }.into()),
        last_trid: Some(
            records
                .last()
                .map(|r| r.transaction_id.clone())
                .unwrap_or_default(),
        ),
        record: Some(records),
    }
}

fn record(entry: &Entry) -> StatementRecord {
    StatementRecord {
        transaction_id: entry.id.clone(),
        value_date: entry.value_date.format(DATE_FORMAT).to_string(),
        txn_date: ist_timestamp(entry.at),
        remarks: entry.remarks.clone(),
        amount: entry.amount.into(),
        balance: entry.balance_after.into(),
        kind: entry.direction.code().into(),
    }
}
