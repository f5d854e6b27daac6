//! An app's whole state to and from rows: the ledger's, and each family's header and collections.
//! What a database store writes after a transaction and reads on an app's first request.

use std::collections::BTreeMap;

use crate::sandbox::bank::{
    ledger::Ledger,
    rows::{Changed, Collections, Row, RowChange},
    store::{AppState, Family},
};

/// Builds a family's state from its header row, its collections' rows and the bound on objects.
pub type FromRows = fn(&str, Collections, usize) -> Result<Box<dyn Family>, String>;

/// Applies a family's changed rows (its new header, if it changed, and its collections' rows) to its
/// state in place.
pub type ApplyRows = fn(&mut dyn Family, Option<&str>, Changed) -> Result<(), String>;

/// How one family's state becomes rows and comes back, without the store naming the family (each
/// family's snapshot codec builds one).
#[derive(Clone, Copy)]
pub struct RowCodec {
    /// Its name in rows (`cash_management`, `payments`, ...).
    pub name: &'static str,
    /// The type name its slot has in an [`AppState`].
    pub type_name: &'static str,
    /// Its header row: its state without its row-kept collections.
    pub header: fn(&dyn Family) -> Result<String, String>,
    /// Builds its state back from its rows.
    pub from_rows: FromRows,
    /// Brings its state up to date with the rows other processes changed.
    pub apply_rows: ApplyRows,
}

/// The rows a transaction changed.
pub struct Changes {
    /// The state is to be written whole: the app's rows are replaced, not patched.
    pub whole: bool,
    pub rows: Vec<RowChange>,
}

/// Stops `family`'s collections noting what changes ([`AppState::stop_tracking`]).
pub(super) fn stop_tracking(family: &mut dyn Family) {
    family.visit_collections(&mut |_, collection| collection.stop_tracking());
}

impl AppState {
    /// The rows changed since the last call, forgetting the changes.
    pub fn take_rows(&mut self, codecs: &[RowCodec]) -> Result<Changes, String> {
        let all = std::mem::take(&mut self.whole);
        let mut rows = Vec::new();
        self.ledger.take_rows(all, &mut rows)?;
        for (type_name, family) in &mut self.families {
            let codec = codecs
                .iter()
                .find(|c| c.type_name == *type_name)
                .ok_or_else(|| format!("no row codec for {type_name}"))?;
            let header = (codec.header)(&**family)?;
            if all || self.headers.get(type_name) != Some(&header) {
                rows.push(RowChange::put(codec.name, "header", "", header.clone()));
                self.headers.insert(type_name, header);
            }
            let mut result = Ok(());
            family.visit_collections(&mut |name, collection| {
                if result.is_ok() {
                    result = collection.take_rows(codec.name, name, all, &mut rows);
                }
            });
            result?;
        }
        Ok(Changes { whole: all, rows })
    }

    /// Stops noting which rows change, forgetting what did: the memory store writes no rows, so its
    /// transactions skip the bookkeeping. Cheap once stopped; a state put in place whole (a snapshot
    /// restored) notes changes again until this is called on it.
    pub fn stop_tracking(&mut self) {
        if !self.tracking {
            return;
        }
        self.tracking = false;
        self.ledger.stop_tracking();
        for family in self.families.values_mut() {
            stop_tracking(&mut **family);
        }
    }

    /// An app's state from its rows; `None` when it has none (it starts from the fixtures).
    pub fn from_rows(
        rows: Vec<Row>,
        codecs: &[RowCodec],
        object_limit: usize,
    ) -> Result<Option<Self>, String> {
        let mut families: BTreeMap<String, Collections> = BTreeMap::new();
        for row in rows {
            families
                .entry(row.family)
                .or_default()
                .entry(row.collection)
                .or_default()
                .push((row.key, row.body));
        }
        let ledger = families.remove("ledger").unwrap_or_default();
        let Some(ledger) = Ledger::from_rows(ledger, object_limit)? else {
            return Ok(None);
        };
        let mut state = AppState::new(ledger, object_limit);
        state.whole = false;
        for (name, mut collections) in families {
            let codec = codecs
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| format!("rows of an unknown family {name}"))?;
            let header = collections
                .remove("header")
                .and_then(|h| h.into_iter().next())
                .map(|(_, body)| body)
                .ok_or_else(|| format!("{name} has no header row"))?;
            let family = (codec.from_rows)(&header, collections, object_limit)?;
            state.put_family(codec.type_name, family);
            state.headers.insert(codec.type_name, header);
        }
        Ok(Some(state))
    }

    /// Applies the rows changed since this state's version (puts and deletes, as read back), so that
    /// it is what [`AppState::from_rows`] of the database's rows would build. An error leaves the
    /// state half-changed: the caller loads it whole instead.
    pub fn apply_rows(&mut self, rows: Vec<RowChange>, codecs: &[RowCodec]) -> Result<(), String> {
        let mut families: BTreeMap<String, Changed> = BTreeMap::new();
        for change in rows {
            let (family, collection, key, body) = match change {
                RowChange::Put(row) => (row.family, row.collection, row.key, Some(row.body)),
                RowChange::Delete {
                    family,
                    collection,
                    key,
                } => (family, collection, key, None),
                RowChange::DeletePrefix { .. } => return Err("a prefix read back".into()),
            };
            families
                .entry(family)
                .or_default()
                .entry(collection)
                .or_default()
                .push((key, body));
        }
        if let Some(ledger) = families.remove("ledger") {
            self.ledger.apply_rows(ledger)?;
        }
        for (name, mut changed) in families {
            let codec = codecs
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| format!("rows of an unknown family {name}"))?;
            let header = match changed.remove("header").and_then(|h| h.into_iter().next()) {
                Some((_, None)) => return Err(format!("{name}'s header deleted")),
                Some((_, Some(body))) => Some(body),
                None => None,
            };
            match self.families.get_mut(codec.type_name) {
                Some(family) => (codec.apply_rows)(&mut **family, header.as_deref(), changed)?,
                None => {
                    // First used through another process: built from its rows, as a load would.
                    let header = header
                        .clone()
                        .ok_or_else(|| format!("{name} has no header"))?;
                    let collections = changed
                        .into_iter()
                        .map(|(collection, rows)| {
                            let kept = rows.into_iter().filter_map(|(k, b)| Some((k, b?)));
                            (collection, kept.collect())
                        })
                        .collect();
                    let family = (codec.from_rows)(&header, collections, self.object_limit)?;
                    self.put_family(codec.type_name, family);
                }
            }
            if let Some(header) = header {
                self.headers.insert(codec.type_name, header);
            }
        }
        Ok(())
    }
}
