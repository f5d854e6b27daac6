//! Auto Loan: one application's lifecycle, `OFFERED → ELIGIBLE →
//! DOCUMENTS_RECEIVED → SANCTION_PENDING → SANCTIONED → DISBURSED → ACTIVE → CLOSED` (or `REJECTED`),
//! with the money moving through the ledger. One file per operation; the methods here only route, the
//! rules live in `book`.

mod codes;
mod disbursement_create;
mod documents_upload;
mod eligibility_check;
mod model;
mod offer_create;
mod otp_send;
mod otp_verify;
mod repayment_create;
mod sanction_request;
pub(crate) mod state;
mod status_inquiry;

use poem_openapi::OpenApi;

use crate::sandbox::{
    bank::answer::Reply,
    gateway::{credentials::AppKey, payload::BankJson},
};

use super::{ApiTags, SchemaRule};

/// What this family's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    vec![
        repayment_create::schema_rule(),
        status_inquiry::schema_rule(),
    ]
}

pub use disbursement_create::{DisbursementRequest, DisbursementResponse};
pub use documents_upload::{examples as document_examples, DocumentRequest, DocumentResponse};
pub use eligibility_check::{EligibilityRequest, EligibilityResponse};
pub use offer_create::{OfferRequest, OfferResponse};
pub use otp_send::{OtpRequest, OtpResponse};
pub use otp_verify::{OtpVerifyRequest, OtpVerifyResponse};
pub use repayment_create::{RepaymentRequest, RepaymentResponse};
pub use sanction_request::{ApplicationRequest, SanctionResponse};
pub use status_inquiry::{StatusRequest, StatusResponse};

family_api!(AutoLoanApi);

#[OpenApi(tag = "ApiTags::AutoLoan")]
impl AutoLoanApi {
    /// Send an OTP to the applicant
    ///
    /// Starts an application: an OTP to the applicant's mobile, valid for 5 sandbox minutes. The
    /// sandbox sends no SMS; its OTP is always `123456`.
    #[oai(
        path = "/api/v1/auto-loan/otp",
        method = "post",
        operation_id = "autoLoanOtp"
    )]
    async fn otp(&self, auth: AppKey, body: BankJson<OtpRequest>) -> Reply<OtpResponse> {
        Ok(otp_send::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Verify the applicant's OTP
    ///
    /// `123456` verifies the mobile for 30 sandbox minutes (offers need it); any other OTP answers
    /// `AL101`; an unknown, used or expired reference `AL102`.
    #[oai(
        path = "/api/v1/auto-loan/otp/verify",
        method = "post",
        operation_id = "autoLoanOtpVerify"
    )]
    async fn otp_verify(
        &self,
        auth: AppKey,
        body: BankJson<OtpVerifyRequest>,
    ) -> Reply<OtpVerifyResponse> {
        Ok(otp_verify::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Get the bank's offer
    ///
    /// Evaluates the applicant's bureau report (score, delinquency, existing EMIs) and income against
    /// the vehicle: the offer amount, maximum tenure and rate, and an application number — `OFFERED`,
    /// or `REJECTED` with reasons (`AL203`). Low scores get a lower loan-to-value and a higher rate.
    /// Dealer codes ending `0000` are not empanelled (`AL204`); an on-road price ending `.96` times out.
    #[oai(
        path = "/api/v1/auto-loan/offer",
        method = "post",
        operation_id = "autoLoanOffer"
    )]
    async fn offer(&self, auth: AppKey, body: BankJson<OfferRequest>) -> Reply<OfferResponse> {
        offer_create::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Check eligibility for an amount and tenure
    ///
    /// Prices the chosen loan amount and tenure within the offer: EMI (reducing balance, to the
    /// paisa), rate and processing fee; the application becomes `ELIGIBLE`. Above the offer:
    /// `eligible: false` with reasons. Allowed in `OFFERED` and `ELIGIBLE`.
    #[oai(
        path = "/api/v1/auto-loan/eligibility",
        method = "post",
        operation_id = "autoLoanEligibility"
    )]
    async fn eligibility(
        &self,
        auth: AppKey,
        body: BankJson<EligibilityRequest>,
    ) -> Reply<EligibilityResponse> {
        eligibility_check::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Submit a document
    ///
    /// Statement and KYC document metadata (type, file name, SHA-256). A KYC document and a bank
    /// statement make the application `DOCUMENTS_RECEIVED`. A SHA-256 of 64 zeros is unreadable
    /// (`AL301`). Allowed in `ELIGIBLE` and `DOCUMENTS_RECEIVED`.
    #[oai(
        path = "/api/v1/auto-loan/documents",
        method = "post",
        operation_id = "autoLoanDocuments"
    )]
    async fn documents(
        &self,
        auth: AppKey,
        body: BankJson<DocumentRequest>,
    ) -> Reply<DocumentResponse> {
        Ok(documents_upload::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Ask for sanction
    ///
    /// Answers the sanction letter number and terms; the application is `SANCTION_PENDING` and
    /// becomes `SANCTIONED` 1 sandbox hour later (advance the clock with `POST /sandbox/clock`).
    /// Allowed in `DOCUMENTS_RECEIVED`.
    #[oai(
        path = "/api/v1/auto-loan/sanction",
        method = "post",
        operation_id = "autoLoanSanction"
    )]
    async fn sanction(
        &self,
        auth: AppKey,
        body: BankJson<ApplicationRequest>,
    ) -> Reply<SanctionResponse> {
        Ok(sanction_request::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Disburse to the dealer
    ///
    /// Debits the bank's auto-loan pool and credits the dealer's account (an account of this bank) or
    /// pays it out by NEFT (another bank), opens the loan account and its EMI schedule (first EMI one
    /// month after disbursement). `DISBURSED`, then `ACTIVE` 1 sandbox day later. Dealer accounts
    /// ending `0000` are invalid (`AL401`). Allowed in `SANCTIONED`.
    #[oai(
        path = "/api/v1/auto-loan/disbursement",
        method = "post",
        operation_id = "autoLoanDisbursement"
    )]
    async fn disbursement(
        &self,
        auth: AppKey,
        body: BankJson<DisbursementRequest>,
    ) -> Reply<DisbursementResponse> {
        Ok(disbursement_create::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Repay or foreclose a loan
    ///
    /// Pays EMIs (`EMI` with an `amount`, applied to instalments in order) or the whole loan at
    /// today's foreclosure amount (`FORECLOSURE`) from an account of this bank. Nothing left owed:
    /// `CLOSED`. Allowed in `ACTIVE`. Amounts ending `.51`: insufficient funds; `.96`: timeout.
    #[oai(
        path = "/api/v1/auto-loan/repayment",
        method = "post",
        operation_id = "autoLoanRepayment"
    )]
    async fn repayment(
        &self,
        auth: AppKey,
        body: BankJson<RepaymentRequest>,
    ) -> Reply<RepaymentResponse> {
        repayment_create::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Application and loan status
    ///
    /// By `applicationNo` or `loanAccountNo`: the state and its history, allowed next steps, terms,
    /// and once disbursed the EMI schedule summary, the full amortisation schedule, and the dues on the
    /// app's sandbox date — `overdueAmount`, `dpd`, `nextDueDate`, `foreclosureAmount`.
    #[oai(
        path = "/api/v1/auto-loan/status",
        method = "post",
        operation_id = "autoLoanStatus"
    )]
    async fn status(&self, auth: AppKey, body: BankJson<StatusRequest>) -> Reply<StatusResponse> {
        status_inquiry::answer(&self.sandbox, &auth.0, body.0)
    }
}
