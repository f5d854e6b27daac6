//! Building Blocks: every operation, its magic values and its validation.

use poem::http::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, DEMO_KEY};

const DEMO_PAN: &str = "ABCPE1234F";

fn bureau_body(pan: &str) -> Value {
    json!({
        "pan": pan,
        "name": "Rahul Kumar Eswaran",
        "dateOfBirth": "1988-04-12",
        "mobile": "9800000001",
        "consent": "Y"
    })
}

fn name_enquiry_body(account: &str, ifsc: &str) -> Value {
    json!({
        "BeneAccNo": account,
        "BeneIFSC": ifsc,
        "TranRefNo": "NE20260401000001",
        "PaymentRef": "PENNYDROP",
        "RemName": "Sandbank Demo Traders",
        "RemMobile": "9800000001",
        "RetailerCode": "rcode",
        "PassCode": "447c4524c9074b8c97e3a3c40ca7458d",
        "TransactionDate": "20260401103000"
    })
}

// ---- PAN validation -------------------------------------------------------------------------

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

// ---- Bureau check ---------------------------------------------------------------------------

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

// ---- Eligibility check ----------------------------------------------------------------------

fn eligibility_body(pan: &str, product: &str, income: &str, requested: &str) -> Value {
    json!({ "pan": pan, "product": product, "monthlyIncome": income, "requestedAmount": requested })
}

#[tokio::test]
async fn demo_person_is_eligible_for_an_auto_loan_within_the_foir_limit() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "AUTO_LOAN", "150000.00", "400000.00"),
        )
        .await;

    // Obligations: 5% of 42,315.75 + 1% of 51,23,400 + 3% of 4,12,350 = 65,720.29; half the income
    // leaves 9,279.71 a month, which repays 4,49,666 over 60 months at 8.75%: floored to 4,49,000.
    assert_eq!(
        answer.json,
        json!({ "eligible": true, "maxAmount": "449000.00", "roi": "8.75", "reasons": [] })
    );
}

#[tokio::test]
async fn asking_above_the_maximum_is_declined_with_the_maximum() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "AUTO_LOAN", "150000.00", "900000.00"),
        )
        .await;

    assert_eq!(answer.json["eligible"], false);
    assert_eq!(answer.json["maxAmount"], "449000.00");
    assert_eq!(
        answer.json["reasons"],
        json!(["REQUESTED_AMOUNT_ABOVE_MAX"])
    );
}

#[tokio::test]
async fn credit_card_limit_is_three_times_income() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "CREDIT_CARD", "150000", "100000"),
        )
        .await;

    assert_eq!(
        answer.json,
        json!({ "eligible": true, "maxAmount": "450000.00", "roi": "36.00", "reasons": [] })
    );
}

#[tokio::test]
async fn low_scores_no_history_and_unknown_pans_are_declined() {
    let app = spawn_app();
    let cases = [
        ("UJGPK3526L", "BUREAU_SCORE_BELOW_CUTOFF"), // fixture, score 587
        ("VTRPD8029Q", "NO_CREDIT_HISTORY"),         // fixture, score -1
        ("KLMPS0000Q", "PAN_NOT_FOUND"),             // magic digits
    ];
    for (pan, reason) in cases {
        let answer = app
            .post(
                "/api/v1/eligibility-check",
                eligibility_body(pan, "PERSONAL_LOAN", "90000", "100000"),
            )
            .await;

        assert_eq!(answer.json["eligible"], false, "{pan}");
        assert_eq!(answer.json["maxAmount"], "0.00", "{pan}");
        assert_eq!(answer.json["reasons"], json!([reason]), "{pan}");
        assert!(
            answer.json.get("roi").is_none(),
            "a decline carries no rate: {}",
            answer.json
        );
    }
}

#[tokio::test]
async fn eligibility_amounts_are_validated() {
    let app = spawn_app();
    let cases = [
        ("monthlyIncome", json!("-5")),
        ("monthlyIncome", json!("0")),
        ("requestedAmount", json!("100.005")),
        ("requestedAmount", json!("lots")),
        ("requestedAmount", json!(1e30)),
        ("product", json!("HOME_LOAN")),
    ];
    for (field, value) in cases {
        let mut body = eligibility_body(DEMO_PAN, "AUTO_LOAN", "150000", "100000");
        body[field] = value.clone();

        let answer = app.post("/api/v1/eligibility-check", body).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}={value}: {message}"
        );
    }
}

#[tokio::test]
async fn eligibility_reads_json_numbers_by_their_decimal_text() {
    let app = spawn_app();
    let with = |requested: Value| json!({ "pan": DEMO_PAN, "product": "CREDIT_CARD", "monthlyIncome": 150000, "requestedAmount": requested });

    let two_places = app
        .post("/api/v1/eligibility-check", with(json!(100.13)))
        .await;
    let three_places = app
        .post("/api/v1/eligibility-check", with(json!(100.135)))
        .await;

    assert_eq!(two_places.json["eligible"], true, "{:?}", two_places.json);
    assert_eq!(two_places.json["maxAmount"], "450000.00");
    let message = three_places.assert_envelope(400, 8017);
    assert!(message.contains("100.135"), "{message}");
}

// ---- Name enquiry (composite-validation) ----------------------------------------------------

async fn name_enquiry(app: &crate::helpers::TestApp, body: Value) -> crate::helpers::Answer {
    app.post_raw(
        "/api/v1/composite-validation",
        Some(DEMO_KEY),
        "application/json",
        body.to_string().into_bytes(),
        &[("x-priority", "0100")],
    )
    .await
}

#[tokio::test]
async fn name_enquiry_finds_the_demo_beneficiary() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("000405009999", "ICIC0000004")).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["ActCode"], "0");
    assert_eq!(answer.json["Response"], "SUCCESS");
    assert_eq!(answer.json["BeneName"], "Ravi Kumar");
    assert_eq!(answer.json["TranRefNo"], "NE20260401000001");
    let rrn = answer.json["BankRRN"].as_str().unwrap();
    assert!(
        rrn.len() == 12 && rrn.bytes().all(|b| b.is_ascii_digit()),
        "{rrn}"
    );
}

#[tokio::test]
async fn name_enquiry_magic_account_0000_is_invalid() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("123456780000", "HDFC0000001")).await;

    assert_eq!(answer.json["ActCode"], "52");
    assert_eq!(answer.json["BeneName"], "");
}

#[tokio::test]
async fn name_enquiry_for_an_unknown_bank_is_invalid_ifsc() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("123456789012", "ZZZZ0000001")).await;

    assert_eq!(answer.json["ActCode"], "201");
}

#[tokio::test]
async fn a_directory_account_does_not_answer_at_another_bank() {
    let app = spawn_app();

    let answer = name_enquiry(&app, name_enquiry_body("000405009999", "HDFC0000001")).await;

    assert_eq!(answer.json["ActCode"], "52");
}

#[tokio::test]
async fn name_enquiry_rrn_derives_from_the_client_reference() {
    let app = spawn_app();
    let first = name_enquiry(&app, name_enquiry_body("000405009999", "ICIC0000004")).await;
    let mut other = name_enquiry_body("000405009999", "ICIC0000004");
    other["TranRefNo"] = json!("NE20260401000002");

    let again = name_enquiry(&app, name_enquiry_body("000405009999", "ICIC0000004")).await;
    let second = name_enquiry(&app, other).await;

    assert_eq!(first.json["BankRRN"], again.json["BankRRN"]);
    assert_ne!(first.json["BankRRN"], second.json["BankRRN"]);
}

#[tokio::test]
async fn name_enquiry_needs_x_priority() {
    let app = spawn_app();

    let answer = app
        .post(
            "/api/v1/composite-validation",
            name_enquiry_body("000405009999", "ICIC0000004"),
        )
        .await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("`x-priority`"), "{message}");
}

#[tokio::test]
async fn name_enquiry_validates_each_field() {
    let app = spawn_app();
    let cases = [
        ("BeneAccNo", json!("12AB")),
        ("BeneIFSC", json!("ICIC1000004")),
        ("RemMobile", json!("12345")),
        ("TransactionDate", json!("2026-04-01")),
        ("TransactionDate", json!("20261301103000")),
        ("TranRefNo", json!("")),
    ];
    for (field, value) in cases {
        let mut body = name_enquiry_body("000405009999", "ICIC0000004");
        body[field] = value.clone();

        let answer = name_enquiry(&app, body).await;

        let message = answer.assert_envelope(400, 8017);
        assert!(
            message.contains(&format!("`{field}`")),
            "{field}={value}: {message}"
        );
    }
}

// ---- IFSC lookup ----------------------------------------------------------------------------

#[tokio::test]
async fn ifsc_lookup_answers_the_branch() {
    let app = spawn_app();

    let answer = app.get("/api/v1/ifsc/ICIC0000004").await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["bank"], "ICICI Bank");
    assert_eq!(answer.json["branch"], "Mumbai Nariman Point");
    assert_eq!(answer.json["city"], "Mumbai");
    assert_eq!(answer.json["state"], "Maharashtra");
    for rail in ["neft", "rtgs", "imps", "upi"] {
        assert_eq!(answer.json[rail], true, "{rail}");
    }
}

#[tokio::test]
async fn unknown_ifsc_is_404_and_malformed_is_8017() {
    let app = spawn_app();

    let unknown = app.get("/api/v1/ifsc/ICIC0999999").await;
    let malformed = app.get("/api/v1/ifsc/icic0000004").await;

    assert!(unknown.assert_envelope(404, 404).contains("ICIC0999999"));
    let message = malformed.assert_envelope(400, 8017);
    assert!(message.contains("IFSC must be 11 characters"), "{message}");
}

#[tokio::test]
async fn every_operation_needs_a_known_apikey() {
    let app = spawn_app();
    let calls = [
        ("/api/v0/panValidation", json!({ "pan": DEMO_PAN })),
        ("/api/v1/bureau-check", bureau_body(DEMO_PAN)),
        (
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "AUTO_LOAN", "1000", "1000"),
        ),
        (
            "/api/v1/composite-validation",
            name_enquiry_body("000405009999", "ICIC0000004"),
        ),
    ];
    for (path, body) in calls {
        for key in [None, Some("not-a-key")] {
            let headers = [("x-priority", "0100")];

            let answer = app
                .post_raw(
                    path,
                    key,
                    "application/json",
                    body.to_string().into_bytes(),
                    &headers,
                )
                .await;

            let message = answer.assert_envelope(401, 401);
            assert!(message.contains("apikey"), "{path}: {message}");
        }
    }
    app.get_without_key("/api/v1/ifsc/ICIC0000004")
        .await
        .assert_envelope(401, 401);
}
