//! What the three Offers operations share: the answer envelope's codes, the offer as answered, the
//! customer lookup and the identifier formats.

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Deserializer};

use super::rules::{OfferProduct, StoredOffer};
use crate::sandbox::{
    fixtures::{Fixtures, Person},
    formats::{Money, Percent},
};

/// The family's business codes (`responseCode`), stable and documented in the README (Banking Offers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success,
    CustomerNotFound,
    ApplicationNotFound,
    OfferNotFound,
    OfferExpired,
    AmountAboveOffer,
    OfferAlreadyBlocked,
    InvalidAmount,
}

impl Code {
    pub fn code(self) -> &'static str {
        match self {
            Self::Success => "OF000",
            Self::CustomerNotFound => "OF001",
            Self::ApplicationNotFound => "OF002",
            Self::OfferNotFound => "OF003",
            Self::OfferExpired => "OF004",
            Self::AmountAboveOffer => "OF005",
            Self::OfferAlreadyBlocked => "OF006",
            Self::InvalidAmount => "OF007",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Success => "Success",
            Self::CustomerNotFound => "Customer not found",
            Self::ApplicationNotFound => "Application not found",
            Self::OfferNotFound => "Offer not found for this customer",
            Self::OfferExpired => "Offer has expired",
            Self::AmountAboveOffer => "Amount is above the offered amount",
            Self::OfferAlreadyBlocked => "Offer is already blocked (availed)",
            Self::InvalidAmount => "Invalid amount",
        }
    }

    pub fn status(self) -> &'static str {
        if self == Self::Success {
            "SUCCESS"
        } else {
            "FAILURE"
        }
    }
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

/// The bank's customer id: 4 to 20 capital letters or digits (`CUST000001`).
pub fn customer_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    code_like(raw, 4, 20)
}

/// 4 to 30 capital letters or digits: an application number or an offer id.
pub fn identifier<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    code_like(raw, 4, 30)
}

/// The optional form of [`customer_id`].
pub fn optional_customer_id<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|raw| code_like(raw, 4, 20))
        .transpose()
}

/// The optional form of [`identifier`].
pub fn optional_identifier<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|raw| code_like(raw, 4, 30))
        .transpose()
}

fn code_like<E: serde::de::Error>(raw: String, min: usize, max: usize) -> Result<String, E> {
    let ok = (min..=max).contains(&raw.len())
        && raw
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(raw)
    } else {
        Err(E::custom(format!(
            "must be {min} to {max} capital letters or digits, got `{raw}`"
        )))
    }
}

/// The fixture person with this customer id.
pub fn customer<'a>(fixtures: &'a Fixtures, customer_id: &str) -> Option<&'a Person> {
    fixtures
        .persons
        .iter()
        .find(|p| p.customer_id == customer_id)
}
