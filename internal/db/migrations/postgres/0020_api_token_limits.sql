-- API tokens may expire, may be narrowed to scopes (a space-separated list
-- such as "awards:write registry:read"; empty = everything the role may) and
-- may carry their own rate limit in requests per minute (0 = the default).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN rate_per_minute INTEGER NOT NULL DEFAULT 0;
