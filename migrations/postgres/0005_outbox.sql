-- sandbank PostgreSQL schema: callbacks shared by every process. `outbox` holds the callbacks a
-- transaction owes, inserted in the same database transaction as the state change (a 2xx means the
-- callback is durably owed); `id` is the callback's place in the dispatch order. A delivery worker on
-- any process claims a due row (`due_at` passed, no live lease) with FOR UPDATE SKIP LOCKED, takes
-- the next attempt number and a lease, sends, then records the attempt and either reschedules the row
-- (`due_at` after the backoff) or deletes it. A lease left to expire means its claimer stopped
-- mid-attempt: the next claimer records that attempt as lost and sends the following one.
-- `callback_attempts` is the callback log (GET /sandbox/callbacks), bounded per app: `seq` is the
-- callback's place in the order (an outbox id, or a drill's number from the same sequence).
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    app_id       text NOT NULL,
    delivery     text NOT NULL,
    kind         text NOT NULL,
    reference    text NOT NULL,
    url          text,
    body         text NOT NULL,
    content_type text NOT NULL,
    sealed       bytea NOT NULL,
    secret       text NOT NULL,
    owed_at      text NOT NULL,
    attempt      integer NOT NULL DEFAULT 0,
    due_at       timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz
);

CREATE INDEX outbox_app ON outbox (app_id);

CREATE TABLE callback_attempts (
    app_id             text NOT NULL,
    seq                bigint NOT NULL,
    attempt            integer NOT NULL,
    kind               text NOT NULL,
    reference          text NOT NULL,
    delivery           text NOT NULL,
    at                 text NOT NULL,
    url                text NOT NULL,
    status             integer,
    latency_ms         bigint NOT NULL,
    request_body       text NOT NULL,
    response_body      text,
    response_truncated boolean NOT NULL,
    error              text,
    -- Ties (a drill's duplicate repeats its original's delivery and attempt) in the order recorded.
    id                 bigserial,
    PRIMARY KEY (app_id, seq, attempt, id)
);
