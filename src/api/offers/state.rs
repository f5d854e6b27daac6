//! Banking Offers' slice of an app's state: the offers generated for each customer (so `offerId` and
//! `validTill` stay put once generated), and whether one can still be availed.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{codes::Code, model::StoredOffer};

/// One customer's offers, generated once per app.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CustomerOffers {
    pub offers: Vec<StoredOffer>,
}

/// Banking Offers' slice of an app's state: offers by customerId. Only the fixtures' customers have
/// offers, so it holds at most one entry per fixture person and needs no bound of its own.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct OffersState {
    pub customers: std::collections::BTreeMap<String, CustomerOffers>,
}

impl OffersState {
    pub fn new(_limit: usize) -> Self {
        Self {
            customers: std::collections::BTreeMap::new(),
        }
    }
}

impl crate::sandbox::bank::snapshot::Kept for OffersState {
    const NAME: &'static str = "offers";

    fn fresh(object_limit: usize) -> Self {
        Self::new(object_limit)
    }
}

impl crate::sandbox::bank::store::Family for OffersState {
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

impl OffersState {
    /// The customer's offer `offer_id` if it can still be availed for `amount` on `today`, else why not.
    pub fn usable(
        &mut self,
        customer_id: &str,
        offer_id: &str,
        amount: Decimal,
        today: NaiveDate,
    ) -> Result<&mut StoredOffer, Code> {
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
