//! Group commit: one app's requests that queue in this process while one of them commits share the
//! next transaction. A request that finds others waiting for the app leaves its rows with the open
//! transaction (which holds the app's lock in the database) for the next, which runs on the copy
//! as it stands and does the same; the last one in the queue sends every request's rows, each at
//! its own version, and COMMIT, in one round trip. Each answers
//! only once the commit it shares is durable, so a 2xx still means committed: a request served
//! through the gateway awaits it after its handler ends (`PostgresStore::serve`), holding no thread;
//! any other caller waits for it in `transact`. If the commit fails,
//! or the transaction is dropped before it (a later request's failure), every request in it fails
//! and nothing of any is kept. A disk's flush then serves a queue of requests, not one.

use crate::sandbox::bank::store::postgres::{state::InTransaction, write::Write};

/// How many requests one transaction serves at most, so that a steady queue still commits often.
pub const MAX_REQUESTS: usize = 64;

/// Whether a group committed.
pub type Outcome = Result<(), String>;

/// What a request sharing a group waits on: a thread, or the task serving the request.
pub enum Commit {
    Waited(std::sync::mpsc::Receiver<Outcome>),
    Awaited(tokio::sync::oneshot::Receiver<Outcome>),
}

/// Tells one request how its group's commit went (it may have stopped waiting: then nothing).
type Owed = Box<dyn FnOnce(Outcome) + Send>;

/// A transaction open on the app, with the requests that wait on it and the rows they left.
pub struct Group {
    client: Option<InTransaction>,
    owed: Vec<Owed>,
    writes: Vec<Write>,
}

impl Group {
    /// A transaction that serves no request yet.
    pub fn new(client: InTransaction) -> Self {
        Self {
            client: Some(client),
            owed: Vec::new(),
            writes: Vec::new(),
        }
    }

    /// Whether requests wait on this transaction's commit.
    pub fn serves_any(&self) -> bool {
        !self.owed.is_empty()
    }

    /// Whether another request may join before it commits.
    pub fn has_room(&self) -> bool {
        self.owed.len() + 1 < MAX_REQUESTS
    }

    /// The transaction's connection, to end it with.
    pub fn take_client(&mut self) -> InTransaction {
        self.client
            .take()
            .expect("a group holds its connection until it ends")
    }

    /// Adds a request to the group, with what it wrote: it waits (or, `awaited`, its task awaits)
    /// what this answers.
    pub fn join(&mut self, write: Option<Write>, awaited: bool) -> Commit {
        self.writes.extend(write);
        if awaited {
            let (sender, receiver) = tokio::sync::oneshot::channel();
            self.owed
                .push(Box::new(move |outcome| drop(sender.send(outcome))));
            return Commit::Awaited(receiver);
        }
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        self.owed
            .push(Box::new(move |outcome| drop(sender.send(outcome))));
        Commit::Waited(receiver)
    }

    /// The rows its requests left, in their order, with `last`'s (the request that commits).
    pub fn writes_with(&mut self, last: Option<Write>) -> Vec<Write> {
        let mut writes = std::mem::take(&mut self.writes);
        writes.extend(last);
        writes
    }

    /// Tells every request in the group how its commit went.
    pub fn settle(mut self, result: &Outcome) {
        for owed in self.owed.drain(..) {
            owed(result.clone());
        }
    }
}

impl Drop for Group {
    /// Dropped unsettled: its connection closes with the transaction rolled back.
    fn drop(&mut self) {
        for owed in self.owed.drain(..) {
            owed(Err(
                "postgres: the transaction shared with other requests was not committed; nothing was written"
                    .into(),
            ));
        }
    }
}
