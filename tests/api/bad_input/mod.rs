//! Bad input, corpus-driven over every POST operation of the served `/openapi.json`: whatever a client
//! sends, the answer is a 4xx in the gateway envelope, never a 5xx, and the app's state is unchanged.
//!
//! The test reads the spec it is run against, so every family's operations are covered as soon as they
//! are served. A valid body comes from each request schema's `example`; the corpus then breaks it one way
//! at a time.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::helpers::{Answer, TestApp, DEMO_KEY};

mod bodies;
mod cases;
mod paths;
mod scenarios;

use cases::Case;

/// One POST operation of the spec, with what it takes to call it validly.
struct Operation {
    path: String,
    headers: Vec<(String, String)>,
    /// The request schema (resolved), for per-field corruption.
    schema: Value,
    valid: Value,
    /// Whether the operation declares the `apikey` scheme (the OAuth2 token endpoint, say, does not).
    needs_apikey: bool,
    /// The request content types the operation declares.
    content_types: Vec<String>,
    /// The body each answer status declares (the gateway envelope, or RFC 6749's for the token
    /// endpoint), by status.
    answers: BTreeMap<u16, Value>,
}

/// Values for required parameters the spec gives no example of (by name, as the catalogue uses them).
fn known_parameter(name: &str) -> Option<&'static str> {
    match name {
        "x-priority" => Some("0100"),
        "merchantId" | "subMerchantId" => Some("400000"),
        "terminalId" => Some("5411"),
        "ifsc" => Some("ICIC0000004"),
        _ => None,
    }
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &spec["components"]["schemas"][name]
        }
        None => match (schema["allOf"].as_array(), schema["anyOf"].as_array()) {
            (Some(all), _) if all.len() == 1 => resolve(spec, &all[0]),
            // An optional field of a referenced schema: the reference, or `null`.
            (_, Some(any)) if any.len() == 2 && any[1]["enum"] == json!([null]) => {
                resolve(spec, &any[0])
            }
            _ => schema,
        },
    }
}

fn parameter_value(param: &Value) -> String {
    let schema = &param["schema"];
    let example = [
        &param["example"],
        &schema["example"],
        &schema["default"],
        &schema["enum"][0],
    ]
    .into_iter()
    .find(|v| !v.is_null());
    match example {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => known_parameter(param["name"].as_str().unwrap_or_default())
            .unwrap_or("1")
            .to_string(),
    }
}

/// Every POST operation of the served document.
async fn post_operations(app: &TestApp) -> (Value, Vec<Operation>) {
    let spec = crate::helpers::inlined_spec(app).await;
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        let Some(op) = item.get("post") else { continue };
        let body = &op["requestBody"];
        if body["required"] != true || !body["content"]["application/json"].is_object() {
            // No JSON body to refuse (e.g. an action like reset): nothing in the corpus applies.
            continue;
        }
        let mut concrete = path.clone();
        let mut headers = Vec::new();
        // Only what the operation requires: an optional parameter (`x-sandbox-scenario`, say) would
        // change what is being tested.
        let required = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|param| param["required"] == true);
        for param in required {
            let value = parameter_value(param);
            match param["in"].as_str() {
                Some("path") => {
                    concrete = concrete
                        .replace(&format!("{{{}}}", param["name"].as_str().unwrap()), &value)
                }
                Some("header") => {
                    headers.push((param["name"].as_str().unwrap().to_string(), value))
                }
                _ => {}
            }
        }
        let media = &op["requestBody"]["content"]["application/json"]["schema"];
        let schema = resolve(&spec, media).clone();
        let valid = schema["example"].clone();
        assert!(
            valid.is_object(),
            "POST {path}: request schema has no object example"
        );
        // An operation without its own `security` takes the document's (where the apikey is).
        let security = op.get("security").unwrap_or(&spec["security"]);
        let needs_apikey = security
            .as_array()
            .into_iter()
            .flatten()
            .any(|requirement| requirement.get("apikey").is_some());
        let content_types = body["content"]
            .as_object()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        let answers = op["responses"]
            .as_object()
            .expect("responses")
            .iter()
            .filter_map(|(status, answer)| {
                let media = answer["content"].as_object()?.values().next()?;
                Some((
                    status.parse().ok()?,
                    resolve(&spec, &media["schema"]).clone(),
                ))
            })
            .collect();
        operations.push(Operation {
            answers,
            path: concrete,
            headers,
            schema,
            valid,
            needs_apikey,
            content_types,
        });
    }
    assert!(!operations.is_empty(), "the spec has POST operations");
    (spec, operations)
}

fn nested_arrays(depth: usize) -> Vec<u8> {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
}

fn nested_objects(depth: usize) -> Vec<u8> {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes()
}

async fn send(app: &TestApp, op: &Operation, case: &Case) -> Answer {
    let headers: Vec<(&str, &str)> = op
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    app.post_raw(
        &op.path,
        Some(DEMO_KEY),
        case.content_type,
        case.body.clone(),
        &headers,
    )
    .await
}

#[track_caller]
fn assert_envelope_4xx(op: &Operation, case: &Case, answer: &Answer) {
    let at = format!("POST {} with {}", op.path, case.label);
    assert!(
        answer.status.is_client_error(),
        "{at}: {} {}",
        answer.status,
        String::from_utf8_lossy(&answer.bytes)
    );
    assert!(
        answer.content_type.starts_with("application/json"),
        "{at}: content type {}",
        answer.content_type
    );
    // The status is declared, and every field its body requires is there with its declared type.
    let declared = op
        .answers
        .get(&answer.status.as_u16())
        .unwrap_or_else(|| panic!("{at}: {} is not declared in the spec", answer.status));
    let required = declared["required"]
        .as_array()
        .expect("error schemas list required fields");
    for field in required.iter().filter_map(Value::as_str) {
        let value = &answer.json[field];
        let typed = match declared["properties"][field]["type"].as_str() {
            Some("boolean") => value.is_boolean(),
            Some("integer") => value.is_u64(),
            Some("string") => value.as_str().is_some_and(|s| !s.is_empty()),
            _ => !value.is_null(),
        };
        assert!(typed, "{at}: `{field}` in {:?}", answer.json);
    }
    if declared["properties"]["success"].is_object() {
        assert_eq!(answer.json["success"], false, "{at}: {:?}", answer.json);
    }
}

/// What the app's state looks like from outside: the clock, balances once a balance enquiry is served,
/// and every read (GET) operation's answer.
async fn snapshot(app: &TestApp, spec: &Value) -> BTreeMap<String, Value> {
    let mut seen = BTreeMap::new();
    let clock = app
        .post("/sandbox/clock", json!({ "advance": "PT0S" }))
        .await;
    seen.insert("clock".to_string(), clock.json);
    for (path, item) in spec["paths"].as_object().unwrap() {
        // The request log and the readiness report (control plane) record every call, bad ones
        // included: not state.
        if let Some(op) = item.get("get").filter(|_| {
            !path.starts_with("/sandbox/requests") && !path.starts_with("/sandbox/readiness")
        }) {
            let mut concrete = path.clone();
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "path" {
                    let name = param["name"].as_str().unwrap();
                    concrete = concrete.replace(&format!("{{{name}}}"), &parameter_value(param));
                }
            }
            let mut answer = app.get(&concrete).await;
            // Quota usage is metering, not banking state: every authenticated business call counts,
            // refused ones included, as at the bank's gateway.
            if let Some(app) = answer.json.as_object_mut() {
                app.remove("usage");
            }
            seen.insert(
                format!("GET {concrete}"),
                json!([answer.status.as_u16(), answer.json]),
            );
        }
        if path.ends_with("/BalanceInquiry") {
            let schema = resolve(
                spec,
                &item["post"]["requestBody"]["content"]["application/json"]["schema"],
            );
            let answer = app.post(path, schema["example"].clone()).await;
            seen.insert(format!("POST {path}"), answer.json);
        }
    }
    seen
}
