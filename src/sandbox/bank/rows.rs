//! An app's state as rows, the form a database store keeps it in: `(family, collection, key) → body`
//! (the app id beside them is the store's business). Bodies are JSON. The format names no database, so
//! every backend writes the same rows: a transaction hands the store only the rows it changed (its
//! dirty keys), and loading an app reads its rows back into the same in-memory structs, in the same
//! order, so that answers stay byte-identical across a restart.

use std::{cell::Cell, collections::BTreeMap};

/// One row: where it lives and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub family: String,
    pub collection: String,
    pub key: String,
    pub body: String,
}

/// What a transaction did to an app's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowChange {
    Put(Row),
    Delete {
        family: String,
        collection: String,
        key: String,
    },
    /// Every row of `collection` whose key starts with `prefix` (an account's entries when it closes).
    DeletePrefix {
        family: String,
        collection: String,
        prefix: String,
    },
}

impl RowChange {
    pub fn put(family: &str, collection: &str, key: impl Into<String>, body: String) -> Self {
        RowChange::Put(Row {
            family: family.into(),
            collection: collection.into(),
            key: key.into(),
            body,
        })
    }

    pub fn delete(family: &str, collection: &str, key: impl Into<String>) -> Self {
        RowChange::Delete {
            family: family.into(),
            collection: collection.into(),
            key: key.into(),
        }
    }
}

/// A family's rows as read back: by collection, each collection's `(key, body)` pairs.
pub type Collections = BTreeMap<String, Vec<(String, String)>>;

/// A family's rows changed since a version, as read back: by collection, each changed row's key and
/// body (`None`: the row was deleted).
pub type Changed = BTreeMap<String, Vec<(String, Option<String>)>>;

/// A collection of a family's state kept row by row (a [`crate::sandbox::bank::bounded::Bounded`]).
pub trait Collection {
    /// The rows changed since the last call (`all`: every row, as for a first write), forgetting them.
    fn take_rows(
        &mut self,
        family: &str,
        name: &str,
        all: bool,
        out: &mut Vec<RowChange>,
    ) -> Result<(), String>;

    /// Stops noting what changes, forgetting what did (the memory store writes no rows).
    fn stop_tracking(&mut self);

    /// Replaces the contents with the rows of `name` in `rows` (taking them out).
    fn load_rows(&mut self, name: &str, rows: &mut Collections) -> Result<(), String>;

    /// Applies the rows of `name` in `changed` (taking them out): what other processes wrote since
    /// this copy's version. Afterwards the collection answers as [`Collection::load_rows`] of the
    /// database's rows would; an error means the copy is to be loaded whole instead.
    fn apply_rows(&mut self, name: &str, changed: &mut Changed) -> Result<(), String>;
}

thread_local! {
    static HEADER_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// While `f` runs, a family's state serialises (and deserialises) without its row-kept collections:
/// what is left is its header row (counters, flags, small indexes and due queues).
pub fn header_only<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            HEADER_ONLY.with(|h| h.set(self.0));
        }
    }
    let _restore = Restore(HEADER_ONLY.with(|h| h.replace(true)));
    f()
}

/// Whether a collection being (de)serialised stands in a header row (see [`header_only`]).
pub fn in_header() -> bool {
    HEADER_ONLY.with(Cell::get)
}

/// Where a collection's archived reference fingerprints are kept, one row each.
pub fn archived_collection(name: &str) -> String {
    format!("{name}#archived")
}

/// A derived index (rebuilt from the family's objects when rows load, see
/// [`crate::sandbox::bank::snapshot::Kept::rebuild_indexes`]): in a snapshot as itself, left out of
/// the header row so a write never rewrites it — `#[serde(with = "crate::sandbox::bank::rows::derived")]`.
pub mod derived {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        if super::in_header() {
            return serializer.serialize_unit();
        }
        value.serialize(serializer)
    }

    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: Deserialize<'de> + Default,
        D: Deserializer<'de>,
    {
        if super::in_header() {
            serde::de::IgnoredAny::deserialize(deserializer)?;
            return Ok(T::default());
        }
        T::deserialize(deserializer)
    }
}
