// Package station runs the integrity station (诚信驿站): goods and their stock,
// donors and donations, a stock ledger as strict as the points ledger, counter
// and online orders that turn points into goods, liability cover and reports.
//
// Every change is a command of Service (service.go): Redeem, Fulfil,
// Release, WriteOff, StockTake, RecordPurchase, DonateGoods, DonateFunds,
// CreateDonor, CreateGood, UpdateGood and SaveSettings, each taking the
// actor, the idempotency key and a typed request. Those that move stock,
// points or funds run on the community's station writer (idem.Station,
// batched). Reads are functions over a db.Querier.
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

// Good is an item of the station's catalogue.
type Good struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Unit     string `json:"unit,omitempty"`
	Category string `json:"category,omitempty"`
	Photo    string `json:"photo,omitempty"`
	Points   int64  `json:"points"`
	Stock    int64  `json:"stock"`
	Active   bool   `json:"active"`
}

// Categories a good may belong to (free text is allowed; these are offered).
var Categories = []string{"grain", "oil", "household", "personal", "stationery"}

// CreateGoodRequest is a new good with its opening stock.
type CreateGoodRequest struct {
	Community string `json:"community"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Category  string `json:"category"`
	Photo     string `json:"photo"`
	Points    int64  `json:"points"`
	Stock     int64  `json:"stock"` // opening stock, recorded as a stock move
}

// CreateGood adds a good with its opening stock. A good of the same name is
// returned unchanged, so seeding twice is harmless.
func (s *Service) CreateGood(ctx context.Context, by civic.Actor, key idem.Key, r CreateGoodRequest) (g Good, err error) {
	defer civic.Wrap(&err, "station.CreateGood(%s)", r.Name)
	if err := mayStaff(by, r.Community); err != nil {
		return g, err
	}
	if err := needCommunity(r.Community); err != nil {
		return g, err
	}
	g = Good{Name: r.Name, Unit: r.Unit, Category: r.Category, Photo: r.Photo, Points: r.Points, Stock: r.Stock}
	if err := checkGood(&g); err != nil {
		return g, err
	}
	r.Name, r.Unit, r.Category = g.Name, g.Unit, g.Category
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.create_good", r), func(tx *db.Tx) (Good, error) {
		return createGood(ctx, tx, r.Community, g, by, tx.Now())
	})
}

// createGood adds a checked good (or finds the one of its name) at a time.
func createGood(ctx context.Context, tx *db.Tx, communityID string, g Good, actor civic.Actor, at time.Time) (_ Good, err error) {
	var existing string
	err = tx.QueryRow(ctx, "SELECT id FROM station_goods WHERE community_id = $1 AND name = $2", communityID, g.Name).Scan(&existing)
	if err == nil {
		return GetGood(ctx, tx, communityID, existing)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return g, err
	}
	g.ID = civic.NewID()
	_, err = tx.Exec(ctx, `INSERT INTO station_goods (community_id, id, name, unit, category, photo, points, stock, active, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 1, $8)`, communityID, g.ID, g.Name, g.Unit, g.Category, g.Photo, g.Points, db.Millis(at))
	if err != nil {
		return g, err
	}
	g.Active = true
	if g.Stock > 0 {
		_, err = shift(ctx, tx, Move{CommunityID: communityID, GoodID: g.ID, Delta: g.Stock, Kind: MoveInitial, Reason: "opening stock", At: at}, actor)
	}
	return g, err
}

// UpdateGoodRequest changes a good's name, unit, category, price or whether
// it is offered. Its photo stays; its stock only changes through stock moves.
type UpdateGoodRequest struct {
	Community string `json:"community"`
	Good      string `json:"good"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Category  string `json:"category"`
	Points    int64  `json:"points"`
	Active    bool   `json:"active"`
}

// UpdateGood edits a good. Past redemptions keep the price they were made
// at. It runs on the station's writer: a good is a row every basket locks.
func (s *Service) UpdateGood(ctx context.Context, by civic.Actor, key idem.Key, r UpdateGoodRequest) (g Good, err error) {
	defer civic.Wrap(&err, "station.UpdateGood(%s)", r.Good)
	if err := mayStaff(by, r.Community); err != nil {
		return g, err
	}
	if err := needCommunity(r.Community); err != nil {
		return g, err
	}
	g = Good{ID: r.Good, Name: r.Name, Unit: r.Unit, Category: r.Category, Points: r.Points, Active: r.Active}
	if err := checkGood(&g); err != nil {
		return g, err
	}
	r.Name, r.Unit, r.Category = g.Name, g.Unit, g.Category
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.update_good", r), func(tx *db.Tx) (Good, error) {
		if err := updateGood(ctx, tx, r.Community, g); err != nil {
			return Good{}, err
		}
		return GetGood(ctx, tx, r.Community, g.ID)
	})
}

func updateGood(ctx context.Context, tx *db.Tx, communityID string, g Good) error {
	res, err := tx.Exec(ctx, `UPDATE station_goods SET name = $3, unit = $4, category = $5, points = $6, active = $7
		WHERE community_id = $1 AND id = $2`, communityID, g.ID, g.Name, g.Unit, g.Category, g.Points, boolInt(g.Active))
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
	query := `SELECT ` + goodCols + ` FROM station_goods WHERE community_id = $1`
	if activeOnly {
		query += " AND active = 1"
	}
	rows, err := q.Query(ctx, query+" ORDER BY category, name LIMIT 1000", communityID)
	return db.Collect(rows, err, scanGood)
}

const goodCols = `id, name, unit, category, photo, points, stock, active`

func scanGood(s db.Scanner) (g Good, err error) {
	var active int64
	err = s.Scan(&g.ID, &g.Name, &g.Unit, &g.Category, &g.Photo, &g.Points, &g.Stock, &active)
	g.Active = active != 0
	return g, err
}

// GetGood reads one good.
func GetGood(ctx context.Context, q db.Querier, communityID, id string) (g Good, err error) {
	defer civic.Wrap(&err, "station.GetGood(%s)", id)
	g, err = scanGood(q.QueryRow(ctx, "SELECT "+goodCols+" FROM station_goods WHERE community_id = $1 AND id = $2", communityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, civic.Errorf(civic.NotFound, "station.no_good", "no good %s at this station", id)
	}
	return g, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
