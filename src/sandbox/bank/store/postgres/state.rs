//! One app's state in the database, a transaction at a time. A transaction takes the app's advisory
//! lock (so processes sharing the database take turns on one app, and never on two different ones),
//! reads the app's version, and reads its rows only when the caller's cached copy is older. A write
//! sends the changed rows, the new version and COMMIT together, in one round trip.

use std::{collections::HashMap, future::Future, pin::Pin};

use deadpool_postgres::{Object, Pool};
use futures_util::future::try_join_all;
use tokio_postgres::Error;

use crate::sandbox::bank::{
    rows::{Row, RowChange},
    store::{postgres::outbox, shared_callbacks::OwedCallback},
};

/// What a transaction found when it began.
pub struct Begun {
    /// The connection, inside the open transaction (holding the app's lock).
    pub client: Object,
    /// The app's committed version (0: it never wrote).
    pub version: i64,
    /// Its committed clock setting.
    pub clock: Option<String>,
    /// Whether the `apps` table has it enabled (`None`: not there, as the demo app).
    pub enabled: Option<bool>,
    /// Its rows, when the caller's copy was not at `version`.
    pub rows: Option<Vec<Row>>,
}

/// What a failed database call says, with its causes (for the 503's log line, or the start-up's).
pub fn failure<E: std::error::Error>(e: E) -> String {
    let mut text = format!("postgres: {e}");
    let mut source = e.source();
    while let Some(cause) = source {
        let cause = cause.to_string();
        if !text.ends_with(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
        source = cause_of(source);
    }
    text
}

fn cause_of<'a>(
    e: Option<&'a (dyn std::error::Error + 'static)>,
) -> Option<&'a (dyn std::error::Error + 'static)> {
    e.and_then(std::error::Error::source)
}

/// Begins `app_id`'s transaction; `known` is the version of the caller's cached state.
pub async fn begin(pool: Pool, app_id: String, known: Option<i64>) -> Result<Begun, String> {
    let client = pool.get().await.map_err(failure)?;
    let begun = read(&client, &app_id, known).await;
    match begun {
        Ok(Found {
            version,
            clock,
            enabled,
            rows,
        }) => Ok(Begun {
            client,
            version,
            clock,
            enabled,
            rows,
        }),
        Err(e) => {
            discard(client);
            Err(failure(e))
        }
    }
}

struct Found {
    version: i64,
    clock: Option<String>,
    enabled: Option<bool>,
    rows: Option<Vec<Row>>,
}

async fn read(client: &Object, app_id: &str, known: Option<i64>) -> Result<Found, Error> {
    let lock = client
        .prepare_cached("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .await?;
    // The app's row too: an app disabled through another process is disabled here as well.
    let version = client
        .prepare_cached(
            "SELECT (SELECT version FROM app_versions WHERE app_id = $1), \
             (SELECT clock FROM app_versions WHERE app_id = $1), \
             (SELECT enabled FROM apps WHERE id = $1)",
        )
        .await?;
    // Three statements in one round trip; the version is read after the lock is held.
    let ((), _, found) = futures_util::try_join!(
        client.batch_execute("BEGIN"),
        async { client.execute(&lock, &[&app_id]).await },
        async { client.query_one(&version, &[&app_id]).await },
    )?;
    let mut found = Found {
        version: found.get::<_, Option<i64>>(0).unwrap_or(0),
        clock: found.get(1),
        enabled: found.get(2),
        rows: None,
    };
    if known == Some(found.version) {
        return Ok(found);
    }
    let select = client
        .prepare_cached("SELECT family, collection, key, body FROM app_rows WHERE app_id = $1")
        .await?;
    let rows = client
        .query(&select, &[&app_id])
        .await?
        .into_iter()
        .map(|row| Row {
            family: row.get(0),
            collection: row.get(1),
            key: row.get(2),
            body: row.get(3),
        })
        .collect();
    found.rows = Some(rows);
    Ok(found)
}

/// Ends a transaction that changed nothing.
pub async fn end(client: Object) {
    if client.batch_execute("COMMIT").await.is_err() {
        discard(client);
    }
}

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

/// Writes and commits; on any failure nothing is kept and the connection is closed.
pub async fn commit(client: Object, write: Write) -> Result<(), String> {
    match send(&client, &write).await {
        Ok(()) => Ok(()),
        Err(e) => {
            discard(client);
            Err(failure(e))
        }
    }
}

type Pending<'a> = Pin<Box<dyn Future<Output = Result<u64, Error>> + Send + 'a>>;

async fn send(client: &Object, write: &Write) -> Result<(), Error> {
    let upsert = client
        .prepare_cached(
            "INSERT INTO app_rows (app_id, family, collection, key, body) \
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) \
             ON CONFLICT (app_id, family, collection, key) DO UPDATE SET body = excluded.body",
        )
        .await?;
    let delete = client
        .prepare_cached(
            "DELETE FROM app_rows WHERE app_id = $1 AND (family, collection, key) IN \
             (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))",
        )
        .await?;
    let delete_prefix = client
        .prepare_cached(
            "DELETE FROM app_rows WHERE app_id = $1 AND family = $2 AND collection = $3 \
             AND starts_with(key, $4)",
        )
        .await?;
    let delete_all = client
        .prepare_cached("DELETE FROM app_rows WHERE app_id = $1")
        .await?;
    let version = client
        .prepare_cached(
            "INSERT INTO app_versions (app_id, version, clock) VALUES ($1, $2, $3) \
             ON CONFLICT (app_id) DO UPDATE SET version = excluded.version, \
             clock = coalesce(excluded.clock, app_versions.clock), used_at = now()",
        )
        .await?;
    let owed = outbox::Insert::prepare(client, &write.outbox).await?;
    let batches = batches(&write.rows);
    let app = &write.app_id;
    let (upsert, delete, delete_prefix, delete_all, version) =
        (&upsert, &delete, &delete_prefix, &delete_all, &version);
    let mut pending: Vec<Pending<'_>> = Vec::new();
    if write.whole {
        pending.push(Box::pin(
            async move { client.execute(delete_all, &[app]).await },
        ));
    }
    for batch in &batches {
        pending.push(match batch {
            Batch::Put(p) => Box::pin(async move {
                client
                    .execute(
                        upsert,
                        &[app, &p.families, &p.collections, &p.keys, &p.bodies],
                    )
                    .await
            }),
            Batch::Delete(d) => Box::pin(async move {
                client
                    .execute(delete, &[app, &d.families, &d.collections, &d.keys])
                    .await
            }),
            Batch::Prefix(family, collection, prefix) => Box::pin(async move {
                client
                    .execute(delete_prefix, &[app, family, collection, prefix])
                    .await
            }),
        });
    }
    // The callbacks owed commit with the change that owes them.
    if let Some(owed) = &owed {
        pending.push(Box::pin(owed.execute(client, app)));
    }
    pending.push(Box::pin(async move {
        client
            .execute(version, &[app, &write.version, &write.clock])
            .await
    }));
    pending.push(Box::pin(async {
        client.batch_execute("COMMIT").await.map(|()| 0)
    }));
    // Sent in order, answered in order: one round trip. A failed statement fails the whole (its
    // COMMIT then only rolls back).
    try_join_all(pending).await.map(|_| ())
}

/// Closes a connection whose transaction may still be open, rather than handing it to the next user.
fn discard(client: Object) {
    drop(Object::take(client));
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
