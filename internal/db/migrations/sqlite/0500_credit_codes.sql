-- credit owns the resident-code tables. They were created in registry's 0201
-- before credit had a range; renaming keeps every key and card (and the rows'
-- history) while moving them under credit's name. SQLite cannot rename an
-- index, so it is built again under the new name.
ALTER TABLE code_keys RENAME TO credit_code_keys;
ALTER TABLE code_cards RENAME TO credit_code_cards;
DROP INDEX code_cards_resident;
CREATE INDEX credit_code_cards_resident ON credit_code_cards (community_id, resident_id, issued_at);
