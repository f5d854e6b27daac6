//! The bad-input corpus: what each POST operation must refuse, built from its request schema.

use serde_json::{json, Value};

use super::{nested_arrays, nested_objects, resolve, Operation};

/// A bad request: body, content type, and a label for the failure message.
pub(super) struct Case {
    pub(super) label: String,
    pub(super) content_type: &'static str,
    pub(super) body: Vec<u8>,
}

pub(super) fn case(label: impl Into<String>, body: impl Into<Vec<u8>>) -> Case {
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
pub(super) fn hostile_strings() -> Vec<(&'static str, String)> {
    vec![
        ("SQL", "' OR 1=1; DROP TABLE accounts; --".into()),
        ("a script", "<script>alert(1)</script>".into()),
        ("unicode", "पैन ✓ 🏦 \u{202e}".into()),
        ("5000 letters", "A".repeat(5000)),
        ("NUL and controls", "\u{0}\u{1}\u{7f}".into()),
    ]
}

/// The corpus every POST must refuse with a 4xx envelope: malformed, mistyped, oversized, out of range.
pub(super) fn corpus(spec: &Value, op: &Operation) -> Vec<Case> {
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
pub(super) fn hostile_text(spec: &Value, op: &Operation) -> Vec<Case> {
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
