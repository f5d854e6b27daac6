//! Building Blocks: PAN verification, CIBIL bureau check, product eligibility, IMPS
//! name enquiry and IFSC lookup. One file per operation; the methods here only route.

mod bureau_check;
mod codes;
mod eligibility_check;
mod ifsc_lookup;
mod model;
mod name_enquiry;
mod pan_validation;

use poem_openapi::{
    param::{Header, Path},
    OpenApi,
};

use crate::sandbox::{
    bank::{answer::Reply, formats::Ifsc},
    gateway::{credentials::AppKey, error::Rejection, payload::BankJson},
};

use super::{ApiTags, SchemaRule};

/// What this family's request schemas say beyond their fields.
pub(crate) fn schema_rules() -> Vec<SchemaRule> {
    Vec::new()
}

// The request types are public for the parsing property tests (tests/api/parsing.rs).
pub use bureau_check::BureauCheckRequest;
pub(crate) use bureau_check::BureauCheckResponse;
pub use eligibility_check::EligibilityCheckRequest;
pub(crate) use eligibility_check::EligibilityCheckResponse;
pub(crate) use ifsc_lookup::IfscLookupAnswer;
pub use name_enquiry::NameEnquiryRequest;
pub(crate) use name_enquiry::NameEnquiryResponse;
pub use pan_validation::PanValidationRequest;
pub(crate) use pan_validation::PanValidationResponse;

family_api!(BuildingBlocksApi);

#[OpenApi(tag = "ApiTags::BuildingBlocks")]
impl BuildingBlocksApi {
    /// Verify a PAN
    ///
    /// The Income Tax Department's record for a PAN: status, holder's name and title, last update.
    /// Fixture PANs (e.g. `ABCPE1234F`) answer their fixture holder; digits `0000` answer not found
    /// (`status` 0, `PANStatus` N), `9999` deactivated (`PANStatus` D); any other well-formed PAN a
    /// synthetic holder derived from it.
    #[oai(
        path = "/api/v0/panValidation",
        method = "post",
        operation_id = "panValidation"
    )]
    async fn pan_validation(
        &self,
        _auth: AppKey,
        body: BankJson<PanValidationRequest>,
    ) -> Reply<PanValidationResponse> {
        Ok(pan_validation::answer(&self.sandbox, body.0))
    }

    /// CIBIL bureau check
    ///
    /// The applicant's CIBIL score (300–900, or -1 for no history), their loans and cards with overdue
    /// amounts and days past due, and the last 6 months' enquiries — consistent with the score. Needs
    /// `consent: "Y"`. The report date is the app's sandbox clock.
    #[oai(
        path = "/api/v1/bureau-check",
        method = "post",
        operation_id = "bureauCheck"
    )]
    async fn bureau_check(
        &self,
        auth: AppKey,
        body: BankJson<BureauCheckRequest>,
    ) -> Reply<BureauCheckResponse> {
        Ok(bureau_check::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Product eligibility
    ///
    /// Whether the applicant qualifies for an auto loan, personal loan or credit card, the maximum
    /// amount and the rate, from their bureau report and income. Declines carry `reasons`.
    #[oai(
        path = "/api/v1/eligibility-check",
        method = "post",
        operation_id = "eligibilityCheck"
    )]
    async fn eligibility_check(
        &self,
        _auth: AppKey,
        body: BankJson<EligibilityCheckRequest>,
    ) -> Reply<EligibilityCheckResponse> {
        Ok(eligibility_check::answer(&self.sandbox, body.0))
    }

    /// Bank account name enquiry (IMPS)
    ///
    /// Penny-drop verification: does the account exist at the IFSC's bank, and in whose name? Answers in
    /// IMPS style: `ActCode` 0 with `BeneName`, 52 invalid account (numbers ending `0000`), 201 invalid
    /// IFSC. The demo beneficiary `000405009999` / `ICIC0000004` is Ravi Kumar.
    #[oai(
        path = "/api/v1/composite-validation",
        method = "post",
        operation_id = "compositeValidation"
    )]
    async fn composite_validation(
        &self,
        auth: AppKey,
        /// The rail: `0100` IMPS (public samples also send `0010`); any 4-digit 0/1 rail value.
        #[oai(
            name = "x-priority",
            validator(pattern = "^[01]{4}$"),
            example = "model::priority_example"
        )]
        _priority: Header<String>,
        body: BankJson<NameEnquiryRequest>,
    ) -> Reply<NameEnquiryResponse> {
        Ok(name_enquiry::answer(&self.sandbox, &auth.0, body.0))
    }

    /// IFSC lookup
    ///
    /// The branch behind an IFSC: bank, branch, address and the rails it takes (NEFT, RTGS, IMPS, UPI).
    #[oai(
        path = "/api/v1/ifsc/:ifsc",
        method = "get",
        operation_id = "ifscLookup"
    )]
    async fn ifsc_lookup(
        &self,
        _auth: AppKey,
        /// The IFSC, `AAAA0XXXXXX`.
        ifsc: Path<Ifsc>,
    ) -> Result<IfscLookupAnswer, Rejection> {
        Ok(ifsc_lookup::answer(&self.sandbox, &ifsc.0))
    }
}
