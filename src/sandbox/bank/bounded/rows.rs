//! A bounded collection as rows: one per object, keyed by its reference, its body holding the object
//! with its place in insertion order (`seq`) and in the eviction queue (`queued`); one per archived
//! fingerprint in `<name>#archived`. Loading sorts by those places, so listings and the next eviction
//! are the same as before the restart.

use std::collections::VecDeque;

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::sandbox::bank::{
    bounded::{Bounded, Settled, Slot},
    rows::{archived_collection, Changed, Collection, Collections, RowChange},
};

#[derive(Serialize)]
struct SlotRef<'a, V> {
    seq: u64,
    queued: Option<u64>,
    value: &'a V,
}

#[derive(Deserialize)]
struct SlotRow<V> {
    seq: u64,
    queued: Option<u64>,
    value: V,
}

impl<V> From<SlotRow<V>> for Slot<V> {
    fn from(row: SlotRow<V>) -> Self {
        Slot {
            value: row.value,
            queued: row.queued.is_some(),
            seq: row.seq,
            queued_at: row.queued.unwrap_or(0),
        }
    }
}

impl<V: Serialize> Slot<V> {
    fn body(&self) -> Result<String, String> {
        serde_json::to_string(&SlotRef {
            seq: self.seq,
            queued: self.queued.then_some(self.queued_at),
            value: &self.value,
        })
        .map_err(|e| e.to_string())
    }
}

impl<K, V> Bounded<K, V> {
    fn forget_changes(&mut self) {
        if !self.dirty.is_empty() {
            self.dirty.clear();
        }
        if !self.archived_new.is_empty() {
            self.archived_new.clear();
        }
    }
}

impl<V> Collection for Bounded<String, V>
where
    V: Settled + Serialize + DeserializeOwned,
{
    fn take_rows(
        &mut self,
        family: &str,
        name: &str,
        all: bool,
        out: &mut Vec<RowChange>,
    ) -> Result<(), String> {
        let archived = archived_collection(name);
        if all {
            for (key, slot) in &self.items {
                out.push(RowChange::put(family, name, key, slot.body()?));
            }
            for fingerprint in self.archive.iter().flat_map(|a| &a.fingerprints) {
                out.push(RowChange::put(
                    family,
                    &archived,
                    hex(*fingerprint),
                    String::new(),
                ));
            }
        } else {
            for key in &self.dirty {
                out.push(match self.items.get(key) {
                    Some(slot) => RowChange::put(family, name, key, slot.body()?),
                    None => RowChange::delete(family, name, key),
                });
            }
            for fingerprint in &self.archived_new {
                out.push(RowChange::put(
                    family,
                    &archived,
                    hex(*fingerprint),
                    String::new(),
                ));
            }
        }
        self.forget_changes();
        Ok(())
    }

    fn stop_tracking(&mut self) {
        self.tracking = false;
        self.forget_changes();
    }

    fn load_rows(&mut self, name: &str, rows: &mut Collections) -> Result<(), String> {
        let mut slots = Vec::new();
        for (key, body) in rows.remove(name).unwrap_or_default() {
            let row: SlotRow<V> =
                serde_json::from_str(&body).map_err(|e| format!("{name} {key}: {e}"))?;
            slots.push((key, row));
        }
        slots.sort_by_key(|(_, row)| row.seq);
        let mut queue: Vec<(u64, String)> = slots
            .iter()
            .filter_map(|(key, row)| row.queued.map(|at| (at, key.clone())))
            .collect();
        queue.sort();
        self.items.clear();
        self.order.clear();
        self.next_seq = slots.last().map_or(0, |(_, row)| row.seq + 1);
        self.next_queued = queue.last().map_or(0, |(at, _)| at + 1);
        self.candidates = queue.into_iter().collect();
        for (key, row) in slots {
            self.order.push_back((row.seq, key.clone()));
            self.items.insert(key, Slot::from(row));
        }
        if let Some(archive) = &mut self.archive {
            archive.fingerprints.clear();
            for (key, _) in rows.remove(&archived_collection(name)).unwrap_or_default() {
                let fingerprint = u64::from_str_radix(&key, 16)
                    .map_err(|e| format!("{name}: archived {key}: {e}"))?;
                archive.fingerprints.insert(fingerprint);
            }
        }
        self.forget_changes();
        Ok(())
    }

    fn apply_rows(&mut self, name: &str, changed: &mut Changed) -> Result<(), String> {
        // New places in the listing and the eviction queue: another process gave them out after
        // every place this copy holds, so they go at the back (sorted when they do not).
        let mut listed = Vec::new();
        let mut queued = Vec::new();
        for (key, body) in changed.remove(name).unwrap_or_default() {
            let Some(body) = body else {
                // Its places in `order` and `candidates` are left stale and skipped.
                self.items.remove(&key);
                continue;
            };
            let row: SlotRow<V> =
                serde_json::from_str(&body).map_err(|e| format!("{name} {key}: {e}"))?;
            let held = self.items.get(&key);
            if held.map(|slot| slot.seq) != Some(row.seq) {
                listed.push((row.seq, key.clone()));
            }
            if let Some(at) = row.queued {
                if held.is_none_or(|slot| !slot.queued || slot.queued_at != at) {
                    queued.push((at, key.clone()));
                }
                self.next_queued = self.next_queued.max(at + 1);
            }
            self.next_seq = self.next_seq.max(row.seq + 1);
            self.items.insert(key, Slot::from(row));
        }
        append_sorted(&mut self.order, listed);
        append_sorted(&mut self.candidates, queued);
        self.compact();
        let archived = changed
            .remove(&archived_collection(name))
            .unwrap_or_default();
        if let Some(archive) = &mut self.archive {
            for (key, body) in archived {
                if body.is_none() {
                    return Err(format!("{name}: archived {key} deleted"));
                }
                let fingerprint = u64::from_str_radix(&key, 16)
                    .map_err(|e| format!("{name}: archived {key}: {e}"))?;
                archive.fingerprints.insert(fingerprint);
            }
        }
        Ok(())
    }
}

/// Adds `new` places to a queue ordered by place, keeping it ordered.
fn append_sorted(queue: &mut VecDeque<(u64, String)>, mut new: Vec<(u64, String)>) {
    new.sort();
    let in_order = match (queue.back(), new.first()) {
        (Some(last), Some(first)) => last.0 < first.0,
        _ => true,
    };
    queue.extend(new);
    if !in_order {
        queue.make_contiguous().sort();
    }
}

impl<V> Bounded<String, V> {
    /// Drops stale places once they outnumber the live ones (amortised O(1), as in `insert`).
    fn compact(&mut self) {
        let items = &self.items;
        if self.order.len() > 2 * items.len() + 16 {
            self.order
                .retain(|(seq, key)| items.get(key).is_some_and(|slot| slot.seq == *seq));
        }
        if self.candidates.len() > 2 * items.len() + 16 {
            self.candidates.retain(|(at, key)| {
                items
                    .get(key)
                    .is_some_and(|slot| slot.queued && slot.queued_at == *at)
            });
        }
    }
}

fn hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}
