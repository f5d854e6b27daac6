//! The commit's side of the outbox: the callbacks a transaction owes, as rows ([`owed`]), and the
//! one statement of its commit batch that appends them ([`Insert`]).

use deadpool_postgres::Object;
use tokio_postgres::{types::ToSql, Statement};

use crate::sandbox::{
    bank::store::{postgres::outbox::text_of, shared_callbacks::OwedCallback, Effects},
    gateway::{
        apps::{new_secret, App},
        encryption,
    },
};

/// Appends a transaction's owed callbacks to the outbox, in the order they were made (ids in that
/// order: the dispatch order). `$1` the app, then one array per column.
const INSERT: &str = "INSERT INTO outbox (app_id, delivery, kind, reference, url, body, \
     content_type, sealed, secret, owed_at) SELECT $1, d, k, r, u, b, c, s, x, t \
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
     $8::bytea[], $9::text[], $10::text[]) WITH ORDINALITY AS owed(d, k, r, u, b, c, s, x, t, n) \
     ORDER BY n";

/// The callbacks `effects` owes, as the outbox keeps them: each with a fresh delivery id, its URL
/// as of now, and its bytes sealed for the app once.
pub fn owed(app: &App, effects: &Effects) -> Vec<OwedCallback> {
    effects
        .callbacks
        .iter()
        .map(|callback| {
            let plain = serde_json::to_vec(&callback.body).unwrap_or_default();
            let sealed =
                encryption::callback::seal(app.public_key(), app.callback_sealing, &app.id, plain);
            OwedCallback {
                delivery: new_secret("dlv_"),
                kind: callback.kind.to_string(),
                reference: callback.reference.clone(),
                url: callback.url.clone().or_else(|| app.callback_url.clone()),
                body: callback.body.to_string(),
                content_type: sealed.content_type.to_string(),
                sealed: sealed.body,
                secret: app.credentials.callback_secret.clone(),
                owed_at: app.clock.now(),
            }
        })
        .collect()
}

/// A transaction's statement appending its owed callbacks to the outbox (one of its commit batch).
pub struct Insert {
    statement: Statement,
    delivery: Vec<String>,
    kind: Vec<String>,
    reference: Vec<String>,
    url: Vec<Option<String>>,
    body: Vec<String>,
    content_type: Vec<String>,
    sealed: Vec<Vec<u8>>,
    secret: Vec<String>,
    owed_at: Vec<String>,
}

impl Insert {
    /// The statement for `owed`; `None` when nothing is owed.
    pub async fn prepare(
        client: &Object,
        owed: &[OwedCallback],
    ) -> Result<Option<Self>, tokio_postgres::Error> {
        if owed.is_empty() {
            return Ok(None);
        }
        let column = |f: fn(&OwedCallback) -> String| owed.iter().map(f).collect();
        Ok(Some(Self {
            statement: client.prepare_cached(INSERT).await?,
            delivery: column(|o| o.delivery.clone()),
            kind: column(|o| o.kind.clone()),
            reference: column(|o| o.reference.clone()),
            url: owed.iter().map(|o| o.url.clone()).collect(),
            body: column(|o| o.body.clone()),
            content_type: column(|o| o.content_type.clone()),
            sealed: owed.iter().map(|o| o.sealed.clone()).collect(),
            secret: column(|o| o.secret.clone()),
            owed_at: column(|o| text_of(&o.owed_at)),
        }))
    }

    /// Appends them for `app_id`, inside the open transaction.
    pub async fn execute(
        &self,
        client: &Object,
        app_id: &str,
    ) -> Result<u64, tokio_postgres::Error> {
        let columns: [&(dyn ToSql + Sync); 10] = [
            &app_id,
            &self.delivery,
            &self.kind,
            &self.reference,
            &self.url,
            &self.body,
            &self.content_type,
            &self.sealed,
            &self.secret,
            &self.owed_at,
        ];
        client.execute(&self.statement, &columns).await
    }
}
