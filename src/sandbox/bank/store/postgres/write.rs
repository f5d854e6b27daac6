//! Writing a transaction's rows: the changed rows, the app's new version and COMMIT, sent together
//! in one round trip. Every row carries the version that last wrote it, and a deleted row stays as a
//! tombstone with its version, so that another process's copy can catch up on what changed since
//! (`state.rs`). A whole write (a seeded app, a restored snapshot) replaces the rows and moves the
//! app's `base` to its version: copies older than it load whole. Tombstones older than
//! [`HORIZON`] versions are pruned every [`PRUNE_EVERY`] versions, and `base` moves with them.

use std::{collections::HashMap, future::Future, pin::Pin};

use deadpool_postgres::Object;
use futures_util::future::try_join_all;
use tokio_postgres::{types::ToSql, Error};

use crate::sandbox::bank::{
    rows::RowChange,
    store::{
        postgres::{
            outbox,
            state::{failure, InTransaction},
        },
        shared_callbacks::OwedCallback,
    },
};

/// How many versions a copy may lag and still catch up from the rows changed since: further
/// behind (a process idle on the app for a while), it loads the app whole, once.
pub const HORIZON: i64 = 1024;

/// How often (in versions) an app's old tombstones are pruned: rarely enough to cost nothing.
pub const PRUNE_EVERY: i64 = 256;

/// What a transaction writes: its rows (`whole`: the app's rows replaced), its new version, and its
/// clock setting when that changed.
pub struct Write {
    pub app_id: String,
    pub version: i64,
    pub clock: Option<String>,
    pub whole: bool,
    pub rows: Vec<RowChange>,
    /// The callbacks the transaction owes, written to the outbox with it.
    pub outbox: Vec<OwedCallback>,
}

/// Writes `writes` in order and commits, in one round trip; on any failure nothing is kept and the
/// connection is closed. Several writes are the requests of one group (`group.rs`), each at its
/// own version; none is only COMMIT.
pub async fn commit(client: InTransaction, writes: Vec<Write>) -> Result<(), String> {
    match send(&client, &writes).await {
        Ok(()) => {
            drop(client.ended()); // back to the pool
            Ok(())
        }
        // Dropping the connection closes it.
        Err(e) => Err(failure(e)),
    }
}

type Pending<'a> = Pin<Box<dyn Future<Output = Result<u64, Error>> + Send + 'a>>;

struct Statements {
    upsert: tokio_postgres::Statement,
    delete: tokio_postgres::Statement,
    delete_prefix: tokio_postgres::Statement,
    delete_all: tokio_postgres::Statement,
    prune: tokio_postgres::Statement,
    version: tokio_postgres::Statement,
}

async fn statements(client: &Object) -> Result<Statements, Error> {
    Ok(Statements {
        upsert: client
            .prepare_cached(
                "INSERT INTO app_rows (app_id, family, collection, key, body, version, deleted) \
                 SELECT $1, f, c, k, b, $6, false \
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS r(f, c, k, b) \
                 ON CONFLICT (app_id, family, collection, key) DO UPDATE \
                 SET body = excluded.body, version = excluded.version, deleted = false",
            )
            .await?,
        // A deleted row stays as a tombstone (empty body) carrying the version that deleted it.
        delete: client
            .prepare_cached(
                "UPDATE app_rows SET deleted = true, body = '', version = $5 \
                 WHERE app_id = $1 AND NOT deleted AND (family, collection, key) IN \
                 (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))",
            )
            .await?,
        delete_prefix: client
            .prepare_cached(
                "UPDATE app_rows SET deleted = true, body = '', version = $5 \
                 WHERE app_id = $1 AND family = $2 AND collection = $3 \
                 AND starts_with(key, $4) AND NOT deleted",
            )
            .await?,
        delete_all: client
            .prepare_cached("DELETE FROM app_rows WHERE app_id = $1")
            .await?,
        prune: client
            .prepare_cached("DELETE FROM app_rows WHERE app_id = $1 AND deleted AND version <= $2")
            .await?,
        // `base` only moves forward: copies older than it load whole.
        version: client
            .prepare_cached(
                "INSERT INTO app_versions (app_id, version, clock, base) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (app_id) DO UPDATE SET version = excluded.version, \
                 clock = coalesce(excluded.clock, app_versions.clock), \
                 base = greatest(app_versions.base, excluded.base), used_at = now()",
            )
            .await?,
    })
}

/// What one write sends besides its rows: its outbox insert, the version it prunes tombstones
/// to, and the `base` it moves to.
struct Extras {
    owed: Option<outbox::Insert>,
    pruned: Option<i64>,
    base: i64,
}

async fn send(client: &Object, writes: &[Write]) -> Result<(), Error> {
    let s = &statements(client).await?;
    let mut extras = Vec::with_capacity(writes.len());
    for write in writes {
        let pruned = (write.version % PRUNE_EVERY == 0).then(|| write.version - HORIZON);
        let base = match (write.whole, pruned) {
            (true, _) => write.version,
            (false, Some(pruned)) => pruned,
            (false, None) => 0,
        };
        extras.push(Extras {
            owed: outbox::Insert::prepare(client, &write.outbox).await?,
            pruned,
            base,
        });
    }
    let batches: Vec<Vec<Batch>> = writes.iter().map(|w| batches(&w.rows)).collect();
    let mut pending: Vec<Pending<'_>> = Vec::new();
    for ((write, extras), batches) in writes.iter().zip(&extras).zip(&batches) {
        push_write(&mut pending, client, s, write, extras, batches);
    }
    pending.push(Box::pin(async {
        client.batch_execute("COMMIT").await.map(|()| 0)
    }));
    // Sent in order, answered in order: one round trip. A failed statement fails the whole (its
    // COMMIT then only rolls back).
    try_join_all(pending).await.map(|_| ())
}

/// Adds one write's statements to `pending`, in order.
fn push_write<'a>(
    pending: &mut Vec<Pending<'a>>,
    client: &'a Object,
    s: &'a Statements,
    write: &'a Write,
    extras: &'a Extras,
    batches: &'a [Batch],
) {
    let (app, version) = (&write.app_id, &write.version);
    if write.whole {
        pending.push(Box::pin(async move {
            client.execute(&s.delete_all, &[app]).await
        }));
    }
    for batch in batches {
        pending.push(match batch {
            Batch::Put(p) => Box::pin(async move {
                let params: [&(dyn ToSql + Sync); 6] = [
                    app,
                    &p.families,
                    &p.collections,
                    &p.keys,
                    &p.bodies,
                    version,
                ];
                client.execute(&s.upsert, &params).await
            }),
            Batch::Delete(d) => Box::pin(async move {
                let params: [&(dyn ToSql + Sync); 5] =
                    [app, &d.families, &d.collections, &d.keys, version];
                client.execute(&s.delete, &params).await
            }),
            Batch::Prefix(family, collection, prefix) => Box::pin(async move {
                let params: [&(dyn ToSql + Sync); 5] = [app, family, collection, prefix, version];
                client.execute(&s.delete_prefix, &params).await
            }),
        });
    }
    // The callbacks owed commit with the change that owes them.
    if let Some(owed) = &extras.owed {
        pending.push(Box::pin(owed.execute(client, app)));
    }
    if let Some(pruned) = &extras.pruned {
        pending.push(Box::pin(async move {
            client.execute(&s.prune, &[app, pruned]).await
        }));
    }
    let base = &extras.base;
    pending.push(Box::pin(async move {
        client
            .execute(&s.version, &[app, version, &write.clock, base])
            .await
    }));
}

#[derive(Default)]
struct Columns {
    families: Vec<String>,
    collections: Vec<String>,
    keys: Vec<String>,
    bodies: Vec<String>,
    /// Where each key already is in this batch (a row written twice keeps its last body).
    at: HashMap<(String, String, String), usize>,
}

impl Columns {
    fn push(&mut self, family: &str, collection: &str, key: &str, body: Option<&str>) {
        let id = (family.to_string(), collection.to_string(), key.to_string());
        if let Some(&index) = self.at.get(&id) {
            if let Some(body) = body {
                self.bodies[index] = body.to_string();
            }
            return;
        }
        self.at.insert(id, self.families.len());
        self.families.push(family.to_string());
        self.collections.push(collection.to_string());
        self.keys.push(key.to_string());
        if let Some(body) = body {
            self.bodies.push(body.to_string());
        }
    }
}

enum Batch {
    Put(Columns),
    Delete(Columns),
    Prefix(String, String, String),
}

/// The changes as statements, in order: consecutive puts (or deletes) go as one.
fn batches(rows: &[RowChange]) -> Vec<Batch> {
    let mut out: Vec<Batch> = Vec::new();
    for change in rows {
        match change {
            RowChange::Put(row) => {
                if !matches!(out.last(), Some(Batch::Put(_))) {
                    out.push(Batch::Put(Columns::default()));
                }
                if let Some(Batch::Put(columns)) = out.last_mut() {
                    columns.push(&row.family, &row.collection, &row.key, Some(&row.body));
                }
            }
            RowChange::Delete {
                family,
                collection,
                key,
            } => {
                if !matches!(out.last(), Some(Batch::Delete(_))) {
                    out.push(Batch::Delete(Columns::default()));
                }
                if let Some(Batch::Delete(columns)) = out.last_mut() {
                    columns.push(family, collection, key, None);
                }
            }
            RowChange::DeletePrefix {
                family,
                collection,
                prefix,
            } => out.push(Batch::Prefix(
                family.clone(),
                collection.clone(),
                prefix.clone(),
            )),
        }
    }
    out
}
