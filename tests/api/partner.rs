//! A partner's encryption code, written here with the RustCrypto crates the way partner SDKs build it:
//! the hybrid envelope with any key length and IV placement, scheme A, `X-ID-Fingerprint`, and the
//! opening of answers and callbacks with the partner's private key.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::{engine::general_purpose::STANDARD, Engine};
use rsa::{
    pkcs8::{DecodePrivateKey, DecodePublicKey},
    Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

use crate::helpers::{merged, Answer, NewApp, TestApp};

/// A 2048-bit partner key pair.
pub const PARTNER_KEY: &str = include_str!("keys/partner-key.pem");
pub const PARTNER_PUBLIC: &str = include_str!("keys/partner-public.pem");
/// A 4096-bit key pair, as merchants register for whole-body callbacks and scheme-A answers.
pub const MERCHANT_KEY: &str = include_str!("keys/merchant-key.pem");
pub const MERCHANT_PUBLIC: &str = include_str!("keys/merchant-public.pem");

pub const IV: [u8; 16] = *b"fedcba9876543210";

/// The three ways partners place the IV.
#[derive(Debug, Clone, Copy)]
pub enum Placement {
    /// `iv` = base64(IV); `encryptedData` = ciphertext.
    InField,
    /// `iv` empty; `encryptedData` = IV ‖ ciphertext.
    Prepended,
    /// `iv` empty; the IV encrypted as the first plaintext block.
    FirstBlock,
}

pub struct Partner {
    pub bank: RsaPublicKey,
    pub private: RsaPrivateKey,
}

pub fn aes_encrypt(key: &[u8], iv: &[u8; 16], plaintext: &[u8]) -> Vec<u8> {
    match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new(key.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        24 => cbc::Encryptor::<aes::Aes192>::new(key.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        32 => cbc::Encryptor::<aes::Aes256>::new(key.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        n => panic!("no AES key of {n} bytes"),
    }
}

fn aes_decrypt(key: &[u8], iv: &[u8], data: &[u8]) -> Vec<u8> {
    let iv: [u8; 16] = iv.try_into().unwrap();
    match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new(key.into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data),
        24 => cbc::Decryptor::<aes::Aes192>::new(key.into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data),
        32 => cbc::Decryptor::<aes::Aes256>::new(key.into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data),
        n => panic!("no AES key of {n} bytes"),
    }
    .expect("the answer decrypts")
}

impl Partner {
    /// The partner holding `private_pem`, with the bank key the sandbox publishes.
    pub async fn new(app: &TestApp, private_pem: &str) -> Partner {
        let pem = app.get_without_key("/sandbox/keys/bank.pem").await;
        let pem = String::from_utf8(pem.bytes).unwrap();
        let public = &pem[..pem.find("-----END PUBLIC KEY-----").unwrap() + 24];
        Partner {
            bank: RsaPublicKey::from_public_key_pem(public).unwrap(),
            private: RsaPrivateKey::from_pkcs8_pem(private_pem).unwrap(),
        }
    }

    /// RSA PKCS#1 v1.5 under the bank's key, base64.
    pub fn seal_key(&self, bytes: &[u8]) -> String {
        STANDARD.encode(
            self.bank
                .encrypt(&mut rsa::rand_core::OsRng, Pkcs1v15Encrypt, bytes)
                .unwrap(),
        )
    }

    /// The hybrid envelope of `body` under `key`.
    pub fn seal(&self, body: &Value, key: &[u8], placement: Placement) -> Value {
        let plaintext = serde_json::to_vec(body).unwrap();
        let (iv, data) = match placement {
            Placement::InField => (STANDARD.encode(IV), aes_encrypt(key, &IV, &plaintext)),
            Placement::Prepended => {
                let mut data = IV.to_vec();
                data.extend(aes_encrypt(key, &IV, &plaintext));
                (String::new(), data)
            }
            Placement::FirstBlock => {
                let mut with_block = IV.to_vec();
                with_block.extend(&plaintext);
                (String::new(), aes_encrypt(key, &[0u8; 16], &with_block))
            }
        };
        json!({
            "requestId": "REQ-1", "service": "PAN", "encryptedKey": self.seal_key(key),
            "oaepHashingAlgorithm": "NONE", "iv": iv, "encryptedData": STANDARD.encode(data),
            "clientInfo": "", "optionalParam": ""
        })
    }

    /// Scheme A: base64(RSA PKCS#1 v1.5 of the whole JSON) under the bank's key.
    pub fn scheme_a(&self, plaintext: &[u8]) -> Vec<u8> {
        self.seal_key(plaintext).into_bytes()
    }

    /// Opens an answer envelope, checking the answer key is ASCII digits of `key_length`.
    pub fn open(&self, envelope: &Value, key_length: usize) -> Value {
        assert_eq!(envelope["oaepHashingAlgorithm"], "NONE");
        assert_eq!(envelope["iv"], "");
        let key = self.decrypt(envelope["encryptedKey"].as_str().unwrap().as_bytes());
        let text = String::from_utf8(key).expect("the answer key is text");
        assert_eq!(text.len(), key_length, "answer key {text}");
        assert!(text.bytes().all(|b| b.is_ascii_digit()), "{text}");
        let data = STANDARD
            .decode(envelope["encryptedData"].as_str().unwrap())
            .unwrap();
        let (iv, ciphertext) = data.split_at(16);
        serde_json::from_slice(&aes_decrypt(text.as_bytes(), iv, ciphertext)).unwrap()
    }

    /// Opens a scheme-A answer (or callback): base64 RSA under the partner's key.
    pub fn open_whole(&self, bytes: &[u8]) -> Value {
        serde_json::from_slice(&self.decrypt(bytes)).expect("whole-body JSON")
    }

    fn decrypt(&self, base64: &[u8]) -> Vec<u8> {
        let sealed = STANDARD.decode(base64).expect("base64");
        self.private.decrypt(Pkcs1v15Encrypt, &sealed).unwrap()
    }

    /// `X-ID-Fingerprint` over `plaintext`.
    pub fn fingerprint(&self, apikey: &str, plaintext: &[u8]) -> String {
        let digest: String = Sha512::digest(plaintext)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.seal_key(format!("{apikey}|{digest}").as_bytes())
    }
}

/// An app with `encryption: true` and this public key (plus any further settings).
pub async fn encrypted_app(app: &TestApp, public_pem: &str, extra: Value) -> NewApp {
    let settings = json!({ "name": "sealed", "encryption": true, "publicKeyPem": public_pem });
    app.create_app(merged(settings, extra)).await
}

/// A POST with the app's key, a content type and a raw body.
pub async fn send(
    app: &TestApp,
    who: &NewApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut headers = vec![("apikey", who.apikey.as_str())];
    headers.extend_from_slice(extra);
    app.call(
        poem::http::Method::POST,
        path,
        &headers,
        Some((content_type, body)),
    )
    .await
}
