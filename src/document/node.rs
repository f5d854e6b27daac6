//! An ordered JSON tree: the document's transform must keep the order poem-openapi wrote (paths in
//! the order Swagger UI lists them, properties in their declared order), which `serde_json::Value`
//! does not without `preserve_order` — a feature that would reorder every other JSON the sandbox
//! renders.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A JSON value whose objects keep their keys' order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Map),
}

/// A JSON object in key order.
pub type Map = IndexMap<String, Node>;

impl Node {
    pub fn parse(json: &str) -> serde_json::Result<Node> {
        serde_json::from_str(json)
    }

    pub fn object() -> Node {
        Node::Object(Map::new())
    }

    pub fn str(value: impl Into<String>) -> Node {
        Node::String(value.into())
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Node::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Node::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Node>> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object().and_then(|map| map.get(key))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_object_mut().and_then(|map| map.get_mut(key))
    }

    /// The member at a path of keys, e.g. `["components", "schemas"]`.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn at_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        path.iter().try_fold(self, |node, key| node.get_mut(key))
    }

    /// The object member `key`, created empty (at the end) when absent.
    ///
    /// # Panics
    /// When `self` is not an object: the transform only calls it where the document has one.
    pub fn entry(&mut self, key: &str) -> &mut Node {
        self.as_object_mut()
            .expect("an object")
            .entry(key.to_string())
            .or_insert_with(Node::object)
    }

    /// Sets `key` on an object, keeping its position when it exists.
    pub fn set(&mut self, key: &str, value: Node) {
        if let Some(map) = self.as_object_mut() {
            map.insert(key.to_string(), value);
        }
    }

    /// Removes `key` from an object, keeping the other keys' order.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        self.as_object_mut().and_then(|map| map.shift_remove(key))
    }

    /// Calls `f` on this node and every node below it, parents first.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Node)) {
        f(self);
        match self {
            Node::Object(map) => map.values_mut().for_each(|node| node.walk_mut(f)),
            Node::Array(items) => items.iter_mut().for_each(|node| node.walk_mut(f)),
            _ => {}
        }
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a tree of JSON values serialises")
    }

    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).expect("a tree of JSON values serialises")
    }
}

impl From<serde_json::Value> for Node {
    fn from(value: serde_json::Value) -> Self {
        // serde_json's objects are sorted by key without `preserve_order`; values built in code
        // (examples) come through here, already in the order the type declares when serialised.
        serde_json::from_value(value).expect("a JSON value is a node")
    }
}

impl From<&str> for Node {
    fn from(value: &str) -> Self {
        Node::String(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_order_through_a_round_trip() {
        let json = r#"{"z":1,"a":{"y":[true,null,"s"],"b":2.5}}"#;

        let node = Node::parse(json).unwrap();

        assert_eq!(serde_json::to_string(&node).unwrap(), json);
    }
}
