//! `POST /api/v1/trade/remittance/account-inquiry` [sandbank]: the remitter's INR account with the
//! bank, as the ledger holds it, before an outward remittance.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use super::{codes::Code, state::TradeState};
use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        formats::{AccountNo, Money},
    },
    gateway::apps::App,
    Sandbox,
};

/// The remitter's account.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct AccountInquiryRequest {
    /// An account of this bank, e.g. the demo corporate's `000405000001` or a person's savings account.
    pub account_no: AccountNo,
}

impl poem_openapi::types::Example for AccountInquiryRequest {
    fn example() -> Self {
        Self {
            account_no: sample("000405000001"),
        }
    }
}

/// The account (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct AccountInquiryResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `TR000` success, `TR004` account not found.
    pub response_code: String,
    pub message: String,
    pub account_no: Option<String>,
    pub account_name: Option<String>,
    /// `INR` for customers' accounts.
    pub currency: Option<String>,
    /// `ACTIVE`.
    pub account_status: Option<String>,
    pub available_balance: Option<Money>,
}

impl Answered for AccountInquiryResponse {
    const DESCRIPTION: &'static str =
        "The account, or a business decline (HTTP 200; read `responseCode`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: AccountInquiryRequest,
) -> Answer<AccountInquiryResponse> {
    let found = sandbox.family(app, TradeState::new, |_, ctx| {
        ctx.ledger
            .account(request.account_no.as_str())
            .map(|a| (a.holder.clone(), a.currency.clone(), a.balance))
    });
    let code = if found.is_some() {
        Code::Success
    } else {
        Code::AccountNotFound
    };
    let (name, currency, balance) =
        found.map_or((None, None, None), |(n, c, b)| (Some(n), Some(c), Some(b)));
    Answer(AccountInquiryResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        account_no: name.as_ref().map(|_| request.account_no.to_string()),
        account_status: name.as_ref().map(|_| "ACTIVE".to_string()),
        account_name: name,
        currency,
        available_balance: balance.map(Money::from),
    })
}
