//! Trade (api-catalogue §6): outward remittances (SWIFT style: nostro balance, remitter account,
//! transaction order with FX, charges, purpose codes and a UETR, status that moves with the sandbox
//! clock) and electronic bank guarantees (issuance, amendment, verification, invocation). One file
//! per operation; the methods here only route.

mod account_inquiry;
mod balance_inquiry;
mod common;
mod market;
mod state;
mod transaction_inquiry;
mod transaction_order;

use std::sync::Arc;

use poem_openapi::OpenApi;

use crate::sandbox::{auth::AppKey, error::Rejection, payload::BankJson, Sandbox};

use super::ApiTags;

pub use account_inquiry::{AccountInquiryAnswer, AccountInquiryRequest};
pub use balance_inquiry::{RemittanceBalanceInquiryAnswer, RemittanceBalanceInquiryRequest};
pub use transaction_inquiry::{
    RemittanceTransactionInquiryAnswer, RemittanceTransactionInquiryRequest,
};
pub use transaction_order::{TransactionOrderAnswer, TransactionOrderRequest};

pub struct TradeApi {
    sandbox: Arc<Sandbox>,
}

impl TradeApi {
    pub fn new(sandbox: Arc<Sandbox>) -> Self {
        Self { sandbox }
    }
}

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
    ) -> Result<RemittanceBalanceInquiryAnswer, Rejection> {
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
    ) -> Result<AccountInquiryAnswer, Rejection> {
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
    ) -> Result<TransactionOrderAnswer, Rejection> {
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
    ) -> Result<RemittanceTransactionInquiryAnswer, Rejection> {
        Ok(transaction_inquiry::answer(&self.sandbox, &auth.0, body.0))
    }
}
