//! How a customer's pre-approved offers follow from their bureau profile, and the per-app state that
//! keeps them (so `offerId` and `validTill` stay put once generated).
//!
//! The rules, documented in the README (Banking Offers) so partners can aim at each outcome:
//! - no offers for a PAN not found, no credit history (score -1) or any account 90+ days past due;
//! - each product has the score cut-off of `/api/v1/eligibility-check` (personal loan 700, credit card
//!   680, auto loan 650; paylater 650);
//! - the pre-approved share of income: personal loan EMI 20% of monthly income over 48 months, auto loan
//!   EMI 25% over 60 months, card limit 2× monthly income, paylater 20% of monthly income; scaled by the
//!   score band (750+ 100%, 700–749 75%, below 700 50%) and capped (₹40 lakh, ₹1.5 crore, ₹10 lakh,
//!   ₹60,000), rounded down (₹10,000 for loans, ₹5,000 for cards, ₹1,000 for paylater);
//! - the rate is the product's base rate plus the score-band premium (paylater is interest-free).

use chrono::{Duration, NaiveDate};
use poem_openapi::Enum;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    lending::{principal_for_emi, score_premium},
    persons::{PanStatus, Profile},
};

/// How long an offer stays valid after it was first generated, in days.
pub const VALIDITY_DAYS: i64 = 30;

/// The products the bank pre-approves.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferProduct {
    PersonalLoan,
    AutoLoan,
    CreditCard,
    Paylater,
}

impl OfferProduct {
    /// The two letters in the `offerId`.
    pub fn code(self) -> &'static str {
        match self {
            Self::PersonalLoan => "PL",
            Self::AutoLoan => "AL",
            Self::CreditCard => "CC",
            Self::Paylater => "PY",
        }
    }
}

/// An offer's terms before it is given an id and a validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub product: OfferProduct,
    pub amount: Decimal,
    pub roi: Decimal,
    /// Months; 0 for the card's revolving limit.
    pub tenure: u32,
}

struct Rule {
    product: OfferProduct,
    cutoff: i32,
    base_roi: Decimal,
    tenure: u32,
    cap: Decimal,
    step: Decimal,
}

const RULES: [Rule; 4] = [
    Rule {
        product: OfferProduct::PersonalLoan,
        cutoff: 700,
        base_roi: Decimal::from_parts(1050, 0, 0, false, 2),
        tenure: 48,
        cap: Decimal::from_parts(4_000_000, 0, 0, false, 0),
        step: Decimal::from_parts(10_000, 0, 0, false, 0),
    },
    Rule {
        product: OfferProduct::AutoLoan,
        cutoff: 650,
        base_roi: Decimal::from_parts(875, 0, 0, false, 2),
        tenure: 60,
        cap: Decimal::from_parts(15_000_000, 0, 0, false, 0),
        step: Decimal::from_parts(10_000, 0, 0, false, 0),
    },
    Rule {
        product: OfferProduct::CreditCard,
        cutoff: 680,
        base_roi: Decimal::from_parts(3600, 0, 0, false, 2),
        tenure: 0,
        cap: Decimal::from_parts(1_000_000, 0, 0, false, 0),
        step: Decimal::from_parts(5_000, 0, 0, false, 0),
    },
    Rule {
        product: OfferProduct::Paylater,
        cutoff: 650,
        base_roi: Decimal::ZERO,
        tenure: 1,
        cap: Decimal::from_parts(60_000, 0, 0, false, 0),
        step: Decimal::from_parts(1_000, 0, 0, false, 0),
    },
];

/// The offers a profile earns, in the fixed product order (empty when it earns none).
pub fn terms_for(profile: &Profile) -> Vec<Terms> {
    let score = profile.cibil_score;
    let delinquent = profile.credit_accounts.iter().any(|a| a.dpd >= 90);
    if profile.pan_status != PanStatus::Valid || score < 0 || delinquent {
        return Vec::new();
    }
    let scale = match score {
        750.. => Decimal::ONE,
        700..=749 => Decimal::new(75, 2),
        _ => Decimal::new(50, 2),
    };
    let income = profile.monthly_income;
    RULES
        .iter()
        .filter(|rule| score >= rule.cutoff)
        .filter_map(|rule| {
            let premium = if rule.base_roi.is_zero() {
                Decimal::ZERO
            } else {
                score_premium(score)
            };
            let roi = rule.base_roi + premium;
            let gross = match rule.product {
                OfferProduct::PersonalLoan => {
                    principal_for_emi(income * Decimal::new(20, 2), roi, rule.tenure)
                }
                OfferProduct::AutoLoan => {
                    principal_for_emi(income * Decimal::new(25, 2), roi, rule.tenure)
                }
                OfferProduct::CreditCard => income * Decimal::TWO,
                OfferProduct::Paylater => income * Decimal::new(20, 2),
            };
            let amount = ((gross * scale).min(rule.cap) / rule.step).floor() * rule.step;
            (amount > Decimal::ZERO).then_some(Terms {
                product: rule.product,
                amount,
                roi,
                tenure: rule.tenure,
            })
        })
        .collect()
}

/// A generated offer as the app's state keeps it.
#[derive(Debug, Clone)]
pub struct StoredOffer {
    pub offer_id: String,
    pub terms: Terms,
    pub valid_till: NaiveDate,
    pub blocked: Option<Block>,
}

/// The availment of an offer.
#[derive(Debug, Clone)]
pub struct Block {
    pub reference: String,
    pub amount: Decimal,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl StoredOffer {
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        today > self.valid_till
    }
}

/// One customer's offers, generated once per app.
#[derive(Debug, Clone)]
pub struct CustomerOffers {
    pub offers: Vec<StoredOffer>,
}

/// Banking Offers' slice of an app's state: offers by customerId. Only the fixtures' customers have
/// offers, so it holds at most one entry per fixture person and needs no bound of its own.
pub struct OffersState {
    pub customers: std::collections::HashMap<String, CustomerOffers>,
}

impl OffersState {
    pub fn new(_limit: usize) -> Self {
        Self {
            customers: std::collections::HashMap::new(),
        }
    }
}

impl crate::sandbox::store::Family for OffersState {
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// The first day after which an offer generated on `today` is no longer valid.
pub fn valid_till(today: NaiveDate) -> NaiveDate {
    today + Duration::days(VALIDITY_DAYS)
}

impl OffersState {
    /// The customer's offer `offer_id` if it can still be availed for `amount` on `today`, else why not.
    pub fn usable(
        &mut self,
        customer_id: &str,
        offer_id: &str,
        amount: Decimal,
        today: NaiveDate,
    ) -> Result<&mut StoredOffer, super::common::Code> {
        use super::common::Code;
        let offer = self
            .customers
            .get_mut(customer_id)
            .and_then(|c| c.offers.iter_mut().find(|o| o.offer_id == offer_id))
            .ok_or(Code::OfferNotFound)?;
        if offer.blocked.is_some() {
            return Err(Code::OfferAlreadyBlocked);
        }
        if offer.is_expired(today) {
            return Err(Code::OfferExpired);
        }
        if amount > offer.terms.amount {
            return Err(Code::AmountAboveOffer);
        }
        Ok(offer)
    }
}
