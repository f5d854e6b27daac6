//! The bank's hybrid encryption envelope, from the partner's side: a client written here with the
//! RustCrypto crates, the way partner SDKs build the envelope, against an app created with
//! `encryption: true`. All three IV placements, the answer's envelope, every kind of garbage (8016),
//! and `X-ID-Fingerprint` (8015).

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::{engine::general_purpose::STANDARD, Engine};
use poem::http::{Method, StatusCode};
use rsa::{
    pkcs8::{DecodePrivateKey, DecodePublicKey},
    Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey,
};
use sandbank::SandboxSettings;
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

use crate::helpers::{spawn_app, spawn_app_with, Answer, NewApp, TestApp};

const PARTNER_KEY: &str = include_str!("keys/partner-key.pem");
const PARTNER_PUBLIC: &str = include_str!("keys/partner-public.pem");
const PAN: &str = "/api/v0/panValidation";

type Enc = cbc::Encryptor<aes::Aes128>;
type Dec = cbc::Decryptor<aes::Aes128>;

const SESSION_KEY: [u8; 16] = *b"0123456789abcdef";
const IV: [u8; 16] = *b"fedcba9876543210";

/// The three ways partners place the IV.
#[derive(Debug, Clone, Copy)]
enum Placement {
    /// `iv` = base64(IV); `encryptedData` = ciphertext.
    InField,
    /// `iv` empty; `encryptedData` = IV ‖ ciphertext.
    Prepended,
    /// `iv` empty; the IV encrypted as the first plaintext block.
    FirstBlock,
}

struct Partner {
    bank: RsaPublicKey,
    private: RsaPrivateKey,
}

impl Partner {
    async fn new(app: &TestApp) -> Partner {
        let pem = app.get_without_key("/sandbox/keys/bank.pem").await;
        let pem = String::from_utf8(pem.bytes).unwrap();
        let public = &pem[..pem.find("-----END PUBLIC KEY-----").unwrap() + 24];
        Partner {
            bank: RsaPublicKey::from_public_key_pem(public).unwrap(),
            private: RsaPrivateKey::from_pkcs8_pem(PARTNER_KEY).unwrap(),
        }
    }

    fn seal_key(&self, key: &[u8]) -> String {
        STANDARD.encode(
            self.bank
                .encrypt(&mut rsa::rand_core::OsRng, Pkcs1v15Encrypt, key)
                .unwrap(),
        )
    }

    fn seal(&self, body: &Value, placement: Placement) -> Value {
        let plaintext = serde_json::to_vec(body).unwrap();
        let (iv, data) = match placement {
            Placement::InField => (
                STANDARD.encode(IV),
                Enc::new(&SESSION_KEY.into(), &IV.into())
                    .encrypt_padded_vec_mut::<Pkcs7>(&plaintext),
            ),
            Placement::Prepended => {
                let mut data = IV.to_vec();
                data.extend(
                    Enc::new(&SESSION_KEY.into(), &IV.into())
                        .encrypt_padded_vec_mut::<Pkcs7>(&plaintext),
                );
                (String::new(), data)
            }
            Placement::FirstBlock => {
                let mut with_block = IV.to_vec();
                with_block.extend(&plaintext);
                let data = Enc::new(&SESSION_KEY.into(), &[0u8; 16].into())
                    .encrypt_padded_vec_mut::<Pkcs7>(&with_block);
                (String::new(), data)
            }
        };
        json!({
            "requestId": "REQ-1", "service": "PAN", "encryptedKey": self.seal_key(&SESSION_KEY),
            "oaepHashingAlgorithm": "NONE", "iv": iv, "encryptedData": STANDARD.encode(data),
            "clientInfo": "", "optionalParam": ""
        })
    }

    /// Opens an answer envelope with the partner's private key.
    fn open(&self, envelope: &Value) -> Value {
        assert_eq!(envelope["oaepHashingAlgorithm"], "NONE");
        assert_eq!(envelope["iv"], "");
        let key = self
            .private
            .decrypt(
                Pkcs1v15Encrypt,
                &STANDARD
                    .decode(envelope["encryptedKey"].as_str().unwrap())
                    .unwrap(),
            )
            .unwrap();
        let data = STANDARD
            .decode(envelope["encryptedData"].as_str().unwrap())
            .unwrap();
        let (iv, ciphertext) = data.split_at(16);
        let key: [u8; 16] = key.try_into().unwrap();
        let iv: [u8; 16] = iv.try_into().unwrap();
        let plain = Dec::new(&key.into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
            .unwrap();
        serde_json::from_slice(&plain).unwrap()
    }

    fn fingerprint(&self, apikey: &str, body: &[u8]) -> String {
        let digest: String = Sha512::digest(body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.seal_key(format!("{apikey}|{digest}").as_bytes())
    }
}

async fn encrypted_app(app: &TestApp) -> NewApp {
    app.create_app(json!({ "name": "sealed", "encryption": true, "publicKeyPem": PARTNER_PUBLIC }))
        .await
}

async fn send(app: &TestApp, who: &NewApp, body: Vec<u8>, extra: &[(&str, &str)]) -> Answer {
    let mut headers = vec![("apikey", who.apikey.as_str())];
    headers.extend_from_slice(extra);
    app.call(Method::POST, PAN, &headers, Some(("text/plain", body)))
        .await
}

#[tokio::test]
async fn every_iv_placement_round_trips() {
    let app = spawn_app();
    let partner = Partner::new(&app).await;
    let me = encrypted_app(&app).await;

    for placement in [
        Placement::InField,
        Placement::Prepended,
        Placement::FirstBlock,
    ] {
        let envelope = partner.seal(&json!({ "pan": "ABCPE1234F" }), placement);

        let answer = send(&app, &me, envelope.to_string().into_bytes(), &[]).await;

        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{placement:?}: {:?}",
            answer.json
        );
        assert_eq!(answer.json["requestId"], "REQ-1", "{placement:?}");
        assert_eq!(answer.json["service"], "PAN");
        let inside = partner.open(&answer.json);
        assert_eq!(inside["data"]["PAN"], "ABCPE1234F", "{placement:?}");
        assert_eq!(inside["status"], 1);
    }
}

#[tokio::test]
async fn the_same_encrypted_request_gets_the_same_bytes() {
    let app = spawn_app();
    let partner = Partner::new(&app).await;
    let me = encrypted_app(&app).await;
    let envelope = partner
        .seal(&json!({ "pan": "ABCPE1234F" }), Placement::InField)
        .to_string();

    let first = send(&app, &me, envelope.clone().into_bytes(), &[]).await;
    let second = send(&app, &me, envelope.into_bytes(), &[]).await;

    assert_eq!(first.bytes, second.bytes);
}

#[tokio::test]
async fn answers_without_a_request_body_are_encrypted_too_and_the_control_plane_stays_plain() {
    let app = spawn_app();
    let partner = Partner::new(&app).await;
    let me = encrypted_app(&app).await;

    let ifsc = app
        .call(
            Method::GET,
            "/api/v1/ifsc/ICIC0000004",
            &[("apikey", &me.apikey)],
            None,
        )
        .await;
    let control = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("apikey", &me.apikey)],
            None,
        )
        .await;

    assert_eq!(ifsc.status, StatusCode::OK);
    assert_eq!(ifsc.json["service"], "ifscLookup");
    assert_eq!(partner.open(&ifsc.json)["ifsc"], "ICIC0000004");
    assert_eq!(
        control.json["encryption"], true,
        "plain JSON: {:?}",
        control.json
    );
}

#[tokio::test]
async fn gateway_errors_stay_plain_and_the_log_shows_the_plaintext() {
    let app = spawn_app();
    let partner = Partner::new(&app).await;
    let me = encrypted_app(&app).await;
    let bad_inside = partner.seal(&json!({ "pan": 42 }), Placement::Prepended);

    let schema = send(&app, &me, bad_inside.to_string().into_bytes(), &[]).await;
    let good = partner.seal(&json!({ "pan": "ABCPE1234F" }), Placement::Prepended);
    send(&app, &me, good.to_string().into_bytes(), &[]).await;
    let log = app
        .call(
            Method::GET,
            "/sandbox/requests",
            &[("apikey", &me.apikey)],
            None,
        )
        .await;

    let message = schema.assert_envelope(400, 8017);
    assert!(message.contains("pan"), "{message}");
    let newest = &log.json["requests"][0];
    assert_eq!(newest["encrypted"], true);
    assert_eq!(newest["request"], json!({ "pan": "ABCPE1234F" }));
    assert_eq!(newest["answer"]["data"]["PAN"], "ABCPE1234F");
}

#[tokio::test]
async fn every_kind_of_garbage_is_a_400_8016() {
    let app = spawn_app();
    let partner = Partner::new(&app).await;
    let me = encrypted_app(&app).await;
    let good = partner.seal(&json!({ "pan": "ABCPE1234F" }), Placement::InField);
    let with = |field: &str, value: Value| {
        let mut envelope = good.clone();
        envelope[field] = value;
        envelope.to_string().into_bytes()
    };
    let under_own_key = STANDARD.encode(
        RsaPublicKey::from_public_key_pem(PARTNER_PUBLIC)
            .unwrap()
            .encrypt(&mut rsa::rand_core::OsRng, Pkcs1v15Encrypt, &SESSION_KEY)
            .unwrap(),
    );
    let wrong_session_key = partner.seal_key(b"ffffffffffffffff");
    let not_json_inside = STANDARD.encode(
        Enc::new(&SESSION_KEY.into(), &IV.into())
            .encrypt_padded_vec_mut::<Pkcs7>(b"not json at all"),
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty body", vec![]),
        ("not JSON", b"%%% garbage".to_vec()),
        (
            "plain JSON, no envelope",
            br#"{"pan":"ABCPE1234F"}"#.to_vec(),
        ),
        (
            "encryptedKey not base64",
            with("encryptedKey", json!("@@@")),
        ),
        (
            "encryptedKey under the wrong key",
            with("encryptedKey", json!(under_own_key)),
        ),
        (
            "session key of 24 bytes",
            with("encryptedKey", json!(partner.seal_key(&[7; 24]))),
        ),
        (
            "wrong session key",
            with("encryptedKey", json!(wrong_session_key)),
        ),
        (
            "oaep SHA-256",
            with("oaepHashingAlgorithm", json!("SHA256")),
        ),
        ("iv not base64", with("iv", json!("!!"))),
        (
            "iv of 8 bytes",
            with("iv", json!(STANDARD.encode([1u8; 8]))),
        ),
        (
            "encryptedData not base64",
            with("encryptedData", json!("***")),
        ),
        (
            "encryptedData of 15 bytes",
            with("encryptedData", json!(STANDARD.encode([1u8; 15]))),
        ),
        (
            "garbage JSON inside",
            with("encryptedData", json!(not_json_inside)),
        ),
        ("iv left out", with("iv", json!(""))),
    ];
    // A one-block ciphertext with no IV has nothing left once the IV block is dropped.
    let short = partner.seal(&json!({}), Placement::InField);
    let mut short_no_iv = short.clone();
    short_no_iv["iv"] = json!("");
    for (label, body) in cases
        .into_iter()
        .chain([("one block, no iv", short_no_iv.to_string().into_bytes())])
    {
        let answer = send(&app, &me, body, &[]).await;

        assert!(answer.status.as_u16() < 500, "{label}: {}", answer.status);
        let message = answer.assert_envelope(400, 8016);
        assert!(
            message.starts_with("Request decryption failed"),
            "{label}: {message}"
        );
    }
}

#[tokio::test]
async fn the_fingerprint_header_is_checked() {
    let app = spawn_app();
    let partner = Partner::new(&app).await;
    let me = encrypted_app(&app).await;
    let body = partner
        .seal(&json!({ "pan": "ABCPE1234F" }), Placement::InField)
        .to_string()
        .into_bytes();

    let good = partner.fingerprint(&me.apikey, &body);
    let other_key = partner.fingerprint("someone-else", &body);
    let other_body = partner.fingerprint(&me.apikey, b"{}");

    let ok = send(&app, &me, body.clone(), &[("X-ID-Fingerprint", &good)]).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.json);
    for (label, header) in [
        ("another apikey", other_key.as_str()),
        ("another body", other_body.as_str()),
        ("garbage", "not-base64!"),
        ("not under the bank key", "AAAA"),
    ] {
        let answer = send(&app, &me, body.clone(), &[("X-ID-Fingerprint", header)]).await;

        let message = answer.assert_envelope(400, 8015);
        assert!(message.contains("Fingerprint"), "{label}: {message}");
    }
}

#[tokio::test]
async fn the_bank_key_is_published_and_can_be_replaced() {
    let embedded = spawn_app();
    let custom = spawn_app_with(SandboxSettings {
        bank_key_pem: Some(PARTNER_KEY.into()),
        ..SandboxSettings::default()
    });

    let published = embedded.get_without_key("/sandbox/keys/bank.pem").await;
    let replaced = custom.get_without_key("/sandbox/keys/bank.pem").await;
    let text = String::from_utf8(published.bytes).unwrap();

    assert_eq!(published.status, StatusCode::OK);
    assert!(text.starts_with("-----BEGIN PUBLIC KEY-----"), "{text}");
    assert!(text.contains("-----BEGIN CERTIFICATE-----"));
    assert_eq!(
        String::from_utf8(replaced.bytes).unwrap(),
        PARTNER_PUBLIC,
        "the custom key's public half, no certificate"
    );
    let partner = Partner::new(&custom).await;
    let me = encrypted_app(&custom).await;
    let envelope = partner.seal(&json!({ "pan": "ABCPE1234F" }), Placement::FirstBlock);
    let answer = send(&custom, &me, envelope.to_string().into_bytes(), &[]).await;
    assert_eq!(partner.open(&answer.json)["data"]["PAN"], "ABCPE1234F");
}
