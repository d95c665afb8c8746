-- Idempotency moved from the ledger to internal/idem (idem_keys), which
-- stores typed answers instead of HTTP statuses. Keys answered before the
-- upgrade are carried over as "legacy": a client retrying one of them after
-- the upgrade gets idempotency_conflict (its first request already took
-- effect) instead of a second effect. Pages stored their forms' keys behind
-- "web:"; the key a resent form carries is the part after it.
INSERT INTO idem_keys (community_id, key, command, request_hash, answer, created_at)
SELECT community_id,
       CASE WHEN key LIKE 'web:%' THEN substr(key, 5) ELSE key END,
       'legacy', request_hash, '{}', created_at
FROM ledger_idempotency
WHERE length(CASE WHEN key LIKE 'web:%' THEN substr(key, 5) ELSE key END) BETWEEN 1 AND 128
ON CONFLICT (community_id, key) DO NOTHING;
DROP TABLE ledger_idempotency;
