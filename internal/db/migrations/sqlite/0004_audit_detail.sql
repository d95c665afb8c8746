-- Which page or API route an audit entry was written for (such as
-- "GET /worker/registry/households/{id}"), and what the response showed:
-- key=value pairs, URL-encoded (residents=3&filter=colour%3Dblue&shown=colours%2Cvisits).
ALTER TABLE audit_log ADD COLUMN page TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
