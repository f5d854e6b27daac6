//! Scheme A: the whole JSON in one RSA PKCS#1 v1.5 block (Java's `RSA/ECB/PKCS1Padding`), base64,
//! sent as `text/plain`. The older CIB and merchant-UPI integrations speak it. A 4096-bit key holds
//! 501 bytes; a 2048-bit key 245, too few for a CIB `Transaction`.

use base64::{engine::general_purpose::STANDARD, Engine};
use rsa::{traits::PublicKeyParts, Pkcs1v15Encrypt, RsaPublicKey};

use crate::sandbox::gateway::encryption::{decode, is_json, SeededRng};
use crate::sandbox::gateway::{error::Rejection, keys::BankKey};

/// PKCS#1 v1.5 takes 11 bytes of each block for its padding.
const PADDING: usize = 11;

/// The most plaintext one block under `key` holds.
pub fn capacity(key: &RsaPublicKey) -> usize {
    key.size().saturating_sub(PADDING)
}

/// Opens a scheme-A body: the plaintext JSON, or a 400/8016 saying what is wrong.
pub fn open(bank: &BankKey, body: &[u8]) -> Result<Vec<u8>, Rejection> {
    let text = std::str::from_utf8(body)
        .map_err(|_| refused("the body is not base64 text"))?
        .trim();
    // Some clients send the base64 as a JSON string.
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    if text.is_empty() {
        return Err(refused("the body is empty"));
    }
    let sealed = decode(text).ok_or_else(|| refused("the body is not valid base64"))?;
    let block = bank.private.size();
    if sealed.len() != block {
        let why = if sealed.len() > block {
            format!(
                "the body is too long: {} bytes of ciphertext, and scheme A carries one RSA block of {block} bytes \
                 (at most {} bytes of JSON under the sandbox's {}-bit key); send longer bodies in the hybrid envelope",
                sealed.len(),
                block - PADDING,
                block * 8
            )
        } else {
            format!(
                "the ciphertext is {} bytes, not one {block}-byte RSA block of the sandbox's {}-bit key",
                sealed.len(),
                block * 8
            )
        };
        return Err(refused(&why));
    }
    let plaintext = bank
        .private
        .decrypt(Pkcs1v15Encrypt, &sealed)
        .map_err(|_| {
            refused(
                "it does not decrypt with the sandbox bank's key: encrypt the JSON with the public key at \
                 GET /sandbox/keys/bank.pem, RSA/ECB/PKCS1Padding",
            )
        })?;
    if !is_json(&plaintext) {
        return Err(refused("the decrypted body is not JSON"));
    }
    Ok(plaintext)
}

/// Seals `plaintext` in one block under `key`, base64; `None` when it does not fit.
pub fn seal(
    key: &RsaPublicKey,
    plaintext: &[u8],
    rng: &mut SeededRng,
) -> Option<Result<Vec<u8>, String>> {
    if plaintext.len() > capacity(key) {
        return None;
    }
    Some(
        key.encrypt(rng, Pkcs1v15Encrypt, plaintext)
            .map(|sealed| STANDARD.encode(sealed).into_bytes())
            .map_err(|e| e.to_string()),
    )
}

fn refused(why: &str) -> Rejection {
    Rejection::decryption(format!(
        "scheme A (Content-Type text/plain, base64 of the RSA-encrypted JSON): {why}"
    ))
}
