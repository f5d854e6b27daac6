-- sandbank SQLite schema, version 3: what the gateway counts per app, so that it outlives a restart
-- as PostgreSQL keeps it. `app_calls`: calls counted against the plan, one row per app and day of the
-- app's sandbox clock (IST), `day` numbered from the common era as the server counts it.
-- `request_log_ids` numbers each app's requests from 1; `request_log` keeps its last 200 (the
-- request as GET /sandbox/requests shows it, JSON, secrets masked; `scope`, `path` and `status` are
-- what the log's filters read). A rowid table, unlike the others: its rows are large, and are
-- appended and dropped in order.
CREATE TABLE app_calls (
    app_id TEXT NOT NULL,
    day    INTEGER NOT NULL,
    calls  INTEGER NOT NULL,
    PRIMARY KEY (app_id, day)
) WITHOUT ROWID;

CREATE TABLE request_log_ids (
    app_id TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE request_log (
    app_id TEXT NOT NULL,
    id     INTEGER NOT NULL,
    scope  TEXT,
    path   TEXT NOT NULL,
    status INTEGER NOT NULL,
    entry  TEXT NOT NULL,
    PRIMARY KEY (app_id, id)
);
