//! Payments & UPI (api-catalogue §5): composite IMPS / NEFT / RTGS / UPI payments and their status,
//! merchant UPI collect (QR, collect, status, refund, callback status), VPA validation, and the
//! sandbox's hand on a pending collect (approve / reject). One file per operation; the methods here
//! only route.

mod composite_payment;
mod composite_status;
mod rails;
#[allow(dead_code)] // the UPI half lands next
mod state;
#[allow(dead_code)] // the UPI half lands next
mod upi;

use std::sync::Arc;

use poem_openapi::{param::Header, OpenApi};

use crate::sandbox::{auth::AppKey, error::Rejection, payload::BankJson, Sandbox};

use super::ApiTags;

pub use composite_payment::{CompositePaymentAnswer, CompositePaymentRequest, RailAnswer};
pub use composite_status::{CompositeStatusAnswer, CompositeStatusRequest};

pub struct PaymentsApi {
    sandbox: Arc<Sandbox>,
}

impl PaymentsApi {
    pub fn new(sandbox: Arc<Sandbox>) -> Self {
        Self { sandbox }
    }
}

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
        priority: Header<String>,
        body: BankJson<CompositePaymentRequest>,
    ) -> Result<CompositePaymentAnswer, Rejection> {
        let answer = rails::pay(&self.sandbox, &auth.0, &priority.0, &body.0)?;
        Ok(CompositePaymentAnswer::Ok(poem_openapi::payload::Json(
            answer,
        )))
    }

    /// Composite payment status
    ///
    /// The original payment's answer for a `tranRefNo` (or a UPI `seq-no`), in the shape of the rail
    /// that carried it, as it stands now: a NEFT reads `PENDING` until its batch, then `SUCCESS`.
    #[oai(
        path = "/api/v1/composite-status",
        method = "post",
        operation_id = "compositeStatus",
        tag = "ApiTags::Payments"
    )]
    async fn composite_status(
        &self,
        auth: AppKey,
        /// The rail whose not-found answer to use for an unknown reference (`0100` IMPS by default).
        #[oai(name = "x-priority")]
        priority: Header<Option<String>>,
        body: BankJson<CompositeStatusRequest>,
    ) -> Result<CompositeStatusAnswer, Rejection> {
        let priority = priority.0.as_deref().unwrap_or("0100");
        composite_status::answer(&self.sandbox, &auth.0, priority, body.0)
    }
}
