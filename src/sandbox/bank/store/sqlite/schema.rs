//! Opening the database and bringing its schema up to date: `PRAGMA user_version` counts the
//! migrations applied (files under `migrations/sqlite/`, compiled in), each applied in its own
//! transaction. A database newer than this binary is refused rather than guessed at.

use std::path::Path;

use rusqlite::Connection;

/// The migrations, in order: `user_version` N means the first N are applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../../migrations/sqlite/0001_rows.sql"),
    include_str!("../../../../../migrations/sqlite/0002_apps.sql"),
    include_str!("../../../../../migrations/sqlite/0003_usage.sql"),
];

/// The schema version this binary writes.
pub const VERSION: usize = MIGRATIONS.len();

/// Opens (creating if need be) the database at `path`, in WAL mode, migrated to [`VERSION`].
pub fn open(path: &Path) -> Result<Connection, String> {
    let shown = path.display();
    let mut db = Connection::open(path).map_err(|e| format!("cannot open {shown}: {e}"))?;
    // WAL: readers never wait for the writer. synchronous=NORMAL: a committed transaction is in the
    // WAL before the answer goes out, so it survives the process being killed (not a power cut).
    db.pragma_update(None, "journal_mode", "WAL")
        .and_then(|()| db.pragma_update(None, "synchronous", "NORMAL"))
        .and_then(|()| db.pragma_update(None, "foreign_keys", "ON"))
        .and_then(|()| db.busy_timeout(std::time::Duration::from_secs(5)))
        .map_err(|e| format!("cannot use {shown} as a database: {e}"))?;
    let version: usize = db
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| format!("cannot read the schema version of {shown}: {e}"))?;
    if version > VERSION {
        return Err(format!(
            "{shown} has schema version {version}, newer than this sandbank knows ({VERSION}): \
             run the sandbank that wrote it, or start on a new file"
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = db
            .transaction()
            .map_err(|e| format!("cannot migrate {shown}: {e}"))?;
        tx.execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", index + 1))
            .and_then(|()| tx.commit())
            .map_err(|e| format!("cannot migrate {shown} to version {}: {e}", index + 1))?;
    }
    Ok(db)
}
