-- Estate counts kept exact: every change that moves one (a resident
-- registered, moved, leaving; a colour label gained or lost, the daily age
-- refresh included; a household created; an import) adds its difference in
-- the same transaction with n = n + delta, so the registry pages read them
-- instead of counting 400,000 residents (see docs/registry.md, "Counts").
-- colour is a label (red … blue: residents holding it), white (active
-- residents holding none), all (active residents) or households.
CREATE TABLE registry_counts (
    community_id TEXT NOT NULL,
    estate_id    TEXT NOT NULL,
    colour       TEXT NOT NULL CHECK (colour IN ('red', 'purple', 'yellow', 'green', 'blue', 'white', 'all', 'households')),
    n            BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (community_id, estate_id, colour),
    FOREIGN KEY (community_id, estate_id) REFERENCES estates (community_id, id)
);

INSERT INTO registry_counts (community_id, estate_id, colour, n)
SELECT community_id, estate_id, colour, COUNT(*) FROM resident_colours GROUP BY community_id, estate_id, colour;
INSERT INTO registry_counts (community_id, estate_id, colour, n)
SELECT community_id, estate_id, 'white', COUNT(*) FROM residents
WHERE primary_colour = 'white' AND moved_out IS NULL GROUP BY community_id, estate_id;
INSERT INTO registry_counts (community_id, estate_id, colour, n)
SELECT community_id, estate_id, 'all', COUNT(*) FROM residents WHERE moved_out IS NULL GROUP BY community_id, estate_id;
INSERT INTO registry_counts (community_id, estate_id, colour, n)
SELECT community_id, estate_id, 'households', COUNT(*) FROM households GROUP BY community_id, estate_id;
