-- sandbank PostgreSQL schema, version 4: a process whose copy of an app is at version v catches up by
-- reading only the rows written since v. Each row carries the version that last wrote it; a deleted
-- row stays as a tombstone (`deleted`, empty body) carrying the version that deleted it. `base` is the
-- oldest version a copy may catch up from: a whole write (a seeded app, a restored snapshot), a reset
-- and the pruning of old tombstones move it, and a copy older than it reads the app whole.
ALTER TABLE app_rows
    ADD COLUMN version bigint NOT NULL DEFAULT 0,
    ADD COLUMN deleted boolean NOT NULL DEFAULT false;
-- Rows written before this version count as written at version 0 (every write names its version).
CREATE INDEX app_rows_since ON app_rows (app_id, version);
-- The tombstones alone, so that pruning an app's old ones does not read its live rows.
CREATE INDEX app_rows_tombstones ON app_rows (app_id, version) WHERE deleted;

ALTER TABLE app_versions ADD COLUMN base bigint NOT NULL DEFAULT 0;
-- Copies cached before the migration load whole.
UPDATE app_versions SET base = version;
