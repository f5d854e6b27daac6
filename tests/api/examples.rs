//! The document's examples are the server's own answers.
//!
//! Every operation is called the way Swagger UI's "Try it out" calls it — its path, query and header
//! parameters' examples and its request body's example — in the order the docs list the operations, on
//! a fresh demo app whose clock is frozen where `POST /sandbox/clock`'s example freezes it. Each must
//! succeed, and its answer must be the success example the document shows, byte for byte once parsed,
//! apart from the few values listed in [`VARYING`] (secrets minted at random, latencies, the clock a
//! reset returns to).
//!
//! `SANDBANK_RECORD=1 cargo test --test api examples` records the answers into
//! `src/document/examples.json`; then `cargo run -- spec --out specs` and commit both.

use poem::http::{Method, StatusCode};
use sandbank::spec::Node;
use serde_json::Value;

use crate::helpers::{spawn_app, Answer, TestApp, DEMO_KEY};

/// Values that legitimately differ from one run to the next: `(operationId, path)`, `*` standing for
/// every element of an array.
const VARYING: &[(&str, &str)] = &[
    // Credentials are random: a sandbox shared by partners must not hand out guessable keys.
    ("createApp", "/apikey"),
    ("createApp", "/client_secret"),
    ("createApp", "/callbackSecret"),
    // Delivery ids are random too: a receiver's dedup store must never take a new sandbox's callback
    // for one it has seen.
    ("sandboxCallbacks", "/*/deliveryId"),
    ("sandboxCallbackDrill", "/cases/*/deliveries/*/deliveryId"),
    ("sandboxCallbackDrill", "/cases/*/deliveries/*/latencyMs"),
    ("oauthToken", "/access_token"),
    // Time spent answering.
    ("sandboxRequests", "/requests/*/latencyMs"),
    ("sandboxCallbacks", "/*/latencyMs"),
    // A reset puts the clock back to real time; an app just created runs in real time.
    ("sandboxReset", "/clock"),
    ("disableApp", "/clock"),
    ("disableApp", "/usage/date"),
    ("disableApp", "/usage/resetsInSeconds"),
];

/// The operation whose example disables an app: the demo app cannot be disabled, so it is called with
/// the apikey `createApp` returned, as a partner would after authorising with it.
const CALLED_AS_THE_CREATED_APP: &str = "disableApp";

const RECORDED: &str = "src/document/examples.json";

/// One operation of the document, as Swagger UI lists it.
pub struct Operation {
    pub id: String,
    pub method: Method,
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// What the walk-through sends, in order: one request, or one per named body example.
    pub requests: Vec<Request>,
    /// The operation as served, for its answers' examples.
    served: Node,
}

/// One request of the walk-through.
pub struct Request {
    /// The body example's name, when the operation has several.
    pub name: Option<String>,
    /// `(content type, bytes)`.
    pub body: Option<(String, Vec<u8>)>,
}

/// Follows `$ref`s within the document.
fn resolve<'a>(spec: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(target) = node.get("$ref").and_then(Value::as_str) {
        node = spec
            .pointer(target.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {target}"));
    }
    node
}

/// A parameter's or body's example, as Swagger UI picks it: its own, else its schema's (following
/// references and `allOf`).
fn example_of(spec: &Value, node: &Value) -> Option<Value> {
    if let Some(example) = node.get("example") {
        return Some(example.clone());
    }
    let schema = resolve(spec, node.get("schema")?);
    schema.get("example").cloned().or_else(|| {
        schema
            .get("allOf")?
            .as_array()?
            .iter()
            .find_map(|part| resolve(spec, part).get("example").cloned())
    })
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every operation of the served document in the order the docs list them: by tag in the document's
/// tag order, then in path order.
pub fn operations_in_docs_order(spec: &Value, served: &Node) -> Vec<Operation> {
    let mut listed = Vec::new();
    for tag in spec["tags"].as_array().unwrap() {
        let tag = tag["name"].as_str().unwrap();
        // In the served order: `serde_json::Value` would sort the paths.
        for (path, item) in served.get("paths").and_then(Node::as_object).unwrap() {
            for method in item.as_object().unwrap().keys() {
                let op = &spec["paths"][path][method];
                if op["tags"][0] == tag {
                    listed.push(operation(spec, served, path, method, op));
                }
            }
        }
    }
    listed
}

fn operation(spec: &Value, served: &Node, path: &str, method: &str, op: &Value) -> Operation {
    let id = op["operationId"].as_str().unwrap().to_string();
    let mut url = path.to_string();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for param in op["parameters"].as_array().into_iter().flatten() {
        let param = resolve(spec, param);
        let name = param["name"].as_str().unwrap();
        // A required parameter without an example is sent without a value (the answer says so).
        let Some(value) = example_of(spec, param) else {
            continue;
        };
        match param["in"].as_str().unwrap() {
            "path" => url = url.replace(&format!("{{{name}}}"), &encode(&scalar(&value))),
            "query" => query.push(format!("{name}={}", encode(&scalar(&value)))),
            "header" => headers.push((name.to_string(), scalar(&value))),
            other => panic!("{id}: parameter in {other}"),
        }
    }
    if !query.is_empty() {
        url = format!("{url}?{}", query.join("&"));
    }
    let mut requests = Vec::new();
    match op["requestBody"]["content"]
        .as_object()
        .and_then(|content| content.iter().next())
    {
        None => requests.push(Request {
            name: None,
            body: None,
        }),
        Some((content_type, media)) => match media.get("examples").and_then(Value::as_object) {
            Some(named) => {
                for (name, example) in named {
                    requests.push(Request {
                        name: Some(name.clone()),
                        body: Some((
                            content_type.clone(),
                            body_bytes(content_type, &example["value"]),
                        )),
                    });
                }
            }
            None => {
                let example = example_of(spec, media)
                    .unwrap_or_else(|| panic!("{id}: the request body has no example"));
                requests.push(Request {
                    name: None,
                    body: Some((content_type.clone(), body_bytes(content_type, &example))),
                });
            }
        },
    }
    Operation {
        id,
        method: method.to_uppercase().parse().unwrap(),
        path: url,
        headers,
        requests,
        served: served
            .at(&["paths", path, method])
            .cloned()
            .expect("the operation is served"),
    }
}

fn body_bytes(content_type: &str, example: &Value) -> Vec<u8> {
    if content_type == "application/x-www-form-urlencoded" {
        example
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(&scalar(v))))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes()
    } else {
        example.to_string().into_bytes()
    }
}

impl Operation {
    /// Sends one of the operation's requests with this apikey.
    pub async fn call(&self, app: &TestApp, request: &Request, apikey: &str) -> Answer {
        let mut headers: Vec<(&str, &str)> = vec![("apikey", apikey)];
        headers.extend(self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let body = request
            .body
            .as_ref()
            .map(|(content_type, bytes)| (content_type.as_str(), bytes.clone()));
        app.call(self.method.clone(), &self.path, &headers, body)
            .await
    }

    /// The example the document shows for an answer with this status to this request.
    pub fn shown<'a>(
        &'a self,
        document: &'a Node,
        status: u16,
        request: &Request,
    ) -> Option<&'a Node> {
        let mut response = self.served.at(&["responses", &status.to_string()])?;
        while let Some(target) = response.get("$ref").and_then(Node::as_str) {
            let path: Vec<&str> = target.trim_start_matches("#/").split('/').collect();
            response = document.at(&path)?;
        }
        let content = response.get("content")?.as_object()?;
        let media = content.values().next()?;
        match &request.name {
            Some(name) => media.at(&["examples", name, "value"]),
            None => media.get("example"),
        }
    }
}

/// The answer as the document would show it: JSON in the server's key order, else the text; `null`
/// for a binary answer (a DER certificate), which the document shows no example of.
fn as_node(answer: &Answer) -> Node {
    let textual = ["json", "text/", "yaml"]
        .iter()
        .any(|kind| answer.content_type.contains(kind));
    if !textual {
        return Node::Null;
    }
    let text = String::from_utf8_lossy(&answer.bytes).into_owned();
    Node::parse(&text).unwrap_or(Node::String(text))
}

/// Replaces the values at `path` (`/a/*/b`) with a marker.
fn blank(node: &mut Node, path: &str) {
    fn walk(node: &mut Node, parts: &[&str]) {
        let Some((first, rest)) = parts.split_first() else {
            *node = Node::str("<varies>");
            return;
        };
        match (node, *first) {
            (Node::Array(items), "*") => items.iter_mut().for_each(|item| walk(item, rest)),
            (node, key) => {
                if let Some(child) = node.get_mut(key) {
                    walk(child, rest);
                }
            }
        }
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    walk(node, &parts);
}

fn normalised(id: &str, mut node: Node) -> Node {
    for (_, path) in VARYING.iter().filter(|(op, _)| *op == id) {
        blank(&mut node, path);
    }
    node
}

pub async fn served_spec(app: &TestApp) -> (Value, Node) {
    let served = app.get_without_key("/openapi.json").await;
    let text = String::from_utf8(served.bytes).unwrap();
    (
        serde_json::from_str(&text).unwrap(),
        Node::parse(&text).unwrap(),
    )
}

/// Freezes the demo app's clock where the clock operation's own example freezes it.
pub async fn freeze_as_the_docs_do(app: &TestApp, operations: &[Operation]) {
    let clock = operations
        .iter()
        .find(|op| op.id == "sandboxClock")
        .expect("the clock operation is documented");
    let answer = clock.call(app, &clock.requests[0], DEMO_KEY).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
}

#[tokio::test]
async fn every_operation_answers_its_success_example_in_docs_order() {
    // Arrange
    let app = spawn_app();
    let (spec, served) = served_spec(&app).await;
    let operations = operations_in_docs_order(&spec, &served);
    freeze_as_the_docs_do(&app, &operations).await;

    // Act
    let mut created_apikey: Option<String> = None;
    let mut recorded = sandbank::spec::Map::new();
    let mut problems = Vec::new();
    for op in &operations {
        let apikey = match (op.id.as_str(), &created_apikey) {
            (CALLED_AS_THE_CREATED_APP, Some(key)) => key.clone(),
            _ => DEMO_KEY.to_string(),
        };
        let mut calls = Vec::new();
        for request in &op.requests {
            let answer = op.call(&app, request, &apikey).await;
            if op.id == "createApp" {
                created_apikey = answer.json["apikey"].as_str().map(str::to_string);
            }
            let status = answer.status.as_u16();
            let body = as_node(&answer);
            let what = match &request.name {
                Some(name) => format!("{} ({name})", op.id),
                None => op.id.clone(),
            };
            if !answer.status.is_success() {
                problems.push(format!(
                    "{what}: {} {} answered {status}: {}",
                    op.method,
                    op.path,
                    String::from_utf8_lossy(&answer.bytes)
                ));
            }
            match op.shown(&served, status, request) {
                // A binary answer: nothing to show in a JSON document.
                None if body == Node::Null => {}
                Some(shown)
                    if normalised(&op.id, shown.clone()) == normalised(&op.id, body.clone()) => {}
                Some(shown) => problems.push(format!(
                    "{what}: the document shows {}\n  the server answers {}",
                    serde_json::to_string(shown).unwrap(),
                    serde_json::to_string(&body).unwrap()
                )),
                None => problems.push(format!(
                    "{what}: the document shows no example for {status}"
                )),
            }
            let mut call = Node::object();
            if let Some(name) = &request.name {
                call.set("example", Node::str(name.as_str()));
            }
            call.set("status", Node::Number(status.into()));
            call.set("body", body);
            calls.push(call);
        }
        recorded.insert(op.id.clone(), Node::Array(calls));
    }

    // Assert (or record)
    if std::env::var_os("SANDBANK_RECORD").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(RECORDED);
        let text = Node::Object(recorded).to_json_pretty() + "\n";
        std::fs::write(&path, text).unwrap();
        eprintln!("recorded {} answers into {RECORDED}", operations.len());
        return;
    }
    assert!(
        problems.is_empty(),
        "{} of {} operations differ from the document:\n{}\n\nIf the server is right: \
         SANDBANK_RECORD=1 cargo test --test api examples && cargo run -- spec --out specs",
        problems.len(),
        operations.len(),
        problems.join("\n")
    );
}

/// The example a shared gateway error response shows.
fn gateway_example(served: &Node, status: u16) -> Node {
    let responses = served
        .at(&["components", "responses"])
        .and_then(Node::as_object)
        .expect("shared responses");
    responses
        .values()
        .filter(|response| {
            response
                .get("description")
                .and_then(Node::as_str)
                .is_some_and(|d| {
                    sandbank::spec::documented_errors()
                        .iter()
                        .any(|e| e.status == status && e.description == d)
                })
        })
        .find_map(|response| {
            let content = response.get("content")?.as_object()?;
            content.values().next()?.get("example").cloned()
        })
        .unwrap_or_else(|| panic!("no shared {status} response with an example"))
}

/// Each gateway error's example is what the gateway answers when that error happens.
#[tokio::test]
async fn every_gateway_error_example_is_the_gateways_answer() {
    // Arrange
    let app = spawn_app();
    let (_, served) = served_spec(&app).await;
    let pan = "/api/v0/panValidation";
    let valid = br#"{"pan":"ABCPE1234F"}"#.to_vec();
    let json = "application/json";
    let disabled = app
        .create_app(serde_json::json!({"name": "to disable"}))
        .await;
    let gone = app
        .call(
            Method::DELETE,
            "/sandbox/apps/me",
            &[("apikey", &disabled.apikey)],
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{:?}", gone.json);
    let limited = app
        .create_app(serde_json::json!({"name": "one call a day", "dailyLimit": 1}))
        .await;
    app.post(
        "/api/v1/offers/pre-approved",
        serde_json::json!({"customerId": "CUST000001"}),
    )
    .await;

    // Act
    let too_large = vec![b' '; sandbank::sandbox::gateway::MAX_BODY_BYTES + 1];
    let mut cases = vec![
        (400, app.post_raw(pan, Some(DEMO_KEY), json, b"{".to_vec(), &[]).await),
        (401, app.post_raw(pan, None, json, valid.clone(), &[]).await),
        (403, app.post_raw(pan, Some(&disabled.apikey), json, valid.clone(), &[]).await),
        (413, app.post_raw(pan, Some(DEMO_KEY), json, too_large, &[]).await),
        (415, app.post_raw(pan, Some(DEMO_KEY), "application/xml", valid.clone(), &[]).await),
        (
            500,
            app.post_raw(pan, Some(DEMO_KEY), json, valid.clone(), &[("x-sandbox-scenario", "server-error")])
                .await,
        ),
        (
            504,
            app.post(
                "/api/v1/offers/validate",
                serde_json::json!({"customerId": "CUST000001", "offerId": "OFPL208924938330", "amount": "1000.96"}),
            )
            .await,
        ),
    ];
    app.post_raw(pan, Some(&limited.apikey), json, valid.clone(), &[])
        .await;
    let spent = app
        .post_raw(pan, Some(&limited.apikey), json, valid, &[])
        .await;

    // Assert
    for (status, answer) in cases.drain(..) {
        assert_eq!(answer.status.as_u16(), status, "{:?}", answer.json);
        assert_eq!(
            gateway_example(&served, status),
            as_node(&answer),
            "the {status} example is not the gateway's answer"
        );
    }
    // The 429 example names the Sandbox plan's quota; this app's is 1.
    assert_eq!(spent.status, StatusCode::TOO_MANY_REQUESTS);
    let shown = serde_json::to_string(&gateway_example(&served, 429)).unwrap();
    let limit = sandbank::sandbox::gateway::Plan::SANDBOX_DAILY_LIMIT.to_string();
    assert!(shown.contains(&limit), "{shown}");
    assert_eq!(
        shown.replace(&limit, "1"),
        serde_json::to_string(&as_node(&spent)).unwrap()
    );
}
