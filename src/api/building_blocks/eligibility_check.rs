//! `POST /api/v1/eligibility-check` [sandbank]: can this applicant have this product, and how much?
//!
//! The rules, documented so partners can aim at each outcome:
//! - a score below the product's cut-off (auto loan 650, credit card 680, personal loan 700), no credit
//!   history, or any account 90+ days past due declines;
//! - loans: EMIs (existing obligations at 1% of home-loan, 3% of other loan and 5% of card balances, plus the new
//!   EMI) may take at most 50% of monthly income; the maximum is the principal that EMI repays over 60
//!   (auto) or 48 (personal) months at the offered rate, rounded down to ₹1,000;
//! - credit card: a limit of 3× monthly income, at most ₹10,00,000;
//! - the rate is the product's base rate plus a premium for the score band.

use crate::api::sample;
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        formats::{Amount, Money, Pan, Percent},
        lending,
        persons::{self, Profile},
    },
    Sandbox,
};

use super::{
    codes,
    model::{rules, Product},
};

// Swagger text by design: a `///` on the type or a field is published in specs/, which has none here.
#[allow(missing_docs)]
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct EligibilityCheckRequest {
    pub pan: Pan,
    pub product: Product,
    /// Net monthly income, INR.
    pub monthly_income: Amount,
    /// The amount (or card limit) asked for, INR.
    pub requested_amount: Amount,
}

impl poem_openapi::types::Example for EligibilityCheckRequest {
    fn example() -> Self {
        Self {
            pan: sample("ABCPE1234F"),
            product: Product::AutoLoan,
            monthly_income: sample("150000.00"),
            requested_amount: sample("400000.00"),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct EligibilityCheckResponse {
    /// `true` when the product can be offered for the requested amount.
    pub eligible: bool,
    /// The most the applicant can have ("0.00" when declined).
    pub max_amount: Money,
    /// Annual rate of interest, percent; absent when declined.
    #[oai(skip_serializing_if_is_none)]
    pub roi: Option<Percent>,
    /// Why the applicant was declined or limited: `BUREAU_SCORE_BELOW_CUTOFF`, `NO_CREDIT_HISTORY`,
    /// `SEVERE_DELINQUENCY`, `FOIR_EXCEEDED`, `REQUESTED_AMOUNT_ABOVE_MAX`, `PAN_NOT_FOUND`.
    pub reasons: Vec<String>,
}

impl Answered for EligibilityCheckResponse {
    const DESCRIPTION: &'static str = "The decision (HTTP 200 whether eligible or not).";
}

pub fn answer(
    sandbox: &Sandbox,
    request: EligibilityCheckRequest,
) -> Answer<EligibilityCheckResponse> {
    let holder = persons::profile(&sandbox.fixtures, &sandbox.determinism, &request.pan);
    Answer(decide(&holder, &request))
}

fn declined(reason: &str) -> EligibilityCheckResponse {
    EligibilityCheckResponse {
        eligible: false,
        max_amount: Money::default(),
        roi: None,
        reasons: vec![reason.to_string()],
    }
}

fn decide(holder: &Profile, request: &EligibilityCheckRequest) -> EligibilityCheckResponse {
    let rules = rules(request.product);
    if holder.pan_status == persons::PanStatus::NotFound {
        return declined(codes::PAN_NOT_FOUND);
    }
    if holder.cibil_score < 0 {
        return declined(codes::NO_CREDIT_HISTORY);
    }
    if holder.cibil_score < rules.cutoff {
        return declined(codes::BUREAU_SCORE_BELOW_CUTOFF);
    }
    if holder.credit_accounts.iter().any(|a| a.dpd >= 90) {
        return declined(codes::SEVERE_DELINQUENCY);
    }
    let roi = rules.base_roi + lending::score_premium(holder.cibil_score);
    let income = request.monthly_income.value();
    let max_amount = match rules.tenure_months {
        None => (income * Decimal::from(3)).min(rules.cap),
        Some(months) => {
            let obligations = lending::monthly_obligations(&holder.credit_accounts);
            let affordable_emi = income / Decimal::TWO - obligations;
            if affordable_emi <= Decimal::ZERO {
                return declined(codes::FOIR_EXCEEDED);
            }
            lending::principal_for_emi(affordable_emi, roi, months).min(rules.cap)
        }
    };
    let max_amount = (max_amount / Decimal::ONE_THOUSAND).floor() * Decimal::ONE_THOUSAND;
    let eligible = request.requested_amount.value() <= max_amount;
    EligibilityCheckResponse {
        eligible,
        max_amount: max_amount.into(),
        roi: Some(roi.into()),
        reasons: if eligible {
            Vec::new()
        } else {
            vec![codes::REQUESTED_AMOUNT_ABOVE_MAX.into()]
        },
    }
}
