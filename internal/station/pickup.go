package station

import (
	"context"
	"database/sql"
	"errors"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// FulfilRequest is the code of an online order scanned at pickup.
type FulfilRequest struct {
	Community string `json:"community"`
	Code      string `json:"code"`
}

// Fulfil hands over an online order at pickup: the clerk scans its code. An
// order is fulfilled once; scanning it again (with a new key), or scanning a
// released or returned order, is an error that says what happened to it.
func (s *Service) Fulfil(ctx context.Context, by civic.Actor, key idem.Key, r FulfilRequest) (o Order, err error) {
	r.Code = NormaliseCode(r.Code)
	defer civic.Wrap(&err, "station.Fulfil(%s)", r.Code)
	if err := mayStaff(by, r.Community); err != nil {
		return o, err
	}
	if err := needCommunity(r.Community); err != nil {
		return o, err
	}
	if r.Code == "" {
		return o, civic.Errorf(civic.Invalid, "station.code_empty", "scan or type the order's code")
	}
	// The goods and points were taken when the order was placed: a pickup
	// only closes the order row, so it needs no place on the station's writer.
	return idem.Run(ctx, s.Idem, plainOp(r.Community, key, "station.fulfil", r), func(tx *db.Tx) (Order, error) {
		return fulfil(ctx, tx, by, r)
	})
}

func fulfil(ctx context.Context, tx *db.Tx, by civic.Actor, r FulfilRequest) (o Order, err error) {
	var id string
	err = tx.QueryRow(ctx, `UPDATE station_orders SET status = 'fulfilled', updated_at = $3, closed_at = $3, closed_by = $4
		WHERE community_id = $1 AND pickup_code = $2 AND status = 'reserved' RETURNING id`,
		r.Community, r.Code, db.Millis(tx.Now()), by.UserID).Scan(&id)
	if err == nil {
		return GetOrder(ctx, tx, r.Community, id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return o, err
	}
	o, err = scanOrder(tx.QueryRow(ctx, "SELECT "+orderCols+" FROM station_orders WHERE community_id = $1 AND pickup_code = $2", r.Community, r.Code))
	if errors.Is(err, sql.ErrNoRows) {
		return o, civic.Errorf(civic.NotFound, "station.no_order_code", "no order has the code %s at this station", r.Code)
	}
	if err != nil {
		return o, err
	}
	when := o.ClosedAt.In(civic.Shanghai).Format("2006-01-02 15:04")
	switch o.Status {
	case StatusFulfilled:
		return o, civic.Errorf(civic.Conflict, "station.order_already_fulfilled", "order %s was already handed over at %s", o.Number, when)
	case StatusReleased:
		return o, civic.Errorf(civic.Conflict, "station.order_released", "order %s was not collected in time and was released at %s; the points went back", o.Number, when)
	default:
		return o, civic.Errorf(civic.Conflict, "station.order_returned", "order %s was cancelled at %s; the points went back", o.Number, when)
	}
}

// ReleaseReason is written on the reversal of an uncollected order.
const ReleaseReason = "逾期未取，自动释放 / not collected in time, released"

// ReleaseRequest names an uncollected online order to release.
type ReleaseRequest struct {
	Community string `json:"community"`
	Order     string `json:"order"`
}

// Released says whether a release found the order still reserved (a pickup
// or another server's release may have closed it first).
type Released struct {
	OrderID  string `json:"order_id"`
	Released bool   `json:"released"`
}

// ReleaseKey is the key of an order's release: one per order, so every
// server running the job releases it once.
func ReleaseKey(orderID string) idem.Key { return idem.Key("release:" + orderID) }

// Release gives an uncollected online order back: the points through a
// ledger reversal, the goods through a release stock move. Only the
// platform releases (the job), never a person.
func (s *Service) Release(ctx context.Context, by civic.Actor, key idem.Key, r ReleaseRequest) (out Released, err error) {
	defer civic.Wrap(&err, "station.Release(%s)", r.Order)
	if err := by.May(r.Community); err != nil {
		return out, err
	}
	if err := needCommunity(r.Community); err != nil {
		return out, err
	}
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.release", r), func(tx *db.Tx) (Released, error) {
		ok, err := release(ctx, tx, s.Ledger, r, by, string(key))
		return Released{OrderID: r.Order, Released: ok}, err
	})
}

// ReleaseDue releases every reserved online order of a community whose
// pickup time has passed, each under its own key (ReleaseKey), and returns
// the orders released. One order that cannot be released (a closed
// account) does not hold up the others.
func (s *Service) ReleaseDue(ctx context.Context, communityID string) (released []string, err error) {
	defer civic.Wrap(&err, "station.ReleaseDue(%s)", communityID)
	rows, err := s.DB.Query(ctx, `SELECT id FROM station_orders WHERE community_id = $1 AND status = 'reserved' AND release_after > 0
		AND release_after <= $2 ORDER BY release_after LIMIT 500`, communityID, db.Millis(s.Clock.Now()))
	due, err := db.Collect(rows, err, db.ScanString)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, id := range due {
		res, err := s.Release(ctx, civic.System, ReleaseKey(id), ReleaseRequest{Community: communityID, Order: id})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if res.Released {
			released = append(released, id)
		}
	}
	return released, errors.Join(errs...)
}

func release(ctx context.Context, tx *db.Tx, lg *ledger.Service, r ReleaseRequest, by civic.Actor, idemKey string) (bool, error) {
	var transferID string
	// Claim the order first: a concurrent fulfil or release finds it no longer reserved.
	err := tx.QueryRow(ctx, `UPDATE station_orders SET status = 'released', updated_at = $3
		WHERE community_id = $1 AND id = $2 AND status = 'reserved' RETURNING transfer_id`,
		r.Community, r.Order, db.Millis(tx.Now())).Scan(&transferID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// The reversal puts the goods back (UndoRedemption sees the order released).
	if _, _, err := lg.Reverse(ctx, tx, r.Community, transferID, ReleaseReason, by, idemKey); err != nil {
		return false, err
	}
	return true, nil
}
