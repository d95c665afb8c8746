package station

import (
	"context"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// Check recomputes every good's stock from its stock moves and compares it
// with the cached stock.
func Check(ctx context.Context, d *db.DB, communityID string) (r ledger.Report, err error) {
	defer civic.Wrap(&err, "station.Check(%s)", communityID)
	rows, err := d.Query(ctx, `SELECT g.name, g.stock, COALESCE(m.total, 0) FROM station_goods g
		LEFT JOIN (SELECT good_id, SUM(delta) AS total FROM station_stock_moves WHERE community_id = $1 GROUP BY good_id) m
		ON m.good_id = g.id
		WHERE g.community_id = $1 AND (g.stock <> COALESCE(m.total, 0) OR g.stock < 0) LIMIT 20`, communityID)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var stock, total int64
		if err := rows.Scan(&name, &stock, &total); err != nil {
			return r, err
		}
		r.Problems = append(r.Problems, fmt.Sprintf("good %s: cached stock %d, stock moves give %d", name, stock, total))
	}
	r.OK = len(r.Problems) == 0
	return r, rows.Err()
}
