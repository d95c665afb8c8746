-- The resident code: one Ed25519 key per community (private half encrypted with
-- the installation secret) and printable card codes that can be revoked.
CREATE TABLE code_keys (
    community_id TEXT PRIMARY KEY REFERENCES communities(id),
    public_key   TEXT NOT NULL,
    private_enc  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE code_cards (
    community_id TEXT NOT NULL,
    id           TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    issued_at    BIGINT NOT NULL,
    issued_by    TEXT NOT NULL,
    revoked_at   BIGINT,
    revoked_by   TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (community_id, id)
);
CREATE INDEX code_cards_resident ON code_cards (community_id, resident_id, issued_at);
