//! An app's saved snapshots, as the memory store keeps them (the SQLite store keeps the same rule in
//! its `snapshots` table).

use std::{collections::VecDeque, sync::Arc};

/// How many snapshots an app keeps, and how many bytes of them; past either, the oldest go.
pub const SHELF_SNAPSHOTS: usize = 16;
/// See [`SHELF_SNAPSHOTS`].
pub const SHELF_BYTES: usize = 64 * 1024 * 1024;

/// An app's saved snapshots, oldest first. Saving one it already holds makes it the newest again.
#[derive(Debug, Default)]
pub struct Shelf {
    kept: VecDeque<(String, Arc<str>)>,
}

impl Shelf {
    /// Keeps `document` under `id`; refused when it alone is over [`SHELF_BYTES`].
    pub fn keep(&mut self, id: &str, document: Arc<str>) -> Result<(), usize> {
        if document.len() > SHELF_BYTES {
            return Err(document.len());
        }
        self.kept.retain(|(kept, _)| kept != id);
        self.kept.push_back((id.to_string(), document));
        let mut bytes: usize = self.kept.iter().map(|(_, d)| d.len()).sum();
        while self.kept.len() > SHELF_SNAPSHOTS || bytes > SHELF_BYTES {
            if let Some((_, gone)) = self.kept.pop_front() {
                bytes -= gone.len();
            }
        }
        Ok(())
    }

    /// The snapshot document kept under `id`, if it still is.
    pub fn get(&self, id: &str) -> Option<Arc<str>> {
        self.kept
            .iter()
            .find(|(kept, _)| kept == id)
            .map(|(_, document)| document.clone())
    }
}
