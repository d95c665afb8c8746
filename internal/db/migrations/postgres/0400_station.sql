-- Integrity station (诚信驿站): goods with a points price and a stock, a stock
-- ledger as strict as the points ledger, and orders.
CREATE TABLE station_goods (
    community_id TEXT    NOT NULL REFERENCES communities (id),
    id           TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    unit         TEXT    NOT NULL DEFAULT '',
    category     TEXT    NOT NULL DEFAULT '',
    points       BIGINT  NOT NULL CHECK (points > 0),
    stock        BIGINT  NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX station_goods_name ON station_goods (community_id, name);

CREATE TABLE station_stock_moves (
    community_id TEXT   NOT NULL,
    id           TEXT   NOT NULL,
    good_id      TEXT   NOT NULL,
    delta        BIGINT NOT NULL CHECK (delta <> 0),
    kind         TEXT   NOT NULL CHECK (kind IN ('initial', 'donation', 'redemption', 'return', 'write_off', 'stocktake', 'release')),
    ref_id       TEXT   NOT NULL DEFAULT '',
    reason       TEXT   NOT NULL DEFAULT '',
    actor_id     TEXT   NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, good_id) REFERENCES station_goods (community_id, id)
);
CREATE INDEX station_stock_moves_good ON station_stock_moves (community_id, good_id, created_at);

CREATE TABLE station_orders (
    community_id TEXT   NOT NULL,
    id           TEXT   NOT NULL,
    resident_id  TEXT   NOT NULL,
    transfer_id  TEXT   NOT NULL,
    channel      TEXT   NOT NULL CHECK (channel IN ('counter', 'online', 'api')),
    status       TEXT   NOT NULL CHECK (status IN ('completed', 'reserved', 'fulfilled', 'released', 'returned')),
    points       BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX station_orders_resident ON station_orders (community_id, resident_id, created_at);
CREATE INDEX station_orders_status ON station_orders (community_id, status, created_at);

CREATE TABLE station_order_items (
    community_id TEXT   NOT NULL,
    order_id     TEXT   NOT NULL,
    good_id      TEXT   NOT NULL,
    quantity     BIGINT NOT NULL CHECK (quantity > 0),
    points_each  BIGINT NOT NULL,
    PRIMARY KEY (community_id, order_id, good_id),
    FOREIGN KEY (community_id, order_id) REFERENCES station_orders (community_id, id)
);

CREATE TRIGGER station_stock_moves_append_only BEFORE UPDATE OR DELETE ON station_stock_moves
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
