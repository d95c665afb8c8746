package station

import (
	"context"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// Check replays the stock ledger and the funds and compares them with the
// cached figures: each good's stock with the sum of its moves, its move count
// with the last sequence number, each move's stock_after with the running
// sum, each order's points with its lines, each order's stock moves with its
// lines, and the funds with donations less purchases. It changes nothing.
//
// Figures beyond the bounds (civic/bounds.go), which only rows from before
// the bounds can hold, are reported first and left out of the sums below,
// which they would overflow: an error on PostgreSQL, a REAL no int64 scan
// takes on SQLite, and no report at all.
func Check(ctx context.Context, d *db.DB, communityID string) (r ledger.Report, err error) {
	defer civic.Wrap(&err, "station.Check(%s)", communityID)
	lineOK := fmt.Sprintf(" AND quantity <= %d AND points_each <= %d", civic.MaxStock, civic.MaxPrice)
	fenOK := fmt.Sprintf(" AND amount_fen <= %d", civic.MaxFen)
	checks := []struct{ query, format string }{
		{fmt.Sprintf(`SELECT name, stock, points FROM station_goods WHERE community_id = $1 AND (stock > %d OR points > %d)`, civic.MaxStock, civic.MaxPrice),
			"good %s: a stock of %d or a price of %d points is beyond the bounds; count it again or correct the price"},
		{fmt.Sprintf(`SELECT o.number, i.quantity, i.points_each FROM station_order_items i
			JOIN station_orders o ON o.community_id = i.community_id AND o.id = i.order_id
			WHERE i.community_id = $1 AND (i.quantity > %d OR i.points_each > %d)`, civic.MaxStock, civic.MaxPrice),
			"order %s: a line of %d units at %d points each is beyond the bounds"},
		{fmt.Sprintf(`SELECT id, amount_fen, points FROM station_donations WHERE community_id = $1 AND (amount_fen > %d OR points > %d)`,
			civic.MaxFen, civic.MaxStock*civic.MaxPrice),
			"donation %s: %d fen or %d points of backing is beyond the bounds"},
		{fmt.Sprintf(`SELECT id, amount_fen, quantity FROM station_purchases WHERE community_id = $1 AND (amount_fen > %d OR quantity > %d)`,
			civic.MaxFen, civic.MaxStock),
			"purchase %s: %d fen or %d units is beyond the bounds"},
		{fmt.Sprintf(`SELECT 'funds', funds_fen, %d FROM station_settings WHERE community_id = $1 AND funds_fen > %[1]d`, civic.MaxFundsFen),
			"%s: %d fen held is beyond the bound of %d"},
		{`SELECT g.name, g.stock, COALESCE(m.total, 0) FROM station_goods g
			LEFT JOIN (SELECT good_id, SUM(delta) AS total FROM station_stock_moves WHERE community_id = $1 GROUP BY good_id) m
			ON m.good_id = g.id
			WHERE g.community_id = $1 AND (g.stock <> COALESCE(m.total, 0) OR g.stock < 0)`,
			"good %s: cached stock %d, stock moves give %d"},
		{`SELECT g.name, g.moves, COALESCE(m.n, 0) FROM station_goods g
			LEFT JOIN (SELECT good_id, COUNT(*) AS n, MAX(seq) AS top FROM station_stock_moves WHERE community_id = $1 GROUP BY good_id) m
			ON m.good_id = g.id
			WHERE g.community_id = $1 AND (g.moves <> COALESCE(m.n, 0) OR g.moves <> COALESCE(m.top, 0))`,
			"good %s: %d moves counted, %d recorded (or their numbers have gaps)"},
		{`SELECT m.id, m.stock_after, COALESCE(p.stock_after, 0) + m.delta FROM station_stock_moves m
			LEFT JOIN station_stock_moves p ON p.community_id = m.community_id AND p.good_id = m.good_id AND p.seq = m.seq - 1
			WHERE m.community_id = $1 AND m.stock_after <> COALESCE(p.stock_after, 0) + m.delta`,
			"stock move %s: leaves %d, the previous move and its delta give %d"},
		{`SELECT o.number, o.points, COALESCE(i.total, 0) FROM station_orders o
			LEFT JOIN (SELECT order_id, SUM(quantity * points_each) AS total FROM station_order_items WHERE community_id = $1` + lineOK + ` GROUP BY order_id) i
			ON i.order_id = o.id
			WHERE o.community_id = $1 AND o.points <> COALESCE(i.total, 0)`,
			"order %s: %d points charged, its lines add up to %d"},
		{`SELECT o.number, COALESCE(i.q, 0), COALESCE(m.q, 0) FROM station_orders o
			LEFT JOIN (SELECT order_id, SUM(quantity) AS q FROM station_order_items WHERE community_id = $1 GROUP BY order_id) i ON i.order_id = o.id
			LEFT JOIN (SELECT ref_id, -SUM(delta) AS q FROM station_stock_moves WHERE community_id = $1 AND kind = 'redemption' GROUP BY ref_id) m ON m.ref_id = o.id
			WHERE o.community_id = $1 AND COALESCE(i.q, 0) <> COALESCE(m.q, 0)`,
			"order %s: %d units ordered, %d taken from stock"},
		{`SELECT 'funds', COALESCE(s.funds_fen, 0),
			COALESCE((SELECT SUM(amount_fen) FROM station_donations WHERE community_id = $1 AND kind = 'funds' ` + fenOK + `), 0)
			- COALESCE((SELECT SUM(amount_fen) FROM station_purchases WHERE community_id = $1 ` + fenOK + `), 0)
			FROM (SELECT CAST($1 AS TEXT) AS community_id) c LEFT JOIN station_settings s ON s.community_id = c.community_id
			WHERE COALESCE(s.funds_fen, 0) <> COALESCE((SELECT SUM(amount_fen) FROM station_donations WHERE community_id = $1 AND kind = 'funds' ` + fenOK + `), 0)
			- COALESCE((SELECT SUM(amount_fen) FROM station_purchases WHERE community_id = $1 ` + fenOK + `), 0)`,
			"%s: %d fen held, donations less purchases give %d"},
	}
	for _, c := range checks {
		if err := r.Find(ctx, d, communityID, c.query, c.format); err != nil {
			return r, err
		}
	}
	r.OK = len(r.Problems) == 0
	return r, nil
}
