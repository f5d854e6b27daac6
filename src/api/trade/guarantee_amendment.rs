//! `POST /api/v1/trade/bank-guarantee/amendment` [sandbank]: change a guarantee's amount and/or expiry.
//! Each amendment joins the guarantee's history; an `EXPIRED` or `INVOKED` guarantee cannot be amended.

use crate::api::sample;
use std::sync::Arc;

use chrono::NaiveDate;
use poem_openapi::Object;
use serde::Deserialize;

use super::{
    codes::Code,
    guarantee_issuance::whole_units,
    guarantee_verify::{change, magic_answer, GuaranteeResponse},
    model::{Amendment, GuaranteeStatus},
};
use crate::sandbox::{
    bank::{
        answer::Reply,
        formats::{Amount, CapsCode, SwiftReference},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

/// The change: `amount`, `expiryDate` or both.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct GuaranteeAmendmentRequest {
    pub bg_number: CapsCode<4, 30>,
    /// The client's reference for this amendment (1–35 letters, digits, `-/.`); repeating it
    /// answers the guarantee unchanged.
    pub amendment_ref_no: SwiftReference,
    /// The new guaranteed amount, in the guarantee's currency.
    pub amount: Option<Amount>,
    /// The new expiry date, after today by the app's sandbox clock (`BG003`).
    pub expiry_date: Option<NaiveDate>,
}

/// An amount, an expiry date or both, as [`answer`] checks.
pub fn schema_rule() -> crate::api::SchemaRule {
    use crate::api::SchemaRule;
    SchemaRule {
        schema: "GuaranteeAmendmentRequest",
        rule: serde_json::json!({
            "anyOf": [
                SchemaRule::present::<Amount>("amount"),
                SchemaRule::present::<NaiveDate>("expiryDate"),
            ],
        }),
    }
}

impl poem_openapi::types::Example for GuaranteeAmendmentRequest {
    fn example() -> Self {
        Self {
            bg_number: sample("BG00046710123783"),
            amendment_ref_no: sample("BGAMD20260401001"),
            amount: Some(sample("3000000.00")),
            expiry_date: Some(sample("2099-09-30")),
        }
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: GuaranteeAmendmentRequest,
) -> Reply<GuaranteeResponse> {
    if request.amount.is_none() && request.expiry_date.is_none() {
        return Err(Rejection::schema(
            "amount",
            "send amount, expiryDate or both",
        ));
    }
    let new_amount = request.amount.map(Amount::value);
    if let Some(early) = new_amount.and_then(magic_answer) {
        return early;
    }
    change(sandbox, app, &request.bg_number, |guarantee, today, now| {
        let repeated = guarantee
            .amendments
            .iter()
            .any(|a| a.reference == request.amendment_ref_no);
        let amendable = !matches!(
            guarantee.status(today),
            GuaranteeStatus::Expired | GuaranteeStatus::Invoked
        );
        if repeated {
            return Ok(Code::BgSuccess);
        }
        if !amendable {
            return Ok(Code::BgNotAmendable);
        }
        if request.expiry_date.is_some_and(|d| d <= today) {
            return Ok(Code::BgExpiryNotInFuture);
        }
        if let Some(amount) = new_amount {
            whole_units("amount", &guarantee.currency, amount)?;
        }
        let amendment = Amendment {
            amendment_no: format!("AMD{:03}", guarantee.amendments.len() + 1),
            reference: request.amendment_ref_no.to_string(),
            at: now,
            previous_amount: guarantee.amount,
            amount: new_amount.unwrap_or(guarantee.amount),
            previous_expiry_date: guarantee.expiry_date,
            expiry_date: request.expiry_date.unwrap_or(guarantee.expiry_date),
        };
        guarantee.amount = amendment.amount;
        guarantee.expiry_date = amendment.expiry_date;
        guarantee.amendments.push(amendment);
        Ok(Code::BgSuccess)
    })
}
