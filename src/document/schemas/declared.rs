//! The rules each family declares for its schemas ([`SchemaRule`](crate::api::SchemaRule)), merged
//! into the document.

use crate::document::node::{Map, Node};

/// Merges each family's [`SchemaRule`](crate::api::SchemaRule)s into its schemas. A field's own
/// constraints (under `properties`) and keywords code generators understand (`additionalProperties`)
/// are set on the schema; rules across fields (`oneOf`, `anyOf`, `allOf`, `not`: exactly one of, one
/// field required with another) go under [`RULES`] instead, since mainstream client generators
/// (openapi-python-client, openapi-generator) read an object with sibling `oneOf` branches as a union
/// of the branches alone and drop its fields. Validators that read them (the conformance run) merge
/// them back.
pub(super) fn declared_rules(doc: &mut Node) {
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
