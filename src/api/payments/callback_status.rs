//! `POST /api/MerchantAPI/UPI/v0/CallbackStatus2/{merchantId}` [bank]: the callback the bank sent
//! (or, while the collect is pending, would send) for a BankRRN — the same body, field for field.

use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;
use serde_json::Value;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        formats::Reference,
    },
    gateway::apps::App,
    Sandbox,
};

use super::{state::PaymentsState, upi};

/// The merchant's ids and the collect's `BankRRN`.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct CallbackStatusRequest {
    pub merchant_id: String,
    /// The sub-merchant (optional; default: the `merchantId`, as for a merchant without sub-merchants).
    #[oai(skip_serializing_if_is_none)]
    pub sub_merchant_id: Option<String>,
    pub terminal_id: String,
    #[oai(rename = "BankRRN")]
    #[serde(rename = "BankRRN")]
    pub bank_rrn: Reference<35>,
}

impl upi::NamesMerchant for CallbackStatusRequest {
    fn merchant_ids(&self) -> (&str, &Option<String>, &str) {
        (&self.merchant_id, &self.sub_merchant_id, &self.terminal_id)
    }
}

impl poem_openapi::types::Example for CallbackStatusRequest {
    fn example() -> Self {
        Self {
            merchant_id: "400000".into(),
            sub_merchant_id: None,
            terminal_id: "5411".into(),
            bank_rrn: Reference::derived(super::upi::approved_example()),
        }
    }
}

/// `success`, `response`, `message`, then the callback body's fields (`merchantId, subMerchantId,
/// terminalId, BankRRN, merchantTranId, PayerName, PayerMobile, PayerVA, PayerAmount, TxnStatus,
/// TxnInitDate, TxnCompletionDate`; dates IST `yyyyMMddHHmmss`, completion empty while pending).
#[derive(Object, Debug)]
pub struct CallbackStatusResponse {
    /// `"true"` when the BankRRN is known.
    pub success: String,
    /// `0` found, `5001` invalid merchant, `5003` no such BankRRN.
    pub response: String,
    pub message: String,
    /// The callback body, flattened into this answer.
    #[oai(flatten)]
    pub callback: CallbackBody,
}

/// The body the bank POSTs to the merchant's callback URL.
#[derive(Object, Debug, Default)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct CallbackBody {
    pub merchant_id: Option<String>,
    pub sub_merchant_id: Option<String>,
    pub terminal_id: Option<String>,
    #[oai(rename = "BankRRN")]
    pub bank_rrn: Option<String>,
    pub merchant_tran_id: Option<String>,
    #[oai(rename = "PayerName")]
    pub payer_name: Option<String>,
    #[oai(rename = "PayerMobile")]
    pub payer_mobile: Option<String>,
    #[oai(rename = "PayerVA")]
    pub payer_va: Option<String>,
    #[oai(rename = "PayerAmount")]
    pub payer_amount: Option<String>,
    /// `SUCCESS`, `FAILURE`, `EXPIRED` (`PENDING` before the payer answers).
    #[oai(rename = "TxnStatus")]
    pub txn_status: Option<String>,
    #[oai(rename = "TxnInitDate")]
    pub txn_init_date: Option<String>,
    #[oai(rename = "TxnCompletionDate")]
    pub txn_completion_date: Option<String>,
}

impl CallbackBody {
    fn from_json(body: &Value) -> Self {
        let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
        Self {
            merchant_id: field("merchantId"),
            sub_merchant_id: field("subMerchantId"),
            terminal_id: field("terminalId"),
            bank_rrn: field("BankRRN"),
            merchant_tran_id: field("merchantTranId"),
            payer_name: field("PayerName"),
            payer_mobile: field("PayerMobile"),
            payer_va: field("PayerVA"),
            payer_amount: field("PayerAmount"),
            txn_status: field("TxnStatus"),
            txn_init_date: field("TxnInitDate"),
            txn_completion_date: field("TxnCompletionDate"),
        }
    }
}

impl Answered for CallbackStatusResponse {
    const DESCRIPTION: &'static str =
        "The bank's answer (HTTP 200 for an unknown BankRRN too; read `response`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    path_merchant: &str,
    request: CallbackStatusRequest,
) -> Reply<CallbackStatusResponse> {
    let reply = |response: &str, message: &str, body: Option<Value>| {
        Answer(CallbackStatusResponse {
            success: body.is_some().to_string(),
            response: response.into(),
            message: message.into(),
            callback: body
                .as_ref()
                .map(CallbackBody::from_json)
                .unwrap_or_default(),
        })
    };
    let merchant = upi::requesting_merchant(&sandbox.fixtures, path_merchant, &request);
    let Some(merchant) = merchant else {
        return Ok(reply("5001", "Invalid MerchantID", None));
    };
    let body = sandbox.family(app, PaymentsState::new, |state, _| {
        state
            .upi
            .get(request.bank_rrn.as_string())
            .filter(|txn| txn.merchant_id == merchant.merchant_id)
            .map(|txn| {
                txn.callback
                    .clone()
                    .unwrap_or_else(|| upi::callback_body(txn))
            })
    });
    Ok(match body {
        Some(body) => reply("0", "Transaction Successful", Some(body)),
        None => reply("5003", "BankRRN is not available", None),
    })
}
