//! The hybrid envelope: an AES session key under RSA PKCS#1 v1.5, the JSON under AES-CBC.
//!
//! Requests: the session key is 16, 24 or 32 bytes; the IV comes one of three ways — (a) `iv` =
//! base64(IV) and `encryptedData` the ciphertext alone; (b) `iv` empty and the IV prepended to the
//! ciphertext; (c) `iv` empty and the IV encrypted as the first plaintext block. (b) and (c) share the
//! bank's recipe: decrypt all of `encryptedData` and drop the first 16 bytes.
//!
//! Answers: the session key is ASCII digits, as long as the request's key (clients UTF-8-decode it),
//! `encryptedData` = base64(IV ‖ ciphertext), `iv` empty.

use base64::{engine::general_purpose::STANDARD, Engine};
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};
use serde::{Deserialize, Serialize};

use crate::sandbox::gateway::encryption::{
    aes_cbc::{self, BLOCK, KEY_LENGTHS},
    decode_base64, is_json, Echo, SeededRng,
};
use crate::sandbox::gateway::{error::Rejection, keys::BankKey};

/// The envelope, in the bank's field names and order.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Envelope {
    pub request_id: String,
    pub service: String,
    pub encrypted_key: String,
    pub oaep_hashing_algorithm: String,
    pub iv: String,
    pub encrypted_data: String,
    pub client_info: String,
    pub optional_param: String,
}

/// An opened request envelope.
#[derive(Debug)]
pub struct Opened {
    pub plaintext: Vec<u8>,
    /// The request's session-key length: the answer's key has as many digits.
    pub key_length: usize,
    pub echo: Echo,
}

/// Opens a request envelope: the plaintext JSON, its key length and what the answer echoes.
pub fn open(bank: &BankKey, body: &[u8]) -> Result<Opened, Rejection> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| {
        Rejection::decryption(format!(
            "the body is not the encryption envelope ({e}); send {{requestId, service, encryptedKey, \
             oaepHashingAlgorithm, iv, encryptedData, ...}}"
        ))
    })?;
    if !matches!(envelope.oaep_hashing_algorithm.as_str(), "" | "NONE") {
        return Err(Rejection::decryption(
            "`oaepHashingAlgorithm` must be `NONE` (RSA PKCS#1 v1.5)",
        ));
    }
    let encrypted_key = decode_base64("encryptedKey", &envelope.encrypted_key)?;
    let session_key = bank
        .private
        .decrypt(Pkcs1v15Encrypt, &encrypted_key)
        .map_err(|_| {
            Rejection::decryption(
                "`encryptedKey` does not decrypt with the sandbox bank's key: encrypt the session key \
                 with the public key at GET /sandbox/keys/bank.pem, RSA PKCS#1 v1.5",
            )
        })?;
    if !KEY_LENGTHS.contains(&session_key.len()) {
        return Err(aes_cbc::key_length(session_key.len()));
    }
    let data = decode_base64("encryptedData", &envelope.encrypted_data)?;
    let plaintext = if envelope.iv.trim().is_empty() {
        // (b) and (c): the first block is the IV, in clear or encrypted; decrypting it with any IV
        // and dropping it leaves the message.
        if data.len() < 2 * BLOCK {
            return Err(Rejection::decryption(
                "`encryptedData` is too short to hold an IV and a block (send the IV in `iv`, or as its first 16 bytes)",
            ));
        }
        let mut plain = aes_cbc::decrypt(&session_key, &[0; BLOCK], &data)?;
        plain.drain(..BLOCK);
        plain
    } else {
        let iv = decode_base64("iv", &envelope.iv)?;
        let iv: [u8; BLOCK] = iv.as_slice().try_into().map_err(|_| {
            Rejection::decryption(format!("`iv` must be 16 bytes, got {}", iv.len()))
        })?;
        aes_cbc::decrypt(&session_key, &iv, &data)?
    };
    if !is_json(&plaintext) {
        return Err(Rejection::decryption(
            "the decrypted data is not JSON (wrong session key or IV?)",
        ));
    }
    Ok(Opened {
        plaintext,
        key_length: session_key.len(),
        echo: Echo {
            request_id: envelope.request_id,
            service: envelope.service,
        },
    })
}

/// Seals `plaintext` for the holder of `key`: the envelope's JSON bytes. The session key is
/// `key_length` ASCII digits; key, IV and RSA padding come from `rng`.
pub fn seal(
    key: &RsaPublicKey,
    plaintext: &[u8],
    echo: &Echo,
    key_length: usize,
    rng: &mut SeededRng,
) -> Result<Vec<u8>, String> {
    let key_length = if KEY_LENGTHS.contains(&key_length) {
        key_length
    } else {
        KEY_LENGTHS[0]
    };
    let session_key: Vec<u8> = (0..key_length).map(|_| b'0' + rng.digit()).collect();
    let mut iv = [0u8; BLOCK];
    rng.fill(&mut iv);
    let mut data = iv.to_vec();
    data.extend(aes_cbc::encrypt(&session_key, &iv, plaintext));
    let encrypted_key = key
        .encrypt(rng, Pkcs1v15Encrypt, &session_key)
        .map_err(|e| e.to_string())?;
    let envelope = Envelope {
        request_id: echo.request_id.clone(),
        service: echo.service.clone(),
        encrypted_key: STANDARD.encode(encrypted_key),
        oaep_hashing_algorithm: "NONE".into(),
        iv: String::new(),
        encrypted_data: STANDARD.encode(data),
        client_info: String::new(),
        optional_param: String::new(),
    };
    serde_json::to_vec(&envelope).map_err(|e| e.to_string())
}
