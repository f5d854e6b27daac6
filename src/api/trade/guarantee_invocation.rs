//! `POST /api/v1/trade/bank-guarantee/invocation` [sandbank]: the beneficiary's claim on a guarantee,
//! lodged up to `claimExpiryDate` (expiry + claim period) by the app's sandbox clock. The guarantee
//! becomes `INVOKED` for good.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use super::{
    codes::Code,
    guarantee_issuance::whole_units,
    guarantee_verify::{change, magic_answer, GuaranteeResponse},
    model::Invocation,
};
use crate::sandbox::{
    bank::{
        answer::Reply,
        formats::{Amount, CapsCode, SwiftReference},
    },
    gateway::apps::App,
    Sandbox,
};

/// The claim.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct GuaranteeInvocationRequest {
    pub bg_number: CapsCode<4, 30>,
    /// The beneficiary's claim reference (1–35 letters, digits, `-/.`); repeating it answers the
    /// invoked guarantee.
    pub claim_ref_no: SwiftReference,
    /// At most the guarantee's amount (`BG006`), in its currency.
    pub claim_amount: Amount,
}

impl poem_openapi::types::Example for GuaranteeInvocationRequest {
    fn example() -> Self {
        Self {
            bg_number: sample("BG00046710123783"),
            claim_ref_no: sample("CLAIM20260401001"),
            claim_amount: sample("2500000.00"),
        }
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: GuaranteeInvocationRequest,
) -> Reply<GuaranteeResponse> {
    let claim = request.claim_amount.value();
    if let Some(early) = magic_answer(claim) {
        return early;
    }
    change(sandbox, app, &request.bg_number, |guarantee, today, now| {
        Ok(match &guarantee.invocation {
            Some(done) if done.reference == request.claim_ref_no => Code::BgSuccess,
            Some(_) => Code::BgAlreadyInvoked,
            None if today > guarantee.claim_expiry_date() => Code::BgClaimPeriodOver,
            None if claim > guarantee.amount => Code::BgClaimAboveAmount,
            None => {
                whole_units("claimAmount", &guarantee.currency, claim)?;
                guarantee.invocation = Some(Invocation {
                    reference: request.claim_ref_no.to_string(),
                    amount: claim,
                    at: now,
                });
                Code::BgSuccess
            }
        })
    })
}
