-- sandbank PostgreSQL schema, version 3: the request log (GET /sandbox/requests), shared by every
-- process and bounded per app (its last 200 requests). `request_log_ids` numbers each app's requests
-- from 1; `entry` is the request as the log shows it (JSON, secrets masked); `scope`, `path` and
-- `status` are what the log's filters read.
CREATE TABLE request_log_ids (
    app_id text PRIMARY KEY,
    last   bigint NOT NULL
);

CREATE TABLE request_log (
    app_id text NOT NULL,
    id     bigint NOT NULL,
    scope  text,
    path   text NOT NULL,
    status integer NOT NULL,
    entry  text NOT NULL,
    PRIMARY KEY (app_id, id)
);
