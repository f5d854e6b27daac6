//! `GET /sandbox/keys/bank.pem` and `GET /sandbox/keys/bank.cer`: the sandbox bank's public key and
//! its certificate.

use poem_openapi::{
    payload::{Binary, Json, PlainText},
    ApiResponse,
};

use crate::sandbox::{
    bank::answer::{Serve, Served},
    gateway::error::{GatewayError, Rejection},
    Sandbox,
};

/// `bank.pem`'s answer.
pub struct BankPem;

impl Served for BankPem {
    type Payload = PlainText<String>;
    const DESCRIPTION: &'static str =
        "The sandbox bank's RSA public key (`PUBLIC KEY` PEM), followed by its certificate.";
}

#[derive(ApiResponse)]
pub enum BankCertificateAnswer {
    /// The sandbox bank's X.509 certificate, DER-encoded: the `.cer` file partners load.
    #[oai(status = 200, content_type = "application/pkix-cert")]
    Ok(Binary<Vec<u8>>),
    /// This deployment's bank key (`--bank-key`) came without a certificate: use `bank.pem`.
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
}

pub fn pem(sandbox: &Sandbox) -> Serve<BankPem> {
    Serve(PlainText(sandbox.bank_key.published_pem.clone()))
}

pub fn certificate(sandbox: &Sandbox) -> BankCertificateAnswer {
    match &sandbox.bank_key.certificate_der {
        Some(der) => BankCertificateAnswer::Ok(Binary(der.clone())),
        None => BankCertificateAnswer::NotFound(Json(
            Rejection::not_found(
                "This deployment's bank key was given without a certificate: use GET /sandbox/keys/bank.pem",
            )
            .body,
        )),
    }
}
