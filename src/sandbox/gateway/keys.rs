//! RSA keys: the sandbox bank's key pair (both encryption schemes and `X-ID-Fingerprint`) and the PEM
//! parsing every key goes through.
//!
//! The bank key is generated once per deployment and kept: `--bank-key FILE` (a private key PEM,
//! optionally followed by its certificate), else the fixed sandbox pair committed in
//! `fixtures/keys/` and embedded in the binary, so that CI runs are reproducible. The embedded pair is
//! 4096-bit, like the bank's: scheme A puts a whole request (a CIB `Transaction` is ~300 bytes) in one
//! RSA block, which a 2048-bit key cannot hold. Being public, the embedded key protects nothing: it
//! exists so partners can exercise their encryption code.

use rsa::{
    pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey},
    pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey, LineEnding},
    RsaPrivateKey, RsaPublicKey,
};

const EMBEDDED_KEY: &str = include_str!("../../../fixtures/keys/bank-key.pem");
const EMBEDDED_CERT: &str = include_str!("../../../fixtures/keys/bank-cert.pem");

/// The sandbox bank's key pair.
pub struct BankKey {
    /// The private key: opens requests sealed to the bank, signs what the bank signs.
    pub private: RsaPrivateKey,
    /// `GET /sandbox/keys/bank.pem`: the public key, then the certificate when there is one.
    pub published_pem: String,
    /// `GET /sandbox/keys/bank.cer`: the certificate in DER, when the key came with one.
    pub certificate_der: Option<Vec<u8>>,
}

impl std::fmt::Debug for BankKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankKey").finish_non_exhaustive()
    }
}

impl BankKey {
    /// The embedded sandbox key pair.
    pub fn embedded() -> Self {
        Self::from_pem(&format!("{EMBEDDED_KEY}{EMBEDDED_CERT}"))
            .expect("the embedded bank key parses")
    }

    /// A private key PEM, optionally followed (or preceded) by its `CERTIFICATE` block.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let private = parse_private_key(pem)?;
        let public = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?;
        let certificate = pem_block(pem, "CERTIFICATE");
        let certificate_der = match &certificate {
            Some(block) => Some(pem_body(block).ok_or("the CERTIFICATE block is not base64")?),
            None => None,
        };
        Ok(Self {
            private,
            published_pem: format!("{public}{}", certificate.unwrap_or_default()),
            certificate_der,
        })
    }
}

/// A private key in PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`) PEM, among other blocks.
pub fn parse_private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    if let Some(block) = pem_block(pem, "PRIVATE KEY") {
        return RsaPrivateKey::from_pkcs8_pem(&block).map_err(|e| format!("private key: {e}"));
    }
    if let Some(block) = pem_block(pem, "RSA PRIVATE KEY") {
        return RsaPrivateKey::from_pkcs1_pem(&block).map_err(|e| format!("private key: {e}"));
    }
    Err("no `PRIVATE KEY` or `RSA PRIVATE KEY` PEM block".into())
}

/// A public key in SPKI (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`) PEM.
pub fn parse_public_key(pem: &str) -> Result<RsaPublicKey, String> {
    if let Some(block) = pem_block(pem, "PUBLIC KEY") {
        return RsaPublicKey::from_public_key_pem(&block).map_err(|e| e.to_string());
    }
    if let Some(block) = pem_block(pem, "RSA PUBLIC KEY") {
        return RsaPublicKey::from_pkcs1_pem(&block).map_err(|e| e.to_string());
    }
    Err("must be an RSA public key PEM (`-----BEGIN PUBLIC KEY-----`)".into())
}

/// The first `-----BEGIN {label}-----` … `-----END {label}-----` block, with a final newline.
fn pem_block(pem: &str, label: &str) -> Option<String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)?;
    let stop = pem[start..].find(&end)? + start + end.len();
    Some(format!("{}\n", &pem[start..stop]))
}

/// The DER bytes inside a PEM block.
fn pem_body(block: &str) -> Option<Vec<u8>> {
    use base64::{engine::general_purpose::STANDARD, Engine};
    let body: String = block
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.trim().chars())
        .collect();
    STANDARD.decode(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_pair_parses_and_publishes_key_and_certificate() {
        let key = BankKey::embedded();
        assert!(key.published_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(key.published_pem.contains("-----BEGIN CERTIFICATE-----"));
        let public = parse_public_key(&key.published_pem).unwrap();
        assert_eq!(rsa::traits::PublicKeyParts::size(&public) * 8, 4096);
        let der = key
            .certificate_der
            .expect("the embedded pair has a certificate");
        assert_eq!(der[0], 0x30, "a DER SEQUENCE");
    }
}
