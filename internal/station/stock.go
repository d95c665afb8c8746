package station

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
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
		m.At = tx.Now()
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

// WriteOffRequest takes damaged or expired units out of stock; a reason is required.
type WriteOffRequest struct {
	Community string `json:"community"`
	Good      string `json:"good"`
	Quantity  int64  `json:"quantity"`
	Reason    string `json:"reason"`
}

// WriteOff takes units out of stock with the reason.
func (s *Service) WriteOff(ctx context.Context, by civic.Actor, key idem.Key, r WriteOffRequest) (m Move, err error) {
	defer civic.Wrap(&err, "station.WriteOff(%s)", r.Good)
	if err := mayStaff(by, r.Community); err != nil {
		return m, err
	}
	if err := r.validate(); err != nil {
		return m, err
	}
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.write_off", r), func(tx *db.Tx) (Move, error) {
		return shift(ctx, tx, Move{CommunityID: r.Community, GoodID: r.Good, Delta: -r.Quantity, Kind: MoveWriteOff, Reason: r.Reason}, by)
	})
}

func (r *WriteOffRequest) validate() (err error) {
	if err := needCommunity(r.Community); err != nil {
		return err
	}
	if err := checkQuantity(r.Quantity); err != nil {
		return err
	}
	if r.Reason, err = noteOf(r.Reason); err != nil {
		return err
	}
	if r.Reason == "" {
		return civic.Errorf(civic.Invalid, "station.reason_required", "say why the stock changes (damaged, expired, …)")
	}
	return nil
}

// StockTakeRequest is what was counted on the shelf.
type StockTakeRequest struct {
	Community string `json:"community"`
	Good      string `json:"good"`
	Counted   int64  `json:"counted"`
	Reason    string `json:"reason"`
}

// StockTake sets a good's stock to what was counted on the shelf, recording
// the difference as an adjustment. Counting what the books say records
// nothing and returns a zero Move.
func (s *Service) StockTake(ctx context.Context, by civic.Actor, key idem.Key, r StockTakeRequest) (m Move, err error) {
	defer civic.Wrap(&err, "station.StockTake(%s)", r.Good)
	if err := mayStaff(by, r.Community); err != nil {
		return m, err
	}
	if err := needCommunity(r.Community); err != nil {
		return m, err
	}
	if r.Counted < 0 {
		return m, civic.Errorf(civic.Invalid, "station.bad_count", "a count cannot be negative (%d)", r.Counted)
	}
	if r.Counted > civic.MaxStock {
		return m, stockTooMany(r.Counted)
	}
	if r.Reason, err = noteOf(r.Reason); err != nil {
		return m, err
	}
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.stock_take", r), func(tx *db.Tx) (Move, error) {
		return stockTake(ctx, tx, by, r)
	})
}

func stockTake(ctx context.Context, tx *db.Tx, by civic.Actor, r StockTakeRequest) (m Move, err error) {
	g, err := GetGood(ctx, tx, r.Community, r.Good)
	if err != nil {
		return m, err
	}
	if r.Counted == g.Stock {
		return m, nil
	}
	if r.Reason == "" {
		return m, civic.Errorf(civic.Invalid, "station.reason_required", "say why the stock changes (damaged, expired, …)")
	}
	// Guard against a redemption between reading and writing: the move must
	// land exactly on the counted figure.
	m, err = shift(ctx, tx, Move{CommunityID: r.Community, GoodID: r.Good, Delta: r.Counted - g.Stock, Kind: MoveStockTake, Reason: r.Reason}, by)
	if err == nil && m.StockAfter != r.Counted {
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
	return db.Collect(rows, err, func(s db.Scanner) (m Move, err error) {
		var kind string
		var at int64
		err = s.Scan(&m.ID, &m.GoodID, &m.Delta, &kind, &m.RefID, &m.Reason, &m.ActorID, &at, &m.Seq, &m.StockAfter)
		m.CommunityID, m.Kind, m.At = communityID, MoveKind(kind), db.FromMillis(at)
		return m, err
	})
}

func badQuantity(q int64) error {
	return civic.Errorf(civic.Invalid, "station.bad_quantity", "quantity must be 1 or more, not %d", q)
}
