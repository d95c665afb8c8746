-- The garden's three roles (garden operator 菜园运营, steward 管家, adopter
-- 园主) may hold logins. SQLite cannot alter a CHECK, so the users table is
-- rebuilt with the longer list, its rows, columns (district_id from 0801) and
-- indexes unchanged; nothing
-- references it by foreign key.
CREATE TABLE users_garden (
    community_id  TEXT NOT NULL DEFAULT '',
    id            TEXT NOT NULL,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('resident', 'worker', 'clerk', 'merchant', 'district', 'admin',
                                                'garden_operator', 'garden_steward', 'garden_adopter')),
    resident_id   TEXT NOT NULL DEFAULT '',
    grants        TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    district_id   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (community_id, id)
);
INSERT INTO users_garden (community_id, id, username, name, password_hash, role, resident_id, grants, lang, disabled, created_at, district_id)
SELECT community_id, id, username, name, password_hash, role, resident_id, grants, lang, disabled, created_at, district_id FROM users;
DROP TABLE users;
ALTER TABLE users_garden RENAME TO users;
CREATE INDEX users_id ON users (id);
CREATE INDEX users_community_role ON users (community_id, role, id);
CREATE INDEX users_role ON users (role, id);
CREATE UNIQUE INDEX users_resident_login ON users (community_id, resident_id) WHERE role = 'resident' AND resident_id <> '' AND disabled = 0;
CREATE INDEX users_district ON users (district_id, role, id);
