//! The bound's rules, and the dirty keys a store persists.

use super::*;

#[derive(Debug)]
struct Item(bool);

impl Settled for Item {
    fn is_settled(&self) -> bool {
        self.0
    }
}

#[test]
fn a_settled_object_makes_room_and_its_key_stays_used() {
    let mut objects = Bounded::new("items", 3);
    objects.insert(1, Item(false)).unwrap();
    objects.insert(2, Item(true)).unwrap();
    objects.insert(3, Item(true)).unwrap();

    let evicted = objects.insert(4, Item(false)).unwrap();

    assert_eq!(evicted.map(|(k, _)| k), Some(2), "2 was the first settled");
    assert!(objects.get(&2).is_none());
    assert!(
        objects.contains(&2) && objects.is_archived(&2),
        "2 stays used"
    );
    assert!(!objects.is_archived(&1) && !objects.contains(&9));
    assert_eq!(objects.len(), 3);
}

#[test]
fn open_objects_are_never_evicted_and_a_new_one_is_refused() {
    let mut objects = Bounded::new("payments", 2);
    objects.insert(1, Item(false)).unwrap();
    objects.insert(2, Item(false)).unwrap();

    let refused = objects.insert(3, Item(true));

    assert_eq!(
        refused.unwrap_err(),
        Full {
            kind: "payments",
            limit: 2
        }
    );
    assert!(objects.get(&1).is_some() && objects.get(&2).is_some());
    assert!(!objects.contains(&3), "nothing changed");
    objects.get_mut(&1).unwrap().0 = true;
    let evicted = objects.insert(3, Item(false)).unwrap();
    assert_eq!(
        evicted.map(|(k, _)| k),
        Some(1),
        "1 settled, so it makes room"
    );
}

#[test]
fn a_forgetful_collection_lets_an_evicted_key_be_used_again() {
    let mut objects = Bounded::forgetful("OTPs", 1);
    objects.insert("a", Item(true)).unwrap();
    objects.insert("b", Item(true)).unwrap();

    assert!(!objects.contains(&"a"));
    objects.insert("a", Item(true)).unwrap();
    assert!(objects.get(&"a").is_some());
}

#[test]
fn the_archive_is_bounded_too() {
    let mut objects = Bounded::new("credits", 1);
    for key in 0..=ARCHIVED_PER_OBJECT {
        objects.insert(key, Item(true)).unwrap();
    }

    let refused = objects.insert(1000, Item(true));

    assert!(refused.is_err(), "the archive holds {ARCHIVED_PER_OBJECT}");
    assert!((0..ARCHIVED_PER_OBJECT).all(|k| objects.contains(&k)));
}

#[test]
fn refusals_at_the_bound_do_not_rescan_the_collection() {
    let mut objects = Bounded::new("payments", 1000);
    for key in 0..1000 {
        objects.insert(key, Item(false)).unwrap();
    }
    assert!(objects.insert(1000, Item(false)).is_err());

    // Every open key was looked at once and dropped from the queue: the next refusals are O(1).
    assert!(objects.candidates.is_empty());
    for key in 1001..2000 {
        assert!(objects.insert(key, Item(false)).is_err());
    }
    assert!(objects.candidates.is_empty());
}

mod rows {
    use serde::{Deserialize, Serialize};

    use crate::sandbox::bank::{
        bounded::{Bounded, Settled},
        rows::{Changed, Collection, Collections, RowChange},
    };

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Payment(bool);

    impl Settled for Payment {
        fn is_settled(&self) -> bool {
            self.0
        }
    }

    /// Applies row changes to a table (as a database would) and reads it back by collection.
    fn apply(
        table: &mut std::collections::BTreeMap<(String, String), String>,
        rows: Vec<RowChange>,
    ) {
        for change in rows {
            match change {
                RowChange::Put(row) => {
                    table.insert((row.collection, row.key), row.body);
                }
                RowChange::Delete {
                    collection, key, ..
                } => {
                    table.remove(&(collection, key));
                }
                RowChange::DeletePrefix { .. } => unreachable!("collections delete by key"),
            }
        }
    }

    fn collections(table: &std::collections::BTreeMap<(String, String), String>) -> Collections {
        let mut out = Collections::new();
        for ((collection, key), body) in table {
            out.entry(collection.clone())
                .or_default()
                .push((key.clone(), body.clone()));
        }
        out
    }

    #[test]
    fn rows_rebuild_the_same_order_archive_and_next_eviction() {
        let mut live: Bounded<String, Payment> = Bounded::new("payments", 4);
        let mut table = std::collections::BTreeMap::default();
        for n in 0..4 {
            live.insert(format!("P{n}"), Payment(n % 2 == 1)).unwrap();
        }
        let mut rows = Vec::new();
        live.take_rows("cib", "payments", true, &mut rows).unwrap();
        apply(&mut table, rows);
        // An eviction (P1, settled), a touched object, a replaced one: only their rows change.
        live.insert("P4".into(), Payment(false)).unwrap();
        live.get_mut(&"P0".to_string()).unwrap().0 = true;
        live.insert("P2".into(), Payment(true)).unwrap();
        let mut rows = Vec::new();
        live.take_rows("cib", "payments", false, &mut rows).unwrap();
        assert_eq!(
            rows.len(),
            5,
            "P0, P1 (gone), P2, P4 and P1's fingerprint: {rows:?}"
        );
        apply(&mut table, rows);

        let mut loaded: Bounded<String, Payment> = Bounded::new("payments", 4);
        loaded
            .load_rows("payments", &mut collections(&table))
            .unwrap();

        let listed = |b: &Bounded<String, Payment>| {
            b.iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(&loaded), listed(&live));
        assert!(loaded.is_archived(&"P1".to_string()));
        assert_eq!(
            loaded.candidates, live.candidates,
            "the eviction queue, in order"
        );
        let next = |b: &mut Bounded<String, Payment>| b.insert("P5".into(), Payment(false));
        assert_eq!(
            next(&mut loaded).unwrap().map(|(k, _)| k),
            next(&mut live).unwrap().map(|(k, _)| k),
            "the same object makes room"
        );
    }

    /// The changes as a copy catching up reads them back: by collection, deletions as `None`.
    fn changed(rows: &[RowChange]) -> Changed {
        let mut out = Changed::new();
        for change in rows {
            let (collection, key, body) = match change {
                RowChange::Put(row) => (&row.collection, &row.key, Some(row.body.clone())),
                RowChange::Delete {
                    collection, key, ..
                } => (collection, key, None),
                RowChange::DeletePrefix { .. } => unreachable!("collections delete by key"),
            };
            out.entry(collection.clone())
                .or_default()
                .push((key.clone(), body));
        }
        out
    }

    #[test]
    fn a_copy_catching_up_holds_what_loading_whole_holds() {
        let mut live: Bounded<String, Payment> = Bounded::new("payments", 4);
        for n in 0..4 {
            live.insert(format!("P{n}"), Payment(n % 2 == 1)).unwrap();
        }
        let mut rows = Vec::new();
        live.take_rows("cib", "payments", true, &mut rows).unwrap();
        let mut copy: Bounded<String, Payment> = Bounded::new("payments", 4);
        copy.load_rows(
            "payments",
            &mut collections(&{
                let mut table = std::collections::BTreeMap::default();
                apply(&mut table, rows);
                table
            }),
        )
        .unwrap();
        // Evictions, a touched object, a replaced one, a dequeued open one, written by another.
        live.insert("P4".into(), Payment(false)).unwrap();
        live.get_mut(&"P0".to_string()).unwrap().0 = true;
        live.insert("P5".into(), Payment(false)).unwrap();
        live.insert("P2".into(), Payment(true)).unwrap();
        let mut rows = Vec::new();
        live.take_rows("cib", "payments", false, &mut rows).unwrap();

        copy.apply_rows("payments", &mut changed(&rows)).unwrap();

        let listed = |b: &Bounded<String, Payment>| {
            b.iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(&copy), listed(&live));
        assert!(copy.is_archived(&"P1".to_string()) && copy.is_archived(&"P3".to_string()));
        let next = |b: &mut Bounded<String, Payment>| b.insert("P6".into(), Payment(false));
        assert_eq!(
            next(&mut copy).unwrap().map(|(k, _)| k),
            next(&mut live).unwrap().map(|(k, _)| k),
            "the same object makes room"
        );
        assert_eq!(listed(&copy), listed(&live));
    }

    #[test]
    fn an_untracked_collection_behaves_the_same_and_notes_no_rows() {
        let mut tracked: Bounded<String, Payment> = Bounded::new("payments", 2);
        let mut untracked = tracked.clone();
        untracked.stop_tracking();
        for objects in [&mut tracked, &mut untracked] {
            objects.insert("P0".into(), Payment(true)).unwrap();
            objects.insert("P1".into(), Payment(false)).unwrap();
            objects.get_mut(&"P1".to_string()).unwrap().0 = true;
            objects.insert("P2".into(), Payment(false)).unwrap();
        }

        let listed = |b: &Bounded<String, Payment>| {
            b.iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(&untracked), listed(&tracked));
        assert!(untracked.is_archived(&"P0".to_string()), "P0 made room");
        let (mut noted, mut unnoted) = (Vec::new(), Vec::new());
        tracked
            .take_rows("cib", "payments", false, &mut noted)
            .unwrap();
        untracked
            .take_rows("cib", "payments", false, &mut unnoted)
            .unwrap();
        assert_eq!(noted.len(), 4, "P0 (gone), P1, P2 and P0's fingerprint");
        assert!(unnoted.is_empty(), "{unnoted:?}");
    }
}
