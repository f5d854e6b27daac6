//! Hostile path and query values answer a declared status, never a 5xx.

use serde_json::Value;

use super::{parameter_value, resolve, snapshot};
use crate::helpers::{spawn_app, DEMO_KEY};

/// Every byte but the unreserved ones as `%XX`, as a client library would send a path segment.
fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
use super::cases::hostile_strings;

#[tokio::test]
async fn hostile_path_and_query_values_answer_a_declared_status_never_a_5xx() {
    let app = spawn_app();
    app.freeze_clock().await;
    let spec = crate::helpers::inlined_spec(&app).await;
    let before = snapshot(&app, &spec).await;
    let mut hostile: Vec<(&str, String)> = hostile_strings()
        .into_iter()
        .map(|(label, text)| (label, percent_encoded(&text)))
        .collect();
    hostile.push(("a dot-dot path", "..%2F..%2Fopenapi.json".into()));
    hostile.push(("an encoded NUL", "%00".into()));
    hostile.push(("a broken escape", "%E0%A4".into()));

    let mut sent = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params: Vec<&Value> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path" || p["in"] == "query")
                .collect();
            let headers: Vec<(String, String)> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "header" && p["required"] == true)
                .map(|p| (p["name"].as_str().unwrap().to_string(), parameter_value(p)))
                .collect();
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let body = op["requestBody"]["content"]["application/json"]["schema"]
                .is_object()
                .then(|| {
                    let schema = resolve(
                        &spec,
                        &op["requestBody"]["content"]["application/json"]["schema"],
                    );
                    schema["example"].to_string().into_bytes()
                });
            for target in &params {
                for (label, value) in &hostile {
                    let mut concrete = path.clone();
                    let mut query = Vec::new();
                    for param in &params {
                        let name = param["name"].as_str().unwrap();
                        let value = if param["name"] == target["name"] {
                            value.clone()
                        } else {
                            percent_encoded(&parameter_value(param))
                        };
                        if param["in"] == "path" {
                            concrete = concrete.replace(&format!("{{{name}}}"), &value);
                        } else {
                            query.push(format!("{name}={value}"));
                        }
                    }
                    if !query.is_empty() {
                        concrete = format!("{concrete}?{}", query.join("&"));
                    }
                    let mut all_headers = headers.clone();
                    all_headers.push(("apikey", DEMO_KEY));
                    let answer = app
                        .call(
                            method.to_uppercase().parse().unwrap(),
                            &concrete,
                            &all_headers,
                            body.clone().map(|b| ("application/json", b)),
                        )
                        .await;

                    let at = format!(
                        "{} {concrete} ({} as {label})",
                        method.to_uppercase(),
                        target["name"]
                    );
                    assert!(!answer.status.is_server_error(), "{at}: {}", answer.status);
                    assert!(
                        op["responses"][answer.status.as_str()].is_object(),
                        "{at}: {} is not declared",
                        answer.status
                    );
                    if answer.status.is_client_error() {
                        assert_eq!(answer.json["success"], false, "{at}: {:?}", answer.json);
                        assert!(
                            answer.json["errormessage"].is_string(),
                            "{at}: {:?}",
                            answer.json
                        );
                    }
                    sent += 1;
                }
            }
        }
    }

    assert!(sent >= 50, "only {sent} cases");
    assert_eq!(
        before,
        snapshot(&app, &spec).await,
        "hostile parameters changed the app's state"
    );
}
