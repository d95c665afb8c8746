-- The page import's uploads between their dry run and their import
-- (registry.StageImport, ApplyImport), kept here rather than in one server's
-- memory so that any server behind a balancer shows the dry run, runs the
-- import and shows its progress. A job lives an hour after its last change
-- (the jobs runner deletes it).
--
-- The file's rows hold ID numbers and phones in clear, and so may the bad
-- rows' messages: both are kept only sealed with the registry's key
-- (gzipped JSON, then AES-GCM as registry.Keys.Seal does for every
-- sensitive field), never in clear.
CREATE TABLE registry_import_jobs (
    community_id  TEXT    NOT NULL REFERENCES communities(id),
    id            TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,               -- the uploader: only they see the job
    file_name     TEXT    NOT NULL,
    rows_sealed   TEXT    NOT NULL,               -- the rows read from the file
    report_sealed TEXT    NOT NULL,               -- the dry run's bad rows
    total         INTEGER NOT NULL,               -- the dry run: rows, new, already registered, bad
    new_rows      INTEGER NOT NULL,
    existing      INTEGER NOT NULL,
    bad           INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('checked', 'running', 'done', 'failed')),
    apply_key     TEXT    NOT NULL DEFAULT '',    -- the idempotency key of the confirmation that claimed it
    valid_only    INTEGER NOT NULL DEFAULT 0 CHECK (valid_only IN (0, 1)),
    done_rows     INTEGER NOT NULL DEFAULT 0,     -- progress (PostgreSQL; on SQLite the import holds the one writer)
    total_rows    INTEGER NOT NULL DEFAULT 0,
    result        TEXT    NOT NULL DEFAULT '',    -- registry.ImportResult as JSON, once done
    failure       TEXT    NOT NULL DEFAULT '',    -- the error as JSON (code, key, args), once failed
    created_at    BIGINT  NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    updated_at    BIGINT  NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX registry_import_jobs_updated ON registry_import_jobs (community_id, updated_at);
