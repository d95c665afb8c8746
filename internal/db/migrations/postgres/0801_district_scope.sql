-- District users and tokens belong to a district (their community_id stays
-- ''): a district office sees and configures its own district only. An
-- installation with one district gives its existing district users and
-- tokens that district, so they keep working; with several, an admin assigns
-- them (until then they see nothing).
ALTER TABLE users ADD COLUMN district_id TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN district_id TEXT NOT NULL DEFAULT '';
CREATE INDEX users_district ON users (district_id, role, id);

UPDATE users SET district_id = (SELECT id FROM districts ORDER BY created_at, id LIMIT 1)
WHERE role = 'district' AND district_id = '' AND (SELECT COUNT(*) FROM districts) = 1;
UPDATE api_tokens SET district_id = (SELECT id FROM districts ORDER BY created_at, id LIMIT 1)
WHERE role = 'district' AND district_id = '' AND (SELECT COUNT(*) FROM districts) = 1;
