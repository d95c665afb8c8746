package garden

import (
	"context"
	"fmt"
	"regexp"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Operator is a village or its operating company running gardens.
type Operator struct {
	ID           string `json:"id"`
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Place        string `json:"place"`
	PickCapacity int    `json:"pick_capacity"` // families per half-day picking slot of a garden
}

// Garden is a grid of plots, or the expo's seedlings.
type Garden struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // plots or seedlings
	Rows int    `json:"rows"`
	Cols int    `json:"cols"`
}

// Crop is what grows, with its days to ripeness and care schedule.
type Crop struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	MaturityDays int    `json:"maturity_days"`
	WindowDays   int    `json:"window_days"` // days the crop may be picked once ripe
	WaterEvery   int    `json:"water_every"` // days between waterings; 0 for none
	WeedEvery    int    `json:"weed_every"`
	FeedEvery    int    `json:"feed_every"`
	PestEvery    int    `json:"pest_every"`
}

// Season is the time a plot is adopted for.
type Season struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// CreateOperatorRequest makes a garden operator with the three default modes.
type CreateOperatorRequest struct {
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Place string `json:"place"`
}

// CreateOperator makes an operator; an admin (or the platform) may. A slug
// already taken returns that operator, so seeding twice changes nothing.
func (s *Service) CreateOperator(ctx context.Context, by civic.Actor, key idem.Key, r CreateOperatorRequest) (o Operator, err error) {
	defer civic.Wrap(&err, "garden.CreateOperator(%s)", r.Slug)
	if by.Role != civic.RoleAdmin {
		return o, civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
	}
	if !slugRe.MatchString(r.Slug) {
		return o, civic.Errorf(civic.Invalid, "garden.bad_slug", "%q is not a slug: 2–40 lower-case letters, digits and dashes", r.Slug)
	}
	if r.Name, err = text(r.Name, civic.MaxName, true, "name"); err != nil {
		return o, err
	}
	if r.Place, err = text(r.Place, civic.MaxName, false, "place"); err != nil {
		return o, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: adopterKeys, Key: key, Command: "garden.create_operator",
		Shard: idem.Community(adopterKeys), Request: r}, func(tx *db.Tx) (Operator, error) {
		if o, err := operatorBySlug(ctx, tx, r.Slug); err == nil || civic.ErrorCode(err) != civic.NotFound {
			return o, err
		}
		o = Operator{ID: civic.NewID(), Slug: r.Slug, Name: r.Name, Place: r.Place, PickCapacity: 10}
		if _, err := tx.Exec(ctx, `INSERT INTO garden_operators (operator_id, slug, name, place, pick_capacity, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, o.ID, o.Slug, o.Name, o.Place, o.PickCapacity, db.Millis(tx.Now())); err != nil {
			return o, err
		}
		for _, m := range DefaultModes() {
			if err := putMode(ctx, tx, o.ID, m); err != nil {
				return o, err
			}
		}
		return o, nil
	})
}

const operatorCols = "operator_id, slug, name, place, pick_capacity"

func scanOperator(r db.Scanner) (o Operator, err error) {
	err = r.Scan(&o.ID, &o.Slug, &o.Name, &o.Place, &o.PickCapacity)
	return o, err
}

func operatorBySlug(ctx context.Context, q db.Querier, slug string) (Operator, error) {
	o, err := scanOperator(q.QueryRow(ctx, "SELECT "+operatorCols+" FROM garden_operators WHERE slug = $1", slug))
	if noRows(err) {
		return o, notFound("operator", slug)
	}
	return o, err
}

// OperatorBySlug finds an operator by its slug.
func (s *Service) OperatorBySlug(ctx context.Context, slug string) (_ Operator, err error) {
	defer civic.Wrap(&err, "garden.OperatorBySlug(%s)", slug)
	return operatorBySlug(ctx, s.DB, slug)
}

// Operator reads an operator.
func (s *Service) Operator(ctx context.Context, id string) (o Operator, err error) {
	defer civic.Wrap(&err, "garden.Operator(%s)", id)
	o, err = scanOperator(s.DB.QueryRow(ctx, "SELECT "+operatorCols+" FROM garden_operators WHERE operator_id = $1", id))
	if noRows(err) {
		return o, notFound("operator", id)
	}
	return o, err
}

// Operators lists operators by name, for families browsing (a handful per
// district: bounded by listLimit).
func (s *Service) Operators(ctx context.Context) (_ []Operator, err error) {
	defer civic.Wrap(&err, "garden.Operators")
	rows, err := s.DB.Query(ctx, "SELECT "+operatorCols+" FROM garden_operators ORDER BY name, operator_id LIMIT $1", listLimit)
	return db.Collect(rows, err, scanOperator)
}

// AddGardenRequest lays out a garden of Rows×Cols plots (or seedlings),
// labelled A1, A2… by row letter and column.
type AddGardenRequest struct {
	Operator string `json:"operator"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Rows     int    `json:"rows"`
	Cols     int    `json:"cols"`
	SizeM2   int    `json:"size_m2"`
}

// AddGarden makes a garden and its plots. Only the operator may.
func (s *Service) AddGarden(ctx context.Context, by civic.Actor, key idem.Key, r AddGardenRequest) (g Garden, err error) {
	defer civic.Wrap(&err, "garden.AddGarden(%s)", r.Name)
	if err := staff(by, r.Operator, false); err != nil {
		return g, err
	}
	if r.Name, err = text(r.Name, civic.MaxName, true, "name"); err != nil {
		return g, err
	}
	switch {
	case r.Kind != "plots" && r.Kind != "seedlings":
		return g, civic.Errorf(civic.Invalid, "garden.bad_kind", "a garden holds plots or seedlings, not %q", r.Kind)
	case r.Rows < 1 || r.Rows > MaxGridSide || r.Cols < 1 || r.Cols > MaxGridSide:
		return g, civic.Errorf(civic.Invalid, "garden.bad_grid", "a garden has 1 to %d rows and columns", MaxGridSide)
	case r.SizeM2 < 0 || r.SizeM2 > 10000:
		return g, civic.Errorf(civic.Invalid, "garden.bad_size", "a plot is 0 to 10000 m²")
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.add_garden", r), func(tx *db.Tx) (Garden, error) {
		g := Garden{ID: civic.NewID(), Name: r.Name, Kind: r.Kind, Rows: r.Rows, Cols: r.Cols}
		now := db.Millis(tx.Now())
		if _, err := tx.Exec(ctx, `INSERT INTO garden_gardens (operator_id, id, name, kind, rows_n, cols_n, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.Operator, g.ID, g.Name, g.Kind, g.Rows, g.Cols, now); err != nil {
			return g, err
		}
		for row := 1; row <= r.Rows; row++ {
			for col := 1; col <= r.Cols; col++ {
				if _, err := tx.Exec(ctx, `INSERT INTO garden_plots (operator_id, id, garden_id, row_no, col_no, label, size_m2, created_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.Operator, civic.NewID(), g.ID, row, col, PlotLabel(row, col), r.SizeM2, now); err != nil {
					return g, err
				}
			}
		}
		return g, nil
	})
}

// PlotLabel names a grid cell: row letter, column number (A1 … T20).
func PlotLabel(row, col int) string { return fmt.Sprintf("%c%d", 'A'+row-1, col) }

const gardenCols = "id, name, kind, rows_n, cols_n"

func scanGarden(r db.Scanner) (g Garden, err error) {
	err = r.Scan(&g.ID, &g.Name, &g.Kind, &g.Rows, &g.Cols)
	return g, err
}

// Gardens lists the operator's gardens in the order they were made.
func (s *Service) Gardens(ctx context.Context, operatorID string) (_ []Garden, err error) {
	defer civic.Wrap(&err, "garden.Gardens(%s)", operatorID)
	rows, err := s.DB.Query(ctx, "SELECT "+gardenCols+" FROM garden_gardens WHERE operator_id = $1 ORDER BY created_at, id LIMIT $2", operatorID, listLimit)
	return db.Collect(rows, err, scanGarden)
}

func getGarden(ctx context.Context, q db.Querier, operatorID, id string) (Garden, error) {
	g, err := scanGarden(q.QueryRow(ctx, "SELECT "+gardenCols+" FROM garden_gardens WHERE operator_id = $1 AND id = $2", operatorID, id))
	if noRows(err) {
		return g, notFound("garden", id)
	}
	return g, err
}

// SetCropRequest adds a crop or edits one (ID set).
type SetCropRequest struct {
	Operator string `json:"operator"`
	Crop     Crop   `json:"crop"`
}

func (c Crop) validate() error {
	if c.MaturityDays < 1 || c.MaturityDays > MaxMaturity {
		return civic.Errorf(civic.Invalid, "garden.bad_maturity", "days to ripeness must be 1 to %d", MaxMaturity)
	}
	if c.WindowDays < 1 || c.WindowDays > MaxWindow {
		return civic.Errorf(civic.Invalid, "garden.bad_window", "the harvest window must be 1 to %d days", MaxWindow)
	}
	for _, n := range []int{c.WaterEvery, c.WeedEvery, c.FeedEvery, c.PestEvery} {
		if n < 0 || n > MaxMaturity {
			return civic.Errorf(civic.Invalid, "garden.bad_every", "a task repeats every 0 (never) to %d days", MaxMaturity)
		}
	}
	return nil
}

// SetCrop adds or edits a crop. Only the operator may. Plots already
// planted keep the tasks they were given.
func (s *Service) SetCrop(ctx context.Context, by civic.Actor, key idem.Key, r SetCropRequest) (c Crop, err error) {
	defer civic.Wrap(&err, "garden.SetCrop(%s)", r.Crop.Name)
	if err := staff(by, r.Operator, false); err != nil {
		return c, err
	}
	if r.Crop.Name, err = text(r.Crop.Name, civic.MaxName, true, "name"); err != nil {
		return c, err
	}
	if err := r.Crop.validate(); err != nil {
		return c, err
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.set_crop", r), func(tx *db.Tx) (Crop, error) {
		c := r.Crop
		if c.ID == "" {
			c.ID = civic.NewID()
			err := tx.Savepoint(ctx, func() error {
				_, err := tx.Exec(ctx, "INSERT INTO garden_crops (operator_id, "+cropCols+`, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
					r.Operator, c.ID, c.Name, c.MaturityDays, c.WindowDays, c.WaterEvery, c.WeedEvery, c.FeedEvery, c.PestEvery, db.Millis(tx.Now()))
				return err
			})
			if db.ErrorIs(err, db.ErrUnique) {
				return c, civic.Errorf(civic.Conflict, "garden.crop_exists", "a crop named %s exists", c.Name)
			}
			return c, err
		}
		res, err := tx.Exec(ctx, `UPDATE garden_crops SET name = $3, maturity_days = $4, window_days = $5, water_every = $6,
			weed_every = $7, feed_every = $8, pest_every = $9 WHERE operator_id = $1 AND id = $2`,
			r.Operator, c.ID, c.Name, c.MaturityDays, c.WindowDays, c.WaterEvery, c.WeedEvery, c.FeedEvery, c.PestEvery)
		if err != nil {
			return c, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return c, notFound("crop", c.ID)
		}
		return c, nil
	})
}

const cropCols = "id, name, maturity_days, window_days, water_every, weed_every, feed_every, pest_every"

func scanCrop(r db.Scanner) (c Crop, err error) {
	err = r.Scan(&c.ID, &c.Name, &c.MaturityDays, &c.WindowDays, &c.WaterEvery, &c.WeedEvery, &c.FeedEvery, &c.PestEvery)
	return c, err
}

// Crops lists the operator's crops by name (a garden grows dozens at most).
func (s *Service) Crops(ctx context.Context, operatorID string) (_ []Crop, err error) {
	defer civic.Wrap(&err, "garden.Crops(%s)", operatorID)
	rows, err := s.DB.Query(ctx, "SELECT "+cropCols+" FROM garden_crops WHERE operator_id = $1 ORDER BY name, id LIMIT 200", operatorID)
	return db.Collect(rows, err, scanCrop)
}

func getCrop(ctx context.Context, q db.Querier, operatorID, id string) (Crop, error) {
	c, err := scanCrop(q.QueryRow(ctx, "SELECT "+cropCols+" FROM garden_crops WHERE operator_id = $1 AND id = $2", operatorID, id))
	if noRows(err) {
		return c, notFound("crop", id)
	}
	return c, err
}

// AddSeasonRequest opens a season.
type AddSeasonRequest struct {
	Operator string `json:"operator"`
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

// AddSeason opens a season. Only the operator may.
func (s *Service) AddSeason(ctx context.Context, by civic.Actor, key idem.Key, r AddSeasonRequest) (se Season, err error) {
	defer civic.Wrap(&err, "garden.AddSeason(%s)", r.Name)
	if err := staff(by, r.Operator, false); err != nil {
		return se, err
	}
	if r.Name, err = text(r.Name, civic.MaxName, true, "name"); err != nil {
		return se, err
	}
	a, err := ParseDay(r.StartsOn)
	if err != nil {
		return se, err
	}
	b, err := ParseDay(r.EndsOn)
	if err != nil {
		return se, err
	}
	if !b.After(a) || b.Sub(a).Hours() > 24*400 {
		return se, civic.Errorf(civic.Invalid, "garden.bad_season", "a season ends after it starts, within 400 days")
	}
	r.StartsOn, r.EndsOn = a.Format(dayLayout), b.Format(dayLayout)
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.add_season", r), func(tx *db.Tx) (Season, error) {
		se := Season{ID: civic.NewID(), Name: r.Name, StartsOn: r.StartsOn, EndsOn: r.EndsOn}
		_, err := tx.Exec(ctx, `INSERT INTO garden_seasons (operator_id, id, name, starts_on, ends_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, r.Operator, se.ID, se.Name, se.StartsOn, se.EndsOn, db.Millis(tx.Now()))
		return se, err
	})
}

const seasonCols = "id, name, starts_on, ends_on"

func scanSeason(r db.Scanner) (se Season, err error) {
	err = r.Scan(&se.ID, &se.Name, &se.StartsOn, &se.EndsOn)
	return se, err
}

// Seasons lists seasons ending on or after day (all when day is ""),
// soonest first.
func (s *Service) Seasons(ctx context.Context, operatorID, day string) (_ []Season, err error) {
	defer civic.Wrap(&err, "garden.Seasons(%s)", operatorID)
	rows, err := s.DB.Query(ctx, "SELECT "+seasonCols+` FROM garden_seasons WHERE operator_id = $1 AND ends_on >= $2
		ORDER BY ends_on, id LIMIT $3`, operatorID, day, listLimit)
	return db.Collect(rows, err, scanSeason)
}

func getSeason(ctx context.Context, q db.Querier, operatorID, id string) (Season, error) {
	se, err := scanSeason(q.QueryRow(ctx, "SELECT "+seasonCols+" FROM garden_seasons WHERE operator_id = $1 AND id = $2", operatorID, id))
	if noRows(err) {
		return se, notFound("season", id)
	}
	return se, err
}
