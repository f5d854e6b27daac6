//! `POST /api/MerchantAPI/UPI/v0/TransactionStatus3/{merchantId}` [bank]: where a collect, a QR
//! payment or a refund stands, by the merchant's `merchantTranId`: `PENDING`, `SUCCESS`, `FAILURE`
//! or `EXPIRED`. The app's clock moves pending collects on before the answer.

use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        formats::{rupees, Reference},
    },
    gateway::apps::App,
    Sandbox,
};

use super::{codes, model::MerchantEcho, state::PaymentsState, upi};

/// The merchant's ids and the transaction's `merchantTranId`.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct TransactionStatusRequest {
    pub merchant_id: String,
    /// The sub-merchant (optional; default: the `merchantId`, as for a merchant without sub-merchants).
    #[oai(skip_serializing_if_is_none)]
    pub sub_merchant_id: Option<String>,
    pub terminal_id: String,
    pub merchant_tran_id: Reference<35>,
}

impl upi::NamesMerchant for TransactionStatusRequest {
    fn merchant_ids(&self) -> (&str, &Option<String>, &str) {
        (&self.merchant_id, &self.sub_merchant_id, &self.terminal_id)
    }
}

impl poem_openapi::types::Example for TransactionStatusRequest {
    fn example() -> Self {
        Self {
            merchant_id: "400000".into(),
            sub_merchant_id: None,
            terminal_id: "5411".into(),
            merchant_tran_id: Reference::derived("COLLECT-1042"),
        }
    }
}

/// The bank's status answer.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TransactionStatusResponse {
    /// `0` success, `92` pending, `00ZA` declined by the payer, `U69` expired, `5001` invalid
    /// merchant, `5003` no such merchantTranId.
    pub response: String,
    #[oai(flatten)]
    pub merchant: MerchantEcho,
    #[oai(rename = "OriginalBankRRN")]
    pub original_bank_rrn: Option<String>,
    #[oai(rename = "merchantTranId")]
    pub merchant_tran_id: String,
    pub amount: Option<String>,
    /// `"true"` only for `SUCCESS`.
    pub success: String,
    pub message: String,
    /// `PENDING`, `SUCCESS`, `FAILURE`, `EXPIRED`.
    pub status: Option<String>,
}

impl Answered for TransactionStatusResponse {
    const DESCRIPTION: &'static str =
        "The bank's answer (HTTP 200 for an unknown transaction too; read `response`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    path_merchant: &str,
    request: TransactionStatusRequest,
) -> Reply<TransactionStatusResponse> {
    let mut answer = TransactionStatusResponse {
        response: codes::INVALID_MERCHANT.0.into(),
        merchant: MerchantEcho::of(
            &request.merchant_id,
            &request.sub_merchant_id,
            &request.terminal_id,
        ),
        original_bank_rrn: None,
        merchant_tran_id: request.merchant_tran_id.to_string(),
        amount: None,
        success: "false".into(),
        message: codes::INVALID_MERCHANT.1.into(),
        status: None,
    };
    let known = upi::requesting_merchant(&sandbox.fixtures, path_merchant, &request).is_some();
    if !known {
        return Ok(Answer(answer));
    }
    let found = sandbox.family(app, PaymentsState::new, |state, _| {
        state
            .by_tran_id(&request.merchant_id, &request.merchant_tran_id)
            .cloned()
    });
    match found {
        Some(txn) => {
            answer.response.clone_from(&txn.response);
            answer.message.clone_from(&txn.message);
            answer.success = (txn.status == super::model::Status::Success).to_string();
            answer.original_bank_rrn = Some(txn.bank_rrn);
            answer.amount = Some(rupees(txn.amount).to_string());
            answer.status = Some(txn.status.as_str().into());
        }
        None => {
            answer.response = codes::TRAN_ID_NOT_AVAILABLE.0.into();
            answer.message = codes::TRAN_ID_NOT_AVAILABLE.1.into();
        }
    }
    Ok(Answer(answer))
}
