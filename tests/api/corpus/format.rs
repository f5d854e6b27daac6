//! The corpus file: a JSON array of steps, three lines each (what, the request, the answer), so that a
//! re-recording reads as a diff of the answers that changed.
//!
//! A body is kept in the most readable form that holds its exact bytes: `json` (the JSON text itself,
//! verbatim — key order, spacing and escapes included), `text` (UTF-8 that is not JSON on its own, e.g.
//! a PEM or a malformed request), `base64` (anything else, e.g. a DER certificate) or `repeat` (a byte
//! repeated, for the oversized body that must be refused). No field: an empty body.

use std::collections::BTreeMap;

use base64::{engine::general_purpose::STANDARD, Engine};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// One request and its recorded answer.
#[derive(Debug, Clone)]
pub struct Step {
    /// 1-based position in the corpus.
    pub step: usize,
    /// The operationId of the served spec the request calls, `-` for none (an unknown path).
    pub op: String,
    /// What the step does, for the reader of a failure.
    pub note: String,
    /// The app's clock ran in real time when this call arrived (an app's first freeze, a reset): the
    /// wall-clock rule of [`super::normalise`] applies to its answer.
    pub wall_clock: bool,
    pub request: Request,
    pub answer: Answer,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub body: Body,
    /// For encrypted calls: the JSON inside the envelope (what `X-ID-Fingerprint` hashes).
    pub plaintext: Option<Body>,
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// Every header of the answer, names in lower case; a repeated header keeps all its values in order.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Normalised (see [`super::normalise`]).
    pub body: Body,
    /// For encrypted answers: what they decrypt to, for the reader (the comparison is on `body`).
    pub plaintext: Option<Body>,
}

/// A body, by its exact bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Empty,
    Json(String),
    Text(String),
    Binary(Vec<u8>),
    Repeat(u8, usize),
}

impl Body {
    /// The most readable form of these bytes.
    pub fn of(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Body::Binary(bytes.to_vec());
        };
        match serde_json::from_str::<&RawValue>(text) {
            // Verbatim only: surrounding whitespace would not survive being embedded.
            Ok(raw) if raw.get() == text => Body::Json(text.to_string()),
            _ => Body::Text(text.to_string()),
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Body::Empty => Vec::new(),
            Body::Json(text) | Body::Text(text) => text.as_bytes().to_vec(),
            Body::Binary(bytes) => bytes.clone(),
            Body::Repeat(byte, times) => vec![*byte; *times],
        }
    }
}

/// A request or an answer as the file spells it: its own fields, then at most one body field.
#[derive(Serialize, Deserialize, Default)]
struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    headers: BTreeMap<String, HeaderValues>,
    #[serde(skip_serializing_if = "Option::is_none")]
    json: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base64: Option<String>,
    /// `[byte, times]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    repeat: Option<(u8, usize)>,
    /// Encrypted calls: the JSON inside.
    #[serde(skip_serializing_if = "Option::is_none")]
    plaintext: Option<Box<RawValue>>,
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(untagged)]
enum HeaderValues {
    One(String),
    Many(Vec<String>),
}

impl Fields {
    fn set_body(&mut self, body: &Body) {
        match body {
            Body::Empty => {}
            Body::Json(text) => self.json = Some(raw(text)),
            Body::Text(text) => self.text = Some(text.clone()),
            Body::Binary(bytes) => self.base64 = Some(STANDARD.encode(bytes)),
            Body::Repeat(byte, times) => self.repeat = Some((*byte, *times)),
        }
    }

    fn body(&mut self) -> Result<Body, String> {
        Ok(
            match (
                self.json.take(),
                self.text.take(),
                self.base64.take(),
                self.repeat.take(),
            ) {
                (None, None, None, None) => Body::Empty,
                (Some(raw), None, None, None) => Body::Json(raw.get().to_string()),
                (None, Some(text), None, None) => Body::Text(text),
                (None, None, Some(b64), None) => {
                    Body::Binary(STANDARD.decode(b64).map_err(|e| e.to_string())?)
                }
                (None, None, None, Some((byte, times))) => Body::Repeat(byte, times),
                _ => return Err("a body is one of json, text, base64, repeat".into()),
            },
        )
    }
}

fn raw(text: &str) -> Box<RawValue> {
    RawValue::from_string(text.to_string()).expect("a JSON body is JSON")
}

/// The plaintext of an encrypted call, when it is JSON (it always is: the sandbox speaks JSON).
fn plaintext_field(body: &Option<Body>) -> Option<Box<RawValue>> {
    match body {
        Some(Body::Json(text)) => Some(raw(text)),
        _ => None,
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Head {
    step: usize,
    op: String,
    note: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    wall_clock: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileStep {
    step: usize,
    op: String,
    note: String,
    #[serde(default)]
    wall_clock: bool,
    request: Fields,
    answer: Fields,
}

/// The corpus as written: a JSON array, one step per three lines.
pub fn write(steps: &[Step]) -> String {
    let mut out = String::from("[\n");
    for (i, step) in steps.iter().enumerate() {
        let head = serde_json::to_string(&Head {
            step: step.step,
            op: step.op.clone(),
            note: step.note.clone(),
            wall_clock: step.wall_clock,
        })
        .expect("a step head serialises");
        let mut request = Fields {
            method: Some(step.request.method.clone()),
            path: Some(step.request.path.clone()),
            headers: step
                .request
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), HeaderValues::One(v.clone())))
                .collect(),
            plaintext: plaintext_field(&step.request.plaintext),
            ..Fields::default()
        };
        request.set_body(&step.request.body);
        let mut answer = Fields {
            status: Some(step.answer.status),
            headers: step
                .answer
                .headers
                .iter()
                .map(|(k, v)| {
                    let values = match v.as_slice() {
                        [one] => HeaderValues::One(one.clone()),
                        many => HeaderValues::Many(many.to_vec()),
                    };
                    (k.clone(), values)
                })
                .collect(),
            plaintext: plaintext_field(&step.answer.plaintext),
            ..Fields::default()
        };
        answer.set_body(&step.answer.body);
        let separator = if i + 1 == steps.len() { "" } else { "," };
        out.push_str(&format!(
            "{},\n \"request\":{},\n \"answer\":{}}}{separator}\n",
            head.trim_end_matches('}'),
            serde_json::to_string(&request).expect("a request serialises"),
            serde_json::to_string(&answer).expect("an answer serialises"),
        ));
    }
    out.push_str("]\n");
    out
}

/// Reads the corpus file's text.
pub fn read(text: &str) -> Result<Vec<Step>, String> {
    let file: Vec<FileStep> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    file.into_iter()
        .map(|mut s| {
            let n = s.step;
            let at = move |e: String| format!("step {n}: {e}");
            let request_headers = s
                .request
                .headers
                .iter()
                .map(|(k, v)| match v {
                    HeaderValues::One(one) => Ok((k.clone(), one.clone())),
                    HeaderValues::Many(_) => Err(format!("request header {k} has several values")),
                })
                .collect::<Result<_, _>>()
                .map_err(at)?;
            let answer_headers = s
                .answer
                .headers
                .iter()
                .map(|(k, v)| {
                    let values = match v {
                        HeaderValues::One(one) => vec![one.clone()],
                        HeaderValues::Many(many) => many.clone(),
                    };
                    (k.clone(), values)
                })
                .collect();
            let request = Request {
                method: s
                    .request
                    .method
                    .clone()
                    .ok_or_else(|| at("no method".into()))?,
                path: s.request.path.clone().ok_or_else(|| at("no path".into()))?,
                headers: request_headers,
                body: s.request.body().map_err(at)?,
                plaintext: s
                    .request
                    .plaintext
                    .take()
                    .map(|r| Body::Json(r.get().into())),
            };
            let answer = Answer {
                status: s.answer.status.ok_or_else(|| at("no status".into()))?,
                headers: answer_headers,
                body: s.answer.body().map_err(at)?,
                plaintext: s
                    .answer
                    .plaintext
                    .take()
                    .map(|r| Body::Json(r.get().into())),
            };
            Ok(Step {
                step: s.step,
                op: s.op,
                note: s.note,
                wall_clock: s.wall_clock,
                request,
                answer,
            })
        })
        .collect()
}
