//! `POST /api/v1/offers/validate` and `POST /api/v1/offers/block` [sandbank]: is the offer still good
//! for this customer and amount, and availing it. A blocked offer cannot be validated or blocked again;
//! an offer past `validTill` (by the app's sandbox clock) fails both.

use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use super::{
    common::{self, Code, Offer},
    rules::{Block, OffersState},
};
use crate::sandbox::{
    answer::{Answer, Answered, Reply},
    clock::ist,
    error::Rejection,
    formats::{Amount, Money},
    magic::{magic_amount, MagicAmount},
    state::App,
    Sandbox,
};

/// The offer, its customer and the amount to avail.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct OfferCheckRequest {
    /// The `offerId` from `/api/v1/offers/pre-approved`.
    #[oai(validator(pattern = "^[A-Z0-9]{4,30}$"))]
    #[serde(deserialize_with = "common::identifier")]
    pub offer_id: String,
    /// The customer the offer was made to.
    #[oai(validator(pattern = "^[A-Z0-9]{4,20}$"))]
    #[serde(deserialize_with = "common::customer_id")]
    pub customer_id: String,
    /// The amount to avail, INR: at most the offer's `amount`. Paise `.13` answer `OF007`, `.96` a
    /// backend timeout (504/8013).
    pub amount: Amount,
}

impl poem_openapi::types::Example for OfferCheckRequest {
    fn example() -> Self {
        Self {
            offer_id: "OFPL208924938330".into(),
            customer_id: "CUST000001".into(),
            amount: Amount::parse("500000.00").expect("valid example amount"),
        }
    }
}

/// The verdict (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct OfferCheckResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `OF000` success; `OF001` customer not found, `OF003` offer not found for this customer, `OF004`
    /// expired, `OF005` amount above the offer, `OF006` already blocked, `OF007` invalid amount.
    pub response_code: String,
    pub message: String,
    /// The offer as it stands now (absent when not found).
    #[oai(skip_serializing_if_is_none)]
    pub offer: Option<Offer>,
    /// Block only: the availment reference, stable for the app and offer.
    #[oai(skip_serializing_if_is_none)]
    pub block_reference: Option<String>,
    /// Block only: the amount availed, INR.
    #[oai(skip_serializing_if_is_none)]
    pub blocked_amount: Option<Money>,
}

impl Answered for OfferCheckResponse {
    const DESCRIPTION: &'static str =
        "The verdict (HTTP 200 for a decline too; read `responseCode`).";
}

/// Validates (`block == false`) or blocks the offer.
pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: OfferCheckRequest,
    block: bool,
) -> Reply<OfferCheckResponse> {
    let amount = request.amount.value();
    match magic_amount(amount) {
        Some(MagicAmount::Timeout) => return Err(Rejection::backend_timeout()),
        Some(MagicAmount::InvalidAmount) => return Ok(Answer(reply(Code::InvalidAmount, None))),
        _ => {}
    }
    if common::customer(&sandbox.fixtures, &request.customer_id).is_none() {
        return Ok(Answer(reply(Code::CustomerNotFound, None)));
    }
    let reference = sandbox.determinism.reference(
        "offer-block",
        &format!("{}|{}", app.id, request.offer_id),
        12,
    );
    let answer = sandbox.family(app, OffersState::new, |state, ctx| {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        let id = (&request.customer_id, &request.offer_id);
        match state.usable(id.0, id.1, amount, today) {
            Ok(offer) => {
                if block {
                    offer.blocked = Some(Block {
                        reference: reference.clone(),
                        amount,
                        at: ctx.now,
                    });
                }
                let mut ok = reply(Code::Success, Some(Offer::from_stored(offer, today)));
                if block {
                    ok.block_reference = Some(reference.clone());
                    ok.blocked_amount = Some(amount.into());
                }
                ok
            }
            Err(code) => {
                let offer = state
                    .customers
                    .get(&request.customer_id)
                    .and_then(|c| c.offers.iter().find(|o| o.offer_id == request.offer_id))
                    .map(|o| Offer::from_stored(o, today));
                reply(code, offer)
            }
        }
    });
    Ok(Answer(answer))
}

fn reply(code: Code, offer: Option<Offer>) -> OfferCheckResponse {
    OfferCheckResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        offer,
        block_reference: None,
        blocked_amount: None,
    }
}
