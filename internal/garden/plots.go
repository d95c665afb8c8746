package garden

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Plot is one cell of a garden's grid: a plot, or a seedling of a variety.
type Plot struct {
	ID       string `json:"id"`
	GardenID string `json:"garden_id"`
	Row      int    `json:"row"`
	Col      int    `json:"col"`
	Label    string `json:"label"`
	SizeM2   int    `json:"size_m2"`
	Variety  string `json:"variety"`
	Giant    bool   `json:"giant"`
	PhotoID  string `json:"photo_id"`
	// Taken is the status of the season's adoption holding it ("" when free).
	Taken string `json:"taken,omitempty"`
}

const plotCols = "p.id, p.garden_id, p.row_no, p.col_no, p.label, p.size_m2, p.variety, p.giant, p.photo_id"

func scanPlot(r db.Scanner) (p Plot, err error) {
	var giant int64
	err = r.Scan(&p.ID, &p.GardenID, &p.Row, &p.Col, &p.Label, &p.SizeM2, &p.Variety, &giant, &p.PhotoID, &p.Taken)
	p.Giant = giant != 0
	return p, err
}

// Plots lists a garden's plots in grid order with whether the season's
// adoptions hold each (a garden has at most MaxGridSide² plots).
func (s *Service) Plots(ctx context.Context, operatorID, gardenID, seasonID string) (_ []Plot, err error) {
	defer civic.Wrap(&err, "garden.Plots(%s)", gardenID)
	rows, err := s.DB.Query(ctx, "SELECT "+plotCols+`, COALESCE(a.status, '') FROM garden_plots p
		LEFT JOIN garden_adoptions a ON a.operator_id = p.operator_id AND a.season_id = $3 AND a.plot_id = p.id AND a.status <> 'cancelled'
		WHERE p.operator_id = $1 AND p.garden_id = $2 ORDER BY p.row_no, p.col_no`, operatorID, gardenID, seasonID)
	return db.Collect(rows, err, scanPlot)
}

// Plot reads one plot, with the season's holder's status ("" when free).
func (s *Service) Plot(ctx context.Context, operatorID, id, seasonID string) (p Plot, err error) {
	defer civic.Wrap(&err, "garden.Plot(%s)", id)
	return getPlot(ctx, s.DB, operatorID, id, seasonID)
}

func getPlot(ctx context.Context, q db.Querier, operatorID, id, seasonID string) (Plot, error) {
	p, err := scanPlot(q.QueryRow(ctx, "SELECT "+plotCols+`, COALESCE(a.status, '') FROM garden_plots p
		LEFT JOIN garden_adoptions a ON a.operator_id = p.operator_id AND a.season_id = $3 AND a.plot_id = p.id AND a.status <> 'cancelled'
		WHERE p.operator_id = $1 AND p.id = $2`, operatorID, id, seasonID))
	if noRows(err) {
		return p, notFound("plot", id)
	}
	return p, err
}

// SetPlotRequest describes a plot: its size, the variety of a seedling, and
// an optional new photo (resized before it is kept).
type SetPlotRequest struct {
	Operator string `json:"operator"`
	Plot     string `json:"plot"`
	SizeM2   int    `json:"size_m2"`
	Variety  string `json:"variety"`
	Giant    bool   `json:"giant"`
	Photo    []byte `json:"photo,omitempty"`
}

// SetPlot describes a plot. Only the operator may.
func (s *Service) SetPlot(ctx context.Context, by civic.Actor, key idem.Key, r SetPlotRequest) (p Plot, err error) {
	defer civic.Wrap(&err, "garden.SetPlot(%s)", r.Plot)
	if err := staff(by, r.Operator, false); err != nil {
		return p, err
	}
	if r.Variety, err = text(r.Variety, civic.MaxName, false, "variety"); err != nil {
		return p, err
	}
	if r.SizeM2 < 0 || r.SizeM2 > 10000 {
		return p, civic.Errorf(civic.Invalid, "garden.bad_size", "a plot is 0 to 10000 m²")
	}
	var ph Photo
	o := op(r.Operator, key, "garden.set_plot", r)
	o.Check = func(ctx context.Context) (err error) { ph, err = PreparePhoto(r.Photo); return err }
	return idem.Run(ctx, s.Idem, o, func(tx *db.Tx) (Plot, error) {
		p, err := getPlot(ctx, tx, r.Operator, r.Plot, "")
		if err != nil {
			return p, err
		}
		if len(ph.Data) > 0 {
			if p.PhotoID, err = putPhoto(ctx, tx, r.Operator, ph); err != nil {
				return p, err
			}
		}
		p.SizeM2, p.Variety, p.Giant = r.SizeM2, r.Variety, r.Giant
		_, err = tx.Exec(ctx, `UPDATE garden_plots SET size_m2 = $3, variety = $4, giant = $5, photo_id = $6
			WHERE operator_id = $1 AND id = $2`, r.Operator, p.ID, p.SizeM2, p.Variety, boolInt(p.Giant), p.PhotoID)
		return p, err
	})
}

// countPlots is how many plots an operator's garden has, for the report's
// free-and-taken figures (a small, indexed count by primary key prefix).
func countPlots(ctx context.Context, q db.Querier, operatorID, gardenID string) (n int64, err error) {
	err = q.QueryRow(ctx, "SELECT rows_n * cols_n FROM garden_gardens WHERE operator_id = $1 AND id = $2", operatorID, gardenID).Scan(&n)
	return n, err
}
