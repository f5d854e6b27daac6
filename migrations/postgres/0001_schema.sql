-- sandbank PostgreSQL schema, version 1. Any number of sandbank processes share one database: every
-- app's state as rows, a version per app that each write moves on (a process whose cached state is at
-- an older version reads the app's rows again), the apps created with POST /sandbox/apps, saved
-- snapshots and the server-wide secrets.
CREATE TABLE app_rows (
    app_id     text NOT NULL,
    family     text NOT NULL,
    collection text NOT NULL,
    key        text NOT NULL,
    body       text NOT NULL,
    PRIMARY KEY (app_id, family, collection, key)
);

-- One row per app that has written state. `version` counts its committed writes; `clock` is its
-- sandbox clock setting (JSON); `used_at` is its last write, which idle expiry reads across processes.
CREATE TABLE app_versions (
    app_id  text PRIMARY KEY,
    version bigint NOT NULL,
    clock   text,
    used_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE snapshots (
    app_id   text NOT NULL,
    id       text NOT NULL,
    position bigint NOT NULL,
    document text NOT NULL,
    PRIMARY KEY (app_id, id)
);

-- Server-wide secrets generated once (the OAuth2 signing secret when no --jwt-secret is given).
CREATE TABLE secrets (
    name  text PRIMARY KEY,
    value text NOT NULL
);

-- Apps created with POST /sandbox/apps (the demo app comes from the server's flags). Their numbers
-- come from `app_numbers`, so two processes creating apps at once never give out the same id.
CREATE TABLE apps (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    apikey           text NOT NULL UNIQUE,
    client_id        text NOT NULL UNIQUE,
    client_secret    text NOT NULL,
    callback_secret  text NOT NULL,
    plan             text NOT NULL,    -- sandbox, premium or custom
    daily_limit      bigint,           -- the custom plan's calls a day
    callback_url     text,
    scopes           text NOT NULL,    -- scope names, space-separated
    public_key_pem   text,             -- an encrypted app's key
    callback_sealing text NOT NULL,    -- auto, rsa or hybrid
    created_at       text NOT NULL,        -- RFC 3339, UTC
    enabled          boolean NOT NULL  -- false once DELETE /sandbox/apps/me disabled it
);

CREATE SEQUENCE app_numbers;
