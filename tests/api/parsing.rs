//! Property tests of the request-parsing path: `sandbox::gateway::payload::parse` (every body reaches a handler
//! through it) and the format newtypes. Whatever the bytes, parsing never panics, and a refusal is always
//! the 400/8017 envelope; a format type accepts exactly what its documented pattern matches.
//!
//! Bounded for CI: `PROPTEST_CASES` (default 512 per property) cases, no regression files written.

use proptest::prelude::*;
use regex::Regex;
use sandbank::{
    api::building_blocks::{
        BureauCheckRequest, EligibilityCheckRequest, NameEnquiryRequest, PanValidationRequest,
    },
    sandbox::{
        bank::formats::{AccountNo, Amount, Ifsc, Mobile, Pan, RailPriority},
        gateway::{error::Rejection, payload::parse},
    },
};
use serde_json::{json, Value};

use crate::helpers::{cib, spawn_app, DEMO_KEY};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any JSON value, nested a few levels, with the strings and numbers bad input is made of.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        "[A-Z]{5}[0-9]{4}[A-Z]".prop_map(Value::String),
        "-?[0-9]{1,13}(\\.[0-9]{0,4})?".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("pan".to_string()),
                    Just("name".to_string()),
                    Just("amount".to_string()),
                    Just("monthlyIncome".to_string()),
                    Just("BeneIFSC".to_string()),
                    "[a-zA-Z]{1,12}",
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid eligibility-check body, no whitespace: every proper prefix of it is malformed JSON.
const VALID: &[u8] = br#"{"pan":"ABCPE1234F","product":"AUTO_LOAN","monthlyIncome":"150000.00","requestedAmount":"400000.00"}"#;

#[track_caller]
fn assert_schema_refusal(rejection: &Rejection) {
    assert_eq!(rejection.status.as_u16(), 400, "{rejection}");
    assert_eq!(rejection.body.response, 8017, "{rejection}");
    assert!(!rejection.body.success);
}

/// Parsed, or refused with the 400/8017 envelope.
#[track_caller]
fn parsed_or_refused(result: Result<impl Sized, Rejection>) {
    if let Err(rejection) = result {
        assert_schema_refusal(&rejection);
    }
}

/// Refused with the 400/8017 envelope: parsing it is a failure.
#[track_caller]
fn refused(result: Result<impl Sized, Rejection>, bytes: &[u8]) {
    match result {
        Ok(_) => panic!("parsed: {:?}", String::from_utf8_lossy(bytes)),
        Err(rejection) => assert_schema_refusal(&rejection),
    }
}

fn parse_all(bytes: &[u8]) {
    parsed_or_refused(parse::<PanValidationRequest>(bytes));
    parsed_or_refused(parse::<BureauCheckRequest>(bytes));
    parsed_or_refused(parse::<EligibilityCheckRequest>(bytes));
    parsed_or_refused(parse::<NameEnquiryRequest>(bytes));
    parsed_or_refused(parse::<Value>(bytes));
}

fn refuse_all(bytes: &[u8]) {
    refused(parse::<PanValidationRequest>(bytes), bytes);
    refused(parse::<BureauCheckRequest>(bytes), bytes);
    refused(parse::<EligibilityCheckRequest>(bytes), bytes);
    refused(parse::<NameEnquiryRequest>(bytes), bytes);
    refused(parse::<Value>(bytes), bytes);
}

fn full(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_parse_or_are_refused_with_8017(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_all(&bytes);
    }

    #[test]
    fn any_json_parses_or_is_refused_with_8017(value in json_value()) {
        parse_all(value.to_string().as_bytes());
    }

    /// A valid body with one byte changed parses or is refused; cut short anywhere, it is always
    /// refused (a proper prefix of a JSON object is never a whole one).
    #[test]
    fn mangled_valid_bodies_parse_or_are_refused_with_8017(
        cut in 0..VALID.len(),
        byte in any::<u8>(),
        at in 0..VALID.len(),
    ) {
        let mut mangled = VALID.to_vec();
        mangled[at] = byte;
        parse_all(&mangled);
        refuse_all(&VALID[..cut]);
    }

    #[test]
    fn pan_accepts_exactly_its_pattern(raw in prop_oneof![
        "[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z]",
        "[A-Z0-9]{10}",
        ".{0,12}",
    ]) {
        prop_assert_eq!(Pan::parse(&raw).is_ok(), full(Pan::PATTERN).is_match(&raw), "{}", raw);
    }

    #[test]
    fn ifsc_accepts_exactly_its_pattern(raw in prop_oneof!["[A-Z]{4}0[A-Z0-9]{6}", "[A-Z0-9]{11}", ".{0,12}"]) {
        prop_assert_eq!(Ifsc::parse(&raw).is_ok(), full(Ifsc::PATTERN).is_match(&raw), "{}", raw);
    }

    #[test]
    fn mobile_accepts_exactly_its_pattern(raw in prop_oneof!["[6-9][0-9]{9}", "[0-9]{10}", ".{0,11}"]) {
        prop_assert_eq!(Mobile::parse(&raw).is_ok(), full(Mobile::PATTERN).is_match(&raw), "{}", raw);
    }

    #[test]
    fn account_numbers_accept_exactly_their_pattern(raw in prop_oneof!["[0-9]{9,18}", "[0-9]{0,20}", ".{0,20}"]) {
        prop_assert_eq!(AccountNo::parse(&raw).is_ok(), full(AccountNo::PATTERN).is_match(&raw), "{}", raw);
    }

    #[test]
    fn rail_priorities_accept_exactly_their_pattern(raw in prop_oneof!["[01]{4}", "[0-2]{3,5}", ".{0,5}"]) {
        prop_assert_eq!(RailPriority::parse(&raw).is_ok(), full(RailPriority::PATTERN).is_match(&raw), "{}", raw);
    }

    #[test]
    fn amounts_are_positive_two_place_and_bounded(raw in prop_oneof![
        "-?[0-9]{1,13}(\\.[0-9]{0,4})?",
        "[0-9]{0,3}e[0-9]{1,3}",
        ".{0,16}",
    ]) {
        if let Ok(amount) = Amount::parse(&raw) {
            let value = amount.value();
            prop_assert!(value > rust_decimal::Decimal::ZERO, "{}", raw);
            prop_assert!(value.normalize().scale() <= 2, "{}", raw);
            prop_assert!(value < rust_decimal::Decimal::from(100_000_000_000_i64), "{}", raw);
        }
    }

    #[test]
    fn well_formed_amounts_are_accepted(rupees in 1u64..99_999_999_999, paise in 0u64..100) {
        let raw = format!("{rupees}.{paise:02}");
        prop_assert!(Amount::parse(&raw).is_ok(), "{}", raw);
        prop_assert!(Amount::parse(&format!("-{raw}")).is_err(), "-{}", raw);
        prop_assert!(Amount::parse(&format!("{raw}1")).is_err(), "{}1", raw);
    }
}

/// Through HTTP: a valid CIB payment cut short at every byte (the empty body included) is refused with
/// the 400/8017 envelope and moves no money, records no payment; the whole body then pays as a first
/// request does.
#[tokio::test]
async fn a_payment_cut_short_anywhere_is_refused_with_8017_and_changes_nothing() {
    let app = spawn_app();
    app.freeze_clock().await;
    let body = cib::payment("CUT-0001", "TPA", "1500.00")
        .to_string()
        .into_bytes();
    let before = cib::balance(&app, cib::DEMO_ACCOUNT).await;

    for cut in 0..body.len() {
        let cut_short = body[..cut].to_vec();
        let answer = app
            .post_raw(
                &cib::path("Transaction"),
                Some(DEMO_KEY),
                "application/json",
                cut_short,
                &[],
            )
            .await;
        assert_eq!(
            (
                answer.status.as_u16(),
                &answer.json["response"],
                &answer.json["success"]
            ),
            (400, &Value::from(8017), &Value::Bool(false)),
            "cut after {cut} bytes: {:?}",
            String::from_utf8_lossy(&body[..cut])
        );
    }
    let after = cib::balance(&app, cib::DEMO_ACCOUNT).await;
    let inquiry = cib::cib(
        &app,
        "TransactionInquiry",
        cib::identity_with(json!({ "UNIQUEID": "CUT-0001" })),
    )
    .await;
    let paid = app
        .post_raw(
            &cib::path("Transaction"),
            Some(DEMO_KEY),
            "application/json",
            body,
            &[],
        )
        .await;

    assert_eq!(after, before, "no cut body moved money");
    assert_eq!(
        inquiry.json["RESPONSECODE"], "999940",
        "no cut body recorded a payment: {:?}",
        inquiry.json
    );
    assert_eq!(
        paid.json["STATUS"], "SUCCESS",
        "the whole body pays, once: {:?}",
        paid.json
    );
    assert_eq!(
        cib::balance(&app, cib::DEMO_ACCOUNT).await,
        before - rust_decimal::Decimal::from(1500)
    );
}

/// The envelope-decryption path (`sandbox::gateway::encryption::decrypt_request`, which every encrypted app's
/// body goes through before parsing): whatever arrives, it opens or refuses with 400/8016, never panics.
mod decryption {
    use std::sync::LazyLock;

    use aes::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
    use base64::{engine::general_purpose::STANDARD, Engine};
    use proptest::prelude::*;
    use rsa::{Pkcs1v15Encrypt, RsaPublicKey};
    use sandbank::sandbox::gateway::{
        encryption::decrypt_request, error::Rejection, keys::BankKey,
    };
    use serde_json::{json, Value};

    use super::config;

    static BANK: LazyLock<BankKey> = LazyLock::new(BankKey::embedded);
    const SESSION_KEY: [u8; 16] = *b"0123456789abcdef";
    const IV: [u8; 16] = *b"fedcba9876543210";
    const PLAINTEXT: &[u8] = br#"{"pan":"ABCPE1234F"}"#;

    /// The session key sealed once under the bank's public key (RSA is the slow part).
    static SEALED_KEY: LazyLock<Vec<u8>> = LazyLock::new(|| {
        RsaPublicKey::from(&BANK.private)
            .encrypt(&mut rsa::rand_core::OsRng, Pkcs1v15Encrypt, &SESSION_KEY)
            .unwrap()
    });

    fn ciphertext() -> Vec<u8> {
        cbc::Encryptor::<aes::Aes128>::new(&SESSION_KEY.into(), &IV.into())
            .encrypt_padded_vec_mut::<Pkcs7>(PLAINTEXT)
    }

    fn envelope(key: &[u8], iv: &[u8], data: &[u8]) -> Vec<u8> {
        json!({
            "requestId": "REQ-1", "service": "PAN", "encryptedKey": STANDARD.encode(key),
            "oaepHashingAlgorithm": "NONE", "iv": STANDARD.encode(iv),
            "encryptedData": STANDARD.encode(data), "clientInfo": "", "optionalParam": ""
        })
        .to_string()
        .into_bytes()
    }

    #[track_caller]
    fn opens_or_refuses_with_8016(body: &[u8]) -> Option<Vec<u8>> {
        match decrypt_request(&BANK, body) {
            Ok((plaintext, _)) => {
                assert!(serde_json::from_slice::<Value>(&plaintext).is_ok());
                Some(plaintext)
            }
            Err(Rejection { status, body, .. }) => {
                assert_eq!(status.as_u16(), 400, "{}", body.errormessage);
                assert_eq!(body.response, 8016, "{}", body.errormessage);
                None
            }
        }
    }

    #[test]
    fn a_valid_envelope_opens_to_its_plaintext() {
        let body = envelope(&SEALED_KEY, &IV, &ciphertext());

        assert_eq!(
            opens_or_refuses_with_8016(&body).as_deref(),
            Some(PLAINTEXT)
        );
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_bytes_open_or_are_refused_with_8016(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            opens_or_refuses_with_8016(&bytes);
        }

        #[test]
        fn any_field_values_are_refused_with_8016(
            key in prop_oneof![".{0,400}", "[A-Za-z0-9+/]{0,400}={0,2}"],
            iv in prop_oneof![".{0,30}", "[A-Za-z0-9+/]{0,24}={0,2}"],
            data in prop_oneof![".{0,100}", "[A-Za-z0-9+/]{0,100}={0,2}"],
            algorithm in prop_oneof![Just("NONE".to_string()), Just(String::new()), ".{0,12}"],
        ) {
            let body = json!({
                "encryptedKey": key, "iv": iv, "encryptedData": data, "oaepHashingAlgorithm": algorithm,
            });
            opens_or_refuses_with_8016(body.to_string().as_bytes());
        }

        /// One byte of a valid envelope's key, IV or data changed: it still opens (to JSON) or is
        /// refused, and a changed session key never opens to the original plaintext.
        #[test]
        fn tampered_envelopes_open_or_are_refused_with_8016(
            part in 0usize..3,
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let (mut key, mut iv, mut data) = (SEALED_KEY.clone(), IV.to_vec(), ciphertext());
            let target = [&mut key, &mut iv, &mut data][part].as_mut_slice();
            let i = at.index(target.len());
            target[i] ^= flip;
            let opened = opens_or_refuses_with_8016(&envelope(&key, &iv, &data));
            if part == 0 {
                prop_assert_ne!(opened.as_deref(), Some(PLAINTEXT));
            }
        }
    }
}
