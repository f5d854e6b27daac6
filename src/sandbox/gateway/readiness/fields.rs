//! The body fields the checklists look at, and a parse that keeps only those: grading runs on every
//! request, and building a whole `serde_json::Value` for each body cost about a tenth of a request.
//! Each side (request, answer) has its own set of dotted paths (`data.PANStatus`), numbered as the
//! checklists are compiled; [`Fields::pick`] walks a body once, skipping what no path names, and
//! returns the named values as text (strings as they are, numbers and booleans as JSON writes them).

use std::{borrow::Cow, collections::HashMap, fmt};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The values of one body's named fields, by path index; `None` where absent, null or not a scalar.
pub type Picked = Vec<Option<String>>;

/// One side's named paths, as a trie over the keys.
#[derive(Debug, Default)]
pub struct Fields {
    root: Node,
    paths: Vec<String>,
}

#[derive(Debug, Default)]
struct Node {
    /// The path ending here, if one does.
    leaf: Option<usize>,
    children: HashMap<String, Node>,
}

impl Fields {
    /// The index of `path`, numbering it if new.
    pub fn index(&mut self, path: &str) -> usize {
        if let Some(at) = self.paths.iter().position(|p| p == path) {
            return at;
        }
        let at = self.paths.len();
        let mut node = &mut self.root;
        for key in path.split('.') {
            node = node.children.entry(key.to_string()).or_default();
        }
        node.leaf = Some(at);
        self.paths.push(path.to_string());
        at
    }

    /// The named fields' values in a JSON body; all `None` when it is not JSON.
    pub fn pick(&self, body: &[u8]) -> Picked {
        let mut out = vec![None; self.paths.len()];
        if !self.paths.is_empty() {
            let mut json = serde_json::Deserializer::from_slice(body);
            let seed = Pick {
                node: &self.root,
                out: &mut out,
            };
            if seed.deserialize(&mut json).is_err() || json.end().is_err() {
                out.iter_mut().for_each(|v| *v = None);
            }
        }
        out
    }
}

/// Walks one value at `node`: a scalar fills the node's leaf, an object recurses into its children.
struct Pick<'a> {
    node: &'a Node,
    out: &'a mut Picked,
}

impl<'de> DeserializeSeed<'de> for Pick<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Pick<'_> {
    fn set(self, text: impl FnOnce() -> String) {
        if let Some(at) = self.node.leaf {
            self.out[at] = Some(text());
        }
    }
}

impl<'de> Visitor<'de> for Pick<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.set(|| v.to_string());
        Ok(())
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.set(|| v.to_string());
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.set(|| v.to_string());
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.set(|| v.to_string());
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.set(|| serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string()));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            if key == NUMBER_TOKEN {
                // serde_json with `arbitrary_precision` hands a number over as this one-entry map,
                // its text as written (`1.50` stays `1.50`).
                let text: String = map.next_value()?;
                self.set(|| text);
                return Ok(());
            }
            match self.node.children.get(key.as_ref()) {
                Some(node) => map.next_value_seed(Pick {
                    node,
                    out: &mut *self.out,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The key under which serde_json (`arbitrary_precision`) passes a number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// An object key, borrowed from the body unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_scalars_are_kept() {
        let mut fields = Fields::default();
        let status = fields.index("data.PANStatus");
        let code = fields.index("response");
        let flag = fields.index("eligible");
        let nested = fields.index("data");
        assert_eq!(fields.index("response"), code, "a path is numbered once");

        let picked = fields.pick(
            br#"{"data":{"PANStatus":"E","x":[1,{"y":2}]},"response":8016,"eligible":false,"z":null}"#,
        );

        assert_eq!(picked[status].as_deref(), Some("E"));
        assert_eq!(picked[code].as_deref(), Some("8016"));
        assert_eq!(picked[flag].as_deref(), Some("false"));
        assert_eq!(picked[nested], None, "an object is not a scalar");
    }

    #[test]
    fn escaped_keys_numbers_and_garbage() {
        let mut fields = Fields::default();
        let amount = fields.index("AMOUNT");
        assert_eq!(
            fields.pick(br#"{"AM\u004fUNT": 1.50}"#)[amount].as_deref(),
            Some("1.5"),
            "a JSON number is compared by its value, printed shortest"
        );
        assert_eq!(fields.pick(br"[1,2]")[amount], None);
        assert_eq!(fields.pick(b"not json")[amount], None);
        assert_eq!(
            fields.pick(br#"{"AMOUNT":"1.00","#)[amount],
            None,
            "truncated"
        );
        assert_eq!(
            fields.pick(br#"{"AMOUNT":"1.00"} x"#)[amount],
            None,
            "trailing"
        );
    }
}
