//! A family's bounded collection of objects, and the rule at the bound: objects that carry money or an
//! open obligation are never evicted; settled ones may be, and their references stay used forever (a
//! compact archive of fingerprints); when nothing can be evicted the new object is refused with a
//! documented code, before any money moves.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    hash::{Hash, Hasher},
};

use poem::http::StatusCode;

use crate::sandbox::gateway::error::Rejection;

mod rows;
mod snapshot;

/// Whether an object may be evicted to make room (a settled payment, a closed goal). Objects that
/// carry money or an open obligation (a pending payment, an open collect, an active loan or goal, a
/// live guarantee) answer `false` and are never evicted.
pub trait Settled {
    /// Whether the object is settled: nothing owed, nothing open, so it may be evicted.
    fn is_settled(&self) -> bool;
}

/// Refused: the collection holds `limit` objects and none of them may be evicted (or its archive of
/// used references is full). Nothing was changed; the gateway answers it as 429 + [`OBJECT_BOUND`]:
/// a quota on open objects, like the daily quota on calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full {
    /// What the collection holds, in the bank's words (`payments`, `UPI transactions`, ...).
    pub kind: &'static str,
    /// How many objects the collection holds at most.
    pub limit: usize,
}

/// The gateway code of [`Full`].
pub const OBJECT_BOUND: u32 = 8020;

impl From<Full> for Rejection {
    fn from(full: Full) -> Self {
        Rejection::new(
            StatusCode::TOO_MANY_REQUESTS,
            OBJECT_BOUND,
            format!(
                "Object bound reached: this app holds {} {} that are still open (pending, refundable \
                 or active), and the sandbox never evicts those. Let them settle (advance the sandbox \
                 clock, approve or reject them) or POST /sandbox/reset; the bound is the server's \
                 --max-objects-per-app",
                full.limit, full.kind
            ),
        )
    }
}

/// References of evicted objects, as 64-bit fingerprints (8 bytes each instead of the object), so a
/// reference once used stays a duplicate forever. Bounded too: when it is full, nothing more is
/// evicted and new objects are refused ([`Full`]). Two references share a fingerprint with
/// probability about n/2⁶⁴ (1 in 10¹³ at a million archived): the cost of a compact record.
#[derive(Debug, Clone)]
struct Archive {
    fingerprints: HashSet<u64>,
    limit: usize,
}

impl Archive {
    fn fingerprint<K: Hash>(key: &K) -> u64 {
        // Fixed keys: the same reference has the same fingerprint in every run.
        let mut hasher = std::hash::DefaultHasher::new();
        key.hash(&mut hasher);
        hasher.finish()
    }
}

/// How many evicted references a collection remembers per object it may hold.
pub const ARCHIVED_PER_OBJECT: usize = 10;

#[derive(Debug, Clone)]
struct Slot<V> {
    value: V,
    /// Whether the key is in `candidates`.
    queued: bool,
    /// Its place in `order`.
    seq: u64,
    /// When it was queued in `candidates` (meaningful while `queued`): a store rebuilds the queue in
    /// this order, so eviction picks the same object after a restart.
    queued_at: u64,
}

/// A family's collection of objects, bounded. At the bound a settled object is evicted to make room
/// (its key archived, so the reference keeps meaning "used"); when none is settled, the new object is
/// refused with [`Full`] and nothing changes. Finding room is amortised O(1): every key settled when
/// inserted, or touched through [`Bounded::get_mut`] since it was last looked at, is queued once, and
/// making room pops the queue — an open object popped is simply dropped from the queue until it is
/// touched again (objects change state only through `get_mut`).
#[derive(Debug, Clone)]
pub struct Bounded<K, V> {
    kind: &'static str,
    items: HashMap<K, Slot<V>>,
    /// Keys queued for a look when room is needed, with when they were queued: an entry whose key
    /// was since dequeued or queued again (its slot says another `queued_at`) is stale and skipped,
    /// as rows applied from another process leave some.
    candidates: VecDeque<(u64, K)>,
    /// Insertion order for listings, with evicted keys left in place and skipped (compacted once they
    /// outnumber the live ones, so amortised O(1) too).
    order: VecDeque<(u64, K)>,
    next_seq: u64,
    next_queued: u64,
    /// Keys inserted, changed, evicted or dequeued since a store last took them (`take_rows`), and
    /// fingerprints archived since: what a database store writes, row by row. Kept only while
    /// `tracking` (the memory store writes no rows, so it switches the bookkeeping off).
    dirty: HashSet<K>,
    archived_new: Vec<u64>,
    tracking: bool,
    /// `None`: an evicted key is simply forgotten (its absence means the same thing: an OTP, a
    /// deregistration).
    archive: Option<Archive>,
    limit: usize,
}

impl<K: Eq + Hash + Clone, V: Settled> Bounded<K, V> {
    /// A collection of referenced objects: evicted keys stay used ([`Bounded::contains`]).
    pub fn new(kind: &'static str, limit: usize) -> Self {
        let limit = limit.max(1);
        let mut objects = Self::forgetful(kind, limit);
        objects.archive = Some(Archive {
            fingerprints: HashSet::new(),
            limit: limit.saturating_mul(ARCHIVED_PER_OBJECT),
        });
        objects
    }

    /// A collection whose evicted keys are forgotten.
    pub fn forgetful(kind: &'static str, limit: usize) -> Self {
        Self {
            kind,
            items: HashMap::new(),
            candidates: VecDeque::new(),
            order: VecDeque::new(),
            next_seq: 0,
            next_queued: 0,
            dirty: HashSet::new(),
            archived_new: Vec::new(),
            tracking: true,
            archive: None,
            limit: limit.max(1),
        }
    }

    /// The object under `key`, if held.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.items.get(key).map(|slot| &slot.value)
    }

    /// The object, to change: its key is queued to be looked at when room is next needed.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let slot = self.items.get_mut(key)?;
        if !slot.queued {
            slot.queued = true;
            slot.queued_at = self.next_queued;
            self.next_queued += 1;
            self.candidates.push_back((slot.queued_at, key.clone()));
        }
        if self.tracking && !self.dirty.contains(key) {
            self.dirty.insert(key.clone());
        }
        Some(&mut slot.value)
    }

    /// Whether `key` was ever used: held now, or evicted and archived.
    pub fn contains(&self, key: &K) -> bool {
        self.items.contains_key(key) || self.is_archived(key)
    }

    /// Whether `key` names an object that was settled and evicted: only its reference is kept.
    pub fn is_archived(&self, key: &K) -> bool {
        self.archive.as_ref().is_some_and(|archive| {
            !self.items.contains_key(key)
                && archive.fingerprints.contains(&Archive::fingerprint(key))
        })
    }

    /// How many objects are held now.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no object is held.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Makes room for one more object, evicting a settled one if the bound is reached; returns it so
    /// the family can let go of what hangs on it (an index entry, an emptied ledger account). Call it
    /// before moving any money, so a refusal changes nothing.
    pub fn make_room(&mut self) -> Result<Option<(K, V)>, Full> {
        if self.items.len() < self.limit {
            return Ok(None);
        }
        let full = Full {
            kind: self.kind,
            limit: self.limit,
        };
        if self
            .archive
            .as_ref()
            .is_some_and(|a| a.fingerprints.len() >= a.limit)
        {
            return Err(full);
        }
        while let Some((at, key)) = self.candidates.pop_front() {
            let Some(slot) = self
                .items
                .get_mut(&key)
                .filter(|s| s.queued && s.queued_at == at)
            else {
                continue;
            };
            slot.queued = false;
            let settled = slot.value.is_settled();
            self.note(&key);
            if !settled {
                continue;
            }
            self.archive_key(&key);
            let evicted = self.items.remove(&key).map(|slot| slot.value);
            return Ok(evicted.map(|value| (key, value)));
        }
        Err(full)
    }

    /// Makes room for `n` new objects at once (a bulk file's payments), or refuses with [`Full`] having
    /// evicted nothing. Counting what could go is O(n), so it is for rare, many-object requests.
    pub fn reserve(&mut self, n: usize) -> Result<(), Full> {
        let over = (self.items.len() + n).saturating_sub(self.limit);
        if over == 0 {
            return Ok(());
        }
        let evictable = self.items.values().filter(|s| s.value.is_settled()).count();
        let archived = self.archive.as_ref().map_or(0, |a| a.fingerprints.len());
        let archive_room = self
            .archive
            .as_ref()
            .map_or(usize::MAX, |a| a.limit - archived);
        if n > self.limit || evictable < over || archive_room < over {
            return Err(Full {
                kind: self.kind,
                limit: self.limit,
            });
        }
        let settled: Vec<K> = self
            .iter()
            .filter(|(_, value)| value.is_settled())
            .map(|(key, _)| key.clone())
            .take(over)
            .collect();
        for key in settled {
            self.archive_key(&key);
            self.items.remove(&key);
            self.note(&key);
        }
        Ok(())
    }

    /// Inserts (or replaces) `key`, making room first when it is new; refused with [`Full`] (and
    /// nothing changed) when no room can be made.
    pub fn insert(&mut self, key: K, value: V) -> Result<Option<(K, V)>, Full> {
        if let Some(slot) = self.items.get_mut(&key) {
            slot.value = value;
            if !slot.queued {
                slot.queued = true;
                slot.queued_at = self.next_queued;
                self.next_queued += 1;
                self.candidates.push_back((slot.queued_at, key.clone()));
            }
            self.note(&key);
            return Ok(None);
        }
        let evicted = self.make_room()?;
        let seq = self.next_seq;
        self.next_seq += 1;
        let queued_at = self.next_queued;
        self.next_queued += 1;
        self.candidates.push_back((queued_at, key.clone()));
        self.order.push_back((seq, key.clone()));
        self.note(&key);
        self.items.insert(
            key,
            Slot {
                value,
                queued: true,
                seq,
                queued_at,
            },
        );
        if self.order.len() > 2 * self.items.len() + 16 {
            let items = &self.items;
            self.order
                .retain(|(seq, key)| items.get(key).is_some_and(|slot| slot.seq == *seq));
        }
        Ok(evicted)
    }

    /// Notes `key` as changed, for a store that writes rows.
    fn note(&mut self, key: &K) {
        if self.tracking {
            self.dirty.insert(key.clone());
        }
    }

    fn archive_key(&mut self, key: &K) {
        if let Some(archive) = &mut self.archive {
            let fingerprint = Archive::fingerprint(key);
            if archive.fingerprints.insert(fingerprint) && self.tracking {
                self.archived_new.push(fingerprint);
            }
        }
    }

    /// The objects held, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.order.iter().filter_map(|(seq, key)| {
            self.items
                .get(key)
                .filter(|slot| slot.seq == *seq)
                .map(|slot| (key, &slot.value))
        })
    }
}

#[cfg(test)]
mod tests;
