-- Credit rules are the district's: points per credit point and the ladder of
-- levels, as numbered versions, each in force from an effective date (00:00
-- Asia/Shanghai). A version is never changed or deleted: a resident's level
-- on any past date is the ladder in force then applied to their earned total
-- then. Version 0 is the built-in default (credit.DefaultRules) and has no row.
CREATE TABLE credit_rule_versions (
    district_id       TEXT    NOT NULL,
    version           INTEGER NOT NULL CHECK (version > 0),
    effective_from    TEXT    NOT NULL,
    effective_at      BIGINT  NOT NULL,
    points_per_credit INTEGER NOT NULL CHECK (points_per_credit BETWEEN 1 AND 10000),
    levels            TEXT    NOT NULL,
    note              TEXT    NOT NULL DEFAULT '',
    created_at        BIGINT  NOT NULL,
    created_by        TEXT    NOT NULL,
    created_by_name   TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (district_id, version)
);
CREATE INDEX credit_rule_versions_effective ON credit_rule_versions (district_id, effective_at, version);
CREATE TRIGGER credit_rule_versions_no_update BEFORE UPDATE ON credit_rule_versions BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER credit_rule_versions_no_delete BEFORE DELETE ON credit_rule_versions BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- Which rule versions have had their level changes recorded in a community
-- (the job that runs on a version's effective date).
CREATE TABLE credit_rule_applied (
    community_id TEXT    NOT NULL,
    district_id  TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    changes      INTEGER NOT NULL,
    applied_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, district_id, version)
);

-- Level changes, with their cause: the award or reversal that crossed a
-- threshold (cause 'transfer', written in that transfer's transaction), or a
-- new rule version (cause 'rule', written by the job on its effective date).
CREATE TABLE credit_level_events (
    community_id  TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    resident_id   TEXT    NOT NULL,
    at            BIGINT  NOT NULL,
    from_level    TEXT    NOT NULL,
    to_level      TEXT    NOT NULL,
    earned        BIGINT  NOT NULL,
    credit_points BIGINT  NOT NULL,
    rule_version  INTEGER NOT NULL,
    cause         TEXT    NOT NULL CHECK (cause IN ('transfer', 'rule')),
    transfer_id   TEXT    NOT NULL DEFAULT '',
    transfer_kind TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (community_id, id)
);
CREATE INDEX credit_level_events_resident ON credit_level_events (community_id, resident_id, at);
CREATE UNIQUE INDEX credit_level_events_one_per_rule ON credit_level_events (community_id, resident_id, rule_version) WHERE cause = 'rule';
CREATE TRIGGER credit_level_events_no_update BEFORE UPDATE ON credit_level_events BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER credit_level_events_no_delete BEFORE DELETE ON credit_level_events BEGIN SELECT RAISE(ABORT, 'append_only'); END;

-- Consent to credit use (信用授权), per purpose: 'merchants' (discounts at
-- merchants) and 'reports' (evaluations and applications). Every grant and
-- withdrawal is a row, numbered per resident (seq); the latest per purpose is in force.
CREATE TABLE credit_consents (
    community_id TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    resident_id  TEXT    NOT NULL,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('merchants', 'reports')),
    seq          INTEGER NOT NULL,
    granted      INTEGER NOT NULL CHECK (granted IN (0, 1)),
    at           BIGINT  NOT NULL,
    actor_id     TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL DEFAULT '',
    actor_role   TEXT    NOT NULL,
    paper        INTEGER NOT NULL DEFAULT 0 CHECK (paper IN (0, 1)),
    reason       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX credit_consents_seq ON credit_consents (community_id, resident_id, seq);
CREATE INDEX credit_consents_purpose ON credit_consents (community_id, resident_id, purpose, seq);
CREATE TRIGGER credit_consents_no_update BEFORE UPDATE ON credit_consents BEGIN SELECT RAISE(ABORT, 'append_only'); END;
CREATE TRIGGER credit_consents_no_delete BEFORE DELETE ON credit_consents BEGIN SELECT RAISE(ABORT, 'append_only'); END;
