//! Each case of a drill against a naive and a correct receiver: graded, recorded in case order, the
//! duplicate and the tampered callback, the late one, 5xx and silence, the latest drill winning.

use std::{
    collections::{BTreeMap, HashSet},
    time::Duration,
};

use sandbank::{sandbox::bank::callbacks::RetryPolicy, SandboxSettings};
use serde_json::{json, Value};

use super::{
    case, drill, fast, passed, plain_app, receiver, receiver_items, verify, Received, Style, ALL,
};
use crate::helpers::{spawn_app_with, DEMO_KEY};

#[tokio::test]
async fn a_naive_receiver_fails_the_duplicate_and_the_tampered_callback() {
    let naive = receiver(Style::Naive).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &naive.url).await;

    let answer = drill(&app, &me.apikey, json!({})).await;

    let expected: BTreeMap<String, bool> = ALL
        .iter()
        .map(|c| (c.to_string(), !matches!(*c, "duplicate" | "tampered")))
        .collect();
    assert_eq!(passed(&answer), expected);
    assert_eq!(answer.json["passed"], false);
    assert_eq!(
        answer.json["summary"],
        json!({ "run": 6, "passed": 4, "failed": 2 })
    );
    assert_eq!(case(&answer, "duplicate")["answered"], "200 then 500");
    assert_eq!(case(&answer, "tampered")["answered"], "200");
    let items = receiver_items(&app, &me.apikey).await;
    let states: BTreeMap<&str, &str> = items
        .iter()
        .map(|(id, (state, _))| (id.as_str(), state.as_str()))
        .collect();
    let wrong = |id| {
        if matches!(id, "duplicate" | "tampered") {
            "doneWrong"
        } else {
            "proven"
        }
    };
    assert_eq!(states, ALL.iter().map(|c| (*c, wrong(c))).collect());
    let note = items["duplicate"].1["wrong"]["note"].as_str().unwrap();
    assert!(note.contains("with 200 then 500"), "{note}");
    let evidence = &items["tampered"].1["wrong"]["callbacks"];
    assert!(
        evidence[0].as_str().unwrap().starts_with("drill:tampered "),
        "{evidence}"
    );
}

#[tokio::test]
async fn a_correct_receiver_passes_every_case() {
    let app = spawn_app_with(fast());
    let probe = receiver(Style::Naive).await;
    let me = plain_app(&app, &probe.url).await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: None,
    })
    .await;

    let answer = drill(&app, &me.apikey, json!({ "url": correct.url })).await;

    assert_eq!(
        passed(&answer),
        ALL.iter().map(|c| (c.to_string(), true)).collect()
    );
    assert_eq!(answer.json["passed"], true);
    assert_eq!(answer.json["url"], correct.url);
    let statuses: Vec<u16> = correct.received().iter().map(|r| r.answered).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        probe.received().is_empty(),
        "`url` replaced the app's callback URL"
    );
    let items = receiver_items(&app, &me.apikey).await;
    assert!(
        items.values().all(|(state, _)| state == "proven"),
        "{items:?}"
    );
}

#[tokio::test]
async fn every_drill_delivery_is_recorded_as_its_case_in_case_order() {
    let correct_secret = "sandbank-demo-callback-secret".to_string();
    let correct = receiver(Style::Correct {
        secret: correct_secret,
        key: None,
    })
    .await;
    let app = spawn_app_with(fast());

    let answer = drill(&app, DEMO_KEY, json!({ "url": correct.url })).await;
    let listed = app.get("/sandbox/callbacks").await.json;

    assert_eq!(
        answer.json["passed"], true,
        "the demo app's secret is the documented one"
    );
    let kinds: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "drill:normal",
            "drill:duplicate",
            "drill:duplicate",
            "drill:out-of-order",
            "drill:out-of-order",
            "drill:late",
            "drill:malformed",
            "drill:tampered"
        ]
    );
    let deliveries: Vec<&Value> = answer.json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["deliveries"].as_array().unwrap())
        .collect();
    assert_eq!(deliveries.len(), 8);
    for delivery in deliveries {
        let id = delivery["deliveryId"].as_str().unwrap();
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["deliveryId"] == id),
            "{id} is listed"
        );
    }
}

#[tokio::test]
async fn a_duplicate_repeats_the_bytes_and_headers_and_tampering_keeps_the_old_signature() {
    let recorder = receiver(Style::Script(vec![])).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &recorder.url).await;

    drill(
        &app,
        &me.apikey,
        json!({ "cases": ["duplicate", "tampered", "malformed"] }),
    )
    .await;
    let got = recorder.received();

    assert_eq!(got.len(), 4);
    // Cases run side by side: the duplicate is the delivery id that came twice, in order.
    let twice: Vec<&Received> = got
        .iter()
        .filter(|r| got.iter().filter(|o| o.delivery == r.delivery).count() == 2)
        .collect();
    let (original, again) = (twice[0], twice[1]);
    assert_eq!(
        (
            &again.body,
            &again.signature,
            &again.delivery,
            &again.attempt
        ),
        (
            &original.body,
            &original.signature,
            &original.delivery,
            &original.attempt
        )
    );
    assert!(verify(
        &me.callback_secret,
        &original.signature,
        &original.body
    ));
    let tampered = got
        .iter()
        .find(|r| r.body.windows(8).any(|w| w == b"49900.00"));
    let tampered = tampered.expect("the amount was changed 100-fold");
    assert!(!verify(
        &me.callback_secret,
        &tampered.signature,
        &tampered.body
    ));
    let malformed = got
        .iter()
        .find(|r| serde_json::from_slice::<Value>(&r.body).is_err());
    let malformed = malformed.expect("truncated JSON was sent");
    assert!(verify(
        &me.callback_secret,
        &malformed.signature,
        &malformed.body
    ));
    let ids: HashSet<&str> = got.iter().map(|r| r.delivery.as_str()).collect();
    assert_eq!(ids.len(), 3, "one delivery id per callback");
}

#[tokio::test]
async fn a_late_callback_is_attempt_4_and_is_retried_once_on_the_schedule() {
    let flaky = receiver(Style::Script(vec![503])).await;
    let app = spawn_app_with(fast());
    let me = plain_app(&app, &flaky.url).await;
    app.freeze_clock_of(&me.apikey).await;

    let answer = drill(&app, &me.apikey, json!({ "cases": ["late"] })).await;
    let got = flaky.received();

    let late = case(&answer, "late");
    assert_eq!(late["passed"], true, "{late}");
    assert_eq!(late["answered"], "503 then 200");
    let attempts: Vec<&str> = got.iter().map(|r| r.attempt.as_str()).collect();
    assert_eq!(attempts, ["4", "5"]);
    assert_eq!(got[0].delivery, got[1].delivery);
    assert!(got
        .iter()
        .all(|r| verify(&me.callback_secret, &r.signature, &r.body)));
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(late["deliveries"][0]["at"], "2026-04-01T10:00:00+05:30");
    assert_eq!(
        body["TxnCompletionDate"], "20260401095945",
        "the event is 15 s old on the app's clock"
    );
}

#[tokio::test]
async fn a_5xx_or_no_answer_fails_the_cases_that_must_be_refused() {
    let erring = receiver(Style::Script(vec![500, 500])).await;
    let hanging = receiver(Style::Slow(Duration::from_secs(5))).await;
    let app = spawn_app_with(SandboxSettings {
        callback_policy: RetryPolicy {
            timeout: Duration::from_millis(300),
            ..fast().callback_policy
        },
        ..SandboxSettings::default()
    });
    let me = plain_app(&app, &erring.url).await;

    let errs = drill(
        &app,
        &me.apikey,
        json!({ "cases": ["malformed", "tampered"] }),
    )
    .await;
    let hangs = drill(
        &app,
        &me.apikey,
        json!({ "cases": ["tampered"], "url": hanging.url }),
    )
    .await;

    assert_eq!(passed(&errs).values().filter(|p| **p).count(), 0);
    let hung = case(&hangs, "tampered");
    assert_eq!(hung["passed"], false);
    assert_eq!(hung["answered"], "no answer");
    let error = hung["deliveries"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("timed out") || error.contains("no answer"),
        "{error}"
    );
    let items = receiver_items(&app, &me.apikey).await;
    assert_eq!(items["tampered"].0, "doneWrong");
    let note = items["tampered"].1["wrong"]["note"].as_str().unwrap();
    assert!(note.contains("with no answer"), "{note}");
}

#[tokio::test]
async fn the_latest_drill_wins() {
    let app = spawn_app_with(fast());
    let naive = receiver(Style::Naive).await;
    let me = plain_app(&app, &naive.url).await;
    let correct = receiver(Style::Correct {
        secret: me.callback_secret.clone(),
        key: None,
    })
    .await;

    drill(&app, &me.apikey, json!({ "cases": ["duplicate"] })).await;
    let before = receiver_items(&app, &me.apikey).await;
    drill(
        &app,
        &me.apikey,
        json!({ "cases": ["duplicate"], "url": correct.url }),
    )
    .await;
    let after = receiver_items(&app, &me.apikey).await;
    drill(&app, &me.apikey, json!({ "cases": ["duplicate"] })).await;
    let again = receiver_items(&app, &me.apikey).await;

    assert_eq!(before["duplicate"].0, "doneWrong");
    assert_eq!(
        after["duplicate"].0, "proven",
        "an explicit re-test clears it"
    );
    assert!(after["duplicate"].1.get("wrong").is_none_or(Value::is_null));
    assert_eq!(again["duplicate"].0, "doneWrong");
    assert_eq!(
        after["normal"].0, "notYet",
        "cases not run stay as they were"
    );
}
