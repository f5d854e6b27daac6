//! Cash Management: Corporate Internet Banking (CIB) — registration, balance,
//! statement, payments and their inquiry — over the app's ledger, the sandbox's approval controls for
//! payments waiting in the corporate's workflow, and collections into virtual accounts with the MIS
//! push. One file per operation; the methods here only route.

mod account_statement;
mod balance_inquiry;
mod bulk_file;
mod bulk_payment;
mod codes;
mod credit_simulate;
mod deregistration;
mod mis_list;
mod model;
mod neft_status;
mod otp_create;
mod registration;
mod registration_status;
mod reverse_mis;
mod sandbox;
pub(crate) mod state;
mod transaction;
mod transaction_inquiry;
mod transaction_otp;
mod virtual_account_create;
mod workflow_decide;

pub use model::collections::{drill_callback, MIS_AMOUNT, MIS_CALLBACK};

use poem_openapi::OpenApi;

use crate::sandbox::{
    bank::answer::{Reply, ReplyAs},
    gateway::{credentials::AppKey, error::Rejection, payload::BankJson},
};

use super::ApiTags;

pub use model::schemas::schema_rules;

pub use account_statement::{AccountStatementRequest, AccountStatementResponse};
pub use balance_inquiry::{BalanceInquiryRequest, BalanceInquiryResponse};
pub use bulk_payment::{BulkPaymentRequest, BulkPaymentResponse};
pub use credit_simulate::{SimulateCreditAnswer, SimulateCreditRequest};
pub use deregistration::{DeregistrationRequest, DeregistrationResponse};
pub use mis_list::{MisAnswer, MisRequest};
pub use model::examples as transaction_examples;
pub use model::{TransactionRequest, TransactionResponse};
pub use neft_status::{NeftStatusRequest, NeftStatusResponse};
pub use otp_create::{OtpCreateRequest, OtpCreateResponse};
pub use registration::{RegistrationRequest, RegistrationResponse};
pub use registration_status::{RegistrationStatusRequest, RegistrationStatusResponse};
pub use reverse_mis::{ReverseMisRequest, ReverseMisResponse};
pub(crate) use sandbox::CibSandboxApi;
pub use transaction_inquiry::{TransactionInquiryRequest, TransactionInquiryResponse};
pub use transaction_otp::{TransactionOtpRequest, TransactionOtpText};
pub use virtual_account_create::{VirtualAccountAnswer, VirtualAccountRequest};

family_api!(CashManagementApi);

#[OpenApi]
impl CashManagementApi {
    /// CIB: register a corporate user
    ///
    /// Registers the corporate user named by the identity block (`AGGRID, AGGRNAME, CORPID, USERID,
    /// URN`) for API banking: `STATUS: Registered`. Every other CIB operation answers 9907 while the
    /// user is not registered. The demo user `SANDUSER1` (and every fixture user but `SANDUSER2`)
    /// starts registered, as partners going live find it; `SANDUSER2` (`SANDCORP2`, `SANDURN0002`)
    /// starts unregistered, for rehearsing this flow. Ids not in the bank's records: 9906.
    #[oai(
        path = "/api/Corporate/CIB/v1/Registration",
        method = "post",
        operation_id = "cibRegistration",
        tag = "ApiTags::CashManagement"
    )]
    async fn registration(
        &self,
        auth: AppKey,
        body: BankJson<RegistrationRequest>,
    ) -> Reply<RegistrationResponse> {
        Ok(registration::answer(&self.sandbox, &auth.0, body.0))
    }

    /// CIB: registration status
    ///
    /// `STATUS`: `Registered`, `Deregistered` or `Not Registered` for the corporate user (a user the
    /// bank onboarded answers `Registered` until it deregisters).
    #[oai(
        path = "/api/Corporate/CIB/v1/RegistrationStatus",
        method = "post",
        operation_id = "cibRegistrationStatus",
        tag = "ApiTags::CashManagement"
    )]
    async fn registration_status(
        &self,
        auth: AppKey,
        body: BankJson<RegistrationStatusRequest>,
    ) -> Reply<RegistrationStatusResponse> {
        Ok(registration_status::answer(&self.sandbox, &auth.0, body.0))
    }

    /// CIB: deregister a corporate user
    ///
    /// The user leaves API banking (`STATUS: Deregistered`); their next calls answer 9907 until they
    /// register again. A user who is not registered: 9907.
    #[oai(
        path = "/api/Corporate/CIB/v1/Deregistration",
        method = "post",
        operation_id = "cibDeregistration",
        tag = "ApiTags::CashManagement"
    )]
    async fn deregistration(
        &self,
        auth: AppKey,
        body: BankJson<DeregistrationRequest>,
    ) -> Reply<DeregistrationResponse> {
        Ok(deregistration::answer(&self.sandbox, &auth.0, body.0))
    }

    /// CIB: balance inquiry
    ///
    /// The balance of one of the corporate's accounts (`EFFECTIVEBAL`, a 2-place string), read from
    /// the same ledger as the statement and payments. The demo corporate's accounts: `000405000001`
    /// (10,00,000.00) and `000405000002` (50,000.00). Another corporate's account: 9906.
    #[oai(
        path = "/api/Corporate/CIB/v1/BalanceInquiry",
        method = "post",
        operation_id = "cibBalanceInquiry",
        tag = "ApiTags::CashManagement"
    )]
    async fn balance_inquiry(
        &self,
        auth: AppKey,
        body: BankJson<BalanceInquiryRequest>,
    ) -> Reply<BalanceInquiryResponse> {
        Ok(balance_inquiry::answer(&self.sandbox, &auth.0, body.0))
    }

    /// CIB: account statement
    ///
    /// The account's entries with value dates `FROMDATE`..`TODATE` (`DD-MM-YYYY`), oldest first, 50 to
    /// a page: while `CONFLG` is `Y`, ask again with `CONFLG: Y` and the answer's `LASTTRID`. Fixture
    /// accounts start with 120 days of history; each record's `BALANCE` is the balance after it.
    #[oai(
        path = "/api/Corporate/CIB/v1/AccountStatement",
        method = "post",
        operation_id = "cibAccountStatement",
        tag = "ApiTags::CashManagement"
    )]
    async fn account_statement(
        &self,
        auth: AppKey,
        body: BankJson<AccountStatementRequest>,
    ) -> Reply<AccountStatementResponse> {
        account_statement::answer(&self.sandbox, &auth.0, body.0)
    }

    /// CIB: make a payment
    ///
    /// Pays from one of the corporate's accounts: `TXNTYPE` `TPA` (within the bank, credited at once),
    /// `RGS` NEFT (debited now, `PENDING` until the next half-hourly batch of the app's clock), `RTG`
    /// RTGS (≥ 2,00,000.00) or `IFS` IMPS (≤ 5,00,000.00). `WORKFLOW_REQD: N` executes at once; `Y` or
    /// absent answers `PENDING` "Pending For approval" until `POST /sandbox/cib/{UNIQUEID}/approve`.
    /// A reused UNIQUEID answers `DUPLICATE` (999936) and never pays twice. Declines: 100030
    /// insufficient balance, 100046 beneficiary account ending `0000`, 995109 a rail rule (RTGS
    /// minimum, IMPS maximum, NEFT `REMARKS` over 32 letters/digits/spaces, amount `.13`). Magic
    /// paise: `.51` insufficient funds, `.96` a 504/8013 backend timeout.
    #[oai(
        path = "/api/Corporate/CIB/v1/Transaction",
        method = "post",
        operation_id = "cibTransaction",
        tag = "ApiTags::CashManagement"
    )]
    async fn transaction(
        &self,
        auth: AppKey,
        body: BankJson<TransactionRequest>,
    ) -> Reply<TransactionResponse> {
        transaction::answer(&self.sandbox, &auth.0, body.0)
    }

    /// CIB: send the OTP for a payment
    ///
    /// "Sends" the corporate user an OTP for the payment with this `UNIQUEID` (and, when named, this
    /// `AMOUNT`), to be given back to `TransactionOTP` (or the bulk payment). The sandbox sends no
    /// SMS: the OTP is `123456`, valid for 15 minutes of the app's clock; asking again sends a fresh
    /// one. A UNIQUEID already paid: DUPLICATE (999936); unknown ids 9906, unregistered user 9907.
    #[oai(
        path = "/api/Corporate/CIB/v1/Create",
        method = "post",
        operation_id = "cibCreate",
        tag = "ApiTags::CashManagement"
    )]
    async fn otp_create(
        &self,
        auth: AppKey,
        body: BankJson<OtpCreateRequest>,
    ) -> Reply<OtpCreateResponse> {
        Ok(otp_create::answer(&self.sandbox, &auth.0, body.0))
    }

    /// CIB: make a payment confirmed by OTP
    ///
    /// `Transaction` plus `OTP`: the OTP `Create` sent for this UNIQUEID confirms the payment, which
    /// then follows Transaction's rules and codes exactly. Without `WORKFLOW_REQD` the payment
    /// executes at once (the OTP is the user's authorisation). OTP codes: 99274 no OTP, or no `Create`
    /// for this UNIQUEID; 107889 the OTP is older than 15 minutes of the app's clock; 994006 a wrong
    /// OTP (or an amount other than the one `Create` named). A refused OTP changes nothing: try again.
    #[oai(
        path = "/api/Corporate/CIB/v1/TransactionOTP",
        method = "post",
        operation_id = "cibTransactionOtp",
        tag = "ApiTags::CashManagement"
    )]
    async fn transaction_otp(
        &self,
        auth: AppKey,
        body: BankJson<TransactionOtpRequest>,
    ) -> ReplyAs<TransactionOtpText> {
        transaction_otp::answer(&self.sandbox, &auth.0, body.0)
    }

    /// CIB: transaction inquiry
    ///
    /// A payment's current `STATUS`, `MESSAGE` and `UTRNUMBER` by its UNIQUEID (the original payment,
    /// also after a DUPLICATE). As at the bank, this request has no `AGGRNAME`: sending one is a schema
    /// error (400/8017). An unknown UNIQUEID: `FAILURE` 999940.
    #[oai(
        path = "/api/Corporate/CIB/v1/TransactionInquiry",
        method = "post",
        operation_id = "cibTransactionInquiry",
        tag = "ApiTags::CashManagement"
    )]
    async fn transaction_inquiry(
        &self,
        auth: AppKey,
        body: BankJson<TransactionInquiryRequest>,
    ) -> Reply<TransactionInquiryResponse> {
        Ok(transaction_inquiry::answer(&self.sandbox, &auth.0, body.0))
    }

    /// CIB: NEFT status by UTR
    ///
    /// Where a NEFT payment of the corporate stands, by the UTR its payment answered: `PENDING`
    /// until its half-hourly batch of the app's clock, then `SUCCESS`. Covers NEFT sent by
    /// `Transaction` / `TransactionOTP` (`TXNTYPE: RGS`) and by the composite payment
    /// (`x-priority: 0010`). A UTR of no NEFT payment of the corporate: `FAILURE` 999941; unknown ids
    /// 9906, unregistered user 9907.
    #[oai(
        path = "/api/v1/CIBNEFTStatus",
        method = "post",
        operation_id = "cibNeftStatus",
        tag = "ApiTags::CashManagement"
    )]
    async fn neft_status(
        &self,
        auth: AppKey,
        body: BankJson<NeftStatusRequest>,
    ) -> Reply<NeftStatusResponse> {
        Ok(neft_status::answer(&self.sandbox, &auth.0, body.0))
    }

    /// CIB: bulk payment file
    ///
    /// Pays a file of payments from one of the corporate's accounts: base64 of the bank's bulk file
    /// (`FHR` header, `MDR` debit record, then `MCW` payments within the bank and `MCO` payments by
    /// NEFT, `^`-separated, `|` between fields) in `FILE_CONTENT`, confirmed by `AGOTP`, the OTP
    /// `Create` sent for `UNIQUE_ID` (codes as TransactionOTP's). Identity keys are underscored
    /// here (`AGGR_ID, CORP_ID, USER_ID`). Each payment is booked by Transaction's rules as UNIQUEID
    /// `<FILE_SEQUENCE_NUM>-<n>`; the answer's `FILE_SEQUENCE_NUM` is for `ReverseMis`. A file that
    /// does not parse: 400/8017 naming the record; a reused `UNIQUE_ID`: DUPLICATE (999936).
    #[oai(
        path = "/api/v1/cibbulkpayment/bulkPayment",
        method = "post",
        operation_id = "cibBulkPayment",
        tag = "ApiTags::CashManagement"
    )]
    async fn bulk_payment(
        &self,
        auth: AppKey,
        body: BankJson<BulkPaymentRequest>,
    ) -> Reply<BulkPaymentResponse> {
        bulk_payment::answer(&self.sandbox, &auth.0, body.0)
    }

    /// CIB: bulk payment file status
    ///
    /// Where a bulk file stands, by `FILESEQNUM` and `UNIQUEID`: `STATUS` `SUCCESS`, `PENDING` (a
    /// NEFT awaits its batch), `PARTIAL` or `FAILURE` (999943), with a `MESSAGE` counting the
    /// payments; each payment's own status is TransactionInquiry's (`UNIQUEID` `<FILESEQNUM>-<n>`).
    /// `USERID` may be `CORPID.USERID`. An unknown file: `FAILURE` 999942.
    #[oai(
        path = "/api/v1/ReverseMis",
        method = "post",
        operation_id = "cibReverseMis",
        tag = "ApiTags::CashManagement"
    )]
    async fn reverse_mis(
        &self,
        auth: AppKey,
        body: BankJson<ReverseMisRequest>,
    ) -> Reply<ReverseMisResponse> {
        Ok(reverse_mis::answer(&self.sandbox, &auth.0, body.0))
    }

    /// Collections: create a virtual account
    ///
    /// A virtual account for one of the corporate's payers: number = the corporate's client code +
    /// `payerCode` (`SANDCORP1` → `SBNK01`, so `SBNK01CUST0001`), paid at IFSC `ICIC0000104`. Credits
    /// land in `collectionAccount` (default: the corporate's first account) and each one's MIS record
    /// is pushed to `callbackUrl` (default: the app's callback URL). The same corporate and payer code
    /// again answers the existing account. Unknown `corpId`: 404.
    #[oai(
        path = "/api/v1/ecollection/virtual-accounts",
        method = "post",
        operation_id = "ecollectionVirtualAccount",
        tag = "ApiTags::CashManagement"
    )]
    async fn virtual_account(
        &self,
        auth: AppKey,
        body: BankJson<VirtualAccountRequest>,
    ) -> Result<VirtualAccountAnswer, Rejection> {
        virtual_account_create::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Collections: simulate a remitter's credit
    ///
    /// A remitter pays into a virtual account by NEFT, RTGS (≥ 2,00,000.00) or IMPS (≤ 5,00,000.00):
    /// the corporate's collection account is credited at once (balance and statement show it) and
    /// the MIS record is POSTed to the corporate (kind `ecollection-mis` at `GET /sandbox/callbacks`,
    /// retried with backoff). The same `utr` again credits nothing more (`duplicate: true`).
    #[oai(
        path = "/api/v1/ecollection/simulate-credit",
        method = "post",
        operation_id = "ecollectionSimulateCredit",
        tag = "ApiTags::CashManagement"
    )]
    async fn simulate_credit(
        &self,
        auth: AppKey,
        body: BankJson<SimulateCreditRequest>,
    ) -> Result<SimulateCreditAnswer, Rejection> {
        credit_simulate::answer(&self.sandbox, &auth.0, body.0)
    }

    /// Collections: MIS of credits
    ///
    /// The corporate's virtual-account credits between `fromDate` and `toDate` (IST), oldest first,
    /// each with its MIS push's `deliveryStatus` (`QUEUED`, `DELIVERED`, `FAILED`) and the
    /// corporate's `clientDecision`: a 2xx answer with JSON `{"status":"REJECT"}` rejects, any other
    /// 2xx accepts.
    #[oai(
        path = "/api/v1/ecollection/mis",
        method = "post",
        operation_id = "ecollectionMis",
        tag = "ApiTags::CashManagement"
    )]
    async fn mis(&self, auth: AppKey, body: BankJson<MisRequest>) -> Result<MisAnswer, Rejection> {
        mis_list::answer(&self.sandbox, &auth.0, body.0)
    }
}
