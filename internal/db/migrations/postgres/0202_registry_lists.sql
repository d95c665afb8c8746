-- Lists by primary colour (white has no label row) and exports by estate.
CREATE INDEX residents_primary ON residents (community_id, primary_colour, estate_id, id);
