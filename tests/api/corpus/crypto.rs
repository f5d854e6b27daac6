//! The encrypted app's side of the corpus: envelopes and scheme-A bodies built with a seeded stream, so
//! that recording twice writes the same bytes (RSA PKCS#1 v1.5 padding is random by nature), and the
//! opening of answers with the app's private key, so the corpus shows what they say.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use base64::{engine::general_purpose::STANDARD, Engine};
use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rsa::{
    pkcs8::{DecodePrivateKey, DecodePublicKey},
    Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha512};
use xxhash_rust::xxh3::xxh3_64;

use crate::partner::{aes_encrypt, IV, MERCHANT_KEY};

/// The app's key pair: 4096-bit, so scheme-A answers fit one block.
pub use crate::partner::MERCHANT_PUBLIC as APP_PUBLIC_KEY;

/// A ChaCha stream seeded from what it encrypts, through the `rand_core` traits `rsa` speaks.
struct Seeded(ChaCha20Rng);

impl Seeded {
    fn from(material: &[u8]) -> Self {
        Self(ChaCha20Rng::seed_from_u64(xxh3_64(material)))
    }
}

impl rsa::rand_core::RngCore for Seeded {
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

impl rsa::rand_core::CryptoRng for Seeded {}

/// The two keys a partner holds: the bank's public key and its own private key.
pub struct Keys {
    bank: RsaPublicKey,
    private: RsaPrivateKey,
}

impl Keys {
    /// `bank_pem` as `GET /sandbox/keys/bank.pem` serves it (the key, then its certificate).
    pub fn new(bank_pem: &str) -> Self {
        let end = "-----END PUBLIC KEY-----";
        let public = &bank_pem[..bank_pem.find(end).expect("a public key") + end.len()];
        Self {
            bank: RsaPublicKey::from_public_key_pem(public).expect("the bank key parses"),
            private: RsaPrivateKey::from_pkcs8_pem(MERCHANT_KEY).expect("the app key parses"),
        }
    }

    /// RSA PKCS#1 v1.5 under the bank's key, base64, padding seeded from the bytes.
    fn to_bank(&self, bytes: &[u8]) -> String {
        let sealed = self
            .bank
            .encrypt(&mut Seeded::from(bytes), Pkcs1v15Encrypt, bytes)
            .expect("fits one block");
        STANDARD.encode(sealed)
    }

    /// The hybrid envelope of `plaintext` under `session_key`, the IV in the `iv` field or prepended.
    pub fn envelope(&self, plaintext: &[u8], session_key: &[u8], iv_in_field: bool) -> Vec<u8> {
        let ciphertext = aes_encrypt(session_key, &IV, plaintext);
        let (iv, data) = if iv_in_field {
            (STANDARD.encode(IV), ciphertext)
        } else {
            (String::new(), [IV.as_slice(), &ciphertext].concat())
        };
        json!({
            "requestId": "CORPUS-1", "service": "", "encryptedKey": self.to_bank(session_key),
            "oaepHashingAlgorithm": "NONE", "iv": iv, "encryptedData": STANDARD.encode(data),
            "clientInfo": "", "optionalParam": ""
        })
        .to_string()
        .into_bytes()
    }

    /// Scheme A: base64 of the whole JSON under the bank's key.
    pub fn scheme_a(&self, plaintext: &[u8]) -> Vec<u8> {
        self.to_bank(plaintext).into_bytes()
    }

    /// `X-ID-Fingerprint` for `apikey` over `plaintext`.
    pub fn fingerprint(&self, apikey: &str, plaintext: &[u8]) -> String {
        let digest: String = Sha512::digest(plaintext)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.to_bank(format!("{apikey}|{digest}").as_bytes())
    }

    /// What an encrypted answer says: an envelope or a scheme-A body opened; `None` for anything else
    /// (the gateway's errors travel in plain JSON).
    pub fn open(&self, body: &[u8]) -> Option<Vec<u8>> {
        let unseal = |b64: &str| {
            let sealed = STANDARD.decode(b64.trim()).ok()?;
            self.private.decrypt(Pkcs1v15Encrypt, &sealed).ok()
        };
        let Ok(envelope) = serde_json::from_slice::<Value>(body) else {
            return unseal(std::str::from_utf8(body).ok()?);
        };
        let key = unseal(envelope["encryptedKey"].as_str()?)?;
        let data = STANDARD.decode(envelope["encryptedData"].as_str()?).ok()?;
        let (iv, ciphertext) = data.split_at_checked(16)?;
        let iv: [u8; 16] = iv.try_into().ok()?;
        match key.len() {
            16 => cbc::Decryptor::<aes::Aes128>::new(key.as_slice().into(), &iv.into())
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
            24 => cbc::Decryptor::<aes::Aes192>::new(key.as_slice().into(), &iv.into())
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
            32 => cbc::Decryptor::<aes::Aes256>::new(key.as_slice().into(), &iv.into())
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                .ok(),
            _ => None,
        }
    }
}
