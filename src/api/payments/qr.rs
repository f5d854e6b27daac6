//! `POST /api/MerchantAPI/UPI/v0/QR3/{merchantId}` [bank]: a dynamic QR — a UPI intent
//! `upi://pay?pa=<merchant VPA>&pn=<merchant name>&am=<amount>&tr=<refId>&tn=<bill number>&cu=INR`,
//! values percent-encoded (RFC 3986: everything but letters, digits, `-._~` and the VPA's `@`).
//! Nobody scans it in the sandbox: it stays `PENDING` until `POST /sandbox/upi/{refId}/approve` (a
//! synthetic payer pays it; the callback follows) or `/reject`.
//!
//! With `signedIntentFlag: "Y"` the answer adds `SignedQR`: the same intent with `&sign=` and the
//! bank's signature of it — base64 of RSA PKCS#1 v1.5 over SHA-256 of the intent text before `&sign=`,
//! under the sandbox bank's key (`GET /sandbox/keys/bank.pem`), so a partner can verify it.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        formats::{rupees, Amount, Reference},
        magic::{magic_amount, MagicAmount},
        store::Full,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes::{self, UpiCode},
    model::{MerchantEcho, UpiKind},
    state::PaymentsState,
    upi::{self, Raised},
};

/// The bank's QR request.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct QrRequest {
    pub merchant_id: String,
    /// The sub-merchant (optional; default: the `merchantId`, as for a merchant without sub-merchants).
    pub sub_merchant_id: Option<String>,
    pub terminal_id: String,
    /// Rupees; `.96` times out (504/8013).
    pub amount: Amount,
    /// The merchant's unique reference; reused: `5002`.
    pub merchant_tran_id: Reference<35>,
    pub bill_number: Reference<35>,
    /// `Y`: the answer adds `SignedQR`, the intent signed by the bank (what the payer's app is
    /// sent); `N` or absent: the plain intent only.
    pub signed_intent_flag: Option<SignedIntentFlag>,
}

/// Whether to sign the intent.
#[derive(poem_openapi::Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedIntentFlag {
    Y,
    N,
}

impl upi::NamesMerchant for QrRequest {
    fn merchant_ids(&self) -> (&str, &Option<String>, &str) {
        (&self.merchant_id, &self.sub_merchant_id, &self.terminal_id)
    }
}

impl poem_openapi::types::Example for QrRequest {
    fn example() -> Self {
        Self {
            merchant_id: "400000".into(),
            sub_merchant_id: None,
            terminal_id: "5411".into(),
            amount: sample("250.00"),
            merchant_tran_id: Reference::derived("QR-1042"),
            bill_number: Reference::derived("BILL-1042"),
            signed_intent_flag: None,
        }
    }
}

/// The bank's QR answer.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct QrResponse {
    /// `0` created, `5001` invalid merchant, `5002` duplicate merchantTranId.
    pub response: String,
    #[oai(flatten)]
    pub merchant: MerchantEcho,
    pub success: String,
    pub message: String,
    pub merchant_tran_id: String,
    /// The QR's reference (12 digits): its BankRRN for status, approve/reject and refunds.
    pub ref_id: Option<String>,
    /// The UPI intent to render as a QR code.
    pub qr_string: Option<String>,
    /// With `signedIntentFlag: "Y"`: the intent with `&sign=<base64 signature>` (RSA PKCS#1 v1.5,
    /// SHA-256, the sandbox bank's key, over the intent before `&sign=`), URL-encoded.
    #[oai(rename = "SignedQR")]
    pub signed_qr: Option<String>,
}

impl Answered for QrResponse {
    const DESCRIPTION: &'static str = super::model::UPI_MERCHANT_ANSWER;
}

/// RFC 3986 percent-encoding of a query value (the VPA's `@` is legal in a query and kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    path_merchant: &str,
    request: QrRequest,
) -> Reply<QrResponse> {
    if magic_amount(request.amount.value()) == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let reply = |code: UpiCode, ref_id, qr| qr_answer(sandbox, &request, code, ref_id, qr);
    let Some(merchant) = upi::requesting_merchant(&sandbox.fixtures, path_merchant, &request)
    else {
        return Ok(reply(codes::INVALID_MERCHANT, None, None));
    };
    let rrn = upi::bank_rrn(
        sandbox,
        &app.id,
        &merchant.merchant_id,
        &request.merchant_tran_id,
    );
    let payer_va = format!(
        "{}@okicici",
        sandbox.determinism.reference("upi-qr-payer", &rrn, 10)
    );
    let payer = upi::payer_identity(sandbox, &payer_va);
    let qr = format!(
        "upi://pay?pa={}&pn={}&am={}&tr={}&tn={}&cu=INR",
        encode(&merchant.vpa),
        encode(&merchant.merchant_name),
        rupees(request.amount.value()),
        encode(&rrn),
        encode(&request.bill_number),
    );
    let created = sandbox.family(app, PaymentsState::new, |state, ctx| -> Result<_, Full> {
        if state.tran_id_used(&merchant.merchant_id, &request.merchant_tran_id, &rrn) {
            return Ok(Err(rrn.clone()));
        }
        state.record_upi(upi::raised(Raised {
            kind: UpiKind::Qr,
            merchant,
            bank_rrn: rrn.clone(),
            merchant_tran_id: request.merchant_tran_id.to_string(),
            bill_number: request.bill_number.to_string(),
            payer_va: payer_va.clone(),
            payer: payer.clone(),
            amount: request.amount.value(),
            at: ctx.now,
        }))?;
        Ok(Ok(()))
    })?;
    Ok(match created {
        Ok(()) => reply(codes::SUCCESSFUL, Some(rrn), Some(qr)),
        Err(original) => reply(codes::DUPLICATE_TRAN_ID, Some(original), None),
    })
}

/// The bank's answer to a QR request: `0` and the intent (signed when asked), or the code of its
/// refusal.
fn qr_answer(
    sandbox: &Sandbox,
    request: &QrRequest,
    (response, message): UpiCode,
    ref_id: Option<String>,
    qr: Option<String>,
) -> Answer<QrResponse> {
    let signed_qr = qr
        .as_deref()
        .filter(|_| request.signed_intent_flag == Some(SignedIntentFlag::Y))
        .map(|intent| signed(sandbox, intent));
    Answer(QrResponse {
        response: response.into(),
        merchant: MerchantEcho::of(
            &request.merchant_id,
            &request.sub_merchant_id,
            &request.terminal_id,
        ),
        success: (response == codes::SUCCESSFUL.0).to_string(),
        message: message.into(),
        merchant_tran_id: request.merchant_tran_id.to_string(),
        ref_id,
        qr_string: qr,
        signed_qr,
    })
}

/// The intent with the bank's signature appended: deterministic, as RSA PKCS#1 v1.5 signing is.
fn signed(sandbox: &Sandbox, intent: &str) -> String {
    use base64::Engine;
    use rsa::signature::{SignatureEncoding, Signer};
    let key = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(sandbox.bank_key.private.clone());
    let signature = key.sign(intent.as_bytes()).to_bytes();
    let sign = base64::engine::general_purpose::STANDARD.encode(signature);
    format!("{intent}&sign={}", encode(&sign))
}

#[cfg(test)]
mod tests {
    #[test]
    fn intent_values_are_percent_encoded() {
        assert_eq!(super::encode("Sandbank Store"), "Sandbank%20Store");
        assert_eq!(super::encode("shop@icici"), "shop@icici");
        assert_eq!(super::encode("A&B=C/ü"), "A%26B%3DC%2F%C3%BC");
    }
}
