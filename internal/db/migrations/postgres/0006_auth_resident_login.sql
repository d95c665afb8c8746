-- A resident has one login (auth.CreateUserHashed refuses a second). Logins
-- made before that rule, a second one for the same resident, are turned off
-- here, the oldest kept, their sessions ended and each change written to the
-- audit log for the admin to see; then a unique index keeps one login in use
-- per resident under concurrency. Turned-off logins stay outside the index so
-- nothing is deleted.
INSERT INTO audit_log (community_id, id, actor_id, actor_name, action, subject_kind, subject_id, reason, at)
SELECT u.community_id, substr(md5(random()::text || u.id), 1, 26), 'migration', 'migration 0006', 'auth.user_disable', 'user', u.id,
       'second login of resident ' || u.resident_id || ': a resident has one login; the oldest is kept',
       (extract(epoch FROM now()) * 1000)::bigint
FROM users u
WHERE u.role = 'resident' AND u.resident_id <> '' AND u.disabled = 0 AND EXISTS (
    SELECT 1 FROM users o WHERE o.community_id = u.community_id AND o.resident_id = u.resident_id AND o.role = 'resident'
      AND o.disabled = 0 AND (o.created_at < u.created_at OR (o.created_at = u.created_at AND o.id < u.id)));

DELETE FROM sessions WHERE user_id IN (
    SELECT u.id FROM users u
    WHERE u.role = 'resident' AND u.resident_id <> '' AND u.disabled = 0 AND EXISTS (
        SELECT 1 FROM users o WHERE o.community_id = u.community_id AND o.resident_id = u.resident_id AND o.role = 'resident'
          AND o.disabled = 0 AND (o.created_at < u.created_at OR (o.created_at = u.created_at AND o.id < u.id))));

UPDATE users SET disabled = 1
WHERE role = 'resident' AND resident_id <> '' AND disabled = 0 AND EXISTS (
    SELECT 1 FROM users o WHERE o.community_id = users.community_id AND o.resident_id = users.resident_id AND o.role = 'resident'
      AND o.disabled = 0 AND (o.created_at < users.created_at OR (o.created_at = users.created_at AND o.id < users.id)));

CREATE UNIQUE INDEX users_resident_login ON users (community_id, resident_id) WHERE role = 'resident' AND resident_id <> '' AND disabled = 0;
