//! Bureau check: the fixture report, no history, synthetic reports consistent with their scores,
//! consent and validation.

use poem::http::StatusCode;
use serde_json::json;

use super::{bureau_body, DEMO_PAN};
use crate::helpers::spawn_app;

#[tokio::test]
async fn bureau_check_answers_the_fixture_report() {
    let app = spawn_app();
    app.freeze_clock().await;

    let answer = app
        .post("/api/v1/bureau-check", bureau_body(DEMO_PAN))
        .await;

    assert_eq!(answer.status, StatusCode::OK);
    let report = &answer.json;
    assert_eq!(report["score"], 780);
    assert_eq!(report["scoreVersion"], "CIBILTUSC3");
    assert_eq!(report["reportDate"], "2026-04-01");
    assert!(report["requestId"].as_str().unwrap().starts_with("BC"));
    assert_eq!(
        report["accounts"][0],
        json!({
            "type": "CREDIT_CARD",
            "lender": "ICICI Bank",
            "sanctionedAmount": "300000.00",
            "currentBalance": "42315.75",
            "overdueAmount": "0.00",
            "dpd": 0,
            "openedOn": "2017-08-05"
        })
    );
    assert_eq!(report["accounts"].as_array().unwrap().len(), 3);
    // The fixture enquiry was 34 days before the report.
    assert_eq!(report["enquiries"][0]["lender"], "Axis Bank");
    assert_eq!(report["enquiries"][0]["date"], "2026-02-26");
}

#[tokio::test]
async fn bureau_check_for_pan_0000_has_no_history() {
    let app = spawn_app();

    let answer = app
        .post("/api/v1/bureau-check", bureau_body("KLMPS0000Q"))
        .await;

    assert_eq!(answer.json["score"], -1);
    assert_eq!(answer.json["accounts"], json!([]));
    assert_eq!(answer.json["enquiries"], json!([]));
}

/// Low scores carry overdue accounts; high scores are clean: the report is consistent with its score.
#[tokio::test]
async fn synthetic_reports_are_consistent_with_their_scores() {
    let app = spawn_app();
    let mut bands_seen = std::collections::BTreeSet::new();
    for n in 1000..1150 {
        let pan = format!("QRSPT{n}Z");

        let report = app
            .post("/api/v1/bureau-check", bureau_body(&pan))
            .await
            .json;

        let score = report["score"].as_i64().unwrap();
        let accounts = report["accounts"].as_array().unwrap();
        let late: Vec<u64> = accounts
            .iter()
            .map(|a| a["dpd"].as_u64().unwrap())
            .filter(|&dpd| dpd > 0)
            .collect();
        for account in accounts {
            let overdue: f64 = account["overdueAmount"].as_str().unwrap().parse().unwrap();
            assert_eq!(
                overdue > 0.0,
                account["dpd"].as_u64().unwrap() > 0,
                "{pan}: {account}"
            );
        }
        match score {
            -1 => assert!(accounts.is_empty(), "{pan}"),
            750.. => assert!(
                late.is_empty(),
                "{pan} scored {score} with late accounts {late:?}"
            ),
            700..=749 => assert!(
                late.len() <= 1 && late.iter().all(|&d| d <= 30),
                "{pan}: {late:?}"
            ),
            600..=699 => assert!((1..=2).contains(&late.len()), "{pan}: {late:?}"),
            _ => assert!(
                late.iter().filter(|&&d| d >= 60).count() >= 2,
                "{pan}: {late:?}"
            ),
        }
        bands_seen.insert(match score {
            -1 => 0,
            750.. => 4,
            700..=749 => 3,
            600..=699 => 2,
            _ => 1,
        });
    }
    assert_eq!(
        bands_seen.len(),
        5,
        "150 PANs should cover every score band"
    );
}

#[tokio::test]
async fn bureau_check_needs_consent_y() {
    let app = spawn_app();
    let mut body = bureau_body(DEMO_PAN);
    body["consent"] = json!("N");

    let answer = app.post("/api/v1/bureau-check", body).await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("field `consent`"), "{message}");
}

#[tokio::test]
async fn bureau_check_names_each_bad_field() {
    let app = spawn_app();
    let cases = [
        ("dateOfBirth", json!("12-04-1988")),
        ("dateOfBirth", json!("1988-02-30")),
        ("mobile", json!("98000000")),
        ("mobile", json!("5800000001")),
        ("name", json!("")),
        ("name", json!(42)),
        ("pan", json!(null)),
    ];
    for (field, value) in cases {
        let mut body = bureau_body(DEMO_PAN);
        body[field] = value.clone();

        let answer = app.post("/api/v1/bureau-check", body).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}={value}: {message}"
        );
    }
}

#[tokio::test]
async fn bureau_check_names_a_missing_field() {
    let app = spawn_app();
    let mut body = bureau_body(DEMO_PAN);
    body.as_object_mut().unwrap().remove("mobile");

    let answer = app.post("/api/v1/bureau-check", body).await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("`mobile`"), "{message}");
}
