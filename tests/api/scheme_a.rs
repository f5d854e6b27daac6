//! Scheme A from the partner's side: the whole JSON RSA-encrypted under the sandbox bank's key, sent as
//! `text/plain`, answered the same way under the app's key — or in the hybrid envelope when the answer
//! does not fit one RSA block. Every kind of bad body is a plain 400/8016; a `text/plain` body from an
//! app without encryption is a 415 that says how to get one.

use poem::http::StatusCode;
use serde_json::{json, Value};

use crate::{
    helpers::{spawn_app, Answer, NewApp, TestApp, DEMO_KEY},
    partner::{self, Partner, MERCHANT_KEY, MERCHANT_PUBLIC, PARTNER_KEY, PARTNER_PUBLIC},
};

const PAN: &str = "/api/v0/panValidation";

async fn send_text(app: &TestApp, who: &NewApp, body: Vec<u8>) -> Answer {
    partner::send(app, who, PAN, "text/plain", body, &[]).await
}

/// The request log's newest entry for the app.
async fn newest_logged(app: &TestApp, who: &NewApp) -> Value {
    let log = app
        .call(
            poem::http::Method::GET,
            "/sandbox/requests",
            &[("apikey", &who.apikey)],
            None,
        )
        .await;
    log.json["requests"][0].clone()
}

#[tokio::test]
async fn a_whole_body_request_is_answered_whole_body_under_a_4096_bit_key() {
    let app = spawn_app();
    let merchant = Partner::new(&app, MERCHANT_KEY).await;
    let me = partner::encrypted_app(&app, MERCHANT_PUBLIC, json!({})).await;
    // ~420 bytes: more than a 2048-bit key could carry, as a CIB Transaction body is.
    let plaintext = format!(r#"{{"pan":"ABCPE1234F"}}{}"#, " ".repeat(400));

    let answer = send_text(&app, &me, merchant.scheme_a(plaintext.as_bytes())).await;
    let again = send_text(&app, &me, merchant.scheme_a(plaintext.as_bytes())).await;

    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.bytes);
    assert!(
        answer.content_type.starts_with("text/plain"),
        "{}",
        answer.content_type
    );
    let inside = merchant.open_whole(&answer.bytes);
    assert_eq!(inside["data"]["PAN"], "ABCPE1234F");
    assert_eq!(
        merchant.open_whole(&again.bytes),
        inside,
        "a fresh RSA ciphertext of the same JSON opens to the same answer"
    );
    let logged = newest_logged(&app, &me).await;
    assert_eq!(logged["encrypted"], true);
    assert_eq!(logged["request"], json!({ "pan": "ABCPE1234F" }));
}

#[tokio::test]
async fn an_answer_too_long_for_the_apps_key_comes_back_in_the_envelope() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = partner::encrypted_app(&app, PARTNER_PUBLIC, json!({})).await;
    let bureau = json!({
        "pan": "ABCPE1234F", "name": "Rahul Kumar Eswaran", "dateOfBirth": "1988-04-12",
        "mobile": "9800000001", "consent": "Y"
    });
    let short = partner.scheme_a(br#"{"pan":"ABCPE1234F"}"#);

    let long = partner::send(
        &app,
        &me,
        "/api/v1/bureau-check",
        "text/plain",
        partner.scheme_a(bureau.to_string().as_bytes()),
        &[],
    )
    .await;
    let fits = send_text(&app, &me, short).await;

    assert_eq!(long.status, StatusCode::OK, "{:?}", long.bytes);
    assert!(long.content_type.starts_with("application/json"));
    assert_eq!(long.json["service"], "bureauCheck");
    let inside = partner.open(&long.json, 16);
    assert!(
        serde_json::to_vec(&inside).unwrap().len() > 245,
        "longer than a 2048-bit block holds"
    );
    assert_eq!(inside["score"], 780, "{inside}");
    assert!(fits.content_type.starts_with("text/plain"));
    assert_eq!(partner.open_whole(&fits.bytes)["data"]["PAN"], "ABCPE1234F");
}

#[tokio::test]
async fn every_kind_of_bad_scheme_a_body_is_a_plain_400_8016() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let me = partner::encrypted_app(&app, PARTNER_PUBLIC, json!({})).await;
    let plaintext = br#"{"pan":"ABCPE1234F"}"#;
    let one_block = partner.scheme_a(plaintext);
    let two_blocks = {
        use base64::{engine::general_purpose::STANDARD, Engine};
        let block = STANDARD.decode(&one_block).unwrap();
        STANDARD
            .encode([block.clone(), block].concat())
            .into_bytes()
    };
    let under_own_key = {
        use base64::{engine::general_purpose::STANDARD, Engine};
        use rsa::{pkcs8::DecodePublicKey, Pkcs1v15Encrypt, RsaPublicKey};
        let own = RsaPublicKey::from_public_key_pem(PARTNER_PUBLIC).unwrap();
        let sealed = own
            .encrypt(&mut rsa::rand_core::OsRng, Pkcs1v15Encrypt, plaintext)
            .unwrap();
        STANDARD.encode(sealed).into_bytes()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], "empty"),
        ("not base64", b"%%% not base64 %%%".to_vec(), "base64"),
        ("too long: two blocks", two_blocks, "too long"),
        ("a 2048-bit block", under_own_key, "not one 512-byte"),
        (
            "not JSON inside",
            partner.scheme_a(b"pan=ABCPE1234F"),
            "not JSON",
        ),
        ("binary", vec![0xff, 0xfe, 0x00], "base64"),
    ];

    for (label, body, says) in cases {
        let answer = send_text(&app, &me, body).await;

        let message = answer.assert_envelope(400, 8016);
        assert!(
            message.starts_with("Request decryption failed: scheme A"),
            "{label}: {message}"
        );
        assert!(message.contains(says), "{label}: {message}");
        assert!(answer.content_type.starts_with("application/json"));
    }
}

#[tokio::test]
async fn a_text_plain_body_from_an_app_without_encryption_is_a_415_saying_how_to_get_one() {
    let app = spawn_app();
    let partner = Partner::new(&app, PARTNER_KEY).await;
    let demo = NewApp {
        id: "demo".into(),
        apikey: DEMO_KEY.into(),
        client_id: String::new(),
        client_secret: String::new(),
        callback_secret: String::new(),
    };

    for body in [
        partner.scheme_a(br#"{"pan":"ABCPE1234F"}"#),
        br#"{"pan":"ABCPE1234F"}"#.to_vec(),
    ] {
        let answer = send_text(&app, &demo, body).await;

        let message = answer.assert_envelope(415, 415);
        assert!(message.contains("`encryption: true`"), "{message}");
        assert!(message.contains("publicKeyPem"), "{message}");
    }
}
