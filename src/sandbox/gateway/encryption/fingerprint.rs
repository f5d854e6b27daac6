//! `X-ID-Fingerprint`, as the bank's SDKs send it: base64(RSA PKCS#1 v1.5, under the sandbox bank's
//! public key, of `<apikey>|<hex SHA-512 of the plaintext JSON>`). The hash is over the JSON the client
//! serialised — for an encrypted app the decrypted body, byte for byte, never the envelope — and its
//! hex may be either case. A mismatch is a 400 + 8015 that says exactly what sandbank hashed.

use rsa::Pkcs1v15Encrypt;
use sha2::{Digest, Sha512};

use crate::sandbox::gateway::encryption::decode;
use crate::sandbox::gateway::{
    error::{Rejection, FINGERPRINT_MISMATCH},
    keys::BankKey,
};

/// The SDK header carrying the request's fingerprint.
pub const HEADER: &str = "x-id-fingerprint";

/// What the request carried, for the check and its message.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    pub apikey: &'a str,
    /// The JSON the partner serialised: the body as sent, or the decrypted body of an encrypted app.
    pub plaintext: &'a [u8],
    /// The body as it arrived, when it differs from the plaintext (encrypted apps).
    pub sealed: Option<&'a [u8]>,
}

/// Checks the header against the apikey and the plaintext.
pub fn check(bank: &BankKey, header: &str, signed: Signed<'_>) -> Result<(), Rejection> {
    let opened = decode(header).ok_or_else(|| mismatch("the header is not base64".into()))?;
    let opened = bank
        .private
        .decrypt(Pkcs1v15Encrypt, &opened)
        .map_err(|_| {
            mismatch(
                "it does not decrypt with the sandbox bank's key (RSA PKCS#1 v1.5 under the public key at \
                 GET /sandbox/keys/bank.pem)"
                    .into(),
            )
        })?;
    let opened = String::from_utf8(opened)
        .map_err(|_| mismatch("it does not hold `<apikey>|<hex SHA-512>`".into()))?;
    let (key, digest) = opened
        .split_once('|')
        .ok_or_else(|| mismatch("it does not hold `<apikey>|<hex SHA-512>`".into()))?;
    if key != signed.apikey {
        return Err(mismatch(
            "it names another apikey than the request's `apikey`".into(),
        ));
    }
    let ours = sha512_hex(signed.plaintext);
    if digest.eq_ignore_ascii_case(&ours) {
        return Ok(());
    }
    let what = match signed.sealed {
        Some(_) => "the plaintext JSON (the decrypted request body, ",
        None => "the request body as sent (",
    };
    let mut message = format!(
        "sandbank hashed {what}{} bytes) to SHA-512 {ours}; the fingerprint carries `{}`",
        signed.plaintext.len(),
        digest.chars().take(160).collect::<String>()
    );
    if let Some(sealed) = signed.sealed {
        if digest.eq_ignore_ascii_case(&sha512_hex(sealed)) {
            message.push_str(
                ", the SHA-512 of the encrypted body as sent: hash the plaintext JSON you serialised, \
                 before encrypting it",
            );
        }
    }
    Err(mismatch(message))
}

/// Lowercase hex SHA-512.
pub fn sha512_hex(bytes: &[u8]) -> String {
    Sha512::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn mismatch(why: String) -> Rejection {
    Rejection::new(
        poem::http::StatusCode::BAD_REQUEST,
        FINGERPRINT_MISMATCH,
        format!("X-ID-Fingerprint mismatch: {why}"),
    )
}
