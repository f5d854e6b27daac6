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
//!   (the default) is left out;
//! - the tags are listed in the order [`ApiTags::ALL`](crate::api::ApiTags::ALL) declares them, which
//!   is the order Swagger UI and Redoc show them (poem-openapi sorts them by name).

use std::collections::BTreeSet;

use super::{
    components::operations_mut,
    node::{Map, Node},
};

pub fn apply(doc: &mut Node) {
    declared_rules(doc);
    generic(doc);
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

/// Merges each family's [`SchemaRule`](crate::api::SchemaRule)s into its schemas. A field's own
/// constraints (under `properties`) and keywords code generators understand (`additionalProperties`)
/// are set on the schema; rules across fields (`oneOf`, `anyOf`, `allOf`, `not`: exactly one of, one
/// field required with another) go under [`RULES`] instead, since mainstream client generators
/// (openapi-python-client, openapi-generator) read an object with sibling `oneOf` branches as a union
/// of the branches alone and drop its fields. Validators that read them (the conformance run) merge
/// them back.
fn declared_rules(doc: &mut Node) {
    for rule in crate::api::schema_rules() {
        let Some(schema) = doc.at_mut(&["components", "schemas", rule.schema]) else {
            panic!(
                "a schema rule names `{}`, which the document does not have",
                rule.schema
            );
        };
        let Node::Object(patch) = Node::from(rule.rule) else {
            panic!("the schema rule of `{}` is not an object", rule.schema);
        };
        let (across, own): (Map, Map) = patch
            .into_iter()
            .partition(|(key, _)| ACROSS_FIELDS.contains(&key.as_str()));
        merge(schema, Node::Object(own));
        if !across.is_empty() {
            merge(
                schema,
                Node::Object(
                    [(RULES.to_string(), Node::Object(across))]
                        .into_iter()
                        .collect(),
                ),
            );
        }
    }
}

/// Where a schema's rules across fields are written (see [`declared_rules`]).
pub const RULES: &str = "x-sandbank-rules";

const ACROSS_FIELDS: &[&str] = &["oneOf", "anyOf", "allOf", "not"];

fn merge(target: &mut Node, patch: Node) {
    match (target, patch) {
        (Node::Object(target), Node::Object(patch)) => {
            for (key, value) in patch {
                match target.get_mut(&key) {
                    Some(existing @ Node::Object(_)) if matches!(value, Node::Object(_)) => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, patch) => *target = patch,
    }
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

/// The demo app's apikey with the default settings (`--demo-apikey`).
const DEMO_APIKEY: &str = "sandbank-demo-key";

fn parameters(doc: &mut Node) {
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
                    // An operation that takes the key as its own parameter (the readiness page, which
                    // browsers open with a view token instead) shows the demo app's, so that Swagger
                    // UI's "Try it out" sends it.
                    if lower == "apikey" {
                        param.set("example", Node::str(DEMO_APIKEY));
                    }
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

fn nullable_optionals(doc: &mut Node) {
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
