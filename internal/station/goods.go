// Package station runs the integrity station (诚信驿站): goods and their stock,
// donors and donations, a stock ledger as strict as the points ledger, counter
// and online orders that turn points into goods, liability cover and reports.
package station

import (
	"context"
	"database/sql"
	"errors"
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
	Photo    string `json:"-"`
	Points   int64  `json:"points"`
	Stock    int64  `json:"stock"`
	Active   bool   `json:"-"`
}

// Categories a good may belong to (free text is allowed; these are offered).
var Categories = []string{"grain", "oil", "household", "personal", "stationery"}

// CreateGood adds a good with its opening stock (recorded as a stock move).
// A good of the same name is returned unchanged, so seeding twice is harmless.
func CreateGood(ctx context.Context, tx *db.Tx, communityID string, g Good, actor civic.Actor) (_ Good, err error) {
	defer civic.Wrap(&err, "station.CreateGood(%s)", g.Name)
	if err := checkGood(&g); err != nil {
		return g, err
	}
	var existing string
	err = tx.QueryRow(ctx, "SELECT id FROM station_goods WHERE community_id = $1 AND name = $2", communityID, g.Name).Scan(&existing)
	if err == nil {
		return GetGood(ctx, tx, communityID, existing)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return g, err
	}
	if g.ID == "" {
		g.ID = civic.NewID()
	}
	now := time.Now()
	_, err = tx.Exec(ctx, `INSERT INTO station_goods (community_id, id, name, unit, category, photo, points, stock, active, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 1, $8)`, communityID, g.ID, g.Name, g.Unit, g.Category, g.Photo, g.Points, db.Millis(now))
	if err != nil {
		return g, err
	}
	g.Active = true
	if g.Stock > 0 {
		_, err = shift(ctx, tx, Move{CommunityID: communityID, GoodID: g.ID, Delta: g.Stock, Kind: MoveInitial, Reason: "opening stock", At: now}, actor)
	}
	return g, err
}

// UpdateGood changes a good's name, unit, category, photo, price or whether
// it is offered. Stock only changes through stock moves.
func UpdateGood(ctx context.Context, tx *db.Tx, communityID string, g Good) (err error) {
	defer civic.Wrap(&err, "station.UpdateGood(%s)", g.ID)
	g.Stock = 0 // stock only changes through moves; checkGood must not judge the cached figure
	if err := checkGood(&g); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE station_goods SET name = $3, unit = $4, category = $5, photo = $6, points = $7, active = $8
		WHERE community_id = $1 AND id = $2`, communityID, g.ID, g.Name, g.Unit, g.Category, g.Photo, g.Points, boolInt(g.Active))
	if err != nil {
		if db.ErrorIs(err, db.ErrUnique) {
			return civic.Errorf(civic.Conflict, "station.good_name_taken", "another good is already called %s", g.Name)
		}
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return civic.Errorf(civic.NotFound, "station.no_good", "no good %s at this station", g.ID)
	}
	return nil
}

// ListGoods lists a community's active goods by name (a station has tens of
// goods, never thousands; the limit keeps it so).
func ListGoods(ctx context.Context, d *db.DB, communityID string) (out []Good, err error) {
	defer civic.Wrap(&err, "station.ListGoods(%s)", communityID)
	return listGoods(ctx, d, communityID, true)
}

// AllGoods lists every good, offered or not, for the clerk's stock page.
func AllGoods(ctx context.Context, d *db.DB, communityID string) (out []Good, err error) {
	defer civic.Wrap(&err, "station.AllGoods(%s)", communityID)
	return listGoods(ctx, d, communityID, false)
}

func listGoods(ctx context.Context, q db.Querier, communityID string, activeOnly bool) (out []Good, err error) {
	query := `SELECT id, name, unit, category, photo, points, stock, active FROM station_goods WHERE community_id = $1`
	if activeOnly {
		query += " AND active = 1"
	}
	rows, err := q.Query(ctx, query+" ORDER BY category, name LIMIT 1000", communityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g Good
		var active int64
		if err := rows.Scan(&g.ID, &g.Name, &g.Unit, &g.Category, &g.Photo, &g.Points, &g.Stock, &active); err != nil {
			return nil, err
		}
		g.Active = active != 0
		out = append(out, g)
	}
	return out, rows.Err()
}

// GetGood reads one good.
func GetGood(ctx context.Context, q db.Querier, communityID, id string) (g Good, err error) {
	var active int64
	err = q.QueryRow(ctx, "SELECT id, name, unit, category, photo, points, stock, active FROM station_goods WHERE community_id = $1 AND id = $2",
		communityID, id).Scan(&g.ID, &g.Name, &g.Unit, &g.Category, &g.Photo, &g.Points, &g.Stock, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return g, civic.Errorf(civic.NotFound, "station.no_good", "no good %s at this station", id)
	}
	if err != nil {
		return g, err
	}
	g.Active = active != 0
	return g, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
