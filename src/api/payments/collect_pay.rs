//! `POST /api/MerchantAPI/UPI/v0/CollectPay3/{merchantId}` [bank]: the merchant asks a payer's VPA
//! for money. The answer is always "initiated" (`92`); the payer decides later, by the app's clock
//! (magic VPAs: `success@icici` approves after 5 s, `failure@icici` declines after 5 s with `00ZA`,
//! `pending@icici` waits for `POST /sandbox/upi/{BankRRN}/approve|reject`, `expired@icici` lets it
//! expire at `collectByDate` with `U69`; any other VPA approves after 30 s). A collect not decided by
//! `collectByDate` expires then.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        formats::{Amount, CollectByDate, FreeText, Reference, Vpa},
        magic::{magic_amount, MagicAmount},
        store::Full,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes::{self, UpiCode},
    model::{MerchantEcho, UpiKind, UpiTxn},
    state::PaymentsState,
    upi::{self, Raised},
};

/// The bank's collect request.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct CollectPayRequest {
    /// The payer's VPA (magic: `success@icici`, `failure@icici`, `pending@icici`, `expired@icici`).
    pub payer_va: Vpa,
    /// Rupees; `.96` times out (504/8013).
    pub amount: Amount,
    /// Shown to the payer.
    pub note: FreeText<50>,
    /// The deadline, IST `dd/MM/yyyy hh:mm a`; must be in the future by the app's clock.
    pub collect_by_date: CollectByDate,
    /// Must equal the path's merchantId (demo `400000`).
    pub merchant_id: String,
    pub merchant_name: FreeText<100>,
    /// The sub-merchant (optional; default: the `merchantId`, as for a merchant without sub-merchants).
    #[oai(skip_serializing_if_is_none)]
    pub sub_merchant_id: Option<String>,
    pub sub_merchant_name: FreeText<100>,
    pub terminal_id: String,
    /// The merchant's unique reference; reused: `5002`, no second collect.
    pub merchant_tran_id: Reference<35>,
    pub bill_number: Reference<35>,
}

impl upi::NamesMerchant for CollectPayRequest {
    fn merchant_ids(&self) -> (&str, &Option<String>, &str) {
        (&self.merchant_id, &self.sub_merchant_id, &self.terminal_id)
    }
}

impl poem_openapi::types::Example for CollectPayRequest {
    fn example() -> Self {
        Self {
            payer_va: sample("success@icici"),
            amount: sample("499.00"),
            note: FreeText::derived("Order 1042"),
            collect_by_date: CollectByDate::derived("31/12/2030 06:30 PM"),
            merchant_id: "400000".into(),
            merchant_name: FreeText::derived("Sandbank Store"),
            sub_merchant_id: None,
            sub_merchant_name: FreeText::derived("Sandbank Store"),
            terminal_id: "5411".into(),
            merchant_tran_id: Reference::derived("COLLECT-1042"),
            bill_number: Reference::derived("BILL-1042"),
        }
    }
}

/// The bank's answer: `response` `92` / `success` `"true"` / "Transaction Initiated" on success.
#[derive(Object, Debug)]
pub struct CollectPayResponse {
    /// `92` initiated, `5001` invalid merchant, `5002` duplicate merchantTranId, `5006` collectByDate
    /// not in the future, `37` invalid payer VPA.
    pub response: String,
    #[oai(flatten)]
    pub merchant: MerchantEcho,
    /// `"true"` when the collect was raised.
    pub success: String,
    pub message: String,
    #[oai(rename = "merchantTranId")]
    pub merchant_tran_id: String,
    /// 12 digits; identifies the collect in status, callbacks, refunds and sandbox approve/reject.
    #[oai(rename = "BankRRN", skip_serializing_if_is_none)]
    pub bank_rrn: Option<String>,
}

impl Answered for CollectPayResponse {
    const DESCRIPTION: &'static str = super::model::UPI_MERCHANT_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    path_merchant: &str,
    request: CollectPayRequest,
) -> Reply<CollectPayResponse> {
    let collect_by = request.collect_by_date.instant();
    if magic_amount(request.amount.value()) == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let reply = |code: UpiCode, rrn| collect_answer(&request, code, rrn);
    let Some(merchant) = upi::requesting_merchant(&sandbox.fixtures, path_merchant, &request)
    else {
        return Ok(reply(codes::INVALID_MERCHANT, None));
    };
    if !upi::is_known_handle(&request.payer_va) {
        return Ok(reply(codes::UNKNOWN_PAYER_PSP, None));
    }
    let rrn = upi::bank_rrn(
        sandbox,
        &app.id,
        &merchant.merchant_id,
        &request.merchant_tran_id,
    );
    let payer = upi::payer_identity(sandbox, request.payer_va.as_str());
    let outcome = sandbox.family(app, PaymentsState::new, |state, ctx| -> Result<_, Full> {
        if state.tran_id_used(&merchant.merchant_id, &request.merchant_tran_id, &rrn) {
            return Ok(Err(rrn.clone()));
        }
        if collect_by <= ctx.now {
            return Ok(Ok(false));
        }
        state.record_upi(UpiTxn {
            planned: upi::plan(&request.payer_va, ctx.now, collect_by),
            ..upi::raised(Raised {
                kind: UpiKind::Collect,
                merchant,
                bank_rrn: rrn.clone(),
                merchant_tran_id: request.merchant_tran_id.to_string(),
                bill_number: request.bill_number.to_string(),
                payer_va: request.payer_va.to_string(),
                payer: payer.clone(),
                amount: request.amount.value(),
                at: ctx.now,
            })
        })?;
        Ok(Ok(true))
    })?;
    Ok(match outcome {
        Ok(true) => reply(codes::INITIATED, Some(rrn)),
        Ok(false) => reply(codes::COLLECT_BY_PAST, None),
        Err(original) => reply(codes::DUPLICATE_TRAN_ID, Some(original)),
    })
}

/// The bank's answer to a collect request: `92` initiated, or the code of its refusal.
fn collect_answer(
    request: &CollectPayRequest,
    (response, message): UpiCode,
    rrn: Option<String>,
) -> Answer<CollectPayResponse> {
    Answer(CollectPayResponse {
        response: response.into(),
        merchant: MerchantEcho::of(
            &request.merchant_id,
            &request.sub_merchant_id,
            &request.terminal_id,
        ),
        success: (response == codes::INITIATED.0).to_string(),
        message: message.into(),
        merchant_tran_id: request.merchant_tran_id.to_string(),
        bank_rrn: rrn,
    })
}
