//! `X-ID-Fingerprint` as the bank's SDKs compute it: the apikey and the hex SHA-512 of the plaintext
//! JSON the client serialised (for an encrypted app, the decrypted body — never the envelope), RSA
//! PKCS#1 v1.5 under the sandbox bank's key. Mismatches are 400/8015 saying what sandbank hashed.

use poem::http::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha512};

use crate::{
    helpers::{spawn_app, Answer, NewApp, TestApp, DEMO_KEY},
    partner::{
        self, Partner, Placement, MERCHANT_KEY, MERCHANT_PUBLIC, PARTNER_KEY, PARTNER_PUBLIC,
    },
};

const PAN: &str = "/api/v0/panValidation";
const PLAINTEXT: &[u8] = br#"{"pan":"ABCPE1234F"}"#;

fn sha512_hex(bytes: &[u8]) -> String {
    Sha512::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn send(
    app: &TestApp,
    who: &NewApp,
    content_type: &str,
    body: &[u8],
    fingerprint: &str,
) -> Answer {
    partner::send(
        app,
        who,
        PAN,
        content_type,
        body.to_vec(),
        &[("X-ID-Fingerprint", fingerprint)],
    )
    .await
}

#[tokio::test]
async fn an_encrypted_apps_fingerprint_is_over_the_plaintext_in_either_hex_case() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = partner::encrypted_app(&app, PARTNER_PUBLIC, json!({})).await;
    let envelope = partner
        .seal(
            &serde_json::from_slice(PLAINTEXT).unwrap(),
            b"12345678901234567890123456789012",
            Placement::Prepended,
        )
        .to_string();
    let upper = partner
        .seal_key(format!("{}|{}", me.apikey, sha512_hex(PLAINTEXT).to_uppercase()).as_bytes());

    let lower = send(
        &app,
        &me,
        "application/json",
        envelope.as_bytes(),
        &partner.fingerprint(&me.apikey, PLAINTEXT),
    )
    .await;
    let upper = send(&app, &me, "application/json", envelope.as_bytes(), &upper).await;

    assert_eq!(lower.status, StatusCode::OK, "{:?}", lower.json);
    assert_eq!(upper.status, StatusCode::OK, "{:?}", upper.json);
    assert_eq!(partner.open(&lower.json, 32)["data"]["PAN"], "ABCPE1234F");
}

#[tokio::test]
async fn a_fingerprint_of_the_envelope_is_refused_saying_what_was_hashed() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = partner::encrypted_app(&app, PARTNER_PUBLIC, json!({})).await;
    let envelope = partner
        .seal(
            &serde_json::from_slice(PLAINTEXT).unwrap(),
            b"1234567890123456",
            Placement::InField,
        )
        .to_string();

    let answer = send(
        &app,
        &me,
        "application/json",
        envelope.as_bytes(),
        &partner.fingerprint(&me.apikey, envelope.as_bytes()),
    )
    .await;

    let message = answer.assert_envelope(400, 8015);
    assert!(
        message.contains(&format!(
            "the plaintext JSON (the decrypted request body, {} bytes)",
            PLAINTEXT.len()
        )),
        "{message}"
    );
    assert!(message.contains(&sha512_hex(PLAINTEXT)), "{message}");
    assert!(
        message.contains("the SHA-512 of the encrypted body as sent"),
        "{message}"
    );
}

#[tokio::test]
async fn a_scheme_a_fingerprint_is_over_the_decrypted_json() {
    let app = spawn_app();
    let merchant = Partner::new(&app, MERCHANT_KEY).await;
    let me = partner::encrypted_app(&app, MERCHANT_PUBLIC, json!({})).await;
    let body = merchant.scheme_a(PLAINTEXT);

    let good = send(
        &app,
        &me,
        "text/plain",
        &body,
        &merchant.fingerprint(&me.apikey, PLAINTEXT),
    )
    .await;
    let of_the_base64 = send(
        &app,
        &me,
        "text/plain",
        &body,
        &merchant.fingerprint(&me.apikey, &body),
    )
    .await;

    assert_eq!(good.status, StatusCode::OK, "{:?}", good.json);
    let message = of_the_base64.assert_envelope(400, 8015);
    assert!(message.contains("encrypted body as sent"), "{message}");
}

#[tokio::test]
async fn a_plain_apps_fingerprint_is_over_the_body_as_sent() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let demo = NewApp {
        id: "demo".into(),
        apikey: DEMO_KEY.into(),
        client_id: String::new(),
        client_secret: String::new(),
        callback_secret: String::new(),
    };
    let reserialised = br#"{ "pan": "ABCPE1234F" }"#;

    let good = send(
        &app,
        &demo,
        "application/json",
        PLAINTEXT,
        &partner.fingerprint(DEMO_KEY, PLAINTEXT),
    )
    .await;
    let other_bytes = send(
        &app,
        &demo,
        "application/json",
        PLAINTEXT,
        &partner.fingerprint(DEMO_KEY, reserialised),
    )
    .await;

    assert_eq!(good.status, StatusCode::OK, "{:?}", good.json);
    let message = other_bytes.assert_envelope(400, 8015);
    assert!(
        message.contains(&format!(
            "the request body as sent ({} bytes) to SHA-512 {}",
            PLAINTEXT.len(),
            sha512_hex(PLAINTEXT)
        )),
        "{message}"
    );
    assert!(message.contains(&sha512_hex(reserialised)), "{message}");
}

#[tokio::test]
async fn other_fingerprints_are_refused_with_8015() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let demo = NewApp {
        id: "demo".into(),
        apikey: DEMO_KEY.into(),
        client_id: String::new(),
        client_secret: String::new(),
        callback_secret: String::new(),
    };
    let no_separator = partner.seal_key(sha512_hex(PLAINTEXT).as_bytes());

    for (label, header, says) in [
        (
            "another apikey",
            partner.fingerprint("someone-else", PLAINTEXT),
            "another apikey",
        ),
        ("garbage", "not-base64!".to_string(), "not base64"),
        (
            "not under the bank key",
            "AAAA".to_string(),
            "does not decrypt",
        ),
        ("no separator", no_separator, "<apikey>|<hex SHA-512>"),
    ] {
        let answer = send(&app, &demo, "application/json", PLAINTEXT, &header).await;

        let message = answer.assert_envelope(400, 8015);
        assert!(
            message.starts_with("X-ID-Fingerprint mismatch"),
            "{label}: {message}"
        );
        assert!(message.contains(says), "{label}: {message}");
    }
}
