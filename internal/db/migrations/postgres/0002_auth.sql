-- Users: community_id is '' for district and admin users, who belong to no
-- community. Usernames are unique across the installation (they are typed at
-- the login page, before any community is known).
CREATE TABLE users (
    community_id  TEXT NOT NULL DEFAULT '',
    id            TEXT NOT NULL,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('resident', 'worker', 'clerk', 'merchant', 'district', 'admin')),
    resident_id   TEXT NOT NULL DEFAULT '',
    grants        TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX users_id ON users (id);

-- Sessions are found by the SHA-256 of their token, which is all we keep.
CREATE TABLE sessions (
    community_id TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- API tokens: only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    community_id TEXT NOT NULL DEFAULT '',
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('resident', 'worker', 'clerk', 'merchant', 'district', 'admin')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (community_id, id)
);

-- Login throttling, per account ('account:NAME') and per address ('ip:ADDR').
-- Installation-wide (a login names no community), so no community_id.
CREATE TABLE login_throttle (
    key          TEXT NOT NULL PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);

-- Audit log of sensitive reads and administrative actions; append-only.
CREATE TABLE audit_log (
    community_id TEXT NOT NULL DEFAULT '',
    id           TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_name   TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL DEFAULT '',
    subject_id   TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    at           BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX audit_log_at ON audit_log (community_id, at);
CREATE INDEX audit_log_subject ON audit_log (community_id, subject_kind, subject_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append_only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
