//! Scopes on the control plane: every `/sandbox/*` route of the served spec, called with the apikey, a
//! token of another family, the family's own token and a `sandbox` token. A token narrower than its
//! app reaches only its families' approvals and entries; clock, reset, disable and callback drills
//! need `sandbox`.

use poem::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    cib::{balance, cib, identity_with, payment, DEMO_ACCOUNT},
    merged, spawn_app, Answer, TestApp, DEMO_KEY,
};

/// What a bearer token needs for a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Need {
    /// No credentials at all.
    Open,
    /// Any token of the app.
    Any,
    /// Any token; the answer lists only its families.
    Filtered,
    Family(&'static str),
    Sandbox,
}

/// The control plane's scope table, as docs/limits.md states it.
const ROUTES: &[(&str, &str, Need)] = &[
    ("POST", "/sandbox/apps", Need::Open),
    ("GET", "/sandbox/apps/me", Need::Any),
    ("DELETE", "/sandbox/apps/me", Need::Sandbox),
    ("POST", "/sandbox/clock", Need::Sandbox),
    ("POST", "/sandbox/reset", Need::Sandbox),
    ("POST", "/sandbox/snapshots", Need::Sandbox),
    ("GET", "/sandbox/snapshots/{id}", Need::Sandbox),
    ("POST", "/sandbox/snapshots/{id}/restore", Need::Sandbox),
    ("GET", "/sandbox/requests", Need::Filtered),
    ("GET", "/sandbox/callbacks", Need::Filtered),
    ("POST", "/sandbox/callbacks/drill", Need::Sandbox),
    ("GET", "/sandbox/keys/bank.pem", Need::Open),
    ("GET", "/sandbox/keys/bank.cer", Need::Open),
    ("GET", "/sandbox/magic-values", Need::Open),
    ("GET", "/sandbox/readiness", Need::Any),
    ("GET", "/sandbox/readiness.html", Need::Open),
    (
        "POST",
        "/sandbox/upi/{bankRrn}/approve",
        Need::Family("payments"),
    ),
    (
        "POST",
        "/sandbox/upi/{bankRrn}/reject",
        Need::Family("payments"),
    ),
    (
        "POST",
        "/sandbox/cib/{UNIQUEID}/approve",
        Need::Family("cash-management"),
    ),
    (
        "POST",
        "/sandbox/cib/{UNIQUEID}/reject",
        Need::Family("cash-management"),
    ),
];

async fn token(app: &TestApp, scope: &str) -> String {
    let answer = app
        .post_with(
            "/oauth2/token",
            &[],
            json!({
                "grant_type": "client_credentials",
                "client_id": "sandbank-demo",
                "client_secret": "sandbank-demo-secret",
                "scope": scope
            }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json["access_token"].as_str().unwrap().to_string()
}

async fn call(app: &TestApp, method: &str, path: &str, credential: (&str, &str)) -> Answer {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let path = path
        .replace("{bankRrn}", "000000000001")
        .replace("{UNIQUEID}", "NOSUCHPAYMENT");
    let body = match path.as_str() {
        "/sandbox/clock" => Some(json!({ "advance": "PT1M" })),
        "/sandbox/apps" => Some(json!({ "name": "scoped" })),
        _ if method == Method::POST => Some(json!({})),
        _ => None,
    };
    let body = body.map(|b: Value| ("application/json", b.to_string().into_bytes()));
    app.call(method, &path, &[credential], body).await
}

#[tokio::test]
async fn the_table_covers_every_sandbox_route_of_the_spec() {
    let app = spawn_app();
    let spec = app.get_without_key("/openapi.json").await.json;

    let mut served: Vec<(String, String)> = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if path.starts_with("/sandbox/") {
            for method in item.as_object().unwrap().keys() {
                served.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    served.sort();
    let mut table: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    table.sort();

    assert_eq!(
        served, table,
        "classify every new /sandbox route here and in docs/limits.md"
    );
}

#[tokio::test]
async fn every_sandbox_route_answers_each_credential_as_its_scope_says() {
    for &(method, path, need) in ROUTES {
        if need == Need::Open {
            continue;
        }
        let app = spawn_app();
        let other_family = token(&app, "building-blocks").await;
        let bearer = |t: &str| format!("Bearer {t}");
        let mut cases = vec![
            ("apikey", ("apikey", DEMO_KEY.to_string()), true),
            (
                "another family's token",
                ("authorization", bearer(&other_family)),
                matches!(need, Need::Any | Need::Filtered),
            ),
            (
                "a sandbox token",
                (
                    "authorization",
                    bearer(&token(&app, "building-blocks sandbox").await),
                ),
                true,
            ),
            (
                "a token with all the app's scopes",
                ("authorization", bearer(&token(&app, "").await)),
                true,
            ),
        ];
        if let Need::Family(family) = need {
            let own = token(&app, family).await;
            cases.push(("the family's token", ("authorization", bearer(&own)), true));
        }

        for (who, (header, value), allowed) in cases {
            let answer = call(&app, method, path, (header, &value)).await;
            if allowed {
                assert_ne!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{method} {path} with {who}: {:?}",
                    answer.json
                );
                assert_ne!(
                    answer.status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {who}"
                );
            } else {
                let message = answer.assert_envelope(403, 403);
                assert!(
                    message.contains("scope"),
                    "{method} {path} with {who}: {message}"
                );
            }
        }
    }
}

/// A CIB payment parked for approval: a token of another family cannot approve it (the balance stays),
/// nor reset the app; the family's token can.
#[tokio::test]
async fn a_token_of_another_family_cannot_approve_a_payment_or_reset_the_app() {
    let app = spawn_app();
    cib(
        &app,
        "Registration",
        identity_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    let payment = payment("SCOPE-CIB-1", "RTG", "250000.00");
    let parked = cib(
        &app,
        "Transaction",
        merged(payment, json!({ "WORKFLOW_REQD": "Y" })),
    )
    .await;
    assert_eq!(parked.json["STATUS"], "PENDING", "{:?}", parked.json);
    let narrow = format!("Bearer {}", token(&app, "building-blocks").await);
    let family = format!("Bearer {}", token(&app, "cash-management").await);
    let before = balance(&app, DEMO_ACCOUNT).await;

    let approve = "/sandbox/cib/SCOPE-CIB-1/approve";
    let refused = call(&app, "POST", approve, ("authorization", &narrow)).await;
    let reset = call(&app, "POST", "/sandbox/reset", ("authorization", &narrow)).await;
    let disable = call(
        &app,
        "DELETE",
        "/sandbox/apps/me",
        ("authorization", &narrow),
    )
    .await;
    let unchanged = balance(&app, DEMO_ACCOUNT).await;
    let approved = call(&app, "POST", approve, ("authorization", &family)).await;

    refused.assert_envelope(403, 403);
    reset.assert_envelope(403, 403);
    disable.assert_envelope(403, 403);
    assert_eq!(unchanged, before, "nothing moved");
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.json);
    assert_ne!(
        balance(&app, DEMO_ACCOUNT).await,
        before,
        "the family's token approved it"
    );
}

#[tokio::test]
async fn a_narrow_token_reads_only_its_familys_requests_and_callbacks() {
    let app = spawn_app();
    app.post("/api/v0/panValidation", json!({ "pan": "ABCPE1234F" }))
        .await;
    let collect = app
        .post(
            "/api/MerchantAPI/UPI/v0/CollectPay3/400000",
            json!({ "payerVa": "success@icici", "amount": "10.00", "note": "Order",
                    "collectByDate": "01/05/2099 06:30 PM", "merchantId": "400000",
                    "subMerchantId": "400000", "subMerchantName": "Sandbank Store",
                    "terminalId": "5411", "merchantName": "Sandbank Store",
                    "merchantTranId": "SCOPE-UPI-1", "billNumber": "B1" }),
        )
        .await;
    let rrn = collect.json["BankRRN"].as_str().unwrap().to_string();
    app.post(&format!("/sandbox/upi/{rrn}/approve"), json!({}))
        .await; // a callback is attempted
    for _ in 0..200 {
        if !app
            .get("/sandbox/callbacks")
            .await
            .json
            .as_array()
            .unwrap()
            .is_empty()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let narrow = format!("Bearer {}", token(&app, "building-blocks").await);
    let payments = format!("Bearer {}", token(&app, "payments").await);

    let narrow_log = call(&app, "GET", "/sandbox/requests", ("authorization", &narrow)).await;
    let payments_log = call(
        &app,
        "GET",
        "/sandbox/requests",
        ("authorization", &payments),
    )
    .await;
    let whole_log = call(&app, "GET", "/sandbox/requests", ("apikey", DEMO_KEY)).await;
    let narrow_callbacks = call(
        &app,
        "GET",
        "/sandbox/callbacks",
        ("authorization", &narrow),
    )
    .await;
    let payments_callbacks = call(
        &app,
        "GET",
        "/sandbox/callbacks",
        ("authorization", &payments),
    )
    .await;

    let paths = |answer: &Answer| -> Vec<String> {
        answer.json["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths(&narrow_log), ["/api/v0/panValidation"]);
    assert_eq!(
        paths(&payments_log),
        [
            format!("/sandbox/upi/{rrn}/approve"),
            "/api/MerchantAPI/UPI/v0/CollectPay3/400000".to_string()
        ]
    );
    assert!(paths(&whole_log).len() >= 4, "the apikey sees every entry");
    assert_eq!(narrow_callbacks.json, json!([]));
    assert!(
        !payments_callbacks.json.as_array().unwrap().is_empty(),
        "{:?}",
        payments_callbacks.json
    );
}
