package station

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// Order statuses.
const (
	StatusCompleted = "completed" // redeemed at the counter or through the API
	StatusReserved  = "reserved"  // ordered online, points and stock held
	StatusFulfilled = "fulfilled" // an online order picked up
	StatusReleased  = "released"  // an online order not collected in time
	StatusReturned  = "returned"  // reversed by a worker
)

// Order is a redemption with its lines.
type Order struct {
	ID           string
	Number       string
	PickupCode   string
	ResidentID   string
	Label        string
	TransferID   string
	Channel      string
	Status       string
	Points       int64
	CreatedAt    time.Time
	ReleaseAfter time.Time // zero unless reserved online
	ClosedAt     time.Time
	Lines        []Line
}

const orderCols = `id, number, pickup_code, resident_id, label, transfer_id, channel, status, points, created_at, release_after, closed_at`

func scanOrder(row interface{ Scan(...any) error }) (o Order, err error) {
	var created, release, closed int64
	err = row.Scan(&o.ID, &o.Number, &o.PickupCode, &o.ResidentID, &o.Label, &o.TransferID, &o.Channel, &o.Status, &o.Points,
		&created, &release, &closed)
	o.CreatedAt = db.FromMillis(created)
	if release > 0 {
		o.ReleaseAfter = db.FromMillis(release)
	}
	if closed > 0 {
		o.ClosedAt = db.FromMillis(closed)
	}
	return o, err
}

// GetOrder reads an order and its lines.
func GetOrder(ctx context.Context, q db.Querier, communityID, orderID string) (o Order, err error) {
	defer civic.Wrap(&err, "station.GetOrder(%s)", orderID)
	o, err = scanOrder(q.QueryRow(ctx, "SELECT "+orderCols+" FROM station_orders WHERE community_id = $1 AND id = $2", communityID, orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return o, civic.Errorf(civic.NotFound, "station.no_order", "no order %s at this station", orderID)
	}
	if err != nil {
		return o, err
	}
	o.Lines, err = lines(ctx, q, communityID, o.ID)
	return o, err
}

func lines(ctx context.Context, q db.Querier, communityID, orderID string) (out []Line, err error) {
	rows, err := q.Query(ctx, `SELECT i.good_id, g.name, g.unit, i.quantity, i.points_each FROM station_order_items i
		JOIN station_goods g ON g.community_id = i.community_id AND g.id = i.good_id
		WHERE i.community_id = $1 AND i.order_id = $2 ORDER BY g.name`, communityID, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.GoodID, &l.Name, &l.Unit, &l.Quantity, &l.Points); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// ResidentOrders lists a resident's orders, newest first (before: Unix ms
// keyset, 0 for the newest).
func ResidentOrders(ctx context.Context, q db.Querier, communityID, residentID string, before int64, limit int) ([]Order, error) {
	return listOrders(ctx, q, `SELECT `+orderCols+` FROM station_orders WHERE community_id = $1 AND resident_id = $2 AND created_at < $3
		ORDER BY created_at DESC LIMIT $4`, communityID, residentID, before, limit)
}

// Reserved lists online orders waiting for pickup, oldest first.
func Reserved(ctx context.Context, q db.Querier, communityID string, limit int) ([]Order, error) {
	return listOrders(ctx, q, `SELECT `+orderCols+` FROM station_orders WHERE community_id = $1 AND status = 'reserved' AND created_at < $2
		ORDER BY created_at LIMIT $3`, communityID, int64(1<<62), limit)
}

func listOrders(ctx context.Context, q db.Querier, query string, args ...any) (out []Order, err error) {
	defer civic.Wrap(&err, "station.listOrders")
	n := len(args)
	if l, _ := args[n-1].(int); l <= 0 || l > 200 {
		args[n-1] = 50
	}
	if b, _ := args[n-2].(int64); b <= 0 {
		args[n-2] = int64(1 << 62)
	}
	rows, err := q.Query(ctx, query, args...)
	if out, err = db.Collect(rows, err, scanOrder); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Lines, err = lines(ctx, q, args[0].(string), out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// NormaliseCode turns what a scanner or a person typed into a pickup code.
func NormaliseCode(code string) string {
	return strings.ToUpper(strings.Join(strings.Fields(code), ""))
}

// Fulfil hands over an online order at pickup: the clerk scans its code. An
// order is fulfilled once; scanning it again, or scanning a released or
// returned order, is an error that says what happened to it.
func Fulfil(ctx context.Context, tx *db.Tx, communityID, code string, actor civic.Actor, at time.Time) (o Order, err error) {
	code = NormaliseCode(code)
	defer civic.Wrap(&err, "station.Fulfil(%s)", code)
	if code == "" {
		return o, civic.Errorf(civic.Invalid, "station.code_empty", "scan or type the order's code")
	}
	at = orNow(at)
	var id string
	err = tx.QueryRow(ctx, `UPDATE station_orders SET status = 'fulfilled', updated_at = $3, closed_at = $3, closed_by = $4
		WHERE community_id = $1 AND pickup_code = $2 AND status = 'reserved' RETURNING id`,
		communityID, code, db.Millis(at), actor.UserID).Scan(&id)
	if err == nil {
		return GetOrder(ctx, tx, communityID, id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return o, err
	}
	o, err = scanOrder(tx.QueryRow(ctx, "SELECT "+orderCols+" FROM station_orders WHERE community_id = $1 AND pickup_code = $2", communityID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return o, civic.Errorf(civic.NotFound, "station.no_order_code", "no order has the code %s at this station", code)
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

// ReleaseDue releases every reserved online order whose pickup time has
// passed: each in its own transaction, the points come back through a
// ledger reversal and the goods through a release stock move. It returns
// the orders released. Safe to run from several places at once: an order
// is released at most once.
func ReleaseDue(ctx context.Context, d *db.DB, lg *ledger.Service, communityID string, actor civic.Actor, now time.Time) (released []string, err error) {
	defer civic.Wrap(&err, "station.ReleaseDue(%s)", communityID)
	now = orNow(now)
	rows, err := d.Query(ctx, `SELECT id FROM station_orders WHERE community_id = $1 AND status = 'reserved' AND release_after > 0
		AND release_after <= $2 ORDER BY release_after LIMIT 500`, communityID, db.Millis(now))
	if err != nil {
		return nil, err
	}
	var due []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		due = append(due, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var errs []error
	for _, id := range due {
		done := false
		txErr := d.WithTx(ctx, func(tx *db.Tx) error {
			ok, rerr := release(ctx, tx, lg, communityID, id, actor, now)
			done = ok
			return rerr
		})
		if txErr != nil {
			// One order that cannot be released (a closed account) must not hold up the others.
			errs = append(errs, txErr)
			continue
		}
		if done {
			released = append(released, id)
		}
	}
	return released, errors.Join(errs...)
}

func release(ctx context.Context, tx *db.Tx, lg *ledger.Service, communityID, orderID string, actor civic.Actor, now time.Time) (bool, error) {
	var transferID string
	// Claim the order first: a concurrent fulfil or release finds it no longer reserved.
	err := tx.QueryRow(ctx, `UPDATE station_orders SET status = 'released', updated_at = $3
		WHERE community_id = $1 AND id = $2 AND status = 'reserved' RETURNING transfer_id`,
		communityID, orderID, db.Millis(now)).Scan(&transferID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// The reversal puts the goods back (UndoRedemption sees the order released).
	if _, _, err := lg.Reverse(ctx, tx, communityID, transferID, ReleaseReason, actor, "release:"+orderID); err != nil {
		return false, err
	}
	return true, nil
}
