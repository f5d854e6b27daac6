-- sandbank SQLite schema, version 1: every app's state as rows, its clock, its saved snapshots.
CREATE TABLE app_rows (
    app_id     TEXT NOT NULL,
    family     TEXT NOT NULL,
    collection TEXT NOT NULL,
    key        TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (app_id, family, collection, key)
) WITHOUT ROWID;

CREATE TABLE app_clocks (
    app_id  TEXT PRIMARY KEY,
    setting TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE snapshots (
    app_id   TEXT NOT NULL,
    id       TEXT NOT NULL,
    position INTEGER NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (app_id, id)
);

-- Server-wide secrets generated once (the OAuth2 signing secret when no --jwt-secret is given).
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
