-- Resident registry: estates, households, residents, six colours, visits.
-- Every table leads with community_id (the shard key); keys are (community_id, id).
-- ID numbers and phones are stored only encrypted (*_enc, AES-GCM) beside keyed
-- hashes (*_hash, HMAC-SHA256) used for duplicate checks and last-digit search.

-- One random secret for installations run without CIVICPOINTS_SECRET_KEY (demo).
CREATE TABLE registry_secret (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    secret     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE registry_settings (
    community_id     TEXT PRIMARY KEY REFERENCES communities(id),
    elderly_age      INTEGER NOT NULL DEFAULT 60 CHECK (elderly_age BETWEEN 40 AND 100),
    priority_days    INTEGER NOT NULL DEFAULT 14 CHECK (priority_days BETWEEN 1 AND 366),
    regular_days     INTEGER NOT NULL DEFAULT 90 CHECK (regular_days BETWEEN 1 AND 366),
    ages_refreshed   TEXT NOT NULL DEFAULT '',
    updated_at       BIGINT NOT NULL
);

CREATE TABLE estates (
    community_id TEXT NOT NULL REFERENCES communities(id),
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    UNIQUE (community_id, name)
);

CREATE TABLE households (
    community_id TEXT NOT NULL,
    id           TEXT NOT NULL,
    estate_id    TEXT NOT NULL,
    building     TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    room         TEXT NOT NULL,
    tenure       TEXT NOT NULL CHECK (tenure IN ('owner', 'rental', 'other')),
    disability   INTEGER NOT NULL DEFAULT 0 CHECK (disability IN (0, 1)),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, estate_id) REFERENCES estates(community_id, id),
    UNIQUE (community_id, estate_id, building, unit, room)
);

CREATE TABLE residents (
    community_id   TEXT NOT NULL,
    id             TEXT NOT NULL,
    household_id   TEXT NOT NULL,
    estate_id      TEXT NOT NULL,
    name           TEXT NOT NULL,
    gender         TEXT NOT NULL CHECK (gender IN ('M', 'F')),
    birth_date     TEXT NOT NULL,
    id_enc         TEXT NOT NULL DEFAULT '',
    id_hash        TEXT,
    id_tail_hash   TEXT,
    id_masked      TEXT NOT NULL DEFAULT '',
    phone_enc      TEXT NOT NULL DEFAULT '',
    phone_hash     TEXT,
    phone_masked   TEXT NOT NULL DEFAULT '',
    relation       TEXT NOT NULL DEFAULT '',
    code_ref       TEXT NOT NULL,
    moved_in       TEXT NOT NULL,
    moved_out      TEXT,
    red            INTEGER NOT NULL DEFAULT 0 CHECK (red IN (0, 1)),
    colours        INTEGER NOT NULL DEFAULT 0,
    primary_colour TEXT NOT NULL DEFAULT 'white',
    last_visit     TEXT,
    visit_due      TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, household_id) REFERENCES households(community_id, id),
    FOREIGN KEY (community_id, estate_id) REFERENCES estates(community_id, id)
);
CREATE UNIQUE INDEX residents_id_hash ON residents (community_id, id_hash) WHERE id_hash IS NOT NULL;
CREATE INDEX residents_id_tail ON residents (community_id, id_tail_hash, id) WHERE id_tail_hash IS NOT NULL;
CREATE INDEX residents_phone ON residents (community_id, phone_hash) WHERE phone_hash IS NOT NULL;
CREATE UNIQUE INDEX residents_code_ref ON residents (community_id, code_ref);
CREATE INDEX residents_household ON residents (community_id, household_id, id);
CREATE INDEX residents_estate ON residents (community_id, estate_id, id);
CREATE INDEX residents_name ON residents (community_id, name, id);
CREATE INDEX residents_birth ON residents (community_id, birth_date);
CREATE INDEX residents_due ON residents (community_id, estate_id, visit_due, id) WHERE visit_due IS NOT NULL;
CREATE INDEX residents_active ON residents (community_id, id) WHERE moved_out IS NULL;

-- Current colour labels, one row per resident and colour, for filters and counts.
CREATE TABLE resident_colours (
    community_id TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    colour       TEXT NOT NULL CHECK (colour IN ('red', 'purple', 'yellow', 'green', 'blue')),
    estate_id    TEXT NOT NULL,
    since        BIGINT NOT NULL,
    PRIMARY KEY (community_id, resident_id, colour),
    FOREIGN KEY (community_id, resident_id) REFERENCES residents(community_id, id)
);
CREATE INDEX resident_colours_list ON resident_colours (community_id, colour, estate_id, resident_id);

CREATE TABLE colour_changes (
    community_id TEXT NOT NULL,
    id           TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    colour       TEXT NOT NULL,
    added        INTEGER NOT NULL CHECK (added IN (0, 1)),
    reason       TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_name   TEXT NOT NULL,
    at           BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX colour_changes_resident ON colour_changes (community_id, resident_id, at);

-- Moves in, between households and out, for the resident's history.
CREATE TABLE resident_moves (
    community_id   TEXT NOT NULL,
    id             TEXT NOT NULL,
    resident_id    TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('in', 'move', 'leave')),
    from_household TEXT NOT NULL DEFAULT '',
    to_household   TEXT NOT NULL DEFAULT '',
    on_date        TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    actor_id       TEXT NOT NULL,
    actor_name     TEXT NOT NULL,
    at             BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX resident_moves_resident ON resident_moves (community_id, resident_id, at);

CREATE TABLE visits (
    community_id TEXT NOT NULL,
    id           TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    household_id TEXT NOT NULL,
    visit_date   TEXT NOT NULL,
    visitor_id   TEXT NOT NULL,
    visitor_name TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('door', 'phone', 'other')),
    notes        TEXT NOT NULL DEFAULT '',
    follow_up    INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, resident_id) REFERENCES residents(community_id, id)
);
CREATE INDEX visits_resident ON visits (community_id, resident_id, visit_date, id);
CREATE INDEX visits_household ON visits (community_id, household_id, visit_date, id);

-- A worker's grid: the estates whose visits they keep.
CREATE TABLE worker_estates (
    community_id TEXT NOT NULL,
    worker_id    TEXT NOT NULL,
    estate_id    TEXT NOT NULL,
    PRIMARY KEY (community_id, worker_id, estate_id),
    FOREIGN KEY (community_id, estate_id) REFERENCES estates(community_id, id)
);
