//! `GET /sandbox/keys/bank.pem` and `GET /sandbox/keys/bank.cer`: the sandbox bank's public key and
//! its certificate.

use poem_openapi::{
    payload::{Binary, Json, PlainText},
    ApiResponse,
};

use crate::sandbox::{
    gateway::error::{GatewayError, Rejection},
    Sandbox,
};

#[derive(ApiResponse)]
pub enum BankKeyAnswer {
    /// The sandbox bank's RSA public key (`PUBLIC KEY` PEM), followed by its certificate.
    #[oai(status = 200)]
    Ok(PlainText<String>),
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

pub fn pem(sandbox: &Sandbox) -> BankKeyAnswer {
    BankKeyAnswer::Ok(PlainText(sandbox.bank_key.published_pem.clone()))
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
