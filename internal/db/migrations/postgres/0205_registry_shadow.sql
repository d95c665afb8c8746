-- The registry as a worker without the red grant sees it (the "shadow"): the
-- resident without the red label and without red-group care. A visit made
-- by a worker holding the grant to a resident who is red is red-group care
-- (visits.red_care) and is seen only with the grant, then and later.
-- shadow_primary is the primary colour without red; shadow_last_visit the
-- last visit that is not red-group care; shadow_due the next visit from
-- those two. Every change that writes the real columns writes these in the
-- same transaction, and they are indexed as the real ones are, so the lists
-- and counts of a worker without the grant place a red resident exactly
-- where one with the same ordinary data who was never red would stand.
ALTER TABLE residents ADD COLUMN shadow_primary TEXT NOT NULL DEFAULT 'white';
ALTER TABLE residents ADD COLUMN shadow_last_visit TEXT;
ALTER TABLE residents ADD COLUMN shadow_due TEXT;
ALTER TABLE visits ADD COLUMN red_care INTEGER NOT NULL DEFAULT 0 CHECK (red_care IN (0, 1));

-- Which visits were red-group care is not recorded before this migration:
-- those of residents red now are taken to be (they were hidden from workers
-- without the grant already), the others are not.
UPDATE visits SET red_care = 1 WHERE EXISTS (SELECT 1 FROM residents r
    WHERE r.community_id = visits.community_id AND r.id = visits.resident_id AND r.red = 1);
UPDATE residents SET shadow_primary = primary_colour, shadow_last_visit = last_visit, shadow_due = visit_due WHERE red = 0;
-- A red resident's visits are all red-group care: in the shadow they were
-- never visited, so they are due from registration when their colour
-- without red has a cadence (purple, yellow, green, blue: colours & 30).
UPDATE residents SET
    shadow_primary = CASE WHEN (colours & 2) <> 0 THEN 'purple' WHEN (colours & 4) <> 0 THEN 'yellow'
        WHEN (colours & 8) <> 0 THEN 'green' WHEN (colours & 16) <> 0 THEN 'blue' ELSE 'white' END,
    shadow_last_visit = NULL,
    shadow_due = CASE WHEN moved_out IS NOT NULL OR (colours & 30) = 0 THEN NULL ELSE to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') END
WHERE red = 1;

CREATE INDEX residents_shadow_due ON residents (community_id, estate_id, shadow_due, id) WHERE shadow_due IS NOT NULL;
CREATE INDEX residents_shadow_due_all ON residents (community_id, shadow_due, id) WHERE shadow_due IS NOT NULL;
CREATE INDEX residents_shadow_primary ON residents (community_id, shadow_primary, estate_id, id);
CREATE INDEX residents_shadow_white ON residents (community_id, estate_id) WHERE shadow_primary = 'white' AND moved_out IS NULL;

-- Estate counts gain shadow_white: active residents holding no label but
-- perhaps red, the white count a worker without the grant sees (it does not
-- move when a white resident is made red).
ALTER TABLE registry_counts DROP CONSTRAINT registry_counts_colour_check;
ALTER TABLE registry_counts ADD CONSTRAINT registry_counts_colour_check
    CHECK (colour IN ('red', 'purple', 'yellow', 'green', 'blue', 'white', 'shadow_white', 'all', 'households'));
INSERT INTO registry_counts (community_id, estate_id, colour, n)
SELECT community_id, estate_id, 'shadow_white', COUNT(*) FROM residents
WHERE shadow_primary = 'white' AND moved_out IS NULL GROUP BY community_id, estate_id;
