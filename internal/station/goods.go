// Package station runs the integrity station (诚信驿站): goods and their stock,
// a stock ledger, and orders that turn points into goods.
package station

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Good is an item of the station's catalogue.
type Good struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Unit     string `json:"unit,omitempty"`
	Category string `json:"category,omitempty"`
	Points   int64  `json:"points"`
	Stock    int64  `json:"stock"`
	Active   bool   `json:"-"`
}

// CreateGood adds a good with its opening stock (recorded as a stock move).
// A good of the same name is returned unchanged, so seeding twice is harmless.
func CreateGood(ctx context.Context, tx *db.Tx, communityID string, g Good, actor civic.Actor) (_ Good, err error) {
	defer civic.Wrap(&err, "station.CreateGood(%s)", g.Name)
	if g.Name == "" || g.Points <= 0 || g.Stock < 0 {
		return g, civic.Errorf(civic.Invalid, "station.bad_good", "a good needs a name, a price above zero and a stock of zero or more")
	}
	var existing string
	if err := tx.QueryRow(ctx, "SELECT id FROM station_goods WHERE community_id = $1 AND name = $2", communityID, g.Name).Scan(&existing); err == nil {
		g.ID = existing
		return g, nil
	}
	if g.ID == "" {
		g.ID = civic.NewID()
	}
	now := time.Now().UnixMilli()
	_, err = tx.Exec(ctx, `INSERT INTO station_goods (community_id, id, name, unit, category, points, stock, active, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)`, communityID, g.ID, g.Name, g.Unit, g.Category, g.Points, g.Stock, now)
	if err != nil {
		return g, err
	}
	g.Active = true
	if g.Stock > 0 {
		err = recordMove(ctx, tx, communityID, g.ID, g.Stock, "initial", "", "opening stock", actor)
	}
	return g, err
}

// ListGoods lists a community's active goods by name (a station has tens of
// goods, never thousands; the limit keeps it so).
func ListGoods(ctx context.Context, d *db.DB, communityID string) (out []Good, err error) {
	defer civic.Wrap(&err, "station.ListGoods(%s)", communityID)
	rows, err := d.Query(ctx, `SELECT id, name, unit, category, points, stock FROM station_goods
		WHERE community_id = $1 AND active = 1 ORDER BY name LIMIT 1000`, communityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		g := Good{Active: true}
		if err := rows.Scan(&g.ID, &g.Name, &g.Unit, &g.Category, &g.Points, &g.Stock); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// GetGood reads one good.
func GetGood(ctx context.Context, q db.Querier, communityID, id string) (g Good, err error) {
	var active int64
	err = q.QueryRow(ctx, "SELECT id, name, unit, category, points, stock, active FROM station_goods WHERE community_id = $1 AND id = $2",
		communityID, id).Scan(&g.ID, &g.Name, &g.Unit, &g.Category, &g.Points, &g.Stock, &active)
	if err != nil {
		return g, civic.Errorf(civic.NotFound, "station.no_good", "no good %s at this station", id)
	}
	g.Active = active != 0
	return g, nil
}

func recordMove(ctx context.Context, tx *db.Tx, communityID, goodID string, delta int64, kind, ref, reason string, actor civic.Actor) error {
	_, err := tx.Exec(ctx, `INSERT INTO station_stock_moves (community_id, id, good_id, delta, kind, ref_id, reason, actor_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		communityID, civic.NewID(), goodID, delta, kind, ref, reason, actor.UserID, time.Now().UnixMilli())
	return err
}
