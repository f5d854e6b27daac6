//! Schema-level rules poem-openapi does not write itself, applied to the whole document so that
//! operations added later follow them without any work of their own:
//!
//! - chrono's `naive-date` is the standard `date` (RFC 3339 full-date, what `NaiveDate` reads and
//!   writes), so validators and generated clients know it;
//! - an optional request field may be sent as `null`: serde reads `null` as absent, and the schema
//!   says so (`nullable`), instead of promising a refusal the server never gives;
//! - a form-encoded body's fields carry their example values, which Swagger UI pre-fills (it ignores
//!   the schema's object example for forms);
//! - header parameters are named in lower case, as the gateway reads them, and `deprecated: false`
//!   (the default) is left out; a parameter's example the control plane declares stands on the
//!   parameter, where Swagger UI's "Try it out" takes it from;
//! - the tags are listed in the order [`ApiTags::ALL`](crate::api::ApiTags::ALL) declares them, which
//!   is the order Swagger UI and Redoc show them (poem-openapi sorts them by name).

mod declared;
mod nullable;
mod parameters;

use super::{components::operations_mut, node::Node};
use declared::declared_rules;
use nullable::nullable_optionals;
use parameters::{declared_examples, parameters};

pub fn apply(doc: &mut Node) {
    declared_rules(doc);
    generic(doc);
    declared_examples(doc);
}

/// The rules every schema follows, whatever the families declare.
fn generic(doc: &mut Node) {
    tidy(doc);
    standard_formats(doc);
    parameters(doc);
    nullable_optionals(doc);
    form_examples(doc);
    unused_schemas(doc);
    tags_in_declared_order(doc);
}

/// Leaves out what says nothing: a component schema's `title` that repeats its name, the field's
/// description repeated inside poem-openapi's `allOf`, and `explode` on path and header parameters
/// (it only shapes query arrays and objects).
fn tidy(doc: &mut Node) {
    if let Some(schemas) = doc
        .at_mut(&["components", "schemas"])
        .and_then(Node::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if schema.get("title").and_then(Node::as_str) == Some(name) {
                schema.remove("title");
            }
        }
    }
    doc.walk_mut(&mut |node| {
        let Some(description) = node.get("description").cloned() else {
            return;
        };
        if let Some(Node::Array(items)) = node.get_mut("allOf") {
            items.retain(|item| {
                !(item.as_object().is_some_and(|m| m.len() == 1)
                    && item.get("description") == Some(&description))
            });
        }
    });
    for (_, _, op) in operations_mut(doc) {
        for param in op.get_mut("parameters").into_iter().flat_map(|p| match p {
            Node::Array(items) => items.iter_mut(),
            _ => [].iter_mut(),
        }) {
            if param.get("in").and_then(Node::as_str) != Some("query") {
                param.remove("explode");
            }
        }
    }
}

fn standard_formats(doc: &mut Node) {
    doc.walk_mut(&mut |node| {
        let format = node
            .get("format")
            .and_then(Node::as_str)
            .map(str::to_string);
        match format.as_deref() {
            Some("naive-date") => node.set("format", "date".into()),
            // Rust's unsigned integers: the bounds serde enforces, stated.
            Some(unsigned @ ("uint8" | "uint16" | "uint32" | "uint64")) => {
                if node.get("minimum").is_none() {
                    node.set("minimum", Node::Number(0.into()));
                }
                let max: Option<u32> = match unsigned {
                    "uint8" => Some(u8::MAX.into()),
                    "uint16" => Some(u16::MAX.into()),
                    "uint32" => Some(u32::MAX),
                    _ => None,
                };
                if let (Some(max), None) = (max, node.get("maximum")) {
                    node.set("maximum", Node::Number(max.into()));
                }
            }
            _ => {}
        }
    });
}

fn collect_refs(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Node::String(target)) => {
                        if let Some(name) = target.strip_prefix("#/components/schemas/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => collect_refs(value, out),
                }
            }
        }
        Node::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

/// Drops component schemas nothing refers to any more (a parameter's schema is written out in
/// place, so a type used only by parameters is left over).
fn unused_schemas(doc: &mut Node) {
    loop {
        let mut used = Vec::new();
        collect_refs(doc, &mut used);
        let Some(schemas) = doc
            .at_mut(&["components", "schemas"])
            .and_then(Node::as_object_mut)
        else {
            return;
        };
        let before = schemas.len();
        schemas.retain(|name, _| used.iter().any(|u| u == name));
        if schemas.len() == before {
            return;
        }
    }
}

fn form_examples(doc: &mut Node) {
    let mut forms = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Node::as_object) {
        for op in paths
            .values()
            .filter_map(Node::as_object)
            .flat_map(|m| m.values())
        {
            if let Some(media) = op.at(&[
                "requestBody",
                "content",
                "application/x-www-form-urlencoded",
            ]) {
                collect_refs(media, &mut forms);
            }
        }
    }
    for name in forms {
        let Some(schema) = doc.at_mut(&["components", "schemas", &name]) else {
            continue;
        };
        let Some(Node::Object(example)) = schema.get("example").cloned() else {
            continue;
        };
        let Some(properties) = schema.get_mut("properties").and_then(Node::as_object_mut) else {
            continue;
        };
        for (field, value) in example {
            if let Some(property) = properties.get_mut(&field) {
                property.set("example", value);
            }
        }
    }
}

fn tags_in_declared_order(doc: &mut Node) {
    use poem_openapi::Tags;
    let order: Vec<&str> = crate::api::ApiTags::ALL.iter().map(Tags::name).collect();
    if let Some(Node::Array(tags)) = doc.get_mut("tags") {
        let rank = |tag: &Node| {
            let name = tag.get("name").and_then(Node::as_str).unwrap_or_default();
            order.iter().position(|t| *t == name).unwrap_or(order.len())
        };
        tags.sort_by_key(rank);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_request_fields_may_be_null_and_tags_follow_the_declaration() {
        let mut doc = Node::parse(
            r##"{"tags":[{"name":"Trade"},{"name":"OAuth2"},{"name":"Building Blocks"}],
                "paths":{"/x":{"post":{"tags":["A"],"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/R"}}}}}},
                         "/y":{"get":{"tags":["B"]}}},
                "components":{"schemas":{
                  "R":{"type":"object","required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"string"},"c":{"$ref":"#/components/schemas/E"}}},
                  "E":{"type":"string","enum":["X"]}}}}"##,
        )
        .unwrap();

        generic(&mut doc);

        let json = serde_json::to_value(&doc).unwrap();
        let props = &json["components"]["schemas"]["R"]["properties"];
        assert_eq!(props["a"], serde_json::json!({"type":"string"}));
        assert_eq!(
            props["b"],
            serde_json::json!({"type":"string","nullable":true})
        );
        assert_eq!(
            props["c"],
            serde_json::json!({"anyOf":[{"$ref":"#/components/schemas/E"},{"type":"string","nullable":true,"enum":[null]}]})
        );
        assert_eq!(
            json["tags"],
            serde_json::json!([{"name":"Building Blocks"},{"name":"Trade"},{"name":"OAuth2"}])
        );
    }
}
