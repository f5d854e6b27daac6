//! The report as JUnit, read back with an XML parser: a suite per family, failing only what was done
//! wrong.

use std::collections::BTreeMap;

use poem::http::StatusCode;
use quick_xml::{events::Event, Reader};

use super::{partner_flow, states, Partner, PROVEN};
use crate::helpers::spawn_app;

/// One JUnit testcase as read back: its suite, name and outcome (`passed`, `failure`, `skipped`).
#[derive(Debug)]
struct Case {
    suite: String,
    name: String,
    outcome: String,
    failure_type: Option<String>,
}

/// Parses a JUnit document with quick-xml: its suites' declared counts, and every testcase.
fn junit(xml: &str) -> (Vec<(String, [u32; 3])>, Vec<Case>) {
    let mut reader = Reader::from_str(xml);
    let mut suites = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| {
        e.try_get_attribute(name)
            .expect("attributes parse")
            .map(|a| a.unescape_value().expect("escapes parse").into_owned())
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => {
                    let count = |n: &str| attr(&e, n).unwrap().parse::<u32>().unwrap();
                    suites.push((
                        attr(&e, "name").unwrap(),
                        [count("tests"), count("failures"), count("skipped")],
                    ));
                }
                b"testcase" => cases.push(Case {
                    suite: suites.last().unwrap().0.clone(),
                    name: attr(&e, "name").unwrap(),
                    outcome: "passed".into(),
                    failure_type: None,
                }),
                b"failure" => {
                    let case = cases.last_mut().unwrap();
                    case.outcome = "failure".into();
                    case.failure_type = attr(&e, "type");
                }
                b"skipped" => cases.last_mut().unwrap().outcome = "skipped".into(),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (suites, cases)
}

#[tokio::test]
async fn junit_has_a_suite_per_family_and_fails_only_what_was_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "junit").await;
    partner_flow(&partner).await;
    let report = partner.report().await;

    let answer = partner.get("/sandbox/readiness?format=junit").await;
    let gate = partner
        .get("/sandbox/readiness?format=junit&notYet=failure")
        .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("application/xml"));
    let (suites, cases) = junit(std::str::from_utf8(&answer.bytes).unwrap());
    let families = report["families"].as_array().unwrap();
    assert_eq!(suites.len(), families.len());
    for (family, (name, [tests, failures, skipped])) in families.iter().zip(&suites) {
        let s = &family["summary"];
        assert_eq!(family["family"], name.as_str());
        assert_eq!(
            [*tests, *failures, *skipped],
            [
                s["total"].as_u64().unwrap() as u32,
                s["doneWrong"].as_u64().unwrap() as u32,
                s["notYet"].as_u64().unwrap() as u32
            ],
            "{name}"
        );
    }
    let outcome = |case: &Case| {
        let id = case.name.split(':').next().unwrap().to_string();
        (id, case.outcome.clone())
    };
    let graded: BTreeMap<String, String> = cases.iter().map(outcome).collect();
    let expected: BTreeMap<String, String> = states(&report)
        .into_iter()
        .map(|(id, state)| {
            let outcome = match state.as_str() {
                "proven" => "passed",
                "doneWrong" => "failure",
                _ => "skipped",
            };
            (id, outcome.to_string())
        })
        .collect();
    assert_eq!(graded, expected);
    let wrong = cases.iter().find(|c| c.outcome == "failure").unwrap();
    assert_eq!(wrong.suite, "cash-management");
    assert_eq!(wrong.failure_type.as_deref(), Some("doneWrong"));

    let (_, gated) = junit(std::str::from_utf8(&gate.bytes).unwrap());
    assert!(gated.iter().all(|c| c.outcome != "skipped"));
    assert_eq!(
        gated.iter().filter(|c| c.outcome == "failure").count(),
        states(&report).len() - PROVEN.len()
    );
}
