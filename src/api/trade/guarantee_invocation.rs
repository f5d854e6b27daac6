//! `POST /api/v1/trade/bank-guarantee/invocation` [sandbank]: the beneficiary's claim on a guarantee,
//! lodged up to `claimExpiryDate` (expiry + claim period) by the app's sandbox clock. The guarantee
//! becomes `INVOKED` for good.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use super::{
    codes::Code,
    guarantee_issuance::minor_units,
    guarantee_verify::{reply, GuaranteeDetails, GuaranteeResponse},
    model::Invocation,
    state::TradeState,
};
use crate::sandbox::{
    bank::{
        answer::Reply,
        clock::ist,
        formats::{Amount, CapsCode, SwiftReference},
        magic::{magic_amount, MagicAmount},
    },
    gateway::{apps::App, error::Rejection},
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
    match magic_amount(claim) {
        Some(MagicAmount::Timeout) => return Err(Rejection::backend_timeout()),
        Some(MagicAmount::InvalidAmount) => return Ok(reply(Code::BgInvalidAmount, None)),
        _ => {}
    }
    let outcome = sandbox.family(app, TradeState::new, |state, ctx| {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        let Some(guarantee) = state.guarantees.get_mut(request.bg_number.as_string()) else {
            return Ok((Code::BgNotFound, None));
        };
        let code = match &guarantee.invocation {
            Some(done) if done.reference == request.claim_ref_no => Code::BgSuccess,
            Some(_) => Code::BgAlreadyInvoked,
            None if today > guarantee.claim_expiry_date() => Code::BgClaimPeriodOver,
            None if claim > guarantee.amount => Code::BgClaimAboveAmount,
            None => {
                let units = minor_units(&guarantee.currency).unwrap_or(2);
                if claim.round_dp(units) != claim {
                    return Err(Rejection::schema(
                        "claimAmount",
                        format!(
                            "{} has no minor units: send whole units",
                            guarantee.currency
                        ),
                    ));
                }
                guarantee.invocation = Some(Invocation {
                    reference: request.claim_ref_no.to_string(),
                    amount: claim,
                    at: ctx.now,
                });
                Code::BgSuccess
            }
        };
        Ok((code, Some(GuaranteeDetails::of(guarantee, today))))
    })?;
    Ok(reply(outcome.0, outcome.1))
}
