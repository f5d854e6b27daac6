//! PAN validation: fixture holders, the magic digits, synthetic holders, companies, malformed PANs.

use poem::http::StatusCode;
use serde_json::json;

use super::DEMO_PAN;
use crate::helpers::spawn_app;

#[tokio::test]
async fn pan_validation_answers_the_fixture_holder() {
    let app = spawn_app();

    let answer = app
        .post("/api/v0/panValidation", json!({ "pan": DEMO_PAN }))
        .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json,
        json!({
            "status": 1,
            "errorCode": "",
            "data": {
                "Returncode": "1",
                "PAN": "ABCPE1234F",
                "PANStatus": "E",
                "LastName": "Eswaran",
                "FirstName": "Rahul",
                "MiddleName": "Kumar",
                "PANtitle": "Shri",
                "Lastupdatedate": "15/06/2021"
            }
        })
    );
}

#[tokio::test]
async fn pan_with_digits_0000_is_not_found() {
    let app = spawn_app();

    let answer = app
        .post("/api/v0/panValidation", json!({ "pan": "ABCPE0000F" }))
        .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["status"], 0);
    assert_eq!(answer.json["errorCode"], "PAN_NOT_FOUND");
    assert_eq!(answer.json["data"]["PANStatus"], "N");
    assert_eq!(answer.json["data"]["FirstName"], "");
    assert_eq!(answer.json["data"]["LastName"], "");
}

#[tokio::test]
async fn pan_with_digits_9999_is_deactivated() {
    let app = spawn_app();

    let answer = app
        .post("/api/v0/panValidation", json!({ "pan": "BQWPS9999K" }))
        .await;

    assert_eq!(answer.json["status"], 1);
    assert_eq!(answer.json["data"]["PANStatus"], "D");
    assert_ne!(
        answer.json["data"]["LastName"], "",
        "a deactivated PAN still has a holder"
    );
}

#[tokio::test]
async fn unknown_pan_gets_a_synthetic_holder_whose_surname_matches_the_pan() {
    let app = spawn_app();

    let answer = app
        .post("/api/v0/panValidation", json!({ "pan": "KLMPS4321Q" }))
        .await;

    let data = &answer.json["data"];
    assert_eq!(data["PANStatus"], "E");
    assert!(
        data["LastName"].as_str().unwrap().starts_with('S'),
        "{data}"
    );
    assert!(["Shri", "Smt", "Kumari"].contains(&data["PANtitle"].as_str().unwrap()));
    let date = data["Lastupdatedate"].as_str().unwrap();
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%d/%m/%Y").is_ok(),
        "{date}"
    );
}

#[tokio::test]
async fn company_pan_answers_an_organisation_as_m_s() {
    let app = spawn_app();

    let answer = app
        .post("/api/v0/panValidation", json!({ "pan": "AAACB1234Q" }))
        .await;

    assert_eq!(answer.json["data"]["PANtitle"], "M/s");
    assert_eq!(answer.json["data"]["FirstName"], "");
    assert!(answer.json["data"]["LastName"]
        .as_str()
        .unwrap()
        .starts_with('B'));
}

#[tokio::test]
async fn malformed_pans_are_refused_naming_the_field() {
    let app = spawn_app();
    for bad in [
        "ABCPE1234",
        "abcpe1234f",
        "ABCXE1234F",
        "ABCPE12345",
        "1BCPE1234F",
        "",
    ] {
        let answer = app
            .post("/api/v0/panValidation", json!({ "pan": bad }))
            .await;

        let message = answer.assert_envelope(400, 8017);
        assert!(message.contains("field `pan`"), "{bad}: {message}");
    }
}
