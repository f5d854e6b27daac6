//! Bad bodies on every POST: refused with a 4xx envelope and no state change; hostile text never breaks
//! the server; a missing or wrong apikey is a 401.

use serde_json::{json, Value};

use super::cases::{case, corpus, hostile_text};
use super::{assert_envelope_4xx, post_operations, send, snapshot, Operation};
use crate::helpers::{spawn_app, TestApp};

#[tokio::test]
async fn every_post_refuses_the_bad_input_corpus_with_a_4xx_envelope_and_no_state_change() {
    let app = spawn_app();
    app.freeze_clock().await;
    let (spec, operations) = post_operations(&app).await;
    let before = snapshot(&app, &spec).await;

    let mut sent = 0;
    for op in &operations {
        for case in corpus(&spec, op) {
            let answer = send(&app, op, &case).await;

            assert_envelope_4xx(op, &case, &answer);
            sent += 1;
        }
    }
    let after = snapshot(&app, &spec).await;
    let twin = spawn_app();
    twin.freeze_clock().await;

    assert_eq!(before, after, "the corpus changed the app's state");
    assert!(sent >= 20 * operations.len(), "only {sent} cases");
    // Nothing half-recorded either: every operation's valid call now answers exactly as it does on a
    // fresh app (a stray UNIQUEID or merchantTranId would answer as a duplicate).
    assert_eq!(
        valid_answers(&app, &operations).await,
        valid_answers(&twin, &operations).await,
        "after the corpus, valid calls answer differently from a fresh app"
    );
}

/// Each operation's valid example, called in turn.
async fn valid_answers(app: &TestApp, operations: &[Operation]) -> Vec<Value> {
    let mut answers = Vec::new();
    for op in operations {
        let valid = case("its example", op.valid.to_string());
        let mut answer = send(app, op, &valid).await;
        // Credentials are random per server by design (a sandbox secret must not be guessable).
        for secret in ["apikey", "client_secret", "callbackSecret", "access_token"] {
            if let Some(value) = answer.json.get_mut(secret) {
                *value = json!("(secret)");
            }
        }
        answers.push(json!([op.path, answer.status.as_u16(), answer.json]));
    }
    answers
}

#[tokio::test]
async fn hostile_text_in_free_text_fields_never_breaks_the_server() {
    let app = spawn_app();
    let (spec, operations) = post_operations(&app).await;
    let mut sent = 0;
    for op in &operations {
        for case in hostile_text(&spec, op) {
            let answer = send(&app, op, &case).await;
            sent += 1;

            let at = format!("POST {} with {}", op.path, case.label);
            assert!(!answer.status.is_server_error(), "{at}: {}", answer.status);
            assert!(
                answer.content_type.starts_with("application/json"),
                "{at}: {}",
                answer.content_type
            );
            if answer.status.is_client_error() {
                assert_envelope_4xx(op, &case, &answer);
            }
        }
    }
    assert!(sent > 0, "no operation has a free-text field to try");
}

#[tokio::test]
async fn a_missing_or_wrong_apikey_is_401_on_every_post() {
    let app = spawn_app();
    let (_, operations) = post_operations(&app).await;
    let guarded: Vec<_> = operations.iter().filter(|op| op.needs_apikey).collect();
    assert!(!guarded.is_empty(), "no POST operation needs an apikey");
    for op in guarded {
        let headers: Vec<(&str, &str)> = op
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        for key in [None, Some("not-a-key"), Some("")] {
            let body = op.valid.to_string().into_bytes();
            let answer = app
                .post_raw(&op.path, key, "application/json", body, &headers)
                .await;

            answer.assert_envelope(401, 401);
        }
    }
}
