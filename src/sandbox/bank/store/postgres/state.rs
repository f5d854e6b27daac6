//! One app's state in the database, a transaction at a time. A transaction takes the app's advisory
//! lock (so processes sharing the database take turns on one app, and never on two different ones),
//! reads the app's version and, in the same round trip, the rows written since the caller's cached
//! copy (none when it is current): the copy catches up by applying them. Only a copy older than the
//! app's `base` (a whole write, a reset, pruned deletions) or none at all reads the app's rows whole.
//! Writing is in `write.rs`.

use deadpool_postgres::{Object, Pool};
use tokio_postgres::Error;

use crate::sandbox::bank::rows::{Row, RowChange};

/// The rows a transaction read.
pub enum Loaded {
    /// All the app's rows: the caller had no copy, or one older than the app's `base`.
    Whole(Vec<Row>),
    /// The rows written since the caller's copy: puts and deletions.
    Since(Vec<RowChange>),
}

/// A connection inside an app's open transaction, holding the app's lock. [`end`] or
/// `write::commit` ends the transaction and hands the connection back to the pool; dropped any other
/// way (a panic between begin and commit) it is closed, so that it never goes back to the pool still
/// inside the transaction, stalling the app in every process.
pub struct InTransaction(Option<Object>);

impl InTransaction {
    /// The connection, once its transaction has ended.
    pub fn ended(mut self) -> Object {
        self.0.take().expect("held until ended")
    }
}

impl std::ops::Deref for InTransaction {
    type Target = Object;

    fn deref(&self) -> &Object {
        self.0.as_ref().expect("held until ended")
    }
}

impl Drop for InTransaction {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            discard(client);
        }
    }
}

/// What a transaction found when it began.
pub struct Begun {
    /// The connection, inside the open transaction.
    pub client: InTransaction,
    /// The app's committed version (0: it never wrote).
    pub version: i64,
    /// Its committed clock setting.
    pub clock: Option<String>,
    /// Whether the `apps` table has it enabled (`None`: not there, as the demo app).
    pub enabled: Option<bool>,
    /// Its rows, when the caller's copy was not at `version`.
    pub rows: Option<Loaded>,
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
            client: InTransaction(Some(client)),
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
    rows: Option<Loaded>,
}

async fn read(client: &Object, app_id: &str, known: Option<i64>) -> Result<Found, Error> {
    let lock = client
        .prepare_cached("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .await?;
    // The app's row too: an app disabled through another process is disabled here as well.
    let version = client
        .prepare_cached(
            "SELECT v.version, v.clock, (SELECT enabled FROM apps WHERE id = $1), v.base \
             FROM (SELECT 1) AS one LEFT JOIN app_versions AS v ON v.app_id = $1",
        )
        .await?;
    let since = client
        .prepare_cached(
            "SELECT family, collection, key, body, deleted FROM app_rows \
             WHERE app_id = $1 AND version > $2",
        )
        .await?;
    // Four statements in one round trip, read after the lock is held: the rows written since the
    // caller's copy are read before knowing whether they are needed (none, when it is current).
    let after = known.unwrap_or(i64::MAX);
    let ((), _, found, changed) = futures_util::try_join!(
        client.batch_execute("BEGIN"),
        async { client.execute(&lock, &[&app_id]).await },
        async { client.query_one(&version, &[&app_id]).await },
        async {
            match known {
                Some(_) => client.query(&since, &[&app_id, &after]).await,
                None => Ok(Vec::new()),
            }
        },
    )?;
    let version = found.get::<_, Option<i64>>(0).unwrap_or(0);
    let base = found.get::<_, Option<i64>>(3).unwrap_or(0);
    let mut found = Found {
        version,
        clock: found.get(1),
        enabled: found.get(2),
        rows: None,
    };
    match known {
        Some(known) if known == version => {}
        Some(known) if base <= known && known < version => {
            found.rows = Some(Loaded::Since(changed.iter().map(changed_row).collect()));
        }
        _ => found.rows = Some(Loaded::Whole(whole(client, app_id).await?)),
    }
    Ok(found)
}

/// A row read back as a change: a put, or a deletion's tombstone.
fn changed_row(row: &tokio_postgres::Row) -> RowChange {
    let (family, collection, key): (String, String, String) = (row.get(0), row.get(1), row.get(2));
    if row.get::<_, bool>(4) {
        return RowChange::Delete {
            family,
            collection,
            key,
        };
    }
    RowChange::Put(Row {
        family,
        collection,
        key,
        body: row.get(3),
    })
}

/// The app's rows (without tombstones).
async fn whole(client: &Object, app_id: &str) -> Result<Vec<Row>, Error> {
    let select = client
        .prepare_cached(
            "SELECT family, collection, key, body FROM app_rows WHERE app_id = $1 AND NOT deleted",
        )
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
    Ok(rows)
}

/// Reads the app's rows whole inside the open transaction: when applying the rows changed since
/// the caller's copy failed. On failure the connection is closed.
pub async fn reload(
    client: InTransaction,
    app_id: String,
) -> Result<(InTransaction, Vec<Row>), String> {
    match whole(&client, &app_id).await {
        Ok(rows) => Ok((client, rows)),
        Err(e) => Err(failure(e)),
    }
}

/// Ends a transaction that changed nothing (a connection whose COMMIT fails is closed).
pub async fn end(client: InTransaction) {
    if client.batch_execute("COMMIT").await.is_ok() {
        drop(client.ended()); // back to the pool
    }
}

/// Closes a connection whose transaction may still be open, rather than handing it to the next user.
fn discard(client: Object) {
    drop(Object::take(client));
}
