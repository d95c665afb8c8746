package station

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// MoveKind says why a good's stock changed.
type MoveKind string

const (
	MoveInitial    MoveKind = "initial"
	MoveDonation   MoveKind = "donation"
	MovePurchase   MoveKind = "purchase"
	MoveRedemption MoveKind = "redemption"
	MoveReturn     MoveKind = "return"
	MoveRelease    MoveKind = "release"
	MoveWriteOff   MoveKind = "write_off"
	MoveStockTake  MoveKind = "stocktake"
)

// Move is one line of a good's stock statement. Moves are never changed or
// deleted (the database refuses); Seq counts a good's moves from 1 without
// gaps and StockAfter is the stock the move left, so the statement can be
// replayed and checked.
type Move struct {
	CommunityID string
	ID          string
	GoodID      string
	Delta       int64
	Kind        MoveKind
	RefID       string // donation, purchase or order
	Reason      string
	ActorID     string
	At          time.Time
	Seq         int64
	StockAfter  int64
}

// shift moves a good's stock by m.Delta in one guarded statement (stock never
// goes below zero nor above civic.MaxStock, even under concurrency) and
// appends the move. The guard compares the stock with bounds computed here,
// so no stock, however large, makes the database add past its range.
func shift(ctx context.Context, tx *db.Tx, m Move, actor civic.Actor) (Move, error) {
	if m.At.IsZero() {
		m.At = time.Now()
	}
	m.ID, m.ActorID = civic.NewID(), actor.UserID
	lo, hi := stockRange(m.Delta)
	err := tx.QueryRow(ctx, `UPDATE station_goods SET stock = stock + $3, moves = moves + 1
		WHERE community_id = $1 AND id = $2 AND stock >= $4 AND stock <= $5 RETURNING stock, moves`,
		m.CommunityID, m.GoodID, m.Delta, lo, hi).Scan(&m.StockAfter, &m.Seq)
	if errors.Is(err, sql.ErrNoRows) {
		g, gerr := GetGood(ctx, tx, m.CommunityID, m.GoodID)
		if gerr != nil {
			return m, gerr
		}
		if m.Delta > 0 && g.Stock > hi {
			return m, civic.Errorf(civic.Invalid, "station.stock_full", "%s: %d in stock, %d more would pass the most a station keeps of one good (%d)",
				g.Name, g.Stock, m.Delta, civic.MaxStock)
		}
		return m, civic.Errorf(civic.OutOfStock, "station.out_of_stock", "%s: %d in stock, %d wanted", g.Name, g.Stock, -m.Delta)
	}
	if err != nil {
		return m, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO station_stock_moves (community_id, id, good_id, delta, kind, ref_id, reason, actor_id, created_at, seq, stock_after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		m.CommunityID, m.ID, m.GoodID, m.Delta, string(m.Kind), m.RefID, m.Reason, m.ActorID, db.Millis(m.At), m.Seq, m.StockAfter)
	return m, err
}

// WriteOff takes damaged or expired units out of stock; a reason is required.
func WriteOff(ctx context.Context, tx *db.Tx, communityID, goodID string, quantity int64, reason string, actor civic.Actor, at time.Time) (m Move, err error) {
	defer civic.Wrap(&err, "station.WriteOff(%s)", goodID)
	if err := checkQuantity(quantity); err != nil {
		return m, err
	}
	if reason, err = noteOf(reason); err != nil {
		return m, err
	}
	if reason == "" {
		return m, civic.Errorf(civic.Invalid, "station.reason_required", "say why the stock changes (damaged, expired, …)")
	}
	return shift(ctx, tx, Move{CommunityID: communityID, GoodID: goodID, Delta: -quantity, Kind: MoveWriteOff, Reason: reason, At: at}, actor)
}

// StockTake sets a good's stock to what was counted on the shelf, recording
// the difference as an adjustment. Counting what the books say records
// nothing and returns a zero Move.
func StockTake(ctx context.Context, tx *db.Tx, communityID, goodID string, counted int64, reason string, actor civic.Actor, at time.Time) (m Move, err error) {
	defer civic.Wrap(&err, "station.StockTake(%s)", goodID)
	if counted < 0 {
		return m, civic.Errorf(civic.Invalid, "station.bad_count", "a count cannot be negative (%d)", counted)
	}
	if counted > civic.MaxStock {
		return m, stockTooMany(counted)
	}
	if reason, err = noteOf(reason); err != nil {
		return m, err
	}
	g, err := GetGood(ctx, tx, communityID, goodID)
	if err != nil {
		return m, err
	}
	if counted == g.Stock {
		return m, nil
	}
	if reason == "" {
		return m, civic.Errorf(civic.Invalid, "station.reason_required", "say why the stock changes (damaged, expired, …)")
	}
	// Guard against a redemption between reading and writing: the move must
	// land exactly on the counted figure.
	m, err = shift(ctx, tx, Move{CommunityID: communityID, GoodID: goodID, Delta: counted - g.Stock, Kind: MoveStockTake, Reason: reason, At: at}, actor)
	if err == nil && m.StockAfter != counted {
		return m, civic.Errorf(civic.Conflict, "station.count_moved", "the stock of %s changed while counting; count again", g.Name)
	}
	return m, err
}

// Moves lists a good's stock statement, newest first, by keyset on the
// sequence number (before = 0 starts at the newest).
func Moves(ctx context.Context, q db.Querier, communityID, goodID string, before int64, limit int) (out []Move, err error) {
	defer civic.Wrap(&err, "station.Moves(%s)", goodID)
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if before <= 0 {
		before = 1 << 62
	}
	rows, err := q.Query(ctx, `SELECT id, good_id, delta, kind, ref_id, reason, actor_id, created_at, seq, stock_after
		FROM station_stock_moves WHERE community_id = $1 AND good_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`,
		communityID, goodID, before, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m := Move{CommunityID: communityID}
		var kind string
		var at int64
		if err := rows.Scan(&m.ID, &m.GoodID, &m.Delta, &kind, &m.RefID, &m.Reason, &m.ActorID, &at, &m.Seq, &m.StockAfter); err != nil {
			return nil, err
		}
		m.Kind, m.At = MoveKind(kind), db.FromMillis(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

func badQuantity(q int64) error {
	return civic.Errorf(civic.Invalid, "station.bad_quantity", "quantity must be 1 or more, not %d", q)
}
