-- Integrity station, part two: settings, donors, donations in kind and in
-- funds, purchases from funds, and a stock ledger that reads like a bank
-- statement: every move of a good has a sequence number without gaps and the
-- stock it left behind, so `civicpoints check` can replay it.

CREATE TABLE station_settings (
    community_id        TEXT    PRIMARY KEY REFERENCES communities (id),
    fen_per_point       BIGINT  NOT NULL DEFAULT 100 CHECK (fen_per_point > 0),
    cover_threshold_pct INTEGER NOT NULL DEFAULT 100 CHECK (cover_threshold_pct BETWEEN 0 AND 1000),
    release_days        INTEGER NOT NULL DEFAULT 7 CHECK (release_days BETWEEN 1 AND 90),
    funds_fen           BIGINT  NOT NULL DEFAULT 0 CHECK (funds_fen >= 0),
    updated_at          BIGINT  NOT NULL
);

CREATE TABLE station_donors (
    community_id TEXT    NOT NULL REFERENCES communities (id),
    id           TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('association', 'bank', 'company', 'person')),
    thanks       INTEGER NOT NULL DEFAULT 1 CHECK (thanks IN (0, 1)),
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, id),
    UNIQUE (community_id, name)
);

CREATE TABLE station_donations (
    community_id TEXT   NOT NULL,
    id           TEXT   NOT NULL,
    donor_id     TEXT   NOT NULL,
    kind         TEXT   NOT NULL CHECK (kind IN ('goods', 'funds')),
    good_id      TEXT   NOT NULL DEFAULT '',
    quantity     BIGINT NOT NULL DEFAULT 0,
    amount_fen   BIGINT NOT NULL DEFAULT 0,
    points       BIGINT NOT NULL CHECK (points >= 0),
    note         TEXT   NOT NULL DEFAULT '',
    actor_id     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, donor_id) REFERENCES station_donors (community_id, id),
    CHECK ((kind = 'goods' AND good_id <> '' AND quantity > 0 AND amount_fen = 0)
        OR (kind = 'funds' AND good_id = '' AND quantity = 0 AND amount_fen > 0))
);
CREATE INDEX station_donations_donor ON station_donations (community_id, donor_id, created_at);
CREATE INDEX station_donations_time ON station_donations (community_id, created_at);

CREATE TABLE station_purchases (
    community_id TEXT   NOT NULL,
    id           TEXT   NOT NULL,
    good_id      TEXT   NOT NULL,
    quantity     BIGINT NOT NULL CHECK (quantity > 0),
    amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),
    supplier     TEXT   NOT NULL DEFAULT '',
    note         TEXT   NOT NULL DEFAULT '',
    actor_id     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, good_id) REFERENCES station_goods (community_id, id)
);
CREATE INDEX station_purchases_time ON station_purchases (community_id, created_at);

ALTER TABLE station_goods ADD COLUMN moves BIGINT NOT NULL DEFAULT 0, ADD COLUMN photo TEXT NOT NULL DEFAULT '';

ALTER TABLE station_stock_moves DROP CONSTRAINT station_stock_moves_kind_check;
ALTER TABLE station_stock_moves ADD CONSTRAINT station_stock_moves_kind_check
    CHECK (kind IN ('initial', 'donation', 'purchase', 'redemption', 'return', 'write_off', 'stocktake', 'release'));
ALTER TABLE station_stock_moves ADD COLUMN seq BIGINT, ADD COLUMN stock_after BIGINT;
-- Numbering existing moves is the one update the stock ledger ever takes.
ALTER TABLE station_stock_moves DISABLE TRIGGER station_stock_moves_append_only;
UPDATE station_stock_moves m SET seq = w.seq, stock_after = w.after
FROM (SELECT community_id, id, ROW_NUMBER() OVER w AS seq, SUM(delta) OVER w AS after FROM station_stock_moves
      WINDOW w AS (PARTITION BY community_id, good_id ORDER BY created_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) w
WHERE m.community_id = w.community_id AND m.id = w.id;
ALTER TABLE station_stock_moves ENABLE TRIGGER station_stock_moves_append_only;
ALTER TABLE station_stock_moves ALTER COLUMN seq SET NOT NULL, ALTER COLUMN stock_after SET NOT NULL,
    ADD CONSTRAINT station_stock_moves_seq_check CHECK (seq > 0),
    ADD CONSTRAINT station_stock_moves_after_check CHECK (stock_after >= 0);
DROP INDEX station_stock_moves_good;
CREATE UNIQUE INDEX station_stock_moves_seq ON station_stock_moves (community_id, good_id, seq);
CREATE INDEX station_stock_moves_time ON station_stock_moves (community_id, created_at);
CREATE INDEX station_stock_moves_ref ON station_stock_moves (community_id, ref_id);
UPDATE station_goods SET moves = (SELECT COUNT(*) FROM station_stock_moves m
    WHERE m.community_id = station_goods.community_id AND m.good_id = station_goods.id);

-- Orders: a printable number, a pickup code for online orders, the day an
-- uncollected order is released, and who closed it.
ALTER TABLE station_orders ADD COLUMN number TEXT NOT NULL DEFAULT '';
ALTER TABLE station_orders ADD COLUMN pickup_code TEXT NOT NULL DEFAULT '';
ALTER TABLE station_orders ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE station_orders ADD COLUMN release_after BIGINT NOT NULL DEFAULT 0;
ALTER TABLE station_orders ADD COLUMN closed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE station_orders ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE station_orders ADD COLUMN close_transfer_id TEXT NOT NULL DEFAULT '';
UPDATE station_orders SET number = upper(id) WHERE number = '';
CREATE UNIQUE INDEX station_orders_number ON station_orders (community_id, number);
CREATE UNIQUE INDEX station_orders_pickup ON station_orders (community_id, pickup_code) WHERE pickup_code <> '';
CREATE INDEX station_orders_release ON station_orders (community_id, status, release_after);
CREATE INDEX station_orders_transfer ON station_orders (community_id, transfer_id);

CREATE TRIGGER station_stock_moves_no_truncate BEFORE TRUNCATE ON station_stock_moves
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER station_donations_append_only BEFORE UPDATE OR DELETE ON station_donations
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER station_donations_no_truncate BEFORE TRUNCATE ON station_donations
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER station_purchases_append_only BEFORE UPDATE OR DELETE ON station_purchases
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER station_purchases_no_truncate BEFORE TRUNCATE ON station_purchases
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
