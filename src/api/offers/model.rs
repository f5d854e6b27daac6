//! Banking Offers' bank types, shared by its operations: the products, an offer as kept and as
//! answered, the validate/block request and verdict, the customer lookup and the identifier formats.

use crate::api::sample;
use chrono::{Duration, NaiveDate};
use poem_openapi::{Enum, Object};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::codes::Code;
use crate::sandbox::bank::{
    answer::Answered,
    fixtures::{Fixtures, Person},
    formats::{Amount, CapsCode, Money, Percent},
};

/// How long an offer stays valid after it was first generated, in days.
pub const VALIDITY_DAYS: i64 = 30;

/// The products the bank pre-approves.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Terms {
    pub product: OfferProduct,
    pub amount: Decimal,
    pub roi: Decimal,
    /// Months; 0 for the card's revolving limit.
    pub tenure: u32,
}

/// A generated offer as the app's state keeps it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StoredOffer {
    pub offer_id: String,
    pub terms: Terms,
    pub valid_till: NaiveDate,
    pub blocked: Option<Block>,
}

/// The availment of an offer.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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

/// The first day after which an offer generated on `today` is no longer valid.
pub fn valid_till(today: NaiveDate) -> NaiveDate {
    today + Duration::days(VALIDITY_DAYS)
}

/// Where an offer stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferStatus {
    /// Can be validated and blocked.
    Available,
    /// Availed: cannot be validated or blocked again.
    Blocked,
    /// Past `validTill` by the app's sandbox clock.
    Expired,
}

/// A pre-approved offer.
#[derive(Object, Debug, Clone)]
#[oai(rename_all = "camelCase")]
pub struct Offer {
    /// Stable for the same app, customer and product: `OF` + product code (`PL` `AL` `CC` `PY`) + 12
    /// digits.
    pub offer_id: String,
    pub product: OfferProduct,
    /// The most the customer can avail (the card's limit), INR.
    pub amount: Money,
    /// Annual rate of interest, percent (`0.00` for paylater).
    pub roi: Percent,
    /// Months: the loan's term; `0` for a card's revolving limit, `1` for paylater's billing cycle.
    pub tenure: u32,
    /// The last day the offer can be validated or blocked (IST, `yyyy-mm-dd`): 30 days after the
    /// offer was first generated, by the app's sandbox clock.
    pub valid_till: NaiveDate,
    pub status: OfferStatus,
}

impl Offer {
    pub fn from_stored(stored: &StoredOffer, today: NaiveDate) -> Self {
        let status = if stored.blocked.is_some() {
            OfferStatus::Blocked
        } else if stored.is_expired(today) {
            OfferStatus::Expired
        } else {
            OfferStatus::Available
        };
        Self {
            offer_id: stored.offer_id.clone(),
            product: stored.terms.product,
            amount: stored.terms.amount.into(),
            roi: stored.terms.roi.into(),
            tenure: stored.terms.tenure,
            valid_till: stored.valid_till,
            status,
        }
    }
}

/// The fixture person with this customer id.
pub fn customer<'a>(fixtures: &'a Fixtures, customer_id: &str) -> Option<&'a Person> {
    fixtures
        .persons
        .iter()
        .find(|p| p.customer_id == customer_id)
}

/// The offer, its customer and the amount to avail.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct OfferCheckRequest {
    /// The `offerId` from `/api/v1/offers/pre-approved`.
    pub offer_id: CapsCode<4, 30>,
    /// The customer the offer was made to.
    pub customer_id: CapsCode<4, 20>,
    /// The amount to avail, INR: at most the offer's `amount`. Paise `.13` answer `OF007`, `.96` a
    /// backend timeout (504/8013).
    pub amount: Amount,
}

impl poem_openapi::types::Example for OfferCheckRequest {
    fn example() -> Self {
        Self {
            offer_id: sample("OFPL208924938330"),
            customer_id: sample("CUST000001"),
            amount: sample("500000.00"),
        }
    }
}

/// The verdict (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct OfferCheckResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `OF000` success; `OF001` customer not found, `OF003` offer not found for this customer, `OF004`
    /// expired, `OF005` amount above the offer, `OF006` already blocked, `OF007` invalid amount.
    pub response_code: String,
    pub message: String,
    /// The offer as it stands now (absent when not found).
    pub offer: Option<Offer>,
    /// Block only: the availment reference, stable for the app and offer.
    pub block_reference: Option<String>,
    /// Block only: the amount availed, INR.
    pub blocked_amount: Option<Money>,
}

impl Answered for OfferCheckResponse {
    const DESCRIPTION: &'static str =
        "The verdict (HTTP 200 for a decline too; read `responseCode`).";
}

/// The verdict for `code`, with the offer as it stands (none when not found).
pub fn reply(code: Code, offer: Option<Offer>) -> OfferCheckResponse {
    OfferCheckResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        offer,
        block_reference: None,
        blocked_amount: None,
    }
}
