//! Bad input, corpus-driven over every POST operation of the served `/openapi.json`: whatever a client
//! sends, the answer is a 4xx in the gateway envelope, never a 5xx, and the app's state is unchanged.
//!
//! The test reads the spec it is run against, so every family's operations are covered as soon as they
//! are served. A valid body comes from each request schema's `example`; the corpus then breaks it one way
//! at a time.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Answer, TestApp, DEMO_KEY};

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
        let needs_apikey = op["security"]
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

/// A bad request: body, content type, and a label for the failure message.
struct Case {
    label: String,
    content_type: &'static str,
    body: Vec<u8>,
}

fn case(label: impl Into<String>, body: impl Into<Vec<u8>>) -> Case {
    Case {
        label: label.into(),
        content_type: "application/json",
        body: body.into(),
    }
}

/// What a field's schema says about it.
struct Field {
    /// `string`, `integer`, `number`, `boolean`, `array` or `object`.
    ty: String,
    format: Option<String>,
    pattern: Option<regex::Regex>,
    values: Option<Vec<Value>>,
    /// An `anyOf` of text and a number (amounts, client references): a number is a valid value.
    takes_numbers: bool,
}

impl Field {
    fn of(spec: &Value, schema: &Value) -> Self {
        let schema = resolve(spec, schema);
        let branches = schema["anyOf"].as_array().cloned().unwrap_or_default();
        let branch = |ty: &str| branches.iter().find(|b| b["type"] == ty);
        // Of an `anyOf`, the text branch says what text is valid.
        let text = branch("string").unwrap_or(schema);
        let ty = schema["type"]
            .as_str()
            .unwrap_or(if schema["properties"].is_object() {
                "object"
            } else {
                "string"
            });
        Self {
            ty: ty.to_string(),
            format: schema["format"].as_str().map(str::to_string),
            pattern: text["pattern"]
                .as_str()
                .map(|p| regex::Regex::new(p).expect("the spec's patterns compile")),
            values: schema["enum"].as_array().cloned(),
            takes_numbers: branch("number").or(branch("integer")).is_some(),
        }
    }

    /// Whether the schema itself rules this text out (so the server must refuse it).
    fn refuses(&self, text: &str) -> bool {
        self.ty != "string"
            || self.pattern.as_ref().is_some_and(|p| !p.is_match(text))
            || self
                .values
                .as_ref()
                .is_some_and(|v| !v.contains(&json!(text)))
            || self.format.is_some()
    }
}

/// Text no client should send, and which a formatted field must refuse.
fn hostile_strings() -> Vec<(&'static str, String)> {
    vec![
        ("SQL", "' OR 1=1; DROP TABLE accounts; --".into()),
        ("a script", "<script>alert(1)</script>".into()),
        ("unicode", "पैन ✓ 🏦 \u{202e}".into()),
        ("5000 letters", "A".repeat(5000)),
        ("NUL and controls", "\u{0}\u{1}\u{7f}".into()),
    ]
}

/// The corpus every POST must refuse with a 4xx envelope: malformed, mistyped, oversized, out of range.
fn corpus(spec: &Value, op: &Operation) -> Vec<Case> {
    let valid = &op.valid;
    let mut over_limit = b"{\"x\":\"".to_vec();
    over_limit.extend(std::iter::repeat_n(b'A', 2 * 1024 * 1024));
    over_limit.extend(b"\"}");
    let mut cases = vec![
        case("empty body", b"".to_vec()),
        case("whitespace body", b"  \n ".to_vec()),
        case("null", b"null".to_vec()),
        case("an array", b"[]".to_vec()),
        case("a string", b"\"x\"".to_vec()),
        case("a number", b"1".to_vec()),
        case("a huge number", b"1e400".to_vec()),
        case("truncated JSON", b"{\"a\": \"b".to_vec()),
        case("trailing garbage", format!("{valid} xyz")),
        case(
            "invalid UTF-8",
            [&b"{\""[..], &[0xff, 0xfe, 0xc3, 0x28], &b"\":1}"[..]].concat(),
        ),
        case("10 000 nested arrays", nested_arrays(10_000)),
        case("10 000 nested objects", nested_objects(10_000)),
        case("a 2 MiB body", over_limit),
        case(
            "BOM then JSON",
            [&b"\xef\xbb\xbf"[..], valid.to_string().as_bytes()].concat(),
        ),
    ];
    let undeclared = [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        "",
    ]
    .into_iter()
    .filter(|t| !op.content_types.iter().any(|declared| declared == t));
    for content_type in undeclared {
        cases.push(Case {
            label: format!("content type `{content_type}`"),
            content_type,
            body: valid.to_string().into_bytes(),
        });
    }
    let properties = op.schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let required: Vec<&str> = op.schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (field, field_schema) in &properties {
        let field_info = Field::of(spec, field_schema);
        let (ty, format) = (field_info.ty.clone(), field_info.format.clone());
        let mut wrong: Vec<(&str, Value)> = Vec::new();
        if ty != "object" {
            wrong.push(("an object", json!({ "a": 1 })));
        }
        if ty != "array" {
            wrong.push(("an array", json!([1, 2])));
        }
        if ty != "boolean" {
            wrong.push(("a boolean", json!(true)));
        }
        let takes_numbers = field_info.takes_numbers || format.as_deref() == Some("decimal");
        if ty == "boolean" || (ty == "string" && !takes_numbers) {
            wrong.push(("a number", json!(12345)));
        }
        if matches!(ty.as_str(), "integer" | "number" | "boolean") {
            wrong.push(("a string", json!("x")));
        }
        if required.contains(&field.as_str()) {
            wrong.push(("null", Value::Null));
        }
        let hostile = hostile_strings();
        for (label, text) in &hostile {
            if field_info.refuses(text) {
                wrong.push((label, json!(text)));
            }
        }
        if format.as_deref() == Some("decimal") || ty == "integer" || ty == "number" {
            wrong.push(("negative", json!("-1.00")));
            wrong.push(("negative number", json!(-1)));
            wrong.push(("3 decimals", json!("1.005")));
            wrong.push(("3 decimals number", json!(1.005)));
            wrong.push(("1e400", json!("1e400")));
            wrong.push(("huge", json!("99999999999999999999999999999999999.99")));
        }
        wrong.push(("a huge float", json!(1.7e308)));
        for (label, value) in wrong {
            let mut body = valid.clone();
            body[field] = value;
            cases.push(case(format!("`{field}` as {label}"), body.to_string()));
        }
        // A number too big for any integer or float type, spliced in as raw text.
        let mut body = valid.clone();
        body[field] = json!("__HUGE__");
        let raw = body
            .to_string()
            .replace("\"__HUGE__\"", &format!("1{}", "0".repeat(400)));
        cases.push(case(format!("`{field}` as a 401-digit number"), raw));
    }
    for field in &required {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(*field);
        cases.push(case(format!("`{field}` missing"), body.to_string()));
    }
    cases
}

/// Hostile text in free-text fields: it may be accepted as text, but never breaks the server.
fn hostile_text(spec: &Value, op: &Operation) -> Vec<Case> {
    let mut cases = Vec::new();
    for (field, field_schema) in op.schema["properties"].as_object().into_iter().flatten() {
        let field_info = Field::of(spec, field_schema);
        for (label, text) in hostile_strings() {
            if field_info.refuses(&text) {
                continue;
            }
            let mut body = op.valid.clone();
            body[field] = json!(text);
            cases.push(case(format!("`{field}` as {label}"), body.to_string()));
        }
    }
    cases
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

#[tokio::test]
async fn every_post_refuses_the_bad_input_corpus_with_a_4xx_envelope_and_no_state_change() {
    let app = spawn_app();
    app.freeze_clock().await;
    let (spec, operations) = post_operations(&app).await;
    let before = snapshot(&app, &spec).await;

    let mut sent = 0;
    for op in &operations {
        for case in corpus(&spec, op) {
            let answer = send(&app, op, &case).await;

            assert_envelope_4xx(op, &case, &answer);
            sent += 1;
        }
    }
    let after = snapshot(&app, &spec).await;
    let twin = spawn_app();
    twin.freeze_clock().await;

    assert_eq!(before, after, "the corpus changed the app's state");
    assert!(sent >= 20 * operations.len(), "only {sent} cases");
    // Nothing half-recorded either: every operation's valid call now answers exactly as it does on a
    // fresh app (a stray UNIQUEID or merchantTranId would answer as a duplicate).
    assert_eq!(
        valid_answers(&app, &operations).await,
        valid_answers(&twin, &operations).await,
        "after the corpus, valid calls answer differently from a fresh app"
    );
}

/// Each operation's valid example, called in turn.
async fn valid_answers(app: &TestApp, operations: &[Operation]) -> Vec<Value> {
    let mut answers = Vec::new();
    for op in operations {
        let valid = case("its example", op.valid.to_string());
        let mut answer = send(app, op, &valid).await;
        // Credentials are random per server by design (a sandbox secret must not be guessable).
        for secret in ["apikey", "client_secret", "callbackSecret", "access_token"] {
            if let Some(value) = answer.json.get_mut(secret) {
                *value = json!("(secret)");
            }
        }
        answers.push(json!([op.path, answer.status.as_u16(), answer.json]));
    }
    answers
}

#[tokio::test]
async fn hostile_text_in_free_text_fields_never_breaks_the_server() {
    let app = spawn_app();
    let (spec, operations) = post_operations(&app).await;
    for op in &operations {
        for case in hostile_text(&spec, op) {
            let answer = send(&app, op, &case).await;

            let at = format!("POST {} with {}", op.path, case.label);
            assert!(!answer.status.is_server_error(), "{at}: {}", answer.status);
            assert!(
                answer.content_type.starts_with("application/json"),
                "{at}: {}",
                answer.content_type
            );
            if answer.status.is_client_error() {
                assert_envelope_4xx(op, &case, &answer);
            }
        }
    }
}

#[tokio::test]
async fn a_missing_or_wrong_apikey_is_401_on_every_post() {
    let app = spawn_app();
    let (_, operations) = post_operations(&app).await;
    for op in operations.iter().filter(|op| op.needs_apikey) {
        let headers: Vec<(&str, &str)> = op
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        for key in [None, Some("not-a-key"), Some("")] {
            let body = op.valid.to_string().into_bytes();
            let answer = app
                .post_raw(&op.path, key, "application/json", body, &headers)
                .await;

            answer.assert_envelope(401, 401);
        }
    }
}

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

/// The statuses conformance runs cannot provoke without flagging them (`x-sandbox-scenario` makes the
/// server answer 5xx on purpose): on every operation each is declared, with the envelope.
#[tokio::test]
async fn every_operation_declares_what_each_scenario_answers() {
    let mut settings = sandbank::SandboxSettings::default();
    settings.gateway.timeout = std::time::Duration::from_millis(20);
    let app = crate::helpers::spawn_app_with(settings);
    let spec = crate::helpers::inlined_spec(&app).await;
    let mut sent = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let mut concrete = path.clone();
            let mut headers: Vec<(String, String)> = vec![("apikey".into(), DEMO_KEY.into())];
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                match param["in"].as_str() {
                    Some("path") => {
                        concrete = concrete.replace(&format!("{{{name}}}"), &parameter_value(param))
                    }
                    Some("header") if param["required"] == true => {
                        headers.push((name.to_string(), parameter_value(param)))
                    }
                    _ => {}
                }
            }
            let body = op["requestBody"]["content"]["application/json"]["schema"]
                .is_object()
                .then(|| {
                    let media = &op["requestBody"]["content"]["application/json"]["schema"];
                    resolve(&spec, media)["example"].to_string().into_bytes()
                });
            for (scenario, status) in [
                ("server-error", 500),
                ("rate-limited", 429),
                ("timeout", 504),
            ] {
                let mut with_scenario = headers.clone();
                with_scenario.push(("x-sandbox-scenario".into(), scenario.into()));
                let with_scenario: Vec<(&str, &str)> = with_scenario
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let answer = app
                    .call(
                        method.to_uppercase().parse().unwrap(),
                        &concrete,
                        &with_scenario,
                        body.clone().map(|b| ("application/json", b)),
                    )
                    .await;

                let at = format!("{} {concrete} with {scenario}", method.to_uppercase());
                assert_eq!(answer.status.as_u16(), status, "{at}: {:?}", answer.json);
                assert!(
                    op["responses"][status.to_string()].is_object(),
                    "{at}: {status} is not declared"
                );
                assert_eq!(answer.json["success"], false, "{at}: {:?}", answer.json);
                sent += 1;
            }
        }
    }

    assert_eq!(
        sent,
        3 * spec["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|i| i.as_object().unwrap().len())
            .sum::<usize>()
    );
}
