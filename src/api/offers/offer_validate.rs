//! `POST /api/v1/offers/validate` [sandbank]: is the offer still good for this customer and amount? A
//! blocked offer cannot be validated; an offer past `validTill` (by the app's sandbox clock) fails.
//! Changes nothing. The checks here are the ones blocking repeats before it avails the offer.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{
    codes::Code,
    model::{self, reply, Offer, OfferCheckRequest, OfferCheckResponse, StoredOffer},
    state::OffersState,
};
use crate::sandbox::{
    bank::{
        answer::{Answer, Reply},
        clock::ist,
        magic::{magic_amount, MagicAmount},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: OfferCheckRequest,
) -> Reply<OfferCheckResponse> {
    check(sandbox, app, &request, |_, _| None)
}

/// Runs the checks of validation and answers their verdict; on success `avail` may act on the offer
/// (given the instant) and add to the verdict first.
pub(super) fn check(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: &OfferCheckRequest,
    mut avail: impl FnMut(&mut StoredOffer, DateTime<Utc>) -> Option<(String, Decimal)>,
) -> Reply<OfferCheckResponse> {
    let amount = request.amount.value();
    match magic_amount(amount) {
        Some(MagicAmount::Timeout) => return Err(Rejection::backend_timeout()),
        Some(MagicAmount::InvalidAmount) => return Ok(Answer(reply(Code::InvalidAmount, None))),
        _ => {}
    }
    if model::customer(&sandbox.fixtures, &request.customer_id).is_none() {
        return Ok(Answer(reply(Code::CustomerNotFound, None)));
    }
    let answer = sandbox.family(app, OffersState::new, |state, ctx| {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        let id = (&request.customer_id, &request.offer_id);
        match state.usable(id.0, id.1, amount, today) {
            Ok(offer) => {
                let availed = avail(offer, ctx.now);
                let mut ok = reply(Code::Success, Some(Offer::from_stored(offer, today)));
                if let Some((reference, amount)) = availed {
                    ok.block_reference = Some(reference);
                    ok.blocked_amount = Some(amount.into());
                }
                ok
            }
            Err(code) => {
                let offer = state
                    .customers
                    .get(request.customer_id.as_str())
                    .and_then(|c| c.offers.iter().find(|o| o.offer_id == request.offer_id))
                    .map(|o| Offer::from_stored(o, today));
                reply(code, offer)
            }
        }
    });
    Ok(Answer(answer))
}
