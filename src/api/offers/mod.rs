//! Banking Offers: pre-approved personal loan, auto loan, credit card and paylater
//! offers derived from the customer's bureau profile, their validation and blocking (availment). One
//! file per operation; the methods here only route.

mod codes;
mod model;
mod offer_block;
mod offer_validate;
mod pre_approved;
pub(crate) mod state;

use poem_openapi::OpenApi;

use crate::sandbox::{
    bank::answer::Reply,
    gateway::{credentials::AppKey, payload::BankJson},
};

use super::{ApiTags, SchemaRule};

/// What this family's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    vec![pre_approved::schema_rule()]
}

pub use model::{OfferCheckRequest, OfferCheckResponse};
pub use pre_approved::{PreApprovedRequest, PreApprovedResponse};

family_api!(OffersApi);

#[OpenApi(tag = "ApiTags::Offers")]
impl OffersApi {
    /// Pre-approved offers
    ///
    /// The customer's pre-approved personal loan, auto loan, credit card and paylater offers, found by
    /// exactly one of `customerId`, `mobile`, `accountNo` or `applicationNo`. Offers follow from the
    /// customer's bureau profile (a low score earns fewer, smaller or no offers); each `offerId` is
    /// stable and `validTill` is fixed 30 days after the offers were first generated for this app.
    /// Unknown customer: `OF001`.
    #[oai(
        path = "/api/v1/offers/pre-approved",
        method = "post",
        operation_id = "offersPreApproved"
    )]
    async fn pre_approved(
        &self,
        auth: AppKey,
        body: BankJson<PreApprovedRequest>,
    ) -> Reply<PreApprovedResponse> {
        pre_approved::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Validate an offer
    ///
    /// Whether the offer can still be availed by this customer for this amount: not blocked
    /// (`OF006`), not past `validTill` by the app's sandbox clock (`OF004`), amount within the offer
    /// (`OF005`). Changes nothing.
    #[oai(
        path = "/api/v1/offers/validate",
        method = "post",
        operation_id = "offersValidate"
    )]
    async fn validate(
        &self,
        auth: AppKey,
        body: BankJson<OfferCheckRequest>,
    ) -> Reply<OfferCheckResponse> {
        offer_validate::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Block (avail) an offer
    ///
    /// Marks the offer availed for the amount, after the same checks as validation. A blocked offer
    /// cannot be validated or blocked again (`OF006`).
    #[oai(
        path = "/api/v1/offers/block",
        method = "post",
        operation_id = "offersBlock"
    )]
    async fn block(
        &self,
        auth: AppKey,
        body: BankJson<OfferCheckRequest>,
    ) -> Reply<OfferCheckResponse> {
        offer_block::answer(&self.sandbox, &auth.0, body.0)
    }
}
