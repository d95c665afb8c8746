-- Earning: the indicator catalogue with versioned rules, per-resident tallies
-- (caps and carried minutes), activities with sign-ups and attendance, the
-- approval queue and suggestions (金点子). Every table leads with community_id.

CREATE TABLE earning_categories (
    community_id TEXT    NOT NULL REFERENCES communities (id),
    code         TEXT    NOT NULL,
    name_zh      TEXT    NOT NULL,
    name_en      TEXT    NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (community_id, code)
);

-- The current rule of each indicator; every change adds a row to
-- earning_rule_versions and bumps version, so past awards keep theirs.
CREATE TABLE earning_indicators (
    community_id TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    name_zh      TEXT    NOT NULL,
    name_en      TEXT    NOT NULL,
    desc_zh      TEXT    NOT NULL DEFAULT '',
    desc_en      TEXT    NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL,
    rule         TEXT    NOT NULL CHECK (rule IN ('hourly', 'fixed', 'range')),
    points       BIGINT  NOT NULL DEFAULT 0,
    min_points   BIGINT  NOT NULL DEFAULT 0,
    max_points   BIGINT  NOT NULL DEFAULT 0,
    cap_day      BIGINT  NOT NULL DEFAULT 0,
    cap_month    BIGINT  NOT NULL DEFAULT 0,
    cap_year     BIGINT  NOT NULL DEFAULT 0,
    active_from  TEXT    NOT NULL DEFAULT '',
    active_to    TEXT    NOT NULL DEFAULT '',
    approval     INTEGER NOT NULL DEFAULT 0,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, code),
    FOREIGN KEY (community_id, category) REFERENCES earning_categories (community_id, code)
);

CREATE TABLE earning_rule_versions (
    community_id TEXT    NOT NULL,
    indicator    TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    rule         TEXT    NOT NULL,
    points       BIGINT  NOT NULL,
    min_points   BIGINT  NOT NULL,
    max_points   BIGINT  NOT NULL,
    cap_day      BIGINT  NOT NULL,
    cap_month    BIGINT  NOT NULL,
    cap_year     BIGINT  NOT NULL,
    active_from  TEXT    NOT NULL,
    active_to    TEXT    NOT NULL,
    approval     INTEGER NOT NULL,
    actor_id     TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, indicator, version)
);

-- One row per resident and indicator: the minutes carried toward the next
-- point, and a counter every award bumps so concurrent awards to one resident
-- serialize on this row (caps hold under concurrency on both engines).
CREATE TABLE earning_tallies (
    community_id  TEXT   NOT NULL,
    resident_id   TEXT   NOT NULL,
    indicator     TEXT   NOT NULL,
    carry_minutes BIGINT NOT NULL DEFAULT 0,
    seq           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (community_id, resident_id, indicator)
);

-- Every award made through earning, for caps and the monthly breakdown.
CREATE TABLE earning_awards (
    community_id TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    transfer_id  TEXT    NOT NULL DEFAULT '',
    resident_id  TEXT    NOT NULL,
    indicator    TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    rule_version INTEGER NOT NULL,
    points       BIGINT  NOT NULL,
    day          TEXT    NOT NULL, -- Asia/Shanghai calendar day
    reversed     INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX earning_awards_caps ON earning_awards (community_id, resident_id, indicator, day);
CREATE INDEX earning_awards_day ON earning_awards (community_id, resident_id, day);
CREATE INDEX earning_awards_transfer ON earning_awards (community_id, transfer_id);

CREATE TABLE earning_activities (
    community_id TEXT    NOT NULL REFERENCES communities (id),
    id           TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    indicator    TEXT    NOT NULL,
    place        TEXT    NOT NULL,
    starts_at    BIGINT  NOT NULL,
    ends_at      BIGINT  NOT NULL CHECK (ends_at > starts_at),
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    deadline     BIGINT  NOT NULL,
    invite_only  INTEGER NOT NULL DEFAULT 0,
    points       BIGINT  NOT NULL DEFAULT 0,
    taken        INTEGER NOT NULL DEFAULT 0,
    code_secret  TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'closed')),
    created_by   TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, indicator) REFERENCES earning_indicators (community_id, code)
);
CREATE INDEX earning_activities_start ON earning_activities (community_id, starts_at, id);

CREATE TABLE earning_signups (
    community_id   TEXT    NOT NULL,
    activity_id    TEXT    NOT NULL,
    resident_id    TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    attendance     TEXT    NOT NULL DEFAULT '' CHECK (attendance IN ('', 'in', 'out', 'no_show')),
    method         TEXT    NOT NULL DEFAULT '',
    checked_in_at  BIGINT,
    checked_out_at BIGINT,
    minutes        BIGINT  NOT NULL DEFAULT 0,
    auto_closed    INTEGER NOT NULL DEFAULT 0,
    award          TEXT    NOT NULL DEFAULT '' CHECK (award IN ('', 'awarded', 'pending', 'none')),
    points         BIGINT  NOT NULL DEFAULT 0,
    transfer_id    TEXT    NOT NULL DEFAULT '',
    signed_at      BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    PRIMARY KEY (community_id, activity_id, resident_id),
    FOREIGN KEY (community_id, activity_id) REFERENCES earning_activities (community_id, id)
);
CREATE INDEX earning_signups_resident ON earning_signups (community_id, resident_id, signed_at);
CREATE INDEX earning_signups_queue ON earning_signups (community_id, activity_id, status, signed_at);

-- The approval queue: self-reported hours and forgotten check-outs.
CREATE TABLE earning_claims (
    community_id TEXT   NOT NULL REFERENCES communities (id),
    id           TEXT   NOT NULL,
    kind         TEXT   NOT NULL CHECK (kind IN ('hours', 'checkout')),
    resident_id  TEXT   NOT NULL,
    indicator    TEXT   NOT NULL,
    activity_id  TEXT   NOT NULL DEFAULT '',
    minutes      BIGINT NOT NULL CHECK (minutes > 0),
    service_day  TEXT   NOT NULL,
    evidence     TEXT   NOT NULL DEFAULT '',
    status       TEXT   NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason       TEXT   NOT NULL DEFAULT '',
    points       BIGINT NOT NULL DEFAULT 0,
    transfer_id  TEXT   NOT NULL DEFAULT '',
    decided_by   TEXT   NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX earning_claims_queue ON earning_claims (community_id, status, created_at, id);
CREATE INDEX earning_claims_resident ON earning_claims (community_id, resident_id, created_at);
CREATE UNIQUE INDEX earning_claims_checkout ON earning_claims (community_id, activity_id, resident_id) WHERE kind = 'checkout';

CREATE TABLE earning_photos (
    community_id TEXT   NOT NULL,
    id           TEXT   NOT NULL,
    content_type TEXT   NOT NULL,
    data         BLOB   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE earning_suggestions (
    community_id      TEXT   NOT NULL REFERENCES communities (id),
    id                TEXT   NOT NULL,
    resident_id       TEXT   NOT NULL,
    title             TEXT   NOT NULL,
    body              TEXT   NOT NULL,
    photo_id          TEXT   NOT NULL DEFAULT '',
    status            TEXT   NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'adopted', 'implemented', 'not_adopted')),
    reason            TEXT   NOT NULL DEFAULT '',
    points            BIGINT NOT NULL DEFAULT 0,
    transfer_id       TEXT   NOT NULL DEFAULT '',
    bonus_points      BIGINT NOT NULL DEFAULT 0,
    bonus_transfer_id TEXT   NOT NULL DEFAULT '',
    reviewed_by       TEXT   NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    reviewed_at       BIGINT,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX earning_suggestions_status ON earning_suggestions (community_id, status, created_at, id);
CREATE INDEX earning_suggestions_resident ON earning_suggestions (community_id, resident_id, created_at);
