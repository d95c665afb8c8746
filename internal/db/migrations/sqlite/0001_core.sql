-- Communities are the shard key: every other table leads with community_id.
CREATE TABLE communities (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    district    TEXT NOT NULL DEFAULT '',
    points_name TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
