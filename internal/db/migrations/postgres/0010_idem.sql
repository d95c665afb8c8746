-- One idempotency store for every command (internal/idem). A key belongs to a
-- community; the stored answer is the command's typed result as JSON, never an
-- HTTP status, so a page and the API asking with one key get one effect.
CREATE TABLE idem_keys (
    community_id TEXT   NOT NULL,
    key          TEXT   NOT NULL,
    command      TEXT   NOT NULL,
    request_hash TEXT   NOT NULL,
    answer       TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, key)
);
