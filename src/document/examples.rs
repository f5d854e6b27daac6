//! Real examples on every answer.
//!
//! - The gateway's errors: each documented status shows the envelope the gateway answers with for
//!   it, built by the gateway's own constructors ([`documented_errors`]).
//! - Each operation's success: the answer the server gave to the operation's own request example on
//!   a fresh demo app, every operation called in the order the docs list them, with the app's clock
//!   frozen where `POST /sandbox/clock`'s example freezes it. They are recorded in `examples.json`
//!   by `SANDBANK_RECORD=1 cargo test --test api examples` and checked, byte for byte apart from
//!   secrets and latencies, by the same test.
//! - An operation the walk-through calls more than once ([`named_request_examples`]) lists its
//!   request examples by name, and its answers under the same names.

use crate::{
    api::{named_request_examples, NamedExample},
    sandbox::gateway::{
        apps::Plan,
        credentials,
        error::{GatewayError, Rejection, DOCUMENTED},
        payload,
    },
};

use super::{
    components::operations_mut,
    node::{Map, Node},
};

/// The recorded successes: operationId → the calls the walk-through makes, each
/// `{"example": <name, when named>, "status": 200, "body": …}`, in the order of the docs.
pub const RECORDED: &str = include_str!("examples.json");

pub fn apply(doc: &mut Node) {
    gateway_errors(doc);
    named_requests(doc);
    recorded_successes(doc);
}

fn named_requests(doc: &mut Node) {
    let named = named_request_examples();
    for (_, _, op) in operations_mut(doc) {
        let Some(id) = op.get("operationId").and_then(Node::as_str) else {
            continue;
        };
        let Some((_, examples)) = named.iter().find(|(named_id, _)| *named_id == id) else {
            continue;
        };
        let Some(content) = op
            .at_mut(&["requestBody", "content"])
            .and_then(Node::as_object_mut)
        else {
            continue;
        };
        for media in content.values_mut() {
            media.set("examples", named_examples(examples));
        }
    }
}

fn named_examples(examples: &[NamedExample]) -> Node {
    let mut map = Map::new();
    for example in examples {
        let mut entry = Node::object();
        entry.set("summary", example.summary.into());
        entry.set("value", Node::from(example.value.clone()));
        map.insert(example.name.to_string(), entry);
    }
    Node::Object(map)
}

/// A gateway error as the document shows it: its status, what causes it, and a real answer, built
/// by the same constructor the gateway answers with (the tests provoke each one and compare).
pub struct DocumentedError {
    pub status: u16,
    pub description: &'static str,
    pub example: GatewayError,
}

/// Every documented gateway error ([`DOCUMENTED`]) with its example.
pub fn documented_errors() -> Vec<DocumentedError> {
    DOCUMENTED
        .iter()
        .map(|&(status, description)| DocumentedError {
            status,
            description,
            example: example_rejection(status).body,
        })
        .collect()
}

fn example_rejection(status: u16) -> Rejection {
    match status {
        400 => payload::parse::<serde::de::IgnoredAny>(b"{")
            .expect_err("an unclosed object is malformed"),
        401 => Rejection::unauthorized(credentials::NO_CREDENTIALS),
        403 => Rejection::forbidden(credentials::APP_DISABLED),
        408 => Rejection::body_timeout(std::time::Duration::from_secs(30)),
        413 => Rejection::payload_too_large(),
        415 => Rejection::unsupported_media_type(Some("application/xml")),
        429 => Rejection::quota_spent(Plan::SANDBOX_DAILY_LIMIT),
        500 => Rejection::rehearsed_backend_error(),
        504 => Rejection::backend_timeout(),
        other => unreachable!("no example for the documented status {other}"),
    }
}

fn gateway_errors(doc: &mut Node) {
    let errors = documented_errors();
    for (_, _, op) in operations_mut(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Node::as_object_mut) else {
            continue;
        };
        for error in &errors {
            let Some(response) = responses.get_mut(&error.status.to_string()) else {
                continue;
            };
            // A family's own answer with the same status (e.g. a 404 for an unknown IFSC) keeps
            // its own description and is not the gateway's.
            if response.get("description").and_then(Node::as_str) != Some(error.description) {
                continue;
            }
            let example = Node::from(
                poem_openapi::types::ToJSON::to_json(&error.example).unwrap_or_default(),
            );
            set_example(response, example);
        }
    }
}

fn recorded_successes(doc: &mut Node) {
    let recorded = Node::parse(RECORDED).expect("examples.json is JSON");
    let named = named_request_examples();
    for (_, _, op) in operations_mut(doc) {
        let Some(id) = op.get("operationId").and_then(Node::as_str) else {
            continue;
        };
        let Some(calls) = recorded.get(id).and_then(Node::as_array) else {
            continue;
        };
        let summaries = named
            .iter()
            .find(|(named_id, _)| *named_id == id)
            .map(|(_, examples)| examples.as_slice())
            .unwrap_or_default();
        // One response example per status the walk-through saw.
        let mut by_status: Vec<(String, Vec<&Node>)> = Vec::new();
        for call in calls {
            let Some(Node::Number(status)) = call.get("status") else {
                continue;
            };
            let status = status.to_string();
            match by_status.iter_mut().find(|(s, _)| *s == status) {
                Some((_, calls)) => calls.push(call),
                None => by_status.push((status, vec![call])),
            }
        }
        for (status, calls) in by_status {
            let Some(response) = op.at_mut(&["responses", &status]) else {
                continue;
            };
            match calls.as_slice() {
                [call] => set_example(response, call.get("body").cloned().unwrap_or(Node::Null)),
                calls => set_named_examples(response, calls, summaries),
            }
        }
    }
}

/// The answers to named request examples, under the same names and summaries.
fn set_named_examples(response: &mut Node, calls: &[&Node], summaries: &[NamedExample]) {
    let mut map = Map::new();
    for call in calls {
        let name = call
            .get("example")
            .and_then(Node::as_str)
            .unwrap_or("answer");
        let mut entry = Node::object();
        if let Some(named) = summaries.iter().find(|example| example.name == name) {
            entry.set("summary", named.summary.into());
        }
        entry.set("value", call.get("body").cloned().unwrap_or(Node::Null));
        map.insert(name.to_string(), entry);
    }
    if let Some(content) = response.get_mut("content").and_then(Node::as_object_mut) {
        for media in content.values_mut() {
            media.set("examples", Node::Object(map.clone()));
        }
    }
}

/// Sets the example of every media type of a response the example fits: not binary ones (a DER
/// certificate has no example to show in a JSON document), and a text one (the readiness report's
/// JUnit XML) only when the recorded answer was text.
fn set_example(response: &mut Node, example: Node) {
    if let Some(content) = response.get_mut("content").and_then(Node::as_object_mut) {
        let fits = |media: &Node| {
            !binary(media)
                && (media.at(&["schema", "type"]).and_then(Node::as_str) != Some("string")
                    || example.as_str().is_some())
        };
        for media in content.values_mut().filter(|media| fits(media)) {
            media.set("example", example.clone());
        }
    }
}

fn binary(media: &Node) -> bool {
    media.at(&["schema", "format"]).and_then(Node::as_str) == Some("binary")
}
