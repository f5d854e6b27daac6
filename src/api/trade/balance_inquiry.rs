//! `POST /api/v1/trade/remittance/balance-inquiry` [sandbank]: the bank's nostro balance in a currency
//! (the account its correspondent keeps for it), from the app's ledger.

use crate::api::sample;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use poem_openapi::Object;
use serde::Deserialize;

use super::{codes::Code, model::market, state::TradeState};
use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        clock::ist,
        formats::{CurrencyCode, Money},
    },
    gateway::apps::App,
    Sandbox,
};

/// Which currency's nostro.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct RemittanceBalanceInquiryRequest {
    /// ISO 4217: `USD`, `EUR`, `GBP`, `AED`, `SGD` or `JPY` (others: `TR001`).
    pub currency: CurrencyCode,
}

impl poem_openapi::types::Example for RemittanceBalanceInquiryRequest {
    fn example() -> Self {
        Self {
            currency: sample("USD"),
        }
    }
}

/// The nostro's balance (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct RemittanceBalanceInquiryResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `TR000` success, `TR001` currency not supported.
    pub response_code: String,
    pub message: String,
    pub currency: Option<String>,
    /// `NOSTRO`.
    pub account_type: Option<String>,
    /// The nostro's number in the bank's books: `0004098` + ISO numeric code + `01`.
    pub account_no: Option<String>,
    pub correspondent_bank: Option<String>,
    pub correspondent_bic: Option<String>,
    /// In the currency, 2 places.
    pub available_balance: Option<Money>,
    /// The app's sandbox clock, IST.
    pub as_of: Option<DateTime<FixedOffset>>,
}

impl Answered for RemittanceBalanceInquiryResponse {
    const DESCRIPTION: &'static str =
        "The balance, or a business decline (HTTP 200; read `responseCode`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: RemittanceBalanceInquiryRequest,
) -> Answer<RemittanceBalanceInquiryResponse> {
    let Some(currency) = market::currency(request.currency.as_str()) else {
        let code = Code::CurrencyNotSupported;
        return Answer(RemittanceBalanceInquiryResponse {
            status: code.status().into(),
            response_code: code.code().into(),
            message: code.message().into(),
            currency: None,
            account_type: None,
            account_no: None,
            correspondent_bank: None,
            correspondent_bic: None,
            available_balance: None,
            as_of: None,
        });
    };
    let (account_no, balance, now) = sandbox.family(app, TradeState::new, |_, ctx| {
        let account = currency.ensure_nostro(ctx.ledger, ctx.now);
        let balance = ctx.ledger.balance(&account).unwrap_or_default();
        (account, balance, ctx.now)
    });
    Answer(RemittanceBalanceInquiryResponse {
        status: Code::Success.status().into(),
        response_code: Code::Success.code().into(),
        message: Code::Success.message().into(),
        currency: Some(currency.code.into()),
        account_type: Some("NOSTRO".into()),
        account_no: Some(account_no),
        correspondent_bank: Some(currency.correspondent.into()),
        correspondent_bic: Some(currency.correspondent_bic.into()),
        available_balance: Some(balance.into()),
        as_of: Some(now.with_timezone(&ist())),
    })
}
