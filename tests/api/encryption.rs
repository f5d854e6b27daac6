//! The bank's hybrid encryption envelope, from the partner's side: a client written here with the
//! RustCrypto crates, the way partner SDKs build the envelope, against an app created with
//! `encryption: true`. All three IV placements, the answer's envelope, every kind of garbage (8016),
//! and `X-ID-Fingerprint` (8015).

use aes::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
use base64::{engine::general_purpose::STANDARD, Engine};
use poem::http::{Method, StatusCode};
use rsa::{pkcs8::DecodePublicKey, Pkcs1v15Encrypt, RsaPublicKey};
use sandbank::SandboxSettings;
use serde_json::{json, Value};

use crate::{
    helpers::{spawn_app, spawn_app_with, Answer, NewApp, TestApp},
    partner::{self, Partner, Placement, IV, PARTNER_KEY, PARTNER_PUBLIC},
};

const PAN: &str = "/api/v0/panValidation";
const SESSION_KEY: [u8; 16] = *b"0123456789abcdef";

type Enc = cbc::Encryptor<aes::Aes128>;

async fn encrypted_app(app: &TestApp) -> NewApp {
    partner::encrypted_app(app, PARTNER_PUBLIC, json!({})).await
}

async fn send(app: &TestApp, who: &NewApp, body: Vec<u8>, extra: &[(&str, &str)]) -> Answer {
    partner::send(app, who, PAN, "application/json", body, extra).await
}

trait Seal {
    fn seal16(&self, body: &Value, placement: Placement) -> Value;
}

impl Seal for Partner {
    fn seal16(&self, body: &Value, placement: Placement) -> Value {
        self.seal(body, &SESSION_KEY, placement)
    }
}

#[tokio::test]
async fn every_iv_placement_round_trips() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = encrypted_app(&app).await;

    for (placement, content_type) in [
        (Placement::InField, "application/json"),
        (Placement::Prepended, "application/json"),
        (Placement::FirstBlock, "application/json"),
        // Some clients label the envelope text/plain: its shape, a JSON object, says what it is.
        (Placement::Prepended, "text/plain"),
    ] {
        let envelope = partner.seal16(&json!({ "pan": "ABCPE1234F" }), placement);

        let answer = partner::send(
            &app,
            &me,
            PAN,
            content_type,
            envelope.to_string().into_bytes(),
            &[],
        )
        .await;

        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{placement:?}: {:?}",
            answer.json
        );
        assert_eq!(answer.json["requestId"], "REQ-1", "{placement:?}");
        assert_eq!(answer.json["service"], "PAN");
        let inside = partner.open(&answer.json, 16);
        assert_eq!(inside["data"]["PAN"], "ABCPE1234F", "{placement:?}");
        assert_eq!(inside["status"], 1);
    }
}

#[tokio::test]
async fn the_same_encrypted_request_gets_the_same_bytes() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = encrypted_app(&app).await;
    let envelope = partner
        .seal16(&json!({ "pan": "ABCPE1234F" }), Placement::InField)
        .to_string();

    let first = send(&app, &me, envelope.clone().into_bytes(), &[]).await;
    let second = send(&app, &me, envelope.into_bytes(), &[]).await;

    // Two refusals would be the same bytes too: the first must be the PAN answer, sealed.
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.json);
    assert_eq!(partner.open(&first.json, 16)["data"]["PAN"], "ABCPE1234F");
    assert_eq!(first.bytes, second.bytes);
}

#[tokio::test]
async fn answers_without_a_request_body_are_encrypted_too_and_the_control_plane_stays_plain() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
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
    assert_eq!(partner.open(&ifsc.json, 16)["ifsc"], "ICIC0000004");
    assert_eq!(
        control.json["encryption"], true,
        "plain JSON: {:?}",
        control.json
    );
}

#[tokio::test]
async fn gateway_errors_stay_plain_and_the_log_shows_the_plaintext() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = encrypted_app(&app).await;
    let bad_inside = partner.seal16(&json!({ "pan": 42 }), Placement::Prepended);

    let schema = send(&app, &me, bad_inside.to_string().into_bytes(), &[]).await;
    let good = partner.seal16(&json!({ "pan": "ABCPE1234F" }), Placement::Prepended);
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
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = encrypted_app(&app).await;
    let good = partner.seal16(&json!({ "pan": "ABCPE1234F" }), Placement::InField);
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
            "session key of 20 bytes",
            with("encryptedKey", json!(partner.seal_key(&[7; 20]))),
        ),
        (
            "session key of 8 bytes",
            with("encryptedKey", json!(partner.seal_key(b"12345678"))),
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
    let short = partner.seal16(&json!({}), Placement::InField);
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
async fn session_keys_of_16_24_and_32_bytes_are_answered_with_as_many_ascii_digits() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = encrypted_app(&app).await;

    for key in [
        &b"1234567890123456"[..],
        &b"abcdefghijklmnopqrstuvwx"[..],
        &b"0123456789abcdefghijABCDEFGHIJ+/"[..],
        &[0xA5u8; 32][..],
    ] {
        for placement in [
            Placement::InField,
            Placement::Prepended,
            Placement::FirstBlock,
        ] {
            let envelope = partner.seal(&json!({ "pan": "ABCPE1234F" }), key, placement);

            let answer = send(&app, &me, envelope.to_string().into_bytes(), &[]).await;

            assert_eq!(
                answer.status,
                StatusCode::OK,
                "{} bytes, {placement:?}",
                key.len()
            );
            let inside = partner.open(&answer.json, key.len());
            assert_eq!(inside["data"]["PAN"], "ABCPE1234F");
        }
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
    let partner = Partner::new(&custom, PARTNER_KEY).await;
    let me = encrypted_app(&custom).await;
    let envelope = partner.seal16(&json!({ "pan": "ABCPE1234F" }), Placement::FirstBlock);
    let answer = send(&custom, &me, envelope.to_string().into_bytes(), &[]).await;
    assert_eq!(partner.open(&answer.json, 16)["data"]["PAN"], "ABCPE1234F");
    let no_certificate = custom.get_without_key("/sandbox/keys/bank.cer").await;
    let message = no_certificate.assert_envelope(404, 404);
    assert!(message.contains("bank.pem"), "{message}");
}

#[tokio::test]
async fn the_embedded_key_is_4096_bit_and_its_certificate_is_served_as_der() {
    let app = spawn_app();

    let pem = app.get_without_key("/sandbox/keys/bank.pem").await;
    let cer = app.get_without_key("/sandbox/keys/bank.cer").await;

    let pem = String::from_utf8(pem.bytes).unwrap();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    assert_eq!(rsa::traits::PublicKeyParts::size(&partner.bank) * 8, 4096);
    assert_eq!(cer.status, StatusCode::OK);
    assert_eq!(cer.content_type, "application/pkix-cert");
    let block = &pem[pem.find("-----BEGIN CERTIFICATE-----").unwrap()..];
    let base64: String = block
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    assert_eq!(
        cer.bytes,
        STANDARD.decode(base64).unwrap(),
        "the PEM certificate's DER"
    );
}
