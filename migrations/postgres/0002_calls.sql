-- sandbank PostgreSQL schema, version 2: plan quotas counted in the database, so that every process
-- admits from one count. One row per app and day of the app's sandbox clock (IST), `day` numbered
-- from the common era as the server counts it.
CREATE TABLE app_calls (
    app_id text NOT NULL,
    day    integer NOT NULL,
    calls  integer NOT NULL,
    PRIMARY KEY (app_id, day)
);
