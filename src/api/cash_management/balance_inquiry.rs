//! `POST /api/Corporate/CIB/v1/BalanceInquiry` [bank]: an account's balance, read from the app's
//! ledger (so it always agrees with the statement).

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        corporates::owns,
        formats::{AccountNo, Money},
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    codes,
    model::cib::{admitted, cib_example, cib_request, ist_date, CibIdentity, CibOutcome},
    state::CibState,
};

cib_request! {
    /// The identity block and the account.
    #[derive(Object, Deserialize, Debug)]
    #[oai(example)]
    pub struct BalanceInquiryRequest {
        /// One of the corporate's accounts (another account: 9906).
        #[oai(rename = "ACCOUNTNO")]
        #[serde(rename = "ACCOUNTNO")]
        pub account_no: AccountNo,
    }
}

impl poem_openapi::types::Example for BalanceInquiryRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            account_no: sample("000405000001"),
        })
    }
}

/// The account's balance.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct BalanceInquiryResponse {
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "ACCOUNTNO")]
    pub account_no: Option<String>,
    /// The balance available, 2 decimal places (a string).
    #[oai(rename = "EFFECTIVEBAL")]
    pub effective_bal: Option<Money>,
    #[oai(rename = "CURRENCY")]
    pub currency: Option<String>,
    /// Today by the app's sandbox clock, `DD-MM-YYYY`.
    #[oai(rename = "DATE")]
    pub date: Option<String>,
}

impl Answered for BalanceInquiryResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: BalanceInquiryRequest,
) -> Answer<BalanceInquiryResponse> {
    let identity = &request.identity();
    let corporate = identity.corporate(sandbox, None);
    let account_no = request.account_no.as_str();
    let found = sandbox.family(app, CibState::new, |state, ctx| {
        admitted(state, identity, corporate)?;
        let account = corporate
            .filter(|c| owns(c, account_no))
            .and_then(|_| ctx.ledger.account(account_no))
            .ok_or_else(|| {
                CibOutcome::failure(
                    "FAILURE",
                    codes::INVALID_IDS,
                    format!("Account {account_no} does not belong to the corporate"),
                )
            })?;
        Ok((account.balance, account.currency.clone(), ist_date(ctx.now)))
    });
    let response = match found {
        Ok((balance, currency, date)) => BalanceInquiryResponse {
            outcome: CibOutcome::success("SUCCESS", "Balance fetched"),
            account_no: Some(account_no.to_string()),
            effective_bal: Some(balance.into()),
            currency: Some(currency),
            date: Some(date),
        },
        Err(outcome) => BalanceInquiryResponse {
            outcome,
            account_no: None,
            effective_bal: None,
            currency: None,
            date: None,
        },
    };
    Answer(response)
}
