-- credit owns the resident-code tables. They were created in registry's 0201
-- before credit had a range; renaming keeps every key and card (and the rows'
-- history) while moving them under credit's name.
ALTER TABLE code_keys RENAME TO credit_code_keys;
ALTER TABLE code_cards RENAME TO credit_code_cards;
ALTER INDEX code_cards_resident RENAME TO credit_code_cards_resident;
