//! The magic-values table: every row does what it says on the server, `GET /sandbox/magic-values`
//! serves it, and docs/magic-values.md is rendered from what the server serves.

use poem::http::{Method, StatusCode};
use sandbank::SandboxSettings;
use serde_json::{json, Map, Value};

use crate::{
    helpers::{spawn_app, spawn_app_with, TestApp, DEMO_KEY},
    markdown,
};

/// The table's source, checks included (the server serves it without them).
const SOURCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/src/api/control/magic_values.json"
));

fn source() -> Value {
    serde_json::from_str(SOURCE).expect("magic_values.json parses")
}

/// A body from a step: a `$template` named in the source, with the step's own fields over it.
fn body(source: &Value, step: &Value) -> Option<Value> {
    let body = step.get("body")?;
    let Some(name) = body.get("$template").and_then(Value::as_str) else {
        return Some(body.clone());
    };
    let mut merged: Map<String, Value> = source["templates"][name]
        .as_object()
        .unwrap_or_else(|| panic!("no template `{name}`"))
        .clone();
    for (key, value) in body.as_object().into_iter().flatten() {
        if key != "$template" {
            merged.insert(key.clone(), value.clone());
        }
    }
    Some(Value::Object(merged))
}

async fn send(app: &TestApp, source: &Value, step: &Value) -> (StatusCode, Value) {
    let method: Method = step["method"].as_str().unwrap_or("GET").parse().unwrap();
    let path = step["path"].as_str().expect("a step has a path");
    let mut headers: Vec<(String, String)> = vec![("apikey".into(), DEMO_KEY.into())];
    for (name, value) in step["headers"].as_object().into_iter().flatten() {
        headers.push((name.clone(), value.as_str().unwrap_or_default().into()));
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let body = body(source, step).map(|b| ("application/json", b.to_string().into_bytes()));
    let answer = app.call(method, path, &headers, body).await;
    (answer.status, answer.json)
}

/// Runs one check on the demo app freshly reset, its clock frozen at 2026-04-01 10:00 IST, and returns
/// what did not match.
async fn run_check(app: &TestApp, source: &Value, row: &Value, check: &Value) -> Vec<String> {
    let reset = app.post("/sandbox/reset", json!({})).await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.json);
    app.freeze_clock().await;
    let flow = check["flow"].as_str().map(|name| {
        source["flows"][name]
            .as_array()
            .unwrap_or_else(|| panic!("no flow `{name}`"))
            .clone()
    });
    let steps = flow
        .into_iter()
        .flatten()
        .chain(check["steps"].as_array().cloned().unwrap_or_default());
    let mut last = (StatusCode::OK, Value::Null);
    for step in steps {
        last = send(app, source, &step).await;
    }
    let (status, answer) = last;
    let mut problems = Vec::new();
    for (key, expected) in check["expect"]
        .as_object()
        .expect("a check expects something")
    {
        let got = if key == "http" {
            json!(status.as_u16())
        } else {
            answer.pointer(key).cloned().unwrap_or(Value::Null)
        };
        if &got != expected {
            problems.push(format!(
                "{} {} = {}: `{key}` is {got}, the table expects {expected}; answer: {answer}",
                row["family"]
                    .as_str()
                    .or(row["what"].as_str())
                    .unwrap_or_default(),
                row["field"].as_str().unwrap_or_default(),
                row["value"]
            ));
        }
    }
    problems
}

#[tokio::test]
async fn every_demo_identity_and_magic_value_is_what_the_table_says() {
    let source = source();
    let identities = source["demoIdentities"].as_array().expect("demoIdentities");
    let rows = identities
        .iter()
        .chain(source["values"].as_array().expect("values"));
    // A 200 ms gateway timeout, so that the `timeout` scenario answers quickly.
    let mut settings = SandboxSettings::default();
    settings.gateway.timeout = std::time::Duration::from_millis(200);
    let app = spawn_app_with(settings);
    let mut problems = Vec::new();
    let mut checks = 0;
    for row in rows {
        let row_checks = match &row["check"] {
            Value::Array(list) => list.clone(),
            Value::Object(_) => vec![row["check"].clone()],
            _ => {
                problems.push(format!("{}: no check", row["value"]));
                continue;
            }
        };
        for check in &row_checks {
            checks += 1;
            problems.extend(run_check(&app, &source, row, check).await);
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {checks} magic-value checks fail:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test]
async fn the_table_is_served_without_its_checks_and_filters_by_family() {
    let app = spawn_app();

    let all = app.get_without_key("/sandbox/magic-values").await;
    let iwish = app
        .get_without_key("/sandbox/magic-values?family=iwish")
        .await;
    let unknown = app
        .get_without_key("/sandbox/magic-values?family=mortgages")
        .await;

    assert_eq!(all.status, StatusCode::OK, "{:?}", all.json);
    let source = source();
    let rows = all.json["values"].as_array().expect("values");
    assert_eq!(rows.len(), source["values"].as_array().unwrap().len());
    for (served, row) in rows.iter().zip(source["values"].as_array().unwrap()) {
        let mut expected = row.clone();
        expected.as_object_mut().unwrap().remove("check");
        assert_eq!(served, &expected);
    }
    let identities: Vec<Value> = source["demoIdentities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|identity| {
            let mut identity = identity.clone();
            identity.as_object_mut().unwrap().remove("check");
            identity
        })
        .collect();
    assert_eq!(all.json["demoIdentities"], Value::Array(identities));
    let iwish_rows = iwish.json["values"].as_array().expect("values");
    assert!(!iwish_rows.is_empty());
    assert!(iwish_rows.iter().all(|r| r["family"] == "iwish"));
    unknown.assert_envelope(400, 8017);
}

/// The family's name as docs/ titles it, linked to its page.
fn family_link(family: &str) -> &'static str {
    match family {
        "building-blocks" => "[Building Blocks](building-blocks.md)",
        "auto-loan" => "[Auto Loan](auto-loan.md)",
        "iwish" => "[iWish](iwish.md)",
        "cash-management" => "[Cash Management](cash-management.md)",
        "payments" => "[Payments & UPI](payments.md)",
        "trade" => "[Trade](trade.md)",
        "offers" => "[Banking Offers](offers.md)",
        "gateway" => "[Gateway](sandbox-controls.md#scenarios)",
        other => panic!("a family the docs do not know: {other}"),
    }
}

fn cell(value: &Value) -> String {
    value.as_str().unwrap_or_default().replace('|', "\\|")
}

/// The demo identities as a Markdown table, from the served JSON.
fn render_identities(table: &Value) -> String {
    let mut out = String::from("| who | identifiers |\n|---|---|\n");
    for identity in table["demoIdentities"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "| {} | {} |\n",
            cell(&identity["what"]),
            cell(&identity["value"])
        ));
    }
    out
}

/// The Markdown tables of docs/magic-values.md, from the served JSON.
fn render(table: &Value) -> String {
    let mut out = render_identities(table);
    out.push_str("\n| family | field | value | outcome |\n|---|---|---|---|\n");
    for row in table["values"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            family_link(row["family"].as_str().unwrap_or_default()),
            cell(&row["field"]),
            cell(&row["value"]),
            cell(&row["outcome"])
        ));
    }
    out
}

#[tokio::test]
async fn the_magic_values_page_and_the_readme_identities_are_the_served_table() {
    let app = spawn_app();

    let served = app.get_without_key("/sandbox/magic-values").await;

    assert_eq!(served.status, StatusCode::OK);
    markdown::check_generated(
        "docs/magic-values.md",
        "magic-values",
        &render(&served.json),
    );
    markdown::check_generated(
        "README.md",
        "demo-identities",
        &render_identities(&served.json),
    );
}
