//! `POST /api/v1/offers/block` [sandbank]: avails the offer for the amount, after the same checks as
//! validation. A blocked offer cannot be blocked again; the availment reference is stable for the app
//! and offer.

use std::sync::Arc;

use super::{
    model::{Block, OfferCheckRequest, OfferCheckResponse},
    offer_validate::check,
};
use crate::sandbox::{bank::answer::Reply, gateway::apps::App, Sandbox};

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: OfferCheckRequest,
) -> Reply<OfferCheckResponse> {
    let reference =
        sandbox
            .determinism
            .app_reference("offer-block", &app.id, &request.offer_id, 12);
    let amount = request.amount.value();
    check(sandbox, app, &request, |offer, at| {
        offer.blocked = Some(Block {
            reference: reference.clone(),
            amount,
            at,
        });
        Some((reference.clone(), amount))
    })
}
