//! `POST /api/v1/trade/remittance/transaction-inquiry` [sandbank]: a remittance's status and UETR by
//! the client's `transactionRefNo`. The status moves with the app's sandbox clock: `ACCEPTED` →
//! `PROCESSING` after 1 hour → `COMPLETED` 1 business day after acceptance; `ON_HOLD` → `REJECTED`
//! (refunded) 1 business day after acceptance.

use crate::api::sample;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use poem_openapi::Object;
use serde::Deserialize;

use super::{
    codes::Code,
    model::{Remittance, RemittanceStatus},
    state::TradeState,
};
use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        clock::ist,
        formats::{Money, SwiftReference},
    },
    gateway::apps::App,
    Sandbox,
};

/// Which remittance.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct RemittanceTransactionInquiryRequest {
    /// The `transactionRefNo` the order was sent with.
    pub transaction_ref_no: SwiftReference,
}

impl poem_openapi::types::Example for RemittanceTransactionInquiryRequest {
    fn example() -> Self {
        Self {
            transaction_ref_no: sample("ORM20260401000001"),
        }
    }
}

/// One status a remittance went through.
#[derive(Object, Debug, Clone)]
#[oai(rename_all = "camelCase")]
pub struct StatusChange {
    pub status: RemittanceStatus,
    /// IST, by the app's sandbox clock.
    pub at: DateTime<FixedOffset>,
}

/// A remittance as the bank holds it.
#[derive(Object, Debug, Clone)]
#[oai(rename_all = "camelCase")]
pub struct RemittanceDetails {
    pub transaction_ref_no: String,
    /// SWIFT gpi Unique End-to-end Transaction Reference: a UUID v4, stable for the app and
    /// `transactionRefNo`.
    pub uetr: String,
    pub transaction_status: RemittanceStatus,
    pub status_history: Vec<StatusChange>,
    pub remitter_account_no: String,
    /// ISO 4217.
    pub currency: String,
    /// The ordered amount, in `currency`.
    pub amount: Money,
    /// INR per unit of `currency`: the day's rate, a decimal string with 4 places.
    pub fx_rate: String,
    /// `amount` × `fxRate`, INR.
    pub inr_amount: Money,
    /// `OUR`, `BEN` or `SHA`.
    pub charges: String,
    /// The bank's commission, INR.
    pub commission: Money,
    /// GST at 18% on the commission, INR.
    pub gst: Money,
    /// What the correspondent deducts, in `currency`.
    pub correspondent_charges: Money,
    /// Charges the remitter pays in INR on top of `inrAmount` (OUR: all; SHA: the bank's; BEN: none).
    pub charges_inr: Money,
    /// Debited from the remitter's account, INR: `inrAmount` + `chargesInr`.
    pub total_debit_inr: Money,
    /// What the beneficiary receives, in `currency`.
    pub beneficiary_amount: Money,
    pub beneficiary_name: String,
    pub beneficiary_account_no: String,
    pub beneficiary_bic: String,
    pub beneficiary_bank: String,
    pub purpose_code: String,
    pub value_date: NaiveDate,
}

impl RemittanceDetails {
    pub fn of(r: &Remittance) -> Self {
        Self {
            transaction_ref_no: r.reference.clone(),
            uetr: r.uetr.clone(),
            transaction_status: r.status,
            status_history: r
                .history
                .iter()
                .map(|(status, at)| StatusChange {
                    status: *status,
                    at: at.with_timezone(&ist()),
                })
                .collect(),
            remitter_account_no: r.remitter_account.clone(),
            currency: r.currency.clone(),
            amount: Money(r.amount),
            fx_rate: {
                let mut rate = r.rate;
                rate.rescale(4);
                rate.to_string()
            },
            inr_amount: r.inr_amount.into(),
            charges: r.charges.clone(),
            commission: r.commission.into(),
            gst: r.gst.into(),
            correspondent_charges: Money(r.correspondent_charge),
            charges_inr: r.charges_inr.into(),
            total_debit_inr: r.total_debit.into(),
            beneficiary_amount: Money(r.beneficiary_amount),
            beneficiary_name: r.beneficiary_name.clone(),
            beneficiary_account_no: r.beneficiary_account.clone(),
            beneficiary_bic: r.beneficiary_bic.clone(),
            beneficiary_bank: r.beneficiary_bank.clone(),
            purpose_code: r.purpose_code.clone(),
            value_date: r.value_date,
        }
    }
}

/// The remittance (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct RemittanceTransactionInquiryResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `TR000` found, `TR009` no remittance with this `transactionRefNo` in this app.
    pub response_code: String,
    pub message: String,
    #[oai(skip_serializing_if_is_none)]
    pub remittance: Option<RemittanceDetails>,
}

impl Answered for RemittanceTransactionInquiryResponse {
    const DESCRIPTION: &'static str =
        "The remittance, or a business decline (HTTP 200; read `responseCode`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: RemittanceTransactionInquiryRequest,
) -> Answer<RemittanceTransactionInquiryResponse> {
    let found = sandbox.family(app, TradeState::new, |state, _| {
        state
            .remittances
            .get(request.transaction_ref_no.as_string())
            .map(RemittanceDetails::of)
    });
    let code = if found.is_some() {
        Code::Success
    } else {
        Code::TransactionNotFound
    };
    Answer(RemittanceTransactionInquiryResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        remittance: found,
    })
}
