//! Payments & UPI: composite IMPS / NEFT / RTGS / UPI payments and their status,
//! merchant UPI collect (QR, collect, status, refund, callback status), VPA validation, and the
//! sandbox's hand on a pending collect (approve / reject). One file per operation; the methods here
//! only route.

mod callback_status;
mod codes;
mod collect_pay;
mod composite_orders;
mod composite_payment;
mod composite_status;
mod model;
mod qr;
mod refund;
mod sandbox_upi;
pub(crate) mod state;
mod transaction_status;
mod validate_address;

use model::{composite_request, rails, upi};

pub use upi::{drill_callback, CALLBACK_AMOUNT, CALLBACK_KIND};

use poem_openapi::{
    param::{Header, Path},
    OpenApi,
};

use crate::sandbox::{
    bank::{
        answer::{Answer, Decided, Reply, ReplyAs},
        formats::RailPriority,
        rails::Rail,
    },
    gateway::{credentials::AppKey, error::Rejection, payload::BankJson},
};

use super::{ApiTags, SchemaRule};

/// What this family's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    vec![composite_status::schema_rule()]
}

pub use callback_status::{CallbackStatusRequest, CallbackStatusResponse};
pub use collect_pay::{CollectPayRequest, CollectPayResponse};
pub use composite_request::CompositePaymentRequest;
pub use composite_status::{neft_by_utr, CompositeStatusRequest, CompositeStatusText};
pub use model::RailAnswer;
pub use qr::{QrRequest, QrResponse};
pub use refund::{RefundRequest, RefundResponse};
pub use sandbox_upi::Settle;
pub use transaction_status::{TransactionStatusRequest, TransactionStatusResponse};
pub use validate_address::{ValidateAddressRequest, ValidateAddressResponse};

use model::Decision;

family_api!(PaymentsApi);

#[OpenApi]
impl PaymentsApi {
    /// Composite payment (UPI / IMPS / NEFT / RTGS)
    ///
    /// Pays a beneficiary on the rail `x-priority` names: `1000` UPI, `0100` IMPS, `0010` NEFT, `0001`
    /// RTGS; several rails (`0110`) are a fallback order — a rail refusing the amount (IMPS above
    /// ₹5,00,000, RTGS below ₹2,00,000, UPI above ₹1,00,000) or the IFSC (branch not enabled for the
    /// rail) hands over to the next. The body carries each named rail's fields (a missing one is
    /// 400/8017 naming it). The corporate (`crpId`) is debited; IMPS/RTGS/UPI settle at once, NEFT in
    /// the next half-hourly batch of the app's clock. A reused `tranRefNo` / `seq-no` never pays twice
    /// (IMPS `ActCode` 14, NEFT/RTGS `DUPLICATE` 999936, UPI 5002). Magic: amounts ending `.13`
    /// invalid amount, `.51` insufficient funds, `.96` backend timeout (504/8013); beneficiary
    /// accounts ending `0000` invalid; an IFSC of a bank not in the directory invalid.
    #[oai(
        path = "/api/v1/composite-payment",
        method = "post",
        operation_id = "compositePayment",
        tag = "ApiTags::Payments"
    )]
    async fn composite_payment(
        &self,
        auth: AppKey,
        /// The rails, in fallback order: `1000` UPI, `0100` IMPS, `0010` NEFT, `0001` RTGS.
        #[oai(name = "x-priority")]
        priority: Header<RailPriority>,
        body: BankJson<CompositePaymentRequest>,
    ) -> Reply<RailAnswer> {
        let answer = composite_payment::pay(&self.sandbox, &auth.0, &priority.0, &body.0)?;
        Ok(Answer(answer))
    }

    /// Composite payment status
    ///
    /// The original payment's answer for a `tranRefNo` (or a UPI `seq-no`), in the shape of the rail
    /// that carried it, as it stands now: a NEFT reads `PENDING` until its batch, then `SUCCESS`.
    /// NEFT/RTGS payments may also be looked up in the CIB form partner code uses with
    /// `x-priority: 0010`: the identity block `AGGRID, CORPID, USERID, URN` and `UNIQUEID` (the
    /// payment's `tranRefNo`); the answer then adds `URN` and `REQID`, and only the corporate's own
    /// payments are found (ids of no corporate: `9906`).
    #[oai(
        path = "/api/v1/composite-status",
        method = "post",
        operation_id = "compositeStatus",
        tag = "ApiTags::Payments"
    )]
    async fn composite_status(
        &self,
        auth: AppKey,
        /// The rail whose not-found answer to use for an unknown reference (`0100` IMPS by default;
        /// the CIB form answers NEFT, or RTGS for `0001`).
        #[oai(name = "x-priority")]
        priority: Header<Option<RailPriority>>,
        body: BankJson<CompositeStatusRequest>,
    ) -> ReplyAs<CompositeStatusText> {
        let rails = priority.0.map_or_else(|| vec![Rail::Imps], |p| p.rails());
        composite_status::answer(&self.sandbox, &auth.0, &rails, body.0)
    }

    /// UPI dynamic QR
    ///
    /// A UPI intent for the merchant (`upi://pay?pa=...&pn=...&am=...&tr=<refId>&tn=...&cu=INR`,
    /// percent-encoded) and its `refId`. It stays `PENDING` until `POST /sandbox/upi/{refId}/approve`
    /// (a synthetic payer pays; the callback follows) or `/reject`. Reused `merchantTranId`: `5002`.
    #[oai(
        path = "/api/MerchantAPI/UPI/v0/QR3/:merchantId",
        method = "post",
        operation_id = "upiQr3",
        tag = "ApiTags::Payments"
    )]
    async fn qr3(
        &self,
        auth: AppKey,
        /// The merchant (demo `400000`); must equal the body's `merchantId`, else `5001`.
        #[oai(name = "merchantId", example = "upi::merchant_example")]
        merchant_id: Path<String>,
        body: BankJson<QrRequest>,
    ) -> Reply<QrResponse> {
        qr::answer(&self.sandbox, &auth.0, &merchant_id.0, body.0)
    }

    /// UPI collect request
    ///
    /// Asks the payer's VPA for money; answers `92` "Transaction Initiated" with the `BankRRN`. The
    /// payer answers later by the app's clock: `success@icici` approves after 5 s, `failure@icici`
    /// declines after 5 s (`00ZA`), `pending@icici` waits for `POST /sandbox/upi/{BankRRN}/approve` or
    /// `/reject`, `expired@icici` expires at `collectByDate` (`U69`), any other VPA approves after
    /// 30 s. Settling credits the merchant's settlement account (`000406` + merchantId) and POSTs the
    /// bank's callback to the merchant's (else the app's) callback URL. Reused `merchantTranId`:
    /// `5002`, no second collect; `collectByDate` not in the future: `5006`.
    #[oai(
        path = "/api/MerchantAPI/UPI/v0/CollectPay3/:merchantId",
        method = "post",
        operation_id = "upiCollectPay3",
        tag = "ApiTags::Payments"
    )]
    async fn collect_pay3(
        &self,
        auth: AppKey,
        /// The merchant (demo `400000`); must equal the body's `merchantId`, else `5001`.
        #[oai(name = "merchantId", example = "upi::merchant_example")]
        merchant_id: Path<String>,
        body: BankJson<CollectPayRequest>,
    ) -> Reply<CollectPayResponse> {
        collect_pay::answer(&self.sandbox, &auth.0, &merchant_id.0, body.0)
    }

    /// UPI transaction status
    ///
    /// Where a collect, QR payment or refund stands by its `merchantTranId`: `PENDING` (`92`),
    /// `SUCCESS` (`0`), `FAILURE` (`00ZA`), `EXPIRED` (`U69`); unknown: `5003`.
    #[oai(
        path = "/api/MerchantAPI/UPI/v0/TransactionStatus3/:merchantId",
        method = "post",
        operation_id = "upiTransactionStatus3",
        tag = "ApiTags::Payments"
    )]
    async fn transaction_status3(
        &self,
        auth: AppKey,
        /// The merchant (demo `400000`).
        #[oai(name = "merchantId", example = "upi::merchant_example")]
        merchant_id: Path<String>,
        body: BankJson<TransactionStatusRequest>,
    ) -> Reply<TransactionStatusResponse> {
        transaction_status::answer(&self.sandbox, &auth.0, &merchant_id.0, body.0)
    }

    /// UPI refund
    ///
    /// Refunds a successful collect or QR payment to its payer, fully or in parts; together never
    /// more than the original (`5020`). Debits the merchant's settlement account. Reused
    /// `merchantTranId`: `5002`; original unknown: `5003`, not successful: `5021`; `payeeVa` not the
    /// original payer: `5022`.
    #[oai(
        path = "/api/MerchantAPI/UPI/v0/Refund/:merchantId",
        method = "post",
        operation_id = "upiRefund",
        tag = "ApiTags::Payments"
    )]
    async fn refund(
        &self,
        auth: AppKey,
        /// The merchant (demo `400000`).
        #[oai(name = "merchantId", example = "upi::merchant_example")]
        merchant_id: Path<String>,
        body: BankJson<RefundRequest>,
    ) -> Reply<RefundResponse> {
        refund::answer(&self.sandbox, &auth.0, &merchant_id.0, body.0)
    }

    /// UPI callback status
    ///
    /// The callback the bank sent for a `BankRRN` — or, while the collect is pending, the one it
    /// would send (`TxnStatus` `PENDING`, no completion date). Unknown BankRRN: `5003`.
    #[oai(
        path = "/api/MerchantAPI/UPI/v0/CallbackStatus2/:merchantId",
        method = "post",
        operation_id = "upiCallbackStatus2",
        tag = "ApiTags::Payments"
    )]
    async fn callback_status2(
        &self,
        auth: AppKey,
        /// The merchant (demo `400000`).
        #[oai(name = "merchantId", example = "upi::merchant_example")]
        merchant_id: Path<String>,
        body: BankJson<CallbackStatusRequest>,
    ) -> Reply<CallbackStatusResponse> {
        callback_status::answer(&self.sandbox, &auth.0, &merchant_id.0, body.0)
    }

    /// Validate a UPI address (VPA)
    ///
    /// Whether a VPA is valid and its holder's name. A handle other than `@icici @okicici @ybl
    /// @paytm @upi` is invalid (`37`).
    #[oai(
        path = "/api/v1/upi2/ValidateAddress",
        method = "post",
        operation_id = "upiValidateAddress",
        tag = "ApiTags::Payments"
    )]
    async fn validate_address(
        &self,
        _auth: AppKey,
        body: BankJson<ValidateAddressRequest>,
    ) -> Reply<ValidateAddressResponse> {
        Ok(validate_address::answer(&self.sandbox, body.0))
    }

    /// Approve a pending UPI collect
    ///
    /// The payer approves the collect (or pays the QR intent) with this BankRRN now, by the app's
    /// clock: the merchant's settlement account is credited and the bank's callback sent. 404 when
    /// unknown, 409 when already settled.
    #[oai(
        path = "/sandbox/upi/:bankRrn/approve",
        method = "post",
        operation_id = "sandboxUpiApprove",
        tag = "ApiTags::Sandbox"
    )]
    async fn sandbox_upi_approve(
        &self,
        auth: AppKey,
        /// The collect's BankRRN (a QR's refId).
        #[oai(name = "bankRrn", example = "upi::approved_example")]
        bank_rrn: Path<String>,
    ) -> Result<Decided<Settle>, Rejection> {
        sandbox_upi::answer(&self.sandbox, &auth.0, &bank_rrn.0, Decision::Approve)
    }

    /// Reject a pending UPI collect
    ///
    /// The payer declines the collect (or QR intent) with this BankRRN now: `FAILURE` (`00ZA`), and
    /// the bank's callback is sent. 404 when unknown, 409 when already settled.
    #[oai(
        path = "/sandbox/upi/:bankRrn/reject",
        method = "post",
        operation_id = "sandboxUpiReject",
        tag = "ApiTags::Sandbox"
    )]
    async fn sandbox_upi_reject(
        &self,
        auth: AppKey,
        /// The collect's BankRRN (a QR's refId).
        #[oai(name = "bankRrn", example = "upi::rejected_example")]
        bank_rrn: Path<String>,
    ) -> Result<Decided<Settle>, Rejection> {
        sandbox_upi::answer(&self.sandbox, &auth.0, &bank_rrn.0, Decision::Reject)
    }
}
