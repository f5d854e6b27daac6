//! `POST /api/MerchantAPI/UPI/v0/Refund/{merchantId}` [bank]: returns money to the payer of a
//! successful collect or QR payment, in full or in parts. Refunds together never exceed the original
//! (`5020`); each debits the merchant's settlement account (`000406` + merchantId) and leaves the
//! bank to the payer's PSP. Online and offline refunds both settle at once in the sandbox.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        fixtures::Merchant,
        formats::{rupees, Amount, FreeText, Reference, Vpa, YesNo},
        ledger::Transfer,
        magic::{magic_amount, MagicAmount},
        store::{Ctx, Full},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes::{self, UpiCode},
    model::{MerchantEcho, Status, UpiKind, UpiTxn},
    state::PaymentsState,
    upi,
};

/// The bank's refund request (`originalmerchantTranId` is spelt as the bank spells it).
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    pub merchant_id: String,
    /// The sub-merchant (optional; default: the `merchantId`, as for a merchant without sub-merchants).
    #[oai(skip_serializing_if_is_none)]
    pub sub_merchant_id: Option<String>,
    pub terminal_id: String,
    /// The BankRRN of the collect or QR payment refunded.
    #[oai(rename = "originalBankRRN")]
    #[serde(rename = "originalBankRRN")]
    pub original_bank_rrn: Reference<35>,
    /// This refund's own unique reference; reused: `5002`.
    pub merchant_tran_id: Reference<35>,
    /// The original's merchantTranId.
    #[oai(rename = "originalmerchantTranId")]
    #[serde(rename = "originalmerchantTranId")]
    pub original_merchant_tran_id: Reference<35>,
    /// The original payer's VPA (the refund's payee).
    pub payee_va: Vpa,
    /// At most the original minus earlier refunds; `.96` times out (504/8013).
    pub refund_amount: Amount,
    pub note: FreeText<50>,
    /// `Y` online, `N` offline (both settle at once here).
    pub online_refund: YesNo,
}

impl upi::NamesMerchant for RefundRequest {
    fn merchant_ids(&self) -> (&str, &Option<String>, &str) {
        (&self.merchant_id, &self.sub_merchant_id, &self.terminal_id)
    }
}

impl poem_openapi::types::Example for RefundRequest {
    fn example() -> Self {
        Self {
            merchant_id: "400000".into(),
            sub_merchant_id: None,
            terminal_id: "5411".into(),
            original_bank_rrn: Reference::derived(super::upi::approved_example()),
            merchant_tran_id: Reference::derived("REFUND-1042-1"),
            original_merchant_tran_id: Reference::derived("COLLECT-1042"),
            payee_va: sample("success@icici"),
            refund_amount: sample("100.00"),
            note: FreeText::derived("Item returned"),
            online_refund: YesNo::derived("Y"),
        }
    }
}

/// The bank's refund answer.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct RefundResponse {
    #[oai(flatten)]
    pub merchant: MerchantEcho,
    /// `"true"` when refunded.
    pub success: String,
    /// `0` refunded, `5001` invalid merchant, `5002` duplicate merchantTranId, `5003` original not
    /// found, `5020` above what remains refundable, `5021` original not successful, `5022` payeeVa
    /// is not the original payer.
    pub response: String,
    pub message: String,
    #[oai(rename = "originalBankRRN")]
    pub original_bank_rrn: String,
    pub merchant_tran_id: String,
    /// The refund's own BankRRN.
    #[oai(rename = "BankRRN")]
    pub bank_rrn: Option<String>,
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// What may still be refunded after this answer.
    pub refundable_amount: Option<String>,
}

impl Answered for RefundResponse {
    const DESCRIPTION: &'static str = super::model::UPI_MERCHANT_ANSWER;
}

/// A refusal's code and message, or the refund's BankRRN and what remains refundable.
type Outcome = Result<(String, rust_decimal::Decimal), (&'static str, String)>;

/// A refusal's code and words, as an [`Outcome`]'s error carries them.
fn refusal((code, message): UpiCode) -> (&'static str, String) {
    (code, message.into())
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    path_merchant: &str,
    request: RefundRequest,
) -> Reply<RefundResponse> {
    let amount = request.refund_amount.value();
    if magic_amount(amount) == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let merchant = upi::requesting_merchant(&sandbox.fixtures, path_merchant, &request);
    let outcome: Outcome = match merchant {
        None => Err(refusal(codes::INVALID_MERCHANT)),
        Some(merchant) => {
            let rrn = upi::bank_rrn(
                sandbox,
                &app.id,
                &merchant.merchant_id,
                &request.merchant_tran_id,
            );
            sandbox.family(app, PaymentsState::new, |state, ctx| -> Result<_, Full> {
                if state.tran_id_used(&merchant.merchant_id, &request.merchant_tran_id, &rrn) {
                    return Ok(Err(refusal(codes::DUPLICATE_TRAN_ID)));
                }
                state.room_for_upi()?;
                Ok(refund(state, ctx, merchant, &request, amount, &rrn))
            })?
        }
    };
    let (success, response, message, rrn, remaining) = match outcome {
        Ok((rrn, remaining)) => (
            true,
            codes::REFUNDED.0,
            codes::REFUNDED.1.to_string(),
            Some(rrn),
            Some(remaining),
        ),
        Err((code, message)) => (false, code, message, None, None),
    };
    let merchant = MerchantEcho::of(
        &request.merchant_id,
        &request.sub_merchant_id,
        &request.terminal_id,
    );
    Ok(Answer(RefundResponse {
        merchant,
        success: success.to_string(),
        response: response.into(),
        message,
        original_bank_rrn: request.original_bank_rrn.into_inner(),
        merchant_tran_id: request.merchant_tran_id.into_inner(),
        bank_rrn: rrn,
        status: if success { "SUCCESS" } else { "FAILURE" }.into(),
        refundable_amount: remaining.map(|r| rupees(r).to_string()),
    }))
}

/// Refunds (part of) a successful original, inside the app's transaction; room for the refund's own
/// record was made first.
fn refund(
    state: &mut PaymentsState,
    ctx: &mut Ctx<'_>,
    merchant: &Merchant,
    request: &RefundRequest,
    amount: rust_decimal::Decimal,
    rrn: &str,
) -> Outcome {
    let original = state
        .upi
        .get(request.original_bank_rrn.as_string())
        .filter(|o| o.kind != UpiKind::Refund && o.merchant_id == merchant.merchant_id)
        .filter(|o| o.merchant_tran_id == request.original_merchant_tran_id)
        .cloned()
        .ok_or_else(|| refusal(codes::ORIGINAL_NOT_AVAILABLE))?;
    if original.status != Status::Success {
        return Err(refusal(codes::ORIGINAL_NOT_SUCCESSFUL));
    }
    if original.payer_va.as_deref() != Some(request.payee_va.as_str()) {
        return Err(refusal(codes::NOT_ORIGINAL_PAYER));
    }
    let remaining = upi::refundable(&original);
    if amount > remaining {
        return Err((
            codes::ABOVE_REFUNDABLE,
            codes::above_refundable_message(remaining),
        ));
    }
    let account = upi::settlement_account(ctx, &merchant.merchant_id, &merchant.merchant_name);
    ctx.ledger
        .transfer(Transfer {
            debit: Some(&account),
            credit: None,
            amount,
            at: ctx.now,
            remarks: &format!("UPI REFUND {} {}", request.merchant_tran_id, rrn),
            reference: rrn,
        })
        .map_err(|_| refusal(codes::SETTLEMENT_SHORT))?;
    if let Some(o) = state.upi.get_mut(&original.bank_rrn) {
        o.refunded += amount;
    }
    let recorded = state.record_upi(UpiTxn {
        kind: UpiKind::Refund,
        bank_rrn: rrn.to_string(),
        merchant_tran_id: request.merchant_tran_id.to_string(),
        bill_number: original.bill_number.clone(),
        payer_va: Some(request.payee_va.to_string()),
        amount,
        status: Status::Success,
        response: codes::REFUNDED.0.into(),
        message: codes::REFUNDED.1.into(),
        init_at: ctx.now,
        completed_at: Some(ctx.now),
        planned: None,
        refunded: rust_decimal::Decimal::ZERO,
        callback: None,
        ..original
    });
    debug_assert!(recorded.is_ok(), "room was made before the money moved");
    Ok((rrn.to_string(), remaining - amount))
}
