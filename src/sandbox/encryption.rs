//! The bank's hybrid encryption envelope, for apps created with `encryption: true`.
//!
//! Request: `encryptedKey` = base64(RSA PKCS#1 v1.5 of a 16-byte AES key, under the sandbox bank's public
//! key); `encryptedData` = base64(AES-128-CBC PKCS#7 of the JSON). The IV is accepted the three ways
//! partners send it: (a) `iv` = base64(IV) and `encryptedData` the ciphertext alone; (b) `iv` empty and
//! the IV prepended to the ciphertext; (c) `iv` empty and the IV encrypted as the first plaintext block.
//! (b) and (c) share the bank's recipe: decrypt all of `encryptedData` and drop the first 16 bytes.
//!
//! Answer: the same envelope, the key under the app's public key, `encryptedData` = base64(IV ‖
//! ciphertext), `iv` empty. Session key and IV derive from the server seed, the app, the request and the
//! answer, so the same encrypted request gives the same bytes — the sandbox's determinism holds here too.
//!
//! Every failure is a 400 + 8016 naming what is wrong, never a 5xx; the `X-ID-Fingerprint` check is
//! 400 + 8015.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::{engine::general_purpose::STANDARD, Engine};
use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::{
    error::{Rejection, FINGERPRINT_MISMATCH},
    keys::BankKey,
};

type Aes128CbcEnc = cbc::Encryptor<aes::Aes128>;
type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// The SDK header carrying the request's fingerprint.
pub const FINGERPRINT_HEADER: &str = "x-id-fingerprint";

const BLOCK: usize = 16;

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

/// What the answer echoes from the request's envelope.
#[derive(Debug, Clone, Default)]
pub struct Echo {
    pub request_id: String,
    pub service: String,
}

/// Opens a request envelope: the plaintext JSON and what the answer echoes.
pub fn decrypt_request(bank: &BankKey, body: &[u8]) -> Result<(Vec<u8>, Echo), Rejection> {
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
    let session_key: [u8; BLOCK] = session_key.as_slice().try_into().map_err(|_| {
        Rejection::decryption(format!(
            "the session key must be 16 bytes (AES-128), got {}",
            session_key.len()
        ))
    })?;
    let data = decode_base64("encryptedData", &envelope.encrypted_data)?;
    let plaintext = if envelope.iv.trim().is_empty() {
        // (b) and (c): the first block is the IV, in clear or encrypted; decrypting it with any IV
        // and dropping it leaves the message.
        if data.len() < 2 * BLOCK {
            return Err(Rejection::decryption(
                "`encryptedData` is too short to hold an IV and a block (send the IV in `iv`, or as its first 16 bytes)",
            ));
        }
        let mut plain = aes_decrypt(&session_key, &[0; BLOCK], &data)?;
        plain.drain(..BLOCK);
        plain
    } else {
        let iv = decode_base64("iv", &envelope.iv)?;
        let iv: [u8; BLOCK] = iv.as_slice().try_into().map_err(|_| {
            Rejection::decryption(format!("`iv` must be 16 bytes, got {}", iv.len()))
        })?;
        aes_decrypt(&session_key, &iv, &data)?
    };
    if serde_json::from_slice::<serde_json::Value>(&plaintext).is_err() {
        return Err(Rejection::decryption(
            "the decrypted data is not JSON (wrong session key or IV?)",
        ));
    }
    Ok((
        plaintext,
        Echo {
            request_id: envelope.request_id,
            service: envelope.service,
        },
    ))
}

/// Seals an answer for the app: the envelope's JSON bytes.
pub fn encrypt_answer(
    app_key: &RsaPublicKey,
    plaintext: &[u8],
    echo: &Echo,
    seed: u64,
    context: &[u8],
) -> Result<Vec<u8>, String> {
    let mut hashed = Vec::with_capacity(context.len() + plaintext.len());
    hashed.extend_from_slice(context);
    hashed.extend_from_slice(plaintext);
    let mut rng = SeededRng(ChaCha20Rng::seed_from_u64(xxh3_64_with_seed(&hashed, seed)));
    let mut session_key = [0u8; BLOCK];
    let mut iv = [0u8; BLOCK];
    rng.0.fill_bytes(&mut session_key);
    rng.0.fill_bytes(&mut iv);
    let ciphertext = Aes128CbcEnc::new(&session_key.into(), &iv.into())
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
    let mut data = iv.to_vec();
    data.extend_from_slice(&ciphertext);
    let encrypted_key = app_key
        .encrypt(&mut rng, Pkcs1v15Encrypt, &session_key)
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

/// Checks an `X-ID-Fingerprint`: base64(RSA PKCS#1 v1.5, under the bank's key, of
/// `<apikey>|<hex SHA-512 of the request body as sent>`).
pub fn check_fingerprint(
    bank: &BankKey,
    header: &str,
    apikey: &str,
    body: &[u8],
) -> Result<(), Rejection> {
    let mismatch = |why: &str| {
        Rejection::new(
            poem::http::StatusCode::BAD_REQUEST,
            FINGERPRINT_MISMATCH,
            format!("X-ID-Fingerprint mismatch: {why}"),
        )
    };
    let sealed = decode(header).ok_or_else(|| mismatch("the header is not base64"))?;
    let plain = bank
        .private
        .decrypt(Pkcs1v15Encrypt, &sealed)
        .map_err(|_| mismatch("it does not decrypt with the sandbox bank's key"))?;
    let plain = String::from_utf8(plain).map_err(|_| mismatch("it is not `<apikey>|<sha512>`"))?;
    let (key, digest) = plain
        .split_once('|')
        .ok_or_else(|| mismatch("it is not `<apikey>|<sha512>`"))?;
    if key != apikey {
        return Err(mismatch("it names another apikey"));
    }
    if !digest.eq_ignore_ascii_case(&sha512_hex(body)) {
        return Err(mismatch("the body's SHA-512 differs"));
    }
    Ok(())
}

/// Lowercase hex SHA-512.
pub fn sha512_hex(bytes: &[u8]) -> String {
    Sha512::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn aes_decrypt(key: &[u8; BLOCK], iv: &[u8; BLOCK], data: &[u8]) -> Result<Vec<u8>, Rejection> {
    if data.is_empty() || !data.len().is_multiple_of(BLOCK) {
        return Err(Rejection::decryption(format!(
            "`encryptedData` must be whole 16-byte AES blocks, got {} bytes",
            data.len()
        )));
    }
    Aes128CbcDec::new(key.into(), iv.into())
        .decrypt_padded_vec_mut::<Pkcs7>(data)
        .map_err(|_| Rejection::decryption("bad PKCS#7 padding (wrong session key or IV?)"))
}

fn decode_base64(field: &str, value: &str) -> Result<Vec<u8>, Rejection> {
    if value.trim().is_empty() {
        return Err(Rejection::decryption(format!("`{field}` is missing")));
    }
    decode(value).ok_or_else(|| Rejection::decryption(format!("`{field}` is not valid base64")))
}

/// Standard base64, tolerating the line breaks Java's MIME encoder inserts and missing padding.
fn decode(value: &str) -> Option<Vec<u8>> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(&compact).ok().or_else(|| {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(compact.trim_end_matches('='))
            .ok()
    })
}

/// The seeded ChaCha stream, presented to `rsa` through the `rand_core` 0.6 traits it speaks.
struct SeededRng(ChaCha20Rng);

impl rsa::rand_core::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for SeededRng {}
