//! Optional request fields that may be `null`, as serde reads them, said in each field's schema.

use std::collections::BTreeSet;

use super::collect_refs;
use crate::document::node::{Map, Node};

/// The names of the schemas request bodies use, and every schema they reach.
fn request_schemas(doc: &Node) -> BTreeSet<String> {
    let mut pending: Vec<String> = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Node::as_object) {
        for op in paths
            .values()
            .filter_map(Node::as_object)
            .flat_map(|m| m.values())
        {
            if let Some(content) = op.at(&["requestBody", "content"]).and_then(Node::as_object) {
                for media in content.values() {
                    collect_refs(media, &mut pending);
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            if let Some(schema) = doc.at(&["components", "schemas", &name]) {
                collect_refs(schema, &mut pending);
            }
        }
    }
    seen
}

/// An optional field of a request schema may be sent as `null`: serde reads `null` as absent.
pub(super) fn nullable_optionals(doc: &mut Node) {
    let names = request_schemas(doc);
    let types = schema_types(doc);
    let Some(schemas) = doc
        .at_mut(&["components", "schemas"])
        .and_then(Node::as_object_mut)
    else {
        return;
    };
    for name in names {
        let Some(schema) = schemas.get_mut(&name) else {
            continue;
        };
        let required: BTreeSet<String> = schema
            .get("required")
            .and_then(Node::as_array)
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect();
        let Some(properties) = schema.get_mut("properties").and_then(Node::as_object_mut) else {
            continue;
        };
        for (field, property) in properties.iter_mut() {
            if !required.contains(field) {
                make_nullable(property, &types);
            }
        }
    }
}

/// Each component schema's `type`.
fn schema_types(doc: &Node) -> Vec<(String, Node)> {
    doc.at(&["components", "schemas"])
        .and_then(Node::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            Some((
                format!("#/components/schemas/{name}"),
                schema.get("type")?.clone(),
            ))
        })
        .collect()
}

/// `nullable` applies to a schema's own `type`. A field of a referenced schema (an enumeration, an
/// amount that is a string or a number) says `null` as a choice of its own beside the reference: an
/// `allOf` with `nullable` would still hold `null` to the referenced schema, which refuses it.
fn make_nullable(property: &mut Node, types: &[(String, Node)]) {
    let reference = match property.remove("$ref") {
        Some(target) => Some(target),
        None => match property
            .get("allOf")
            .and_then(Node::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) if only.get("$ref").is_some() => {
                let target = only.get("$ref").cloned();
                property.remove("allOf");
                target
            }
            _ => None,
        },
    };
    if let Some(target) = reference {
        let ty = target
            .as_str()
            .and_then(|t| types.iter().find(|(name, _)| name == t))
            .map_or_else(|| Node::str("string"), |(_, ty)| ty.clone());
        let mut null = Map::new();
        null.insert("type".into(), ty);
        null.insert("nullable".into(), Node::Bool(true));
        null.insert("enum".into(), Node::Array(vec![Node::Null]));
        let mut referenced = Map::new();
        referenced.insert("$ref".into(), target);
        property.set(
            "anyOf",
            Node::Array(vec![Node::Object(referenced), Node::Object(null)]),
        );
        return;
    }
    // A choice of types (a string or a number): each may be `null`.
    if property.get("type").is_none() {
        if let Some(Node::Array(branches)) = property.get_mut("anyOf") {
            if branches.iter().all(|b| b.get("type").is_some()) {
                branches
                    .iter_mut()
                    .for_each(|b| b.set("nullable", Node::Bool(true)));
            }
        }
        return;
    }
    property.set("nullable", Node::Bool(true));
    // An enumeration lists `null` too, or `nullable` would say nothing.
    if let Some(Node::Array(values)) = property.get_mut("enum") {
        if !values.contains(&Node::Null) {
            values.push(Node::Null);
        }
    }
}
