//! A bounded collection in a snapshot: its objects oldest first and its archived references. Its name
//! and bound stay the server's: a document is only ever restored into a family's fresh state.

use std::hash::Hash;

use serde::{
    de::Error as _, ser::SerializeStruct, Deserialize, Deserializer, Serialize, Serializer,
};

use crate::sandbox::bank::{
    bounded::{Bounded, Settled},
    rows,
};

/// A collection as a snapshot holds it: its objects oldest first, and (for a referenced collection)
/// the fingerprints of the references it has evicted, ascending so the same state is the same bytes.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kept<K, V> {
    objects: Vec<(K, V)>,
    archived: Option<Vec<u64>>,
}

impl<K: Eq + Hash + Clone + Serialize, V: Settled + Serialize> Serialize for Bounded<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if rows::in_header() {
            // Kept row by row beside the family's header.
            return serializer.serialize_unit();
        }
        let mut archived = self
            .archive
            .as_ref()
            .map(|a| a.fingerprints.iter().copied().collect::<Vec<_>>());
        if let Some(archived) = &mut archived {
            archived.sort_unstable();
        }
        let mut kept = serializer.serialize_struct("Bounded", 2)?;
        kept.serialize_field("objects", &self.iter().collect::<Vec<_>>())?;
        kept.serialize_field("archived", &archived)?;
        kept.end()
    }
}

impl<'de, K, V> Deserialize<'de> for Bounded<K, V>
where
    K: Eq + Hash + Clone + Deserialize<'de>,
    V: Settled + Deserialize<'de>,
{
    /// A collection's name and bound belong to the server, not to a document: it is only ever
    /// restored into its family's fresh state ([`Deserialize::deserialize_in_place`]).
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(D::Error::custom(
            "a collection is restored into its family's fresh state",
        ))
    }

    fn deserialize_in_place<D: Deserializer<'de>>(
        deserializer: D,
        place: &mut Self,
    ) -> Result<(), D::Error> {
        if rows::in_header() {
            serde::de::IgnoredAny::deserialize(deserializer)?;
            return Ok(());
        }
        let kept = Kept::<K, V>::deserialize(deserializer)?;
        place.restore(kept).map_err(D::Error::custom)
    }
}

impl<K: Eq + Hash + Clone, V: Settled> Bounded<K, V> {
    /// Replaces the contents with a snapshot's, within this collection's own bound.
    fn restore(&mut self, kept: Kept<K, V>) -> Result<(), String> {
        if kept.objects.len() > self.limit {
            return Err(format!(
                "{} {} are more than this server's bound of {} (--max-objects-per-app)",
                kept.objects.len(),
                self.kind,
                self.limit
            ));
        }
        let mut fresh = match &self.archive {
            Some(_) => Self::new(self.kind, self.limit),
            None => Self::forgetful(self.kind, self.limit),
        };
        if let (Some(archive), Some(archived)) = (&mut fresh.archive, kept.archived) {
            if archived.len() > archive.limit {
                return Err(format!(
                    "{} archived references of {} are more than this server keeps ({})",
                    archived.len(),
                    self.kind,
                    archive.limit
                ));
            }
            archive.fingerprints.extend(archived);
        }
        for (key, value) in kept.objects {
            if fresh.items.contains_key(&key) {
                return Err(format!("{} holds one reference twice", self.kind));
            }
            fresh
                .insert(key, value)
                .map_err(|full| format!("{} are over their bound of {}", full.kind, full.limit))?;
        }
        *self = fresh;
        Ok(())
    }
}
