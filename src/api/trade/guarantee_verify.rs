//! `POST /api/v1/trade/bank-guarantee/verify` [sandbank]: a bank guarantee by its BG number — status
//! (ISSUED, AMENDED, EXPIRED by the app's sandbox clock, INVOKED), amount, expiry, beneficiary, and its
//! amendment history. Also the answer shape every guarantee operation shares.

use crate::api::sample;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    codes::Code,
    model::{Guarantee, GuaranteeStatus},
    state::TradeState,
};
use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        clock::ist,
        formats::{CapsCode, Money},
        magic::{magic_amount, MagicAmount},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

/// Which guarantee.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct GuaranteeVerifyRequest {
    /// The BG number issuance answered.
    pub bg_number: CapsCode<4, 30>,
}

impl poem_openapi::types::Example for GuaranteeVerifyRequest {
    fn example() -> Self {
        Self {
            bg_number: sample("BG00046710123783"),
        }
    }
}

/// One amendment of a guarantee.
#[derive(Object, Debug, Clone)]
#[oai(rename_all = "camelCase")]
pub struct AmendmentDetails {
    /// `AMD001`, `AMD002`, ... in order.
    pub amendment_no: String,
    /// The client's `amendmentRefNo`.
    pub amendment_ref_no: String,
    /// IST, by the app's sandbox clock.
    pub amended_at: DateTime<FixedOffset>,
    pub previous_amount: Money,
    pub amount: Money,
    pub previous_expiry_date: NaiveDate,
    pub expiry_date: NaiveDate,
}

/// The beneficiary's claim on a guarantee.
#[derive(Object, Debug, Clone)]
#[oai(rename_all = "camelCase")]
pub struct InvocationDetails {
    pub claim_ref_no: String,
    pub claim_amount: Money,
    pub invoked_at: DateTime<FixedOffset>,
}

/// A bank guarantee as the bank holds it.
#[derive(Object, Debug, Clone)]
#[oai(rename_all = "camelCase")]
pub struct GuaranteeDetails {
    pub bg_number: String,
    pub bg_status: GuaranteeStatus,
    pub request_ref_no: String,
    pub guarantee_type: String,
    pub applicant_account_no: String,
    pub applicant_name: String,
    pub beneficiary_name: String,
    pub beneficiary_address: String,
    /// ISO 4217.
    pub currency: String,
    /// The guaranteed amount in `currency`, as last amended.
    pub amount: Money,
    pub issue_date: NaiveDate,
    /// The last day the guarantee is in force, as last amended.
    pub expiry_date: NaiveDate,
    pub claim_period_days: u32,
    /// `expiryDate` + `claimPeriodDays`: the last day a claim can be lodged.
    pub claim_expiry_date: NaiveDate,
    /// Every amendment, oldest first.
    pub amendments: Vec<AmendmentDetails>,
    #[oai(skip_serializing_if_is_none)]
    pub invocation: Option<InvocationDetails>,
}

impl GuaranteeDetails {
    pub fn of(g: &Guarantee, today: NaiveDate) -> Self {
        Self {
            bg_number: g.bg_number.clone(),
            bg_status: g.status(today),
            request_ref_no: g.request_ref.clone(),
            guarantee_type: g.guarantee_type.clone(),
            applicant_account_no: g.applicant_account.clone(),
            applicant_name: g.applicant_name.clone(),
            beneficiary_name: g.beneficiary_name.clone(),
            beneficiary_address: g.beneficiary_address.clone(),
            currency: g.currency.clone(),
            amount: Money(g.amount),
            issue_date: g.issue_date,
            expiry_date: g.expiry_date,
            claim_period_days: g.claim_period_days,
            claim_expiry_date: g.claim_expiry_date(),
            amendments: g
                .amendments
                .iter()
                .map(|a| AmendmentDetails {
                    amendment_no: a.amendment_no.clone(),
                    amendment_ref_no: a.reference.clone(),
                    amended_at: a.at.with_timezone(&ist()),
                    previous_amount: Money(a.previous_amount),
                    amount: Money(a.amount),
                    previous_expiry_date: a.previous_expiry_date,
                    expiry_date: a.expiry_date,
                })
                .collect(),
            invocation: g.invocation.as_ref().map(|i| InvocationDetails {
                claim_ref_no: i.reference.clone(),
                claim_amount: Money(i.amount),
                invoked_at: i.at.with_timezone(&ist()),
            }),
        }
    }
}

/// A guarantee operation's answer (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct GuaranteeResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `BG000` success; `BG001`–`BG010` declines (see docs).
    pub response_code: String,
    pub message: String,
    /// The guarantee as it stands (after the operation; as it was when refused; absent when none).
    #[oai(skip_serializing_if_is_none)]
    pub guarantee: Option<GuaranteeDetails>,
}

impl Answered for GuaranteeResponse {
    const DESCRIPTION: &'static str =
        "The guarantee, or a business decline (HTTP 200; read `responseCode`).";
}

pub fn reply(code: Code, guarantee: Option<GuaranteeDetails>) -> Answer<GuaranteeResponse> {
    Answer(GuaranteeResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        guarantee,
    })
}

/// The answer at once when `amount` is a magic amount a guarantee operation honours: `.96` a
/// backend timeout (504/8013), `.13` an invalid amount (`BG009`).
pub fn magic_answer(amount: Decimal) -> Option<Reply<GuaranteeResponse>> {
    match magic_amount(amount)? {
        MagicAmount::Timeout => Some(Err(Rejection::backend_timeout())),
        MagicAmount::InvalidAmount => Some(Ok(reply(Code::BgInvalidAmount, None))),
        MagicAmount::InsufficientFunds => None,
    }
}

/// Changes the guarantee numbered `bg_number` as `change` decides (given the guarantee, today and
/// now by the app's sandbox clock) and answers the guarantee as it then stands; `BG001` when there
/// is none. An amendment and an invocation are both such a change.
pub fn change(
    sandbox: &Sandbox,
    app: &Arc<App>,
    bg_number: &CapsCode<4, 30>,
    mut change: impl FnMut(&mut Guarantee, NaiveDate, DateTime<Utc>) -> Result<Code, Rejection>,
) -> Reply<GuaranteeResponse> {
    let (code, details) = sandbox.family(app, TradeState::new, |state, ctx| {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        let Some(guarantee) = state.guarantees.get_mut(bg_number.as_string()) else {
            return Ok((Code::BgNotFound, None));
        };
        let code = change(guarantee, today, ctx.now)?;
        Ok::<_, Rejection>((code, Some(GuaranteeDetails::of(guarantee, today))))
    })?;
    Ok(reply(code, details))
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: GuaranteeVerifyRequest,
) -> Answer<GuaranteeResponse> {
    let found = sandbox.family(app, TradeState::new, |state, ctx| {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        state
            .guarantees
            .get(request.bg_number.as_string())
            .map(|g| GuaranteeDetails::of(g, today))
    });
    match found {
        Some(details) => reply(Code::BgSuccess, Some(details)),
        None => reply(Code::BgNotFound, None),
    }
}
