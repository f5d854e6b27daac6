-- sandbank SQLite schema, version 2: apps created with POST /sandbox/apps, so that they outlive a
-- restart. The demo app is not here: its identity comes from the server's flags. Rows of app_rows,
-- app_clocks and snapshots whose app has no row here (nor is the demo app) are deleted at start-up.
CREATE TABLE apps (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    apikey           TEXT NOT NULL UNIQUE,
    client_id        TEXT NOT NULL UNIQUE,
    client_secret    TEXT NOT NULL,
    callback_secret  TEXT NOT NULL,
    plan             TEXT NOT NULL,    -- sandbox, premium or custom
    daily_limit      INTEGER,          -- the custom plan's calls a day
    callback_url     TEXT,
    scopes           TEXT NOT NULL,    -- scope names, space-separated
    public_key_pem   TEXT,             -- an encrypted app's key
    callback_sealing TEXT NOT NULL,    -- auto, rsa or hybrid
    created_at       TEXT NOT NULL,    -- RFC 3339, UTC
    enabled          INTEGER NOT NULL  -- 0 once DELETE /sandbox/apps/me disabled it
) WITHOUT ROWID;
