//! Partner flows graded proven, done wrong and not yet: timeouts and retries, tokens after a 401,
//! statement paging, schema errors fixed; the calling app's requests only, outliving the request log.

use std::collections::BTreeSet;

use poem::http::{Method, StatusCode};
use serde_json::json;

use super::{identity_with, ids, item, partner_flow, payment, states, with_state, Partner, PROVEN};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_partner_flow_is_graded_proven_done_wrong_and_not_yet() {
    let app = spawn_app();
    let partner = Partner::new(&app, "flow").await;

    partner_flow(&partner).await;
    let report = partner.report().await;

    let states = states(&report);
    assert_eq!(with_state(&states, "proven"), BTreeSet::from(PROVEN));
    assert_eq!(
        with_state(&states, "doneWrong"),
        BTreeSet::from(["cib-timeout-inquiry"])
    );
    let not_yet = with_state(&states, "notYet");
    assert_eq!(not_yet.len(), states.len() - PROVEN.len() - 1);
    assert_eq!(report["ready"], false);
    assert_eq!(
        report["summary"],
        json!({ "total": states.len(), "proven": 5, "notYet": not_yet.len(), "doneWrong": 1 })
    );
    let families: Vec<&str> = report["families"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["family"].as_str().unwrap())
        .collect();
    assert_eq!(
        families,
        [
            "gateway",
            "callbacks",
            "building-blocks",
            "auto-loan",
            "iwish",
            "cash-management",
            "payments",
            "trade",
            "offers"
        ]
    );
}

#[tokio::test]
async fn the_evidence_names_the_requests_in_the_log() {
    let app = spawn_app();
    let partner = Partner::new(&app, "evidence").await;

    partner_flow(&partner).await;
    let report = partner.report().await;
    let log = partner.log().await;

    let logged = |id: u64| {
        log.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("request {id} is not in the log"))
    };
    let wrong = &item(&report, "cib-timeout-inquiry")["wrong"];
    let [timeout, repay] = ids(wrong)[..] else {
        panic!("two requests: {wrong:?}")
    };
    assert_eq!(logged(timeout)["request"]["UNIQUEID"], "RD-3");
    assert_eq!(logged(timeout)["status"], 504);
    assert_eq!(logged(repay)["request"]["UNIQUEID"], "RD-4");
    assert_eq!(
        wrong["note"],
        "UNIQUEID RD-3 timed out; the same payment went again as RD-4 before TransactionInquiry asked about RD-3."
    );
    let duplicate = ids(&item(&report, "cib-duplicate-uniqueid")["proof"]);
    assert_eq!(logged(duplicate[0])["answer"]["STATUS"], "DUPLICATE");
    let waited = ids(&item(&report, "gateway-429-retry-after")["proof"]);
    assert_eq!(logged(waited[0])["status"], 429);
    assert_eq!(logged(waited[1])["status"], 200);
    assert_eq!(item(&report, "bb-pan-valid")["proof"]["seen"], 1);
    let how = item(&report, "cib-timeout-inquiry")["how"]
        .as_str()
        .unwrap();
    assert!(how.contains(".96"), "{how}");
}

#[tokio::test]
async fn an_inquiry_before_any_retry_proves_the_timeout_item() {
    let app = spawn_app();
    let partner = Partner::new(&app, "inquiry").await;

    let timed_out = partner.cib("Transaction", payment("RD-9", "75.96")).await;
    let asked = partner
        .cib(
            "TransactionInquiry",
            identity_with(json!({ "UNIQUEID": "RD-9" })),
        )
        .await;
    // The same reference again after the inquiry is fine: the bank pays a UNIQUEID once.
    partner.cib("Transaction", payment("RD-9", "75.96")).await;
    let report = partner.report().await;

    timed_out.assert_envelope(504, 8013);
    assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.json);
    let graded = item(&report, "cib-timeout-inquiry");
    assert_eq!(graded["state"], "proven", "{graded:?}");
    assert_eq!(graded["proof"]["requests"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_retry_before_retry_after_is_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "eager").await;

    partner
        .pan("ABCPE1234F", &[("x-sandbox-scenario", "rate-limited:30")])
        .await;
    partner.clock(json!({ "advance": "PT10S" })).await;
    partner.pan("ABCPE1234F", &[]).await;
    let report = partner.report().await;

    let graded = item(&report, "gateway-429-retry-after");
    assert_eq!(graded["state"], "doneWrong", "{graded:?}");
    assert_eq!(
        graded["wrong"]["note"],
        "The next business call came 10.0 s after a 429 that said Retry-After: 30."
    );
}

#[tokio::test]
async fn the_report_reads_only_the_calling_apps_requests() {
    let app = spawn_app();
    let busy = Partner::new(&app, "busy").await;
    let idle = app.create_app(json!({ "name": "idle" })).await;
    partner_flow(&busy).await;

    let report = app
        .call(
            Method::GET,
            "/sandbox/readiness",
            &[("apikey", &idle.apikey)],
            None,
        )
        .await
        .json;

    assert_eq!(report["app"], idle.id);
    let states = states(&report);
    assert!(!states.is_empty());
    assert!(
        states.values().all(|s| s == "notYet"),
        "another app's requests leaked in: {states:?}"
    );
}

#[tokio::test]
async fn grades_outlive_the_request_log_and_reset_clears_them() {
    let app = spawn_app();
    let partner = Partner::new(&app, "long").await;
    let paid = partner.cib("Transaction", payment("RD-L", "10.00")).await;
    assert_eq!(paid.json["STATUS"], "SUCCESS");
    let proof = ids(&item(&partner.report().await, "cib-payment-success")["proof"]);

    for _ in 0..210 {
        partner
            .call("/api/v1/eligibility-check", &[], json!({}))
            .await;
    }
    let log = partner.log().await;
    let still = partner.report().await;
    partner.call("/sandbox/reset", &[], json!({})).await;
    let after_reset = partner.report().await;

    assert!(
        log.iter().all(|r| r["id"] != proof[0]),
        "request {} should have left the log",
        proof[0]
    );
    assert_eq!(item(&still, "cib-payment-success")["state"], "proven");
    assert_eq!(ids(&item(&still, "cib-payment-success")["proof"]), proof);
    assert_eq!(item(&after_reset, "cib-payment-success")["state"], "notYet");
}

#[tokio::test]
async fn reading_the_report_is_not_logged() {
    let app = spawn_app();
    let partner = Partner::new(&app, "quiet").await;
    let before = partner.log().await.len();

    partner.report().await;
    partner.get("/sandbox/readiness?format=junit").await;

    assert_eq!(partner.log().await.len(), before);
}

#[tokio::test]
async fn a_token_replaced_after_a_401_proves_both_token_items() {
    let app = spawn_app();
    let partner = Partner::new(&app, "tokens").await;
    let token = |scope: &'static str| {
        let me = partner.me.clone();
        let app = partner.app;
        async move {
            let answer = app
                .post_with(
                    "/oauth2/token",
                    &[],
                    json!({ "grant_type": "client_credentials", "client_id": me.client_id,
                            "client_secret": me.client_secret, "scope": scope }),
                )
                .await;
            format!("Bearer {}", answer.json["access_token"].as_str().unwrap())
        }
    };
    let pan = |bearer: String, scenario: Option<&'static str>| {
        let app = partner.app;
        async move {
            let mut headers = vec![("authorization", bearer.as_str())];
            if let Some(s) = scenario {
                headers.push(("x-sandbox-scenario", s));
            }
            app.post_with(
                "/api/v0/panValidation",
                &headers,
                json!({ "pan": "ABCPE1234F" }),
            )
            .await
        }
    };
    // Two tokens issued in the same second with the same claims are the same token: the refresh
    // asks for a narrower scope, as a client that needs only one family may.
    let first = token("building-blocks payments").await;
    let second = token("building-blocks").await;
    assert_ne!(first, second);

    assert_eq!(pan(first.clone(), None).await.status, StatusCode::OK);
    pan(first.clone(), Some("unauthorized"))
        .await
        .assert_envelope(401, 401);
    assert_eq!(pan(second, None).await.status, StatusCode::OK);
    let report = partner.report().await;

    assert_eq!(
        item(&report, "gateway-401-fresh-credentials")["state"],
        "proven"
    );
    assert_eq!(item(&report, "gateway-token-refresh")["state"], "proven");
}

#[tokio::test]
async fn the_same_request_after_a_401_is_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "stubborn").await;

    partner
        .pan("ABCPE1234F", &[("x-sandbox-scenario", "unauthorized")])
        .await
        .assert_envelope(401, 401);
    partner.pan("ABCPE1234F", &[]).await;
    let report = partner.report().await;

    let graded = item(&report, "gateway-401-fresh-credentials");
    assert_eq!(graded["state"], "doneWrong", "{graded:?}");
}

#[tokio::test]
async fn unauthorized_rehearses_nothing_without_credentials() {
    let app = spawn_app();

    let health = app
        .call(
            Method::GET,
            "/healthz",
            &[("x-sandbox-scenario", "unauthorized")],
            None,
        )
        .await;

    assert_eq!(health.status, StatusCode::OK);
}

#[tokio::test]
async fn a_bad_format_is_a_400_naming_the_parameter() {
    let app = spawn_app();

    let answer = app.get("/sandbox/readiness?format=pdf").await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("format"), "{message}");
}

#[tokio::test]
async fn a_statement_read_to_its_last_page_proves_paging() {
    let app = spawn_app();
    let partner = Partner::new(&app, "statement").await;
    let page = |more: Option<String>| {
        let mut body = identity_with(
            json!({ "ACCOUNTNO": "000405000001", "FROMDATE": "01-01-2025",
                                        "TODATE": "31-03-2026" }),
        );
        if let Some(last) = more {
            body["CONFLG"] = json!("Y");
            body["LASTTRID"] = json!(last);
        }
        body
    };

    let mut answer = partner.cib("AccountStatement", page(None)).await;
    let mut pages = 1;
    while answer.json["CONFLG"] == "Y" {
        let last = answer.json["LASTTRID"].as_str().unwrap().to_string();
        answer = partner.cib("AccountStatement", page(Some(last))).await;
        pages += 1;
        assert!(pages < 50, "the statement never ends: {:?}", answer.json);
    }
    let report = partner.report().await;

    assert!(pages > 1, "a single page proves nothing about paging");
    let graded = item(&report, "cib-statement-paged");
    assert_eq!(graded["state"], "proven", "{graded:?}");
    assert_eq!(graded["proof"]["seen"], 1);
}

#[tokio::test]
async fn a_deposit_sent_again_after_a_timeout_without_reading_the_history_is_done_wrong() {
    let app = spawn_app();
    let partner = Partner::new(&app, "iwish").await;
    let goal = partner
        .call(
            "/api/v1/iwish/goal-creation",
            &[],
            json!({ "goalName": "Goa trip", "category": "TRAVEL", "targetAmount": "60000.00",
                    "tenureMonths": 12, "initialDeposit": "5000.00", "fundingAccount": "000401000001" }),
        )
        .await;
    let goal_id = goal.json["data"]["goalId"].as_str().unwrap().to_string();
    let deposit = json!({ "goalId": goal_id, "amount": "2000.96" });

    let timed_out = partner
        .call("/api/v1/iwish/add-funds", &[], deposit.clone())
        .await;
    partner.call("/api/v1/iwish/add-funds", &[], deposit).await;
    let report = partner.report().await;

    timed_out.assert_envelope(504, 8013);
    let graded = item(&report, "iw-add-funds-timeout");
    assert_eq!(graded["state"], "doneWrong", "{graded:?}");
    assert_eq!(item(&report, "iw-goal-created")["state"], "proven");
}

#[tokio::test]
async fn a_schema_error_fixed_before_the_retry_is_proven() {
    let app = spawn_app();
    let partner = Partner::new(&app, "schema").await;

    partner
        .pan("ABCPE123F", &[])
        .await
        .assert_envelope(400, 8017);
    partner.pan("ABCPE1234F", &[]).await;
    let report = partner.report().await;

    assert_eq!(item(&report, "gateway-8017-fixed")["state"], "proven");
}
