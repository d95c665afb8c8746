-- Districts (区) are real entities: every community belongs to one, and the
-- district's users and merchants belong to it rather than to a community.
-- A district sits above the shard key, so its table leads with its own id.
CREATE TABLE districts (
    id         TEXT PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX districts_name ON districts (name, created_at, id);

-- communities.district (free text) stays as the district's name for display;
-- district_id is the link.
ALTER TABLE communities ADD COLUMN district_id TEXT NOT NULL DEFAULT '';
CREATE INDEX communities_district ON communities (district_id, slug);

-- One district per distinct district name already in use, so databases made
-- before districts existed keep working. A community without a name goes to
-- 未命名区 ("unnamed district"). 衢江区, the district this platform was built
-- with, gets the slug its CLI and demo use; the others a generated one.
INSERT INTO districts (id, slug, name, created_at)
SELECT substr(md5(random()::text || n), 1, 26),
       CASE WHEN n = '衢江区' THEN 'qujiang' ELSE 'district-' || substr(md5(random()::text || n), 1, 8) END, n, c
FROM (SELECT CASE WHEN district = '' THEN '未命名区' ELSE district END AS n, MIN(created_at) AS c
      FROM communities GROUP BY 1) g;

UPDATE communities SET district_id = (
    SELECT d.id FROM districts d WHERE d.name = CASE WHEN communities.district = '' THEN '未命名区' ELSE communities.district END
    ORDER BY d.created_at, d.id LIMIT 1);

-- A community inserted without a district id (older code paths, fixtures)
-- joins the oldest district of its district name, made on first use: every
-- community belongs to a district, always.
CREATE FUNCTION communities_join_district() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n TEXT := CASE WHEN NEW.district = '' THEN '未命名区' ELSE NEW.district END;
    d TEXT;
BEGIN
    IF NEW.district_id <> '' THEN
        RETURN NEW;
    END IF;
    SELECT id INTO d FROM districts WHERE name = n ORDER BY created_at, id LIMIT 1;
    IF d IS NULL THEN
        d := substr(md5(random()::text || clock_timestamp()::text), 1, 26);
        INSERT INTO districts (id, slug, name, created_at)
        VALUES (d, 'district-' || substr(md5(random()::text || d), 1, 8), n, NEW.created_at);
    END IF;
    NEW.district_id := d;
    RETURN NEW;
END
$$;
CREATE TRIGGER communities_join_district BEFORE INSERT ON communities
    FOR EACH ROW EXECUTE FUNCTION communities_join_district();
