package station

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
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

func lines(ctx context.Context, q db.Querier, communityID, orderID string) ([]Line, error) {
	rows, err := q.Query(ctx, `SELECT i.good_id, g.name, g.unit, i.quantity, i.points_each FROM station_order_items i
		JOIN station_goods g ON g.community_id = i.community_id AND g.id = i.good_id
		WHERE i.community_id = $1 AND i.order_id = $2 ORDER BY g.name`, communityID, orderID)
	return db.Collect(rows, err, func(s db.Scanner) (l Line, err error) {
		err = s.Scan(&l.GoodID, &l.Name, &l.Unit, &l.Quantity, &l.Points)
		return l, err
	})
}

// ResidentOrders lists a resident's orders, newest first (before: Unix ms
// keyset, 0 for the newest).
func ResidentOrders(ctx context.Context, q db.Querier, communityID, residentID string, before int64, limit int) (_ []Order, err error) {
	defer civic.Wrap(&err, "station.ResidentOrders(%s)", residentID)
	return listOrders(ctx, q, `SELECT `+orderCols+` FROM station_orders WHERE community_id = $1 AND resident_id = $2 AND created_at < $3
		ORDER BY created_at DESC LIMIT $4`, communityID, residentID, before, limit)
}

// Reserved lists online orders waiting for pickup, oldest first.
func Reserved(ctx context.Context, q db.Querier, communityID string, limit int) (_ []Order, err error) {
	defer civic.Wrap(&err, "station.Reserved(%s)", communityID)
	return listOrders(ctx, q, `SELECT `+orderCols+` FROM station_orders WHERE community_id = $1 AND status = 'reserved' AND created_at < $2
		ORDER BY created_at LIMIT $3`, communityID, int64(1<<62), limit)
}

func listOrders(ctx context.Context, q db.Querier, query string, args ...any) (out []Order, err error) {
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
