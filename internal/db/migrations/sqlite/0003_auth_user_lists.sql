-- The admin's user list filters by role, within a community or across all,
-- newest first (ListUsers): an index for each shape.
CREATE INDEX users_community_role ON users (community_id, role, id);
CREATE INDEX users_role ON users (role, id);
