-- Colour lists across all estates page by resident id straight from the
-- labels (resident_colours_list serves one estate); the due-visit list over
-- several estates pages by due date from one index (residents_due serves one
-- estate). See BENCHMARKS.md, "Registry pages".
CREATE INDEX resident_colours_by_colour ON resident_colours (community_id, colour, resident_id);
CREATE INDEX residents_due_all ON residents (community_id, visit_due, id) WHERE visit_due IS NOT NULL;
-- A name search sorts its matches by id: with moved_out in the index it
-- reads no table row to do so.
DROP INDEX residents_name;
CREATE INDEX residents_name ON residents (community_id, name, id, moved_out);
-- White counts per estate read this small index alone, not every white
-- resident's row (to see moved_out).
CREATE INDEX residents_white ON residents (community_id, estate_id) WHERE primary_colour = 'white' AND moved_out IS NULL;
