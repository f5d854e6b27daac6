//! `POST /api/v1/auto-loan/eligibility` [sandbank]: prices the chosen amount and tenure against the
//! offer. Within the offer: `eligible`, the EMI (reducing balance, paise), the rate and the processing
//! fee (0.50% of the loan, at least ₹2,000 and at most ₹10,000), and the application becomes
//! `ELIGIBLE` with these terms. Above the offer amount or the maximum tenure: `eligible: false` with
//! reasons, and the state does not change. Allowed in `OFFERED` and `ELIGIBLE` (re-pricing).

use crate::api::sample;
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Reply},
        formats::{rupees, Amount, ApplicationNo, Money, Percent, TenureMonths},
        lending::{self},
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::{Outcome, Stage, Step, Terms},
    state::AutoLoanBook,
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanEligibilityRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct EligibilityRequest {
    pub application_no: ApplicationNo,
    /// The amount asked for, INR: at most the offer.
    pub loan_amount: Amount,
    /// 12 to 84 months; at most the offer's `maxTenureMonths`.
    pub tenure_months: TenureMonths,
}

impl poem_openapi::types::Example for EligibilityRequest {
    fn example() -> Self {
        Self {
            application_no: sample("ALN8042395748"),
            loan_amount: sample("500000.00"),
            tenure_months: sample(60),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanEligibilityData")]
#[oai(rename_all = "camelCase")]
pub struct EligibilityData {
    pub application_no: String,
    pub state: Stage,
    pub eligible: bool,
    pub loan_amount: Money,
    pub tenure_months: u32,
    /// The monthly instalment ("0.00" when not eligible).
    pub emi: Money,
    pub roi: Percent,
    /// 0.50% of the loan, ₹2,000 to ₹10,000 ("0.00" when not eligible).
    pub processing_fee: Money,
    /// Why not eligible: `LOAN_AMOUNT_ABOVE_OFFER`, `TENURE_ABOVE_MAX`.
    pub reasons: Vec<String>,
}

enveloped_answer!(
    EligibilityResponse,
    schema "AutoLoanEligibilityResponse",
    Outcome,
    data EligibilityData,
    "The decision, or `AL201` / `AL202`."
);

/// 0.50% of the loan, at least ₹2,000, at most ₹10,000.
pub fn processing_fee(loan_amount: Decimal) -> Decimal {
    rupees(loan_amount * Decimal::new(5, 3)).clamp(Decimal::from(2_000), Decimal::from(10_000))
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: EligibilityRequest,
) -> Reply<EligibilityResponse> {
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let application = book.application(&request.application_no)?;
        application.expect(Step::Eligibility)?;
        let amount = request.loan_amount.value();
        let months = request.tenure_months.get();
        let mut reasons = Vec::new();
        if amount > application.offer_amount {
            reasons.push("LOAN_AMOUNT_ABOVE_OFFER".to_string());
        }
        if months > application.max_tenure_months {
            reasons.push("TENURE_ABOVE_MAX".to_string());
        }
        let eligible = reasons.is_empty();
        let (emi, fee) = if eligible {
            let emi = lending::emi(amount, application.roi, months);
            let fee = processing_fee(amount);
            application.terms = Some(Terms {
                loan_amount: amount,
                tenure_months: months,
                roi: application.roi,
                emi,
                processing_fee: fee,
            });
            if application.stage == Stage::Offered {
                application.move_to(Stage::Eligible, ctx.now);
            }
            (emi, fee)
        } else {
            (Decimal::ZERO, Decimal::ZERO)
        };
        let message = if eligible {
            format!("Eligible: EMI {emi} for {months} months")
        } else {
            format!("Not eligible: {}", reasons.join(", "))
        };
        Ok((
            message,
            EligibilityData {
                application_no: application.no.clone(),
                state: application.stage,
                eligible,
                loan_amount: amount.into(),
                tenure_months: months,
                emi: emi.into(),
                roi: application.roi.into(),
                processing_fee: fee.into(),
                reasons,
            },
        ))
    });
    Ok(Answer(EligibilityResponse::of(result)))
}
