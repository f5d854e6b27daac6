//! `AccountStatement`: paging through the history, date validation, empty ranges.

use poem::http::StatusCode;
use serde_json::json;

use super::{cib, identity_with, registered_app, statement, DEMO_ACCOUNT};

#[tokio::test]
async fn the_statement_pages_through_at_least_90_days_of_history() {
    let app = registered_app().await;

    let first = cib(
        &app,
        "AccountStatement",
        identity_with(
            json!({ "ACCOUNTNO": DEMO_ACCOUNT, "FROMDATE": "01-12-2025", "TODATE": "01-04-2026" }),
        ),
    )
    .await;
    let all = statement(&app, DEMO_ACCOUNT, "01-12-2025", "01-04-2026").await;

    assert_eq!(first.json["RESPONSE"], "SUCCESS");
    assert_eq!(first.json["ACCOUNTNO"], DEMO_ACCOUNT);
    assert_eq!(first.json["CONFLG"], "Y", "more than one page of history");
    assert_eq!(first.json["Record"].as_array().unwrap().len(), 50);
    assert_eq!(
        first.json["LASTTRID"],
        first.json["Record"][49]["TRANSACTIONID"]
    );
    assert!(all.len() > 50, "{} records", all.len());
    let mut ids: Vec<&str> = all
        .iter()
        .map(|r| r["TRANSACTIONID"].as_str().unwrap())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no record twice across pages");
    let oldest = all[0]["VALUEDATE"].as_str().unwrap();
    assert!(
        oldest.ends_with("-12-2025"),
        "history reaches back 90+ days: {oldest}"
    );
    let record = &all[0];
    for field in [
        "TRANSACTIONID",
        "VALUEDATE",
        "TXNDATE",
        "REMARKS",
        "AMOUNT",
        "BALANCE",
        "TYPE",
    ] {
        assert!(record.get(field).is_some(), "{field} in {record}");
    }
    assert!(["CR", "DR"].contains(&record["TYPE"].as_str().unwrap()));
}

#[tokio::test]
async fn statement_dates_are_validated() {
    let app = registered_app().await;
    let body = |from: &str, to: &str| {
        identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT, "FROMDATE": from, "TODATE": to }))
    };

    let iso = cib(&app, "AccountStatement", body("2026-03-01", "31-03-2026")).await;
    let reversed = cib(&app, "AccountStatement", body("31-03-2026", "01-03-2026")).await;
    let mut no_cursor = body("01-03-2026", "31-03-2026");
    no_cursor["CONFLG"] = json!("Y");
    let no_cursor = cib(&app, "AccountStatement", no_cursor).await;
    let mut bad_cursor = body("01-03-2026", "31-03-2026");
    bad_cursor["CONFLG"] = json!("Y");
    bad_cursor["LASTTRID"] = json!("NOPE");
    let bad_cursor = cib(&app, "AccountStatement", bad_cursor).await;

    assert!(iso.assert_envelope(400, 8017).contains("FROMDATE"));
    assert!(no_cursor.assert_envelope(400, 8017).contains("LASTTRID"));
    // Well-formed but not a statement the bank can give: its decline (HTTP 200, 995109).
    for (declined, field) in [(&reversed, "TODATE"), (&bad_cursor, "LASTTRID")] {
        assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.json);
        assert_eq!(declined.json["RESPONSE"], "FAILURE");
        assert_eq!(declined.json["RESPONSECODE"], "995109");
        assert!(declined.json["MESSAGE"].as_str().unwrap().contains(field));
    }
}

#[tokio::test]
async fn a_range_without_entries_is_an_empty_last_page() {
    let app = registered_app().await;

    let answer = cib(
        &app,
        "AccountStatement",
        identity_with(
            json!({ "ACCOUNTNO": DEMO_ACCOUNT, "FROMDATE": "01-01-2020", "TODATE": "31-01-2020" }),
        ),
    )
    .await;

    assert_eq!(answer.json["RESPONSE"], "SUCCESS");
    assert_eq!(answer.json["CONFLG"], "N");
    assert_eq!(answer.json["LASTTRID"], "");
    assert_eq!(answer.json["Record"], json!([]));
}
