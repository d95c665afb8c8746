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

// Purchase is goods bought with donated funds.
type Purchase struct {
	ID        string
	GoodID    string
	Quantity  int64
	AmountFen int64
	Supplier  string
	Note      string
	At        time.Time
}

// PurchaseRequest is goods bought with donated funds, put into stock.
type PurchaseRequest struct {
	Community string `json:"community"`
	Good      string `json:"good"`
	Quantity  int64  `json:"quantity"`
	AmountFen int64  `json:"amount_fen"`
	Supplier  string `json:"supplier"`
	Note      string `json:"note"`
}

// RecordPurchase spends donated funds on goods and puts them into stock. The
// funds never go below zero.
func (s *Service) RecordPurchase(ctx context.Context, by civic.Actor, key idem.Key, r PurchaseRequest) (p Purchase, err error) {
	defer civic.Wrap(&err, "station.RecordPurchase(%s)", r.Good)
	if err := mayStaff(by, r.Community); err != nil {
		return p, err
	}
	if err := r.validate(); err != nil {
		return p, err
	}
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.purchase", r), func(tx *db.Tx) (Purchase, error) {
		return recordPurchase(ctx, tx, by, r, tx.Now())
	})
}

func (r *PurchaseRequest) validate() (err error) {
	if err := needCommunity(r.Community); err != nil {
		return err
	}
	if err := checkQuantity(r.Quantity); err != nil {
		return err
	}
	if err := checkAmount(r.AmountFen); err != nil {
		return err
	}
	var long bool
	if r.Supplier, long = civic.TooLong(r.Supplier, civic.MaxName); long {
		return civic.Errorf(civic.Invalid, "station.supplier_long", "a supplier's name may have at most %d characters, not %d", civic.MaxName, civic.Runes(r.Supplier))
	}
	r.Note, err = noteOf(r.Note)
	return err
}

func recordPurchase(ctx context.Context, tx *db.Tx, by civic.Actor, r PurchaseRequest, at time.Time) (p Purchase, err error) {
	g, err := GetGood(ctx, tx, r.Community, r.Good)
	if err != nil {
		return p, err
	}
	if err := ensureSettings(ctx, tx, r.Community); err != nil {
		return p, err
	}
	var left int64
	err = tx.QueryRow(ctx, "UPDATE station_settings SET funds_fen = funds_fen - $2 WHERE community_id = $1 AND funds_fen >= $2 RETURNING funds_fen",
		r.Community, r.AmountFen).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		s, _ := GetSettings(ctx, tx, r.Community)
		return p, civic.Errorf(civic.Invalid, "station.funds_short", "the donated funds hold ¥%s, the purchase costs ¥%s", Yuan(s.FundsFen), Yuan(r.AmountFen))
	}
	if err != nil {
		return p, err
	}
	p = Purchase{ID: civic.NewID(), GoodID: g.ID, Quantity: r.Quantity, AmountFen: r.AmountFen, Supplier: r.Supplier, Note: r.Note, At: at}
	if _, err := tx.Exec(ctx, `INSERT INTO station_purchases (community_id, id, good_id, quantity, amount_fen, supplier, note, actor_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.Community, p.ID, p.GoodID, p.Quantity, p.AmountFen, p.Supplier, p.Note,
		by.UserID, db.Millis(p.At)); err != nil {
		return p, err
	}
	_, err = shift(ctx, tx, Move{CommunityID: r.Community, GoodID: g.ID, Delta: p.Quantity, Kind: MovePurchase, RefID: p.ID, Reason: p.Supplier, At: p.At}, by)
	return p, err
}
