//! Trade: outward remittances (SWIFT style: nostro balance, remitter account,
//! transaction order with FX, charges, purpose codes and a UETR, status that moves with the sandbox
//! clock) and electronic bank guarantees (issuance, amendment, verification, invocation). One file
//! per operation; the methods here only route.

mod account_inquiry;
mod balance_inquiry;
mod codes;
mod guarantee_amendment;
mod guarantee_invocation;
mod guarantee_issuance;
mod guarantee_verify;
mod model;
pub(crate) mod state;
mod transaction_inquiry;
mod transaction_order;

use poem_openapi::OpenApi;

use crate::sandbox::{
    bank::answer::Reply,
    gateway::{credentials::AppKey, payload::BankJson},
};

use super::{ApiTags, SchemaRule};

/// What this family's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    vec![guarantee_amendment::schema_rule()]
}

pub use account_inquiry::{AccountInquiryRequest, AccountInquiryResponse};
pub use balance_inquiry::{RemittanceBalanceInquiryRequest, RemittanceBalanceInquiryResponse};
pub use guarantee_amendment::GuaranteeAmendmentRequest;
pub use guarantee_invocation::GuaranteeInvocationRequest;
pub use guarantee_issuance::GuaranteeIssuanceRequest;
pub use guarantee_verify::{GuaranteeResponse, GuaranteeVerifyRequest};
pub use transaction_inquiry::{
    RemittanceTransactionInquiryRequest, RemittanceTransactionInquiryResponse,
};
pub use transaction_order::{TransactionOrderRequest, TransactionOrderResponse};

family_api!(TradeApi);

#[OpenApi(tag = "ApiTags::Trade")]
impl TradeApi {
    /// Nostro balance inquiry
    ///
    /// The bank's nostro balance in a currency (`USD EUR GBP AED SGD JPY`), read from the app's ledger:
    /// each nostro opens with a fixed balance on first use and falls with every outward remittance.
    #[oai(
        path = "/api/v1/trade/remittance/balance-inquiry",
        method = "post",
        operation_id = "remittanceBalanceInquiry"
    )]
    async fn balance_inquiry(
        &self,
        auth: AppKey,
        body: BankJson<RemittanceBalanceInquiryRequest>,
    ) -> Reply<RemittanceBalanceInquiryResponse> {
        Ok(balance_inquiry::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Remitter account inquiry
    ///
    /// The remitter's account with the bank (name, currency, status, available balance) from the
    /// app's ledger. Unknown account: `TR004`.
    #[oai(
        path = "/api/v1/trade/remittance/account-inquiry",
        method = "post",
        operation_id = "remittanceAccountInquiry"
    )]
    async fn account_inquiry(
        &self,
        auth: AppKey,
        body: BankJson<AccountInquiryRequest>,
    ) -> Reply<AccountInquiryResponse> {
        Ok(account_inquiry::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Outward remittance order
    ///
    /// Sends money abroad: validates the currency, the beneficiary bank's BIC (format and directory)
    /// and the RBI purpose code; converts at the day's deterministic rate; debits the remitter's INR
    /// account (amount plus charges per `OUR`/`BEN`/`SHA`) and the bank's nostro through the ledger;
    /// answers the UETR. Idempotent on `transactionRefNo`. Declines (`TR001`–`TR011`) move nothing.
    #[oai(
        path = "/api/v1/trade/remittance/transaction-order",
        method = "post",
        operation_id = "remittanceTransactionOrder"
    )]
    async fn transaction_order(
        &self,
        auth: AppKey,
        body: BankJson<TransactionOrderRequest>,
    ) -> Reply<TransactionOrderResponse> {
        transaction_order::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Outward remittance inquiry
    ///
    /// A remittance's status, UETR and amounts by `transactionRefNo`. The status moves with the app's
    /// sandbox clock: `ACCEPTED` → `PROCESSING` after 1 hour → `COMPLETED` 1 business day after
    /// acceptance; a sanctions hold `ON_HOLD` → `REJECTED` (refunded) 1 business day after.
    #[oai(
        path = "/api/v1/trade/remittance/transaction-inquiry",
        method = "post",
        operation_id = "remittanceTransactionInquiry"
    )]
    async fn transaction_inquiry(
        &self,
        auth: AppKey,
        body: BankJson<RemittanceTransactionInquiryRequest>,
    ) -> Reply<RemittanceTransactionInquiryResponse> {
        Ok(transaction_inquiry::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Issue a bank guarantee
    ///
    /// Issues an electronic bank guarantee for the applicant (an account of this bank) in favour of
    /// the beneficiary: type, amount and currency, expiry date and claim period → `bgNumber`, status
    /// `ISSUED`. Idempotent on `requestRefNo`.
    #[oai(
        path = "/api/v1/trade/bank-guarantee/issuance",
        method = "post",
        operation_id = "bankGuaranteeIssuance"
    )]
    async fn guarantee_issuance(
        &self,
        auth: AppKey,
        body: BankJson<GuaranteeIssuanceRequest>,
    ) -> Reply<GuaranteeResponse> {
        guarantee_issuance::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Amend a bank guarantee
    ///
    /// Changes the amount and/or the expiry date; the guarantee becomes `AMENDED` and the change joins
    /// its `amendments` history. An `EXPIRED` or `INVOKED` guarantee cannot be amended (`BG004`).
    #[oai(
        path = "/api/v1/trade/bank-guarantee/amendment",
        method = "post",
        operation_id = "bankGuaranteeAmendment"
    )]
    async fn guarantee_amendment(
        &self,
        auth: AppKey,
        body: BankJson<GuaranteeAmendmentRequest>,
    ) -> Reply<GuaranteeResponse> {
        guarantee_amendment::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Verify a bank guarantee
    ///
    /// A guarantee by BG number: status (`ISSUED`, `AMENDED`, `EXPIRED` once the app's sandbox clock
    /// passes `expiryDate`, `INVOKED`), amount, expiry, claim expiry, beneficiary, amendments and claim.
    #[oai(
        path = "/api/v1/trade/bank-guarantee/verify",
        method = "post",
        operation_id = "bankGuaranteeVerify"
    )]
    async fn guarantee_verify(
        &self,
        auth: AppKey,
        body: BankJson<GuaranteeVerifyRequest>,
    ) -> Reply<GuaranteeResponse> {
        Ok(guarantee_verify::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Invoke a bank guarantee
    ///
    /// The beneficiary's claim, up to the guarantee's amount, lodged on or before `claimExpiryDate`
    /// (expiry + claim period, so an `EXPIRED` guarantee can still be claimed within it). The
    /// guarantee becomes `INVOKED`: it cannot be amended or invoked again.
    #[oai(
        path = "/api/v1/trade/bank-guarantee/invocation",
        method = "post",
        operation_id = "bankGuaranteeInvocation"
    )]
    async fn guarantee_invocation(
        &self,
        auth: AppKey,
        body: BankJson<GuaranteeInvocationRequest>,
    ) -> Reply<GuaranteeResponse> {
        guarantee_invocation::answer(&self.sandbox, &auth.0, body.0)
    }
}
