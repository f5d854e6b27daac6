//! Every operation of the served spec, read from `/openapi.json` as it is served, so that an operation
//! added later is swept as soon as the corpus is re-recorded: its documented example, then the bad
//! inputs every partner sends sooner or later — no apikey, the wrong content type, malformed JSON, a
//! missing field, a wrong type, a missing required header.

use poem::http::Method;
use serde_json::Value;

use super::super::recorder::{Call, Recorder};

/// Operations the sweep leaves to their own chapter: sweeping them would wipe the demo app's state
/// (a restore puts the documented example's one account in place of the demo app's).
const NOT_SWEPT: &[&str] = &["sandboxReset", "sandboxSnapshotRestore"];

/// A path or header parameter the spec gives no example of: the demo identities, or an id the sandbox
/// does not know (the chains call these with real ones).
fn known_parameter(name: &str) -> &'static str {
    match name {
        "x-priority" => "0100",
        "merchantId" | "subMerchantId" => "400000",
        "terminalId" => "5411",
        "ifsc" => "ICIC0000004",
        "UNIQUEID" => "CIB20260401999999",
        "bankRrn" => "000000000000",
        _ => "1",
    }
}

/// One operation, ready to call.
struct Operation {
    id: String,
    method: Method,
    path: String,
    /// Required headers.
    headers: Vec<(String, String)>,
    secured: bool,
    /// The JSON body's schema (resolved) and its examples, by name.
    body: Option<(Value, Vec<(String, Value)>)>,
}

pub async fn every_operation(rec: &mut Recorder) {
    let spec = rec.harness.spec.clone();
    for (method, template, _) in rec.harness.operations.clone() {
        let operation = operation(&spec, &method, &template);
        if NOT_SWEPT.contains(&operation.id.as_str()) {
            continue;
        }
        sweep(rec, &operation).await;
    }
}

async fn sweep(rec: &mut Recorder, op: &Operation) {
    let Some((schema, examples)) = &op.body else {
        rec.send(op.keyed(op.call("as documented"))).await;
        if op.secured {
            rec.send(op.call("without an apikey")).await;
        }
        return;
    };
    for (name, example) in examples {
        let note = match examples.len() {
            1 => "the documented example".to_string(),
            _ => format!("the documented example `{name}`"),
        };
        rec.send(op.keyed(op.call(&note)).json(example.clone()))
            .await;
    }
    let example = &examples[0].1;
    if op.secured {
        let call = op.call("the example without an apikey");
        rec.send(call.json(example.clone())).await;
    }
    let text = example.to_string().into_bytes();
    let plain = op.keyed(op.call("the example sent as text/plain"));
    rec.send(plain.raw("text/plain", text.clone())).await;
    let cut = op.keyed(op.call("malformed JSON (the example cut short)"));
    rec.send(cut.raw("application/json", text[..text.len() - 1].to_vec()))
        .await;
    if let Some(field) = schema["required"][0].as_str() {
        let mut missing = example.clone();
        if let Some(fields) = missing.as_object_mut() {
            fields.remove(field);
        }
        let note = format!("without `{field}`");
        rec.send(op.keyed(op.call(&note)).json(missing)).await;
        let wrong = wrong_type(&schema["properties"][field]);
        let note = format!("`{field}` as {wrong}");
        let mut mistyped = example.clone();
        mistyped[field] = wrong;
        rec.send(op.keyed(op.call(&note)).json(mistyped)).await;
    }
    for (name, _) in &op.headers {
        let mut call = Call::new(op.method.clone(), op.path.clone())
            .note(format!("{}: without the `{name}` header", op.id));
        for (other, value) in op.headers.iter().filter(|(other, _)| other != name) {
            call = call.header(other, value);
        }
        rec.send(op.keyed(call).json(example.clone())).await;
    }
}

impl Operation {
    /// A call to the operation with its required headers, and a note naming it.
    fn call(&self, note: &str) -> Call {
        let mut call =
            Call::new(self.method.clone(), self.path.clone()).note(format!("{}: {note}", self.id));
        for (name, value) in &self.headers {
            call = call.header(name, value);
        }
        call
    }

    /// With the demo app's key, when the operation takes one.
    fn keyed(&self, call: Call) -> Call {
        if self.secured {
            call.demo()
        } else {
            call
        }
    }
}

/// A value of another JSON type than the field's.
fn wrong_type(field: &Value) -> Value {
    match field["type"].as_str() {
        Some("boolean") => Value::from("yes"),
        Some("array") | Some("object") => Value::from(42),
        _ => Value::Bool(true),
    }
}

fn operation(spec: &Value, method: &str, template: &str) -> Operation {
    let op = &spec["paths"][template][method.to_lowercase()];
    let mut path = template.to_string();
    let mut headers = Vec::new();
    let mut query = Vec::new();
    let example = body_example(spec, op);
    for param in op["parameters"].as_array().into_iter().flatten() {
        let name = param["name"].as_str().unwrap_or_default();
        let value = [
            &param["example"],
            &param["schema"]["example"],
            example
                .as_ref()
                .map_or(&Value::Null, |(_, e)| &e[0].1[name]),
        ]
        .into_iter()
        .find_map(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| known_parameter(name).to_string());
        let required = param["required"] == true;
        match param["in"].as_str() {
            Some("path") => path = path.replace(&format!("{{{name}}}"), &value),
            Some("header") if required => headers.push((name.to_string(), value)),
            Some("query") if required => query.push(format!("{name}={value}")),
            _ => {}
        }
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    // An operation's own `security`, else the document's (OpenAPI 3: the root applies where an
    // operation says nothing; `security: []` opens it).
    let secured = op
        .get("security")
        .unwrap_or(&spec["security"])
        .as_array()
        .into_iter()
        .flatten()
        .any(|requirement| requirement.get("apikey").is_some());
    Operation {
        id: op["operationId"].as_str().unwrap_or_default().to_string(),
        method: Method::from_bytes(method.as_bytes()).expect("an HTTP method"),
        path,
        headers,
        secured,
        body: example,
    }
}

/// The JSON request body's schema (resolved) and examples, when the operation takes one: the media
/// type's named `examples` (by name), else its `example`, else the schema's.
fn body_example(spec: &Value, op: &Value) -> Option<(Value, Vec<(String, Value)>)> {
    let media = &op["requestBody"]["content"]["application/json"];
    let schema = match media["schema"]["$ref"].as_str() {
        Some(reference) => {
            &spec["components"]["schemas"][reference.trim_start_matches("#/components/schemas/")]
        }
        None => &media["schema"],
    };
    let named: Vec<(String, Value)> = media["examples"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, example)| {
            let example = match example["$ref"].as_str() {
                Some(reference) => {
                    let name = reference.trim_start_matches("#/components/examples/");
                    &spec["components"]["examples"][name]
                }
                None => example,
            };
            Some((name.clone(), example.get("value")?.clone()))
        })
        .collect();
    let examples = match (
        named.is_empty(),
        media.get("example"),
        schema.get("example"),
    ) {
        (false, _, _) => named,
        (true, Some(example), _) | (true, None, Some(example)) => {
            vec![("example".to_string(), example.clone())]
        }
        (true, None, None) => return None,
    };
    Some((schema.clone(), examples))
}
