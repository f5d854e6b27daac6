//! Connecting to the database and bringing its schema up to date. `sandbank_schema` lists the
//! migrations applied (files under `migrations/postgres/`, compiled in); processes starting at once
//! take turns (a session advisory lock), and each migration commits with its row. A database whose
//! schema is newer than this binary is refused rather than guessed at.

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use crate::sandbox::bank::store::postgres::state::failure;

/// The migrations, in order: version N is the N-th.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../../migrations/postgres/0001_schema.sql"),
    include_str!("../../../../../migrations/postgres/0002_calls.sql"),
    include_str!("../../../../../migrations/postgres/0003_requests.sql"),
    include_str!("../../../../../migrations/postgres/0004_row_versions.sql"),
    include_str!("../../../../../migrations/postgres/0005_outbox.sql"),
];

/// The schema version this binary writes.
pub const VERSION: i32 = MIGRATIONS.len() as i32;

/// Connections per process: enough for the server's workers and the background ticker.
const POOL_SIZE: usize = 16;

/// Held while migrating (an arbitrary constant all sandbank processes share).
const MIGRATION_LOCK: i64 = 0x5a4e_4b00_0001;

/// A pool of connections to `url` (checked by connecting once), its schema migrated to [`VERSION`].
pub async fn open(url: String) -> Result<Pool, String> {
    let url = url.as_str();
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| format!("`{}` is not a PostgreSQL URL: {e}", redacted(url)))?;
    bounded_waits(&mut config);
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(5)))
        .recycle_timeout(Some(Duration::from_secs(5)))
        .build()
        .map_err(|e| format!("cannot set up connections to {}: {e}", redacted(url)))?;
    let client = pool
        .get()
        .await
        .map_err(|e| format!("cannot connect to {}: {}", redacted(url), failure(e)))?;
    migrate(&client)
        .await
        .map_err(|e| format!("{}: {e}", redacted(url)))?;
    Ok(pool)
}

/// A session that holds an app's lock and stops talking (a process gone without its socket closing,
/// behind a broken network) would stall that app in every process: the database ends such a
/// session after [`IDLE_IN_TRANSACTION`], and a request waits at most [`LOCK_WAIT`] for an app's
/// lock before it answers 503 (`Retry-After`), rather than hanging. The URL's own options come first.
fn bounded_waits(config: &mut tokio_postgres::Config) {
    let own = config.get_options().unwrap_or_default().to_string();
    config.options(format!(
        "{own} -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION} -c lock_timeout={LOCK_WAIT}"
    ).trim_start());
}

/// See [`bounded_waits`].
const IDLE_IN_TRANSACTION: &str = "30s";
const LOCK_WAIT: &str = "15s";

async fn migrate(client: &tokio_postgres::Client) -> Result<(), String> {
    let failed = |e: tokio_postgres::Error| format!("cannot migrate the schema: {e}");
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(failed)?;
    let result = apply(client).await;
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    result?;
    unlocked.map(|_| ()).map_err(failed)
}

async fn apply(client: &tokio_postgres::Client) -> Result<(), String> {
    let failed = |e: tokio_postgres::Error| format!("cannot migrate the schema: {e}");
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS sandbank_schema (version integer PRIMARY KEY, \
             applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await
        .map_err(failed)?;
    let applied: i32 = client
        .query_one("SELECT coalesce(max(version), 0) FROM sandbank_schema", &[])
        .await
        .map_err(failed)?
        .get(0);
    if applied > VERSION {
        return Err(format!(
            "the database has sandbank schema version {applied}, newer than this sandbank knows \
             ({VERSION}): run the sandbank that wrote it, or use another database"
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let version = index as i32 + 1;
        let script = format!(
            "BEGIN; {sql}\nINSERT INTO sandbank_schema (version) VALUES ({version}); COMMIT;"
        );
        if let Err(e) = client.batch_execute(&script).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(format!(
                "cannot migrate the schema to version {version}: {e}"
            ));
        }
    }
    Ok(())
}

/// `url` without its password, for messages.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
