//! Shared parts declared once under `components` and referenced with `$ref`: poem-openapi writes every
//! parameter, response header and response inline in each operation, and the same gateway errors,
//! rate-limit headers and scenario header on all of them were most of the document's size.
//!
//! The rule is generic: a parameter, response header or response that occurs identically more than
//! once moves to `components` under a stable name, and every occurrence becomes a `$ref`. Operations
//! added later share what they have in common with the others without any work of their own.

use indexmap::IndexMap;

use super::node::{Map, Node};

/// Moves repeated parameters, response headers and responses into `components`.
pub fn share(doc: &mut Node) {
    share_security(doc);
    share_parameters(doc);
    share_headers(doc);
    share_responses(doc);
}

/// Every operation of the document, in order: `(path, method, operation)`.
pub fn operations_mut(doc: &mut Node) -> impl Iterator<Item = (&String, &String, &mut Node)> {
    doc.get_mut("paths")
        .and_then(Node::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .flat_map(|(path, item)| {
            item.as_object_mut()
                .into_iter()
                .flat_map(move |methods| methods.iter_mut().map(move |(m, op)| (path, m, op)))
        })
}

/// Counts identical values, in the order of their first occurrence.
struct Tally {
    seen: IndexMap<String, (Node, usize, String)>,
}

impl Tally {
    fn new() -> Self {
        Self {
            seen: IndexMap::new(),
        }
    }

    fn add(&mut self, value: &Node, name: String) {
        let key = serde_json::to_string(value).expect("serialisable");
        self.seen
            .entry(key)
            .or_insert_with(|| (value.clone(), 0, name))
            .1 += 1;
    }

    /// The values seen more than once, each with a unique name (the first value to claim a name
    /// keeps it; later ones get `name2`, `name3`, ...).
    fn shared(self) -> Vec<(String, Node, String)> {
        let mut taken: IndexMap<String, ()> = IndexMap::new();
        let mut out = Vec::new();
        for (key, (value, count, name)) in self.seen {
            if count < 2 {
                continue;
            }
            let mut unique = name.clone();
            let mut n = 2;
            while taken.contains_key(&unique) {
                unique = format!("{name}{n}");
                n += 1;
            }
            taken.insert(unique.clone(), ());
            out.push((key, value, unique));
        }
        out
    }
}

fn reference(section: &str, name: &str) -> Node {
    let mut map = Map::new();
    map.insert(
        "$ref".into(),
        Node::str(format!("#/components/{section}/{name}")),
    );
    Node::Object(map)
}

/// Writes the shared values into `components.<section>` and replaces each occurrence found by
/// `visit` with a reference.
fn install(
    doc: &mut Node,
    section: &str,
    shared: Vec<(String, Node, String)>,
    visit: impl Fn(&mut Node, &mut dyn FnMut(&mut Node)),
) {
    if shared.is_empty() {
        return;
    }
    let by_key = names_by_key(&shared);
    visit(doc, &mut |node: &mut Node| {
        let key = serde_json::to_string(&*node).expect("serialisable");
        if let Some(name) = by_key.get(&key) {
            *node = reference(section, name);
        }
    });
    let components = doc.entry("components");
    let target = components.entry(section);
    for (_, value, name) in shared {
        target.set(&name, value);
    }
    order_components(components);
}

/// Each shared value's name, by its key.
fn names_by_key(shared: &[(String, Node, String)]) -> IndexMap<String, String> {
    shared
        .iter()
        .map(|(key, _, name)| (key.clone(), name.clone()))
        .collect()
}

/// `components` in the order OpenAPI lists them, so the document reads the same whatever was added.
fn order_components(components: &mut Node) {
    const ORDER: &[&str] = &[
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
    ];
    if let Some(map) = components.as_object_mut() {
        map.sort_by(|a, _, b, _| {
            let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
            rank(a).cmp(&rank(b))
        });
    }
}

/// The security most operations ask for becomes the document's default; operations asking for the
/// same say nothing, and operations open to all say so with `security: []`.
fn share_security(doc: &mut Node) {
    let mut tally = Tally::new();
    for (_, _, op) in operations_mut(doc) {
        let security = op.get("security").cloned().unwrap_or(Node::Array(vec![]));
        tally.add(&security, String::new());
    }
    let Some((_, common, _)) = tally
        .seen
        .into_values()
        .filter(|(value, _, _)| value != &Node::Array(vec![]))
        .max_by_key(|(_, count, _)| *count)
        .map(|(value, count, name)| (count, value, name))
    else {
        return;
    };
    for (_, _, op) in operations_mut(doc) {
        match op.get("security") {
            Some(security) if *security == common => {
                op.remove("security");
            }
            Some(_) => {}
            None => op.set("security", Node::Array(vec![])),
        }
    }
    let root = doc.as_object_mut().expect("the document is an object");
    let at = root.get_index_of("paths").unwrap_or(root.len());
    root.shift_insert(at, "security".into(), common);
}

fn visit_parameters(doc: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    for (_, _, op) in operations_mut(doc) {
        if let Some(Node::Array(params)) = op.get_mut("parameters") {
            params.iter_mut().for_each(&mut *f);
        }
    }
}

fn share_parameters(doc: &mut Node) {
    let mut tally = Tally::new();
    visit_parameters(doc, &mut |param: &mut Node| {
        if let Some(name) = param.get("name").and_then(Node::as_str) {
            tally.add(param, pascal(name));
        }
    });
    install(doc, "parameters", tally.shared(), visit_parameters);
}

fn share_headers(doc: &mut Node) {
    // The header's name is the key it is listed under, not part of the header object: tally by
    // (name, object) so that two headers with the same description keep their own names.
    let mut tally = Tally::new();
    for (_, _, op) in operations_mut(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Node::as_object_mut) else {
            continue;
        };
        for response in responses.values_mut() {
            if let Some(headers) = response.get_mut("headers").and_then(Node::as_object_mut) {
                for (name, header) in headers.iter_mut() {
                    tally.add(&named(name, header), header_name(name));
                }
            }
        }
    }
    let shared = tally.shared();
    if shared.is_empty() {
        return;
    }
    let by_key = names_by_key(&shared);
    for (_, _, op) in operations_mut(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Node::as_object_mut) else {
            continue;
        };
        for response in responses.values_mut() {
            let Some(headers) = response.get_mut("headers").and_then(Node::as_object_mut) else {
                continue;
            };
            let renamed: Map = headers
                .iter()
                .map(|(name, header)| {
                    let key = serde_json::to_string(&named(name, header)).expect("serialisable");
                    match by_key.get(&key) {
                        Some(shared) => (shared.clone(), reference("headers", shared)),
                        None => (header_name(name), header.clone()),
                    }
                })
                .collect();
            *headers = renamed;
        }
    }
    let components = doc.entry("components");
    let target = components.entry("headers");
    for (_, value, name) in shared {
        let header = value.get("header").cloned().unwrap_or_else(Node::object);
        target.set(&name, header);
    }
    order_components(components);
}

fn named(name: &str, header: &Node) -> Node {
    let mut map = Map::new();
    map.insert("name".into(), Node::str(name.to_ascii_lowercase()));
    map.insert("header".into(), header.clone());
    Node::Object(map)
}

fn visit_responses(doc: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    for (_, _, op) in operations_mut(doc) {
        if let Some(responses) = op.get_mut("responses").and_then(Node::as_object_mut) {
            responses.values_mut().for_each(&mut *f);
        }
    }
}

fn share_responses(doc: &mut Node) {
    let mut tally = Tally::new();
    for (_, _, op) in operations_mut(doc) {
        let id = op
            .get("operationId")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(responses) = op.get("responses").and_then(Node::as_object) else {
            continue;
        };
        for (status, response) in responses {
            tally.add(response, response_name(status, &id));
        }
    }
    install(doc, "responses", tally.shared(), visit_responses);
}

/// A shared response's name: the status's reason for the gateway's own errors, which every operation
/// shares; otherwise the reason and the first operation that answers it.
fn response_name(status: &str, operation_id: &str) -> String {
    let reason = match status {
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "409" => "Conflict",
        "413" => "PayloadTooLarge",
        "415" => "UnsupportedMediaType",
        "429" => "TooManyRequests",
        "500" => "BackendError",
        "504" => "BackendTimeout",
        other => return format!("Status{other}{}", pascal(operation_id)),
    };
    match status {
        "404" | "405" | "409" => format!("{reason}{}", pascal(operation_id)),
        _ => reason.to_string(),
    }
}

/// A response header's name as HTTP writes it (poem-openapi capitalises the extra headers).
fn header_name(name: &str) -> String {
    const KNOWN: &[&str] = &[
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "Retry-After",
        "Cache-Control",
        "Pragma",
        "WWW-Authenticate",
        "Allow",
    ];
    KNOWN
        .iter()
        .find(|known| known.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_string(), |known| known.to_string())
}

/// `x-sandbox-scenario` → `XSandboxScenario`, `merchantId` → `MerchantId`.
fn pascal(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Node {
        Node::parse(
            r#"{"paths":{
              "/a":{"get":{"operationId":"a","parameters":[{"name":"x-s","in":"header"}],
                "responses":{"200":{"description":"A","headers":{"X-RATELIMIT-LIMIT":{"schema":{"type":"integer"}}}},
                             "401":{"description":"no"}}}},
              "/b":{"post":{"operationId":"b","parameters":[{"name":"x-s","in":"header"},{"name":"id","in":"path"}],
                "responses":{"200":{"description":"B","headers":{"X-RATELIMIT-LIMIT":{"schema":{"type":"integer"}}}},
                             "401":{"description":"no"}}}}},
             "components":{"schemas":{}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn what_repeats_is_declared_once_and_referenced() {
        let mut doc = doc();

        share(&mut doc);

        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(
            json["paths"]["/b"]["post"]["parameters"],
            serde_json::json!([{"$ref":"#/components/parameters/XS"},{"name":"id","in":"path"}])
        );
        assert_eq!(
            json["components"]["parameters"]["XS"],
            serde_json::json!({"name":"x-s","in":"header"})
        );
        assert_eq!(
            json["paths"]["/a"]["get"]["responses"]["401"],
            serde_json::json!({"$ref":"#/components/responses/Unauthorized"})
        );
        assert_eq!(
            json["paths"]["/a"]["get"]["responses"]["200"]["headers"]["X-RateLimit-Limit"],
            serde_json::json!({"$ref":"#/components/headers/X-RateLimit-Limit"})
        );
        assert_eq!(
            json["components"]["headers"]["X-RateLimit-Limit"],
            serde_json::json!({"schema":{"type":"integer"}})
        );
    }
}
