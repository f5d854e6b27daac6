//! An ordered JSON tree: the document's transform must keep the order poem-openapi wrote (paths in
//! the order Swagger UI lists them, properties in their declared order), which `serde_json::Value`
//! does not without `preserve_order` — a feature that would reorder every other JSON the sandbox
//! renders.

use indexmap::IndexMap;
use serde::{
    de::{MapAccess, SeqAccess, Visitor},
    Deserialize, Deserializer, Serialize,
};

/// A JSON value whose objects keep their keys' order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Node {
    /// JSON `null`.
    Null,
    /// JSON `true` or `false`.
    Bool(bool),
    /// A JSON number, exactly as written.
    Number(serde_json::Number),
    /// A JSON string.
    String(String),
    /// A JSON array.
    Array(Vec<Node>),
    /// A JSON object, in key order.
    Object(Map),
}

/// A JSON object in key order.
pub type Map = IndexMap<String, Node>;

impl Node {
    /// Reads a JSON text, keeping its objects' key order.
    pub fn parse(json: &str) -> serde_json::Result<Node> {
        serde_json::from_str(json)
    }

    /// An empty object.
    pub fn object() -> Node {
        Node::Object(Map::new())
    }

    /// A string node.
    pub fn str(value: impl Into<String>) -> Node {
        Node::String(value.into())
    }

    /// The object's members, when this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Node::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The object's members to change, when this is an object.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Node::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The items, when this is an array.
    pub fn as_array(&self) -> Option<&Vec<Node>> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The text, when this is a string.
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

    /// The member `key` of an object, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_object_mut().and_then(|map| map.get_mut(key))
    }

    /// The member at a path of keys, e.g. `["components", "schemas"]`.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The member at a path of keys, to change.
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

    /// The tree as indented JSON, keys in order.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a tree of JSON values serialises")
    }

    /// The tree as YAML, keys in order.
    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(&Yaml(self)).expect("a tree of JSON values serialises")
    }
}

/// A node for serializers other than serde_json: numbers as plain integers or floats (serde_json's
/// exact numbers, with `arbitrary_precision`, serialize as a map only serde_json reads back).
struct Yaml<'a>(&'a Node);

impl Serialize for Yaml<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Node::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => serializer.serialize_u64(u),
                (_, Some(i), _) => serializer.serialize_i64(i),
                (_, _, Some(f)) => serializer.serialize_f64(f),
                _ => serializer.serialize_str(&n.to_string()),
            },
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Yaml(item))?;
                }
                seq.end()
            }
            Node::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map {
                    out.serialize_entry(key, &Yaml(value))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// Read by hand rather than `#[serde(untagged)]`: untagged enums buffer their input, which loses
/// serde_json's exact numbers (`arbitrary_precision` hands them over as a one-entry map).
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

/// The key under which serde_json (with `arbitrary_precision`) presents a number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("not a JSON number"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if key == NUMBER_TOKEN && map.is_empty() {
                let text: String = access.next_value()?;
                return text
                    .parse()
                    .map(Node::Number)
                    .map_err(serde::de::Error::custom);
            }
            let value = access.next_value::<Node>()?;
            map.insert(key, value);
        }
        Ok(Node::Object(map))
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
    fn numbers_are_numbers_in_yaml() {
        let node = Node::parse(r#"{"a":1,"b":-2,"c":200.0,"d":0.01}"#).unwrap();

        assert_eq!(node.to_yaml(), "a: 1\nb: -2\nc: 200.0\nd: 0.01\n");
    }

    #[test]
    fn objects_keep_their_order_through_a_round_trip() {
        let json = r#"{"z":1,"a":{"y":[true,null,"s"],"b":2.5}}"#;

        let node = Node::parse(json).unwrap();

        assert_eq!(serde_json::to_string(&node).unwrap(), json);
    }
}
