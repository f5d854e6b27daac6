//! Parameters: each written out in full (no `$ref` to a schema), header names in lower case, as the
//! gateway reads them, `deprecated: false` left out, and the examples the control plane declares on
//! its parameters set on them.

use crate::document::{components::operations_mut, node::Node};

pub(super) fn parameters(doc: &mut Node) {
    let schemas = doc
        .at(&["components", "schemas"])
        .cloned()
        .unwrap_or(Node::Null);
    for (_, _, op) in operations_mut(doc) {
        let Some(Node::Array(params)) = op.get_mut("parameters") else {
            continue;
        };
        for param in params {
            // A parameter's schema is written out: tools (and readers) treat parameters one by one.
            if let Some(schema) = param.get_mut("schema") {
                inline_references(schema, &schemas);
            }
            if param.get("in").and_then(Node::as_str) == Some("header") {
                if let Some(name) = param.get("name").and_then(Node::as_str) {
                    let lower = name.to_ascii_lowercase();
                    param.set("name", Node::String(lower));
                }
            }
        }
    }
    doc.walk_mut(&mut |node| {
        if node.get("deprecated") == Some(&Node::Bool(false)) {
            node.remove("deprecated");
        }
    });
}

/// Sets the examples the control plane declares on its parameters
/// ([`ParameterExample`](crate::api::control::ParameterExample)).
pub(super) fn declared_examples(doc: &mut Node) {
    for declared in crate::api::control::parameter_examples() {
        let param = operations_mut(doc)
            .filter(|(_, _, op)| {
                op.get("operationId").and_then(Node::as_str) == Some(declared.operation_id)
            })
            .filter_map(|(_, _, op)| match op.get_mut("parameters") {
                Some(Node::Array(params)) => Some(params),
                _ => None,
            })
            .flat_map(|params| params.iter_mut())
            .find(|param| param.get("name").and_then(Node::as_str) == Some(declared.name));
        let Some(param) = param else {
            panic!(
                "an example names parameter `{}` of `{}`, which the document does not have",
                declared.name, declared.operation_id
            );
        };
        param.set("example", Node::str(declared.example));
    }
}

/// Replaces `$ref`s (bare, or in `allOf`) with the schemas they name, keeping the local keywords.
fn inline_references(schema: &mut Node, schemas: &Node) {
    let target = |reference: &Node| {
        let name = reference.as_str()?.strip_prefix("#/components/schemas/")?;
        schemas.get(name).cloned()
    };
    if let Some(named) = schema.get("$ref").and_then(target) {
        schema.remove("$ref");
        merge_missing(schema, named);
    }
    if let Some(Node::Array(parts)) = schema.get("allOf").cloned() {
        if let [part] = parts.as_slice() {
            if let Some(named) = part.get("$ref").and_then(target) {
                schema.remove("allOf");
                merge_missing(schema, named);
            }
        }
    }
}

/// Adds `from`'s keywords that `to` does not have.
fn merge_missing(to: &mut Node, from: Node) {
    if let (Some(to), Node::Object(from)) = (to.as_object_mut(), from) {
        for (key, value) in from {
            to.entry(key).or_insert(value);
        }
    }
}
