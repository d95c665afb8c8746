-- The points ledger. Only resident accounts have rows: system accounts
-- (issuance, station) have no lower bound and their balances are derived from
-- postings, so no transfer ever takes a lock on a shared row.
CREATE TABLE ledger_accounts (
    community_id TEXT    NOT NULL REFERENCES communities (id),
    resident_id  TEXT    NOT NULL,
    balance      BIGINT  NOT NULL DEFAULT 0 CHECK (balance >= 0),
    earned       BIGINT  NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, resident_id)
);

CREATE TABLE ledger_transfers (
    community_id TEXT    NOT NULL REFERENCES communities (id),
    id           TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('award', 'redemption', 'reversal', 'adjustment', 'expiry')),
    reason       TEXT    NOT NULL,
    source_kind  TEXT    NOT NULL,
    source_id    TEXT    NOT NULL,
    indicator    TEXT    NOT NULL DEFAULT '',
    rule_version INTEGER NOT NULL DEFAULT 0,
    earns        INTEGER NOT NULL DEFAULT 0, -- 1 when the postings count toward earned totals
    actor_id     TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL DEFAULT '',
    idem_key     TEXT    NOT NULL DEFAULT '',
    reverses_id  TEXT,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX ledger_transfers_one_reversal ON ledger_transfers (community_id, reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX ledger_transfers_created ON ledger_transfers (community_id, created_at);

CREATE TABLE ledger_postings (
    community_id TEXT   NOT NULL,
    transfer_id  TEXT   NOT NULL,
    account_id   TEXT   NOT NULL, -- a resident id, or 'issuance' / 'station'
    amount       BIGINT NOT NULL CHECK (amount <> 0),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, transfer_id, account_id),
    FOREIGN KEY (community_id, transfer_id) REFERENCES ledger_transfers (community_id, id)
);
CREATE INDEX ledger_postings_account ON ledger_postings (community_id, account_id, created_at);

CREATE TABLE ledger_idempotency (
    community_id TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, key)
);

CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings BEGIN SELECT RAISE(ABORT, 'append_only'); END;
