//! The HTML page (the apikey or the report's view token) and the checklists behind it.

use std::collections::BTreeSet;

use poem::http::StatusCode;
use serde_json::json;

use super::{partner_flow, Partner, PROVEN};
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_page_opens_with_the_apikey_or_the_reports_view_token_only() {
    let app = spawn_app();
    let partner = Partner::new(&app, "page").await;
    partner_flow(&partner).await;
    let report = partner.report().await;
    let link = report["html"].as_str().unwrap().to_string();
    let token = link.split("view=").nth(1).unwrap().to_string();

    let by_token = app.get_without_key(&link).await;
    let by_key = partner.get("/sandbox/readiness.html").await;
    let bare = app.get_without_key("/sandbox/readiness.html").await;
    // A longer life than the token was issued with.
    let parts: Vec<&str> = token.split('.').collect();
    let later = parts[1].parse::<i64>().unwrap() + 86_400;
    let forged = app
        .get_without_key(&format!(
            "/sandbox/readiness.html?view={}.{later}.{}",
            parts[0], parts[2]
        ))
        .await;
    let other = app.create_app(json!({ "name": "other" })).await;
    let borrowed = token.replacen(
        token.split('.').next().unwrap(),
        &base64_url(&other.client_id),
        1,
    );
    let swapped = app
        .get_without_key(&format!("/sandbox/readiness.html?view={borrowed}"))
        .await;
    partner.clock(json!({ "advance": "P2D" })).await;
    let expired = app.get_without_key(&link).await;

    assert_eq!(by_token.status, StatusCode::OK);
    assert!(by_token.content_type.starts_with("text/html"));
    assert_eq!(by_token.header("referrer-policy"), "no-referrer");
    assert!(by_token
        .header("content-security-policy")
        .contains("default-src 'none'"));
    assert_eq!(by_token.header("cache-control"), "no-store");
    assert_eq!(by_key.bytes, by_token.bytes);
    let page = String::from_utf8(by_token.bytes).unwrap();
    let families = report["families"].as_array().unwrap();
    assert_eq!(
        page.matches("<section class=\"family\"").count(),
        families.len()
    );
    assert_eq!(page.matches("data-state=\"proven\"").count(), PROVEN.len());
    assert_eq!(page.matches("data-state=\"doneWrong\"").count(), 1);
    assert!(page.contains("data-item=\"cib-timeout-inquiry\" data-state=\"doneWrong\""));
    assert!(page.contains("href=\"/docs#/Cash%20Management\""));
    for (answer, why) in [
        (bare, "view token"),
        (forged, "not valid"),
        (swapped, "not valid"),
        (expired, "expired"),
    ] {
        let message = answer.assert_envelope(401, 401);
        assert!(message.contains(why), "{message}");
    }
}

fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[test]
fn the_checklists_name_only_operations_the_sandbox_serves() {
    let lists = sandbank::sandbox::gateway::readiness::load().expect("the checklists compile");
    let served: BTreeSet<&str> = sandbank::api::operations().iter().map(|o| o.id).collect();

    for (item, operation) in lists.operations() {
        if item.upcoming.is_none() {
            assert!(
                served.contains(operation),
                "{} names `{operation}`, which no route serves",
                item.id
            );
        }
    }
    for item in lists.items.iter().filter(|i| i.upcoming.is_some()) {
        assert!(
            lists
                .operations()
                .any(|(i, op)| i.id == item.id && !served.contains(op)),
            "{} is marked upcoming, but everything it names is served: drop `upcoming`",
            item.id
        );
    }
}
