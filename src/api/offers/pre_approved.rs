//! `POST /api/v1/offers/pre-approved` [sandbank]: the customer's pre-approved offers, found by exactly
//! one of `customerId`, `mobile`, `accountNo` or `applicationNo`.
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

use crate::api::sample;
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    codes::Code,
    model::{self, valid_till, Offer, OfferProduct, StoredOffer, Terms},
    state::{CustomerOffers, OffersState},
};
use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        clock::ist,
        fixtures::Person,
        formats::{AccountNo, CapsCode, Mobile},
        lending::{principal_for_emi, score_premium},
        persons::{self, PanStatus, Profile},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

/// Whose offers: send exactly one of the four keys.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct PreApprovedRequest {
    /// The bank's customer id, e.g. `CUST000001`.
    pub customer_id: Option<CapsCode<4, 20>>,
    /// The customer's registered mobile number.
    pub mobile: Option<Mobile>,
    /// The customer's savings account with the bank.
    pub account_no: Option<AccountNo>,
    /// A loan application number: the sandbox holds no applications for offers yet, so any
    /// well-formed number answers `OF002` application not found.
    pub application_no: Option<CapsCode<4, 30>>,
}

/// Exactly one of the four keys, as [`answer`] checks.
pub fn schema_rule() -> crate::api::SchemaRule {
    use crate::api::SchemaRule;
    let text = |field: &str| serde_json::json!({ "required": [field], "properties": { field: { "type": "string" } } });
    SchemaRule {
        schema: "PreApprovedRequest",
        rule: serde_json::json!({
            "oneOf": [
                text("customerId"),
                SchemaRule::present::<Mobile>("mobile"),
                SchemaRule::present::<AccountNo>("accountNo"),
                text("applicationNo"),
            ],
        }),
    }
}

impl poem_openapi::types::Example for PreApprovedRequest {
    fn example() -> Self {
        Self {
            customer_id: Some(sample("CUST000001")),
            mobile: None,
            account_no: None,
            application_no: None,
        }
    }
}

/// The offers (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct PreApprovedResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `OF000` success, `OF001` customer not found, `OF002` application not found.
    pub response_code: String,
    pub message: String,
    /// The customer the key found (absent when none).
    #[oai(skip_serializing_if_is_none)]
    pub customer_id: Option<String>,
    /// Personal loan, auto loan, credit card and paylater offers, as the customer's bureau profile
    /// earns them: possibly fewer, or none for a low score.
    pub offers: Vec<Offer>,
}

impl Answered for PreApprovedResponse {
    const DESCRIPTION: &'static str =
        "The offers, or a business decline (HTTP 200; read `responseCode`).";
}

enum Key<'a> {
    Customer(&'a str),
    Mobile(&'a Mobile),
    Account(&'a AccountNo),
    Application,
}

fn key(request: &PreApprovedRequest) -> Result<Key<'_>, Rejection> {
    let keys = [
        (
            "customerId",
            request.customer_id.as_deref().map(Key::Customer),
        ),
        ("mobile", request.mobile.as_ref().map(Key::Mobile)),
        ("accountNo", request.account_no.as_ref().map(Key::Account)),
        (
            "applicationNo",
            request.application_no.as_ref().map(|_| Key::Application),
        ),
    ];
    let mut sent = keys
        .into_iter()
        .filter_map(|(name, k)| k.map(|k| (name, k)));
    let Some((_, first)) = sent.next() else {
        return Err(Rejection::schema(
            "customerId",
            "send exactly one of customerId, mobile, accountNo, applicationNo",
        ));
    };
    if let Some((name, _)) = sent.next() {
        return Err(Rejection::schema(
            name,
            "send exactly one of customerId, mobile, accountNo, applicationNo",
        ));
    }
    Ok(first)
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: PreApprovedRequest,
) -> Reply<PreApprovedResponse> {
    let persons = &sandbox.fixtures.persons;
    let person: Option<&Person> = match key(&request)? {
        Key::Customer(id) => model::customer(&sandbox.fixtures, id),
        Key::Mobile(mobile) => persons.iter().find(|p| &p.mobile == mobile),
        Key::Account(account) => persons.iter().find(|p| &p.savings_account == account),
        Key::Application => return Ok(declined(Code::ApplicationNotFound)),
    };
    let Some(person) = person else {
        return Ok(declined(Code::CustomerNotFound));
    };
    let profile = persons::profile(&sandbox.fixtures, &sandbox.determinism, &person.pan);
    let offers = sandbox.family(app, OffersState::new, |state, ctx| {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        if !state.customers.contains_key(&person.customer_id) {
            let offers = terms_for(&profile)
                .into_iter()
                .map(|terms| StoredOffer {
                    offer_id: format!(
                        "OF{}{}",
                        terms.product.code(),
                        sandbox.determinism.app_reference(
                            "offer-id",
                            &app.id,
                            format_args!("{}|{}", person.customer_id, terms.product.code()),
                            12,
                        )
                    ),
                    terms,
                    valid_till: valid_till(today),
                    blocked: None,
                })
                .collect();
            state
                .customers
                .insert(person.customer_id.clone(), CustomerOffers { offers });
        }
        state
            .customers
            .get(&person.customer_id)
            .map(|c| {
                c.offers
                    .iter()
                    .map(|o| Offer::from_stored(o, today))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    Ok(Answer(PreApprovedResponse {
        status: Code::Success.status().into(),
        response_code: Code::Success.code().into(),
        message: if offers.is_empty() {
            "No pre-approved offers for this customer".into()
        } else {
            Code::Success.message().into()
        },
        customer_id: Some(person.customer_id.clone()),
        offers,
    }))
}

fn declined(code: Code) -> Answer<PreApprovedResponse> {
    Answer(PreApprovedResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        customer_id: None,
        offers: Vec::new(),
    })
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
