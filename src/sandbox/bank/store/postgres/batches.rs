//! The quick line's batches. What requests ask of the line at once (an app's head, a request-log
//! entry) gathers while the previous batch is on the wire, and goes as one statement for all the
//! heads and one per app for its log entries: under load a batch holds as many requests as arrived
//! in one round trip, so the database runs a few statements where it ran one or two per request.
//! A head is always read by a statement sent after it was asked for, so it shows every write
//! committed before the request began.

use std::{collections::HashMap, sync::Arc};

use tokio::sync::mpsc;
use tokio_postgres::types::ToSql;

use crate::sandbox::bank::store::{
    postgres::{
        bridge,
        line::{Connected, Connector, Head},
        state::failure,
    },
    LoggedRow,
};

/// Where a batch's answer to one ask goes: to a thread that waits for it, or a task that awaits it.
pub(super) struct Reply<T>(Box<dyn FnOnce(Result<T, String>) + Send>);

/// What a task awaits: a batch's answer.
pub(super) type Awaited<T> = tokio::sync::oneshot::Receiver<Result<T, String>>;

impl<T: Send + 'static> Reply<T> {
    /// A reply the asking thread waits for ([`wait`]).
    pub(super) fn waited() -> (Self, std::sync::mpsc::Receiver<Result<T, String>>) {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        // The asker may have gone (its request ended); nothing is owed to it then.
        let reply = Self(Box::new(move |answer| drop(sender.send(answer))));
        (reply, receiver)
    }

    /// A reply the asking task awaits ([`answered`]), holding no thread meanwhile.
    pub(super) fn awaited() -> (Self, Awaited<T>) {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let reply = Self(Box::new(move |answer| drop(sender.send(answer))));
        (reply, receiver)
    }

    fn send(self, answer: Result<T, String>) {
        (self.0)(answer)
    }
}

/// One thing a request asks of the line.
pub(super) enum Ask {
    Head {
        app_id: String,
        reply: Reply<Head>,
    },
    Log {
        app_id: String,
        row: LoggedRow,
        capacity: usize,
        reply: Reply<u64>,
    },
}

impl Ask {
    fn fail(self, error: &str) {
        let error = error.to_string();
        match self {
            Ask::Head { reply, .. } => reply.send(Err(error)),
            Ask::Log { reply, .. } => reply.send(Err(error)),
        }
    }
}

/// Waits for a batch's answer, leaving the worker as waiting on the database does.
pub(super) fn wait<T>(answer: std::sync::mpsc::Receiver<Result<T, String>>) -> Result<T, String> {
    bridge::wait(move || answer.recv()).unwrap_or_else(|_| Err(LOST.into()))
}

/// Awaits a batch's answer.
pub(super) async fn answered<T>(answer: Awaited<T>) -> Result<T, String> {
    answer.await.unwrap_or_else(|_| Err(LOST.into()))
}

const LOST: &str = "postgres: the line's batch was lost";

/// Sends what is asked, a batch at a time, until the line is dropped.
pub(super) async fn serve(connector: Arc<Connector>, mut asked: mpsc::UnboundedReceiver<Ask>) {
    while let Some(first) = asked.recv().await {
        let mut batch = vec![first];
        while let Ok(ask) = asked.try_recv() {
            batch.push(ask);
        }
        match connector.connected().await {
            Ok(line) => answer(&line, batch).await,
            Err(error) => batch.into_iter().for_each(|ask| ask.fail(&error)),
        }
    }
}

/// One app's log entries in a batch, in the order they were asked.
type Entries = Vec<(LoggedRow, usize, Reply<u64>)>;

async fn answer(line: &Connected, batch: Vec<Ask>) {
    let mut heads: Vec<(String, Reply<Head>)> = Vec::new();
    let mut logs: HashMap<String, Entries> = HashMap::new();
    for ask in batch {
        match ask {
            Ask::Head { app_id, reply } => heads.push((app_id, reply)),
            Ask::Log {
                app_id,
                row,
                capacity,
                reply,
            } => logs.entry(app_id).or_default().push((row, capacity, reply)),
        }
    }
    let logged = logs
        .into_iter()
        .map(|(app_id, entries)| log(line, app_id, entries));
    futures_util::join!(
        read_heads(line, heads),
        futures_util::future::join_all(logged)
    );
}

/// A head as its row reads: version, clock, enabled.
type Read = (Option<i64>, Option<String>, Option<bool>);

/// Reads the heads of the apps asked for, in one statement.
async fn read_heads(line: &Connected, asked: Vec<(String, Reply<Head>)>) {
    if asked.is_empty() {
        return;
    }
    let mut ids: Vec<&str> = asked.iter().map(|(app_id, _)| app_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = match line.client.query(&line.heads, &[&ids]).await {
        Ok(rows) => rows,
        Err(e) => {
            let error = failure(e);
            for (_, reply) in asked {
                reply.send(Err(error.clone()));
            }
            return;
        }
    };
    let heads: HashMap<String, Read> = rows
        .iter()
        .map(|row| (row.get(0), (row.get(1), row.get(2), row.get(3))))
        .collect();
    for (app_id, reply) in asked {
        let head = heads
            .get(&app_id)
            .map(|(version, clock, enabled)| Head {
                version: version.unwrap_or(0),
                clock: clock.clone(),
                enabled: *enabled,
            })
            .ok_or_else(|| format!("postgres: no head was read for {app_id}"));
        reply.send(head);
    }
}

/// Keeps one app's entries of a batch, numbered in order, in one statement.
async fn log(line: &Connected, app_id: String, entries: Entries) {
    let count = entries.len() as i64;
    let capacity = entries
        .iter()
        .map(|(_, capacity, _)| *capacity)
        .max()
        .unwrap_or(0) as i64;
    let scopes: Vec<Option<&str>> = entries
        .iter()
        .map(|(row, ..)| row.scope.as_deref())
        .collect();
    let paths: Vec<&str> = entries.iter().map(|(row, ..)| row.path.as_str()).collect();
    let statuses: Vec<i32> = entries
        .iter()
        .map(|(row, ..)| i32::from(row.status))
        .collect();
    let texts: Vec<&str> = entries.iter().map(|(row, ..)| row.entry.as_str()).collect();
    let params: [&(dyn ToSql + Sync); 7] = [
        &app_id, &count, &scopes, &paths, &statuses, &texts, &capacity,
    ];
    let last = line
        .client
        .query_one(&line.log, &params)
        .await
        .map(|row| row.get::<_, i64>(0))
        .map_err(failure);
    for (n, (_, _, reply)) in entries.into_iter().enumerate() {
        let id = last
            .as_ref()
            .map(|last| (last - count + 1 + n as i64) as u64)
            .map_err(Clone::clone);
        reply.send(id);
    }
}
