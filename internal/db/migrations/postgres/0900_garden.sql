-- The shared garden (internal/garden). A garden operator (a village or its
-- operating company) is not a community: its rows lead with operator_id, the
-- garden's shard key, as community rows lead with community_id. Adopters
-- belong to no operator (a family may adopt at several), so garden_adopters
-- is keyed by the user alone, like login_throttle.
CREATE TABLE garden_operators (
    operator_id   TEXT    NOT NULL PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    place         TEXT    NOT NULL DEFAULT '',
    pick_capacity INTEGER NOT NULL DEFAULT 10,
    created_at    BIGINT  NOT NULL
);

-- The three hosting modes as a contract, editable per operator: the fee
-- (recorded, never charged here), who cares for the plot, who may pick, who
-- bears a failed crop, which reminders the family gets.
CREATE TABLE garden_modes (
    operator_id       TEXT    NOT NULL,
    code              TEXT    NOT NULL CHECK (code IN ('self', 'half', 'full')),
    fee_fen           BIGINT  NOT NULL,
    care_by           TEXT    NOT NULL CHECK (care_by IN ('adopter', 'steward')),
    harvest_by        TEXT    NOT NULL CHECK (harvest_by IN ('adopter', 'either')),
    risk              TEXT    NOT NULL CHECK (risk IN ('adopter', 'farm')),
    maturity_reminder INTEGER NOT NULL,
    pick_reminder     INTEGER NOT NULL,
    terms             TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (operator_id, code)
);

CREATE TABLE garden_gardens (
    operator_id TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('plots', 'seedlings')),
    rows_n      INTEGER NOT NULL,
    cols_n      INTEGER NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, id)
);

-- A plot on the grid, or one seedling (a pumpkin plant of a variety) in the expo.
CREATE TABLE garden_plots (
    operator_id TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    garden_id   TEXT    NOT NULL,
    row_no      INTEGER NOT NULL,
    col_no      INTEGER NOT NULL,
    label       TEXT    NOT NULL,
    size_m2     INTEGER NOT NULL DEFAULT 0,
    variety     TEXT    NOT NULL DEFAULT '',
    giant       INTEGER NOT NULL DEFAULT 0,
    photo_id    TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, id),
    UNIQUE (operator_id, garden_id, row_no, col_no)
);
CREATE INDEX garden_plots_photo ON garden_plots (operator_id, photo_id);

-- Crops with their days from planting to ripeness, the harvest window and
-- the care schedule (every N days; 0 for none) the steward's tasks come from.
CREATE TABLE garden_crops (
    operator_id   TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    maturity_days INTEGER NOT NULL,
    window_days   INTEGER NOT NULL,
    water_every   INTEGER NOT NULL,
    weed_every    INTEGER NOT NULL,
    feed_every    INTEGER NOT NULL,
    pest_every    INTEGER NOT NULL,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, id),
    UNIQUE (operator_id, name)
);

CREATE TABLE garden_seasons (
    operator_id TEXT   NOT NULL,
    id          TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    starts_on   TEXT   NOT NULL,
    ends_on     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (operator_id, id)
);
CREATE INDEX garden_seasons_ends ON garden_seasons (operator_id, ends_on);

-- A family's profile beside its login: the phone sealed (registry keys),
-- a keyed hash to find it, and the masked form every other page shows.
CREATE TABLE garden_adopters (
    user_id      TEXT   NOT NULL PRIMARY KEY,
    name         TEXT   NOT NULL,
    phone_enc    TEXT   NOT NULL,
    phone_hash   TEXT   NOT NULL UNIQUE,
    phone_masked TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE garden_adoptions (
    operator_id        TEXT    NOT NULL,
    id                 TEXT    NOT NULL,
    season_id          TEXT    NOT NULL,
    garden_id          TEXT    NOT NULL,
    plot_id            TEXT    NOT NULL,
    adopter_id         TEXT    NOT NULL,
    mode               TEXT    NOT NULL CHECK (mode IN ('self', 'half', 'full')),
    crop_id            TEXT    NOT NULL,
    fee_fen            BIGINT  NOT NULL,
    care_by            TEXT    NOT NULL,
    harvest_by         TEXT    NOT NULL,
    risk               TEXT    NOT NULL,
    maturity_reminder  INTEGER NOT NULL,
    pick_reminder      INTEGER NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'cancelled', 'failed', 'harvested')),
    family_name        TEXT    NOT NULL,
    child_nickname     TEXT    NOT NULL DEFAULT '',
    nickname_consent   INTEGER NOT NULL DEFAULT 0,
    photo_id           TEXT    NOT NULL DEFAULT '',
    photo_consent      INTEGER NOT NULL DEFAULT 0,
    planted_on         TEXT    NOT NULL DEFAULT '',
    ripe_on            TEXT    NOT NULL DEFAULT '',
    window_days        INTEGER NOT NULL DEFAULT 0,
    loss_by            TEXT    NOT NULL DEFAULT '',
    fail_reason        TEXT    NOT NULL DEFAULT '',
    refund_fen         BIGINT  NOT NULL DEFAULT 0,
    link_code          TEXT    NOT NULL,
    resident_community TEXT    NOT NULL DEFAULT '',
    resident_id        TEXT    NOT NULL DEFAULT '',
    created_at         BIGINT  NOT NULL,
    confirmed_at       BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (operator_id, id)
);
-- One adoption holds a plot for a season: concurrent adoptions of the last
-- free plot end with exactly one winner, on both engines.
CREATE UNIQUE INDEX garden_adoptions_plot ON garden_adoptions (operator_id, season_id, plot_id) WHERE status <> 'cancelled';
CREATE INDEX garden_adoptions_adopter ON garden_adoptions (adopter_id, created_at);
CREATE INDEX garden_adoptions_status ON garden_adoptions (operator_id, status, created_at, id);
CREATE UNIQUE INDEX garden_adoptions_link ON garden_adoptions (link_code);
CREATE INDEX garden_adoptions_plot_time ON garden_adoptions (operator_id, plot_id, created_at);
CREATE INDEX garden_adoptions_photo ON garden_adoptions (operator_id, photo_id);
CREATE INDEX garden_adoptions_resident ON garden_adoptions (resident_community, resident_id, created_at);

CREATE TABLE garden_tasks (
    operator_id  TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    adoption_id  TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('water', 'weed', 'feed', 'pest', 'harvest')),
    due_on       TEXT    NOT NULL,
    assignee     TEXT    NOT NULL CHECK (assignee IN ('adopter', 'steward')),
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'abandoned')),
    done_at      BIGINT  NOT NULL DEFAULT 0,
    done_by      TEXT    NOT NULL DEFAULT '',
    done_by_name TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL DEFAULT '',
    photo_id     TEXT    NOT NULL DEFAULT '',
    late         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (operator_id, id)
);
CREATE INDEX garden_tasks_queue ON garden_tasks (operator_id, assignee, status, due_on, id);
CREATE INDEX garden_tasks_adoption ON garden_tasks (operator_id, adoption_id, due_on, id);
CREATE INDEX garden_tasks_photo ON garden_tasks (operator_id, photo_id);

-- Reminders, written in the transaction that makes them due. sent_at is set
-- when an outbox (the district integration's webhooks) hands one to an SMS
-- or WeChat gateway; read_at when the family opens it in the app.
CREATE TABLE garden_reminders (
    operator_id TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    adoption_id TEXT    NOT NULL,
    adopter_id  TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('maturity', 'window', 'task', 'event')),
    due_at      BIGINT  NOT NULL,
    arg_date    TEXT    NOT NULL DEFAULT '',
    arg_days    INTEGER NOT NULL DEFAULT 0,
    arg_text    TEXT    NOT NULL DEFAULT '', -- the crop, the task's kind or the event's title
    subject_id  TEXT    NOT NULL DEFAULT '',
    sent_at     BIGINT  NOT NULL DEFAULT 0,
    read_at     BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, id)
);
CREATE INDEX garden_reminders_adopter ON garden_reminders (adopter_id, due_at, id);
CREATE INDEX garden_reminders_unsent ON garden_reminders (due_at, operator_id, id) WHERE sent_at = 0;
CREATE INDEX garden_reminders_adoption ON garden_reminders (operator_id, adoption_id, due_at);

CREATE TABLE garden_harvests (
    operator_id TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    adoption_id TEXT    NOT NULL,
    crop_id     TEXT    NOT NULL,
    weight_g    BIGINT  NOT NULL,
    picked_by   TEXT    NOT NULL CHECK (picked_by IN ('adopter', 'steward')),
    picked_on   TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, id)
);
CREATE INDEX garden_harvests_adoption ON garden_harvests (operator_id, adoption_id, created_at);

-- Picking times: one booking per adoption; each half-day slot of a garden
-- keeps its count, raised only below the operator's capacity.
CREATE TABLE garden_pick_slots (
    operator_id TEXT    NOT NULL,
    garden_id   TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    slot        TEXT    NOT NULL CHECK (slot IN ('am', 'pm')),
    taken       INTEGER NOT NULL,
    PRIMARY KEY (operator_id, garden_id, day, slot)
);
CREATE TABLE garden_pick_bookings (
    operator_id TEXT    NOT NULL,
    adoption_id TEXT    NOT NULL,
    garden_id   TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    slot        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, adoption_id)
);
CREATE INDEX garden_pick_bookings_day ON garden_pick_bookings (operator_id, day, slot);

-- Events in the garden (DIY, study visits, picking days). Adopters are not
-- residents of a community, so earning's activities (a community's, with
-- indicators and resident sign-ups) cannot hold them; see internal/garden.
CREATE TABLE garden_events (
    operator_id TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('diy', 'study', 'picking')),
    title       TEXT    NOT NULL,
    place       TEXT    NOT NULL,
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT  NOT NULL,
    capacity    INTEGER NOT NULL,
    taken       INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, id)
);
CREATE INDEX garden_events_start ON garden_events (starts_at, operator_id, id);
CREATE INDEX garden_events_operator ON garden_events (operator_id, starts_at, id);
CREATE TABLE garden_event_signups (
    operator_id TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    adopter_id  TEXT    NOT NULL,
    people      INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('registered', 'cancelled')),
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, event_id, adopter_id)
);
CREATE INDEX garden_event_signups_adopter ON garden_event_signups (adopter_id, created_at);

-- Photos, already resized (internal/garden/photos.go): plots, steward
-- evidence and, with the guardian's consent, a plate photo.
CREATE TABLE garden_photos (
    operator_id  TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    data         BYTEA   NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (operator_id, id)
);

-- The report's figures, kept as they change (never recomputed on a page
-- view): metric by dimension (a mode, a garden, a crop, a task kind) per season.
CREATE TABLE garden_stats (
    operator_id TEXT   NOT NULL,
    season_id   TEXT   NOT NULL,
    metric      TEXT   NOT NULL,
    dim         TEXT   NOT NULL,
    value       BIGINT NOT NULL,
    PRIMARY KEY (operator_id, season_id, metric, dim)
);
