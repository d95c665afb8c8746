package garden

import (
	"context"
	"io"
	"sort"

	"github.com/xuri/excelize/v2"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/i18n"
)

// The report's kept figures (garden_stats), each by one dimension.
const (
	statAdoptions = "adoptions" // confirmed, by mode
	statFee       = "fee_fen"   // fees recorded, by mode
	statRefund    = "refund_fen"
	statFailed    = "failed"     // failed crops, by mode
	statTaken     = "taken"      // plots held (pending or confirmed), by garden
	statTasksDone = "tasks_done" // by task kind
	statTasksLate = "tasks_late" // done after their day, by kind
	statHarvestG  = "harvest_g"  // grams picked, by crop
)

// bump adds v to a kept figure in the command's transaction: one upsert of
// one row, so no page ever recounts adoptions, tasks or harvests.
func bump(ctx context.Context, tx *db.Tx, operatorID, seasonID, metric, dim string, v int64) error {
	if v == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO garden_stats (operator_id, season_id, metric, dim, value) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (operator_id, season_id, metric, dim) DO UPDATE SET value = garden_stats.value + excluded.value`,
		operatorID, seasonID, metric, dim, v)
	return err
}

// ModeFigures are one mode's figures in a season.
type ModeFigures struct {
	Mode      ModeCode
	Adoptions int64
	Failed    int64
	FeeFen    int64
	RefundFen int64
}

// GardenFigures are one garden's plots free and taken in a season.
type GardenFigures struct {
	Garden       Garden
	Plots, Taken int64
}

// Free is how many plots no adoption holds.
func (g GardenFigures) Free() int64 { return max(0, g.Plots-g.Taken) }

// KindFigures are one task kind's tasks done and done late.
type KindFigures struct {
	Kind       TaskKind
	Done, Late int64
}

// CropFigures are one crop's harvest.
type CropFigures struct {
	Crop    string
	WeightG int64
}

// Report is a season's figures.
type Report struct {
	Season  Season
	Modes   []ModeFigures
	Gardens []GardenFigures
	Tasks   []KindFigures
	Crops   []CropFigures
}

// Report reads a season's kept figures. Only the operator may.
func (s *Service) Report(ctx context.Context, by civic.Actor, operatorID, seasonID string) (rep Report, err error) {
	defer civic.Wrap(&err, "garden.Report(%s)", seasonID)
	if err := staff(by, operatorID, false); err != nil {
		return rep, err
	}
	if rep.Season, err = getSeason(ctx, s.DB, operatorID, seasonID); err != nil {
		return rep, err
	}
	type stat struct {
		metric, dim string
		v           int64
	}
	rows, err := s.DB.Query(ctx, "SELECT metric, dim, value FROM garden_stats WHERE operator_id = $1 AND season_id = $2", operatorID, seasonID)
	stats, err := db.Collect(rows, err, func(r db.Scanner) (x stat, err error) { err = r.Scan(&x.metric, &x.dim, &x.v); return x, err })
	if err != nil {
		return rep, err
	}
	get := map[[2]string]int64{}
	for _, x := range stats {
		get[[2]string{x.metric, x.dim}] = x.v
	}
	for _, m := range ModeCodes {
		d := string(m)
		rep.Modes = append(rep.Modes, ModeFigures{Mode: m, Adoptions: get[[2]string{statAdoptions, d}], Failed: get[[2]string{statFailed, d}],
			FeeFen: get[[2]string{statFee, d}], RefundFen: get[[2]string{statRefund, d}]})
	}
	for _, k := range TaskKinds {
		rep.Tasks = append(rep.Tasks, KindFigures{Kind: k, Done: get[[2]string{statTasksDone, string(k)}], Late: get[[2]string{statTasksLate, string(k)}]})
	}
	gardens, err := s.Gardens(ctx, operatorID)
	if err != nil {
		return rep, err
	}
	for _, g := range gardens {
		rep.Gardens = append(rep.Gardens, GardenFigures{Garden: g, Plots: int64(g.Rows * g.Cols), Taken: get[[2]string{statTaken, g.ID}]})
	}
	crops, err := s.Crops(ctx, operatorID)
	if err != nil {
		return rep, err
	}
	for _, c := range crops {
		if w := get[[2]string{statHarvestG, c.ID}]; w > 0 {
			rep.Crops = append(rep.Crops, CropFigures{Crop: c.Name, WeightG: w})
		}
	}
	sort.Slice(rep.Crops, func(i, j int) bool { return rep.Crops[i].WeightG > rep.Crops[j].WeightG })
	return rep, nil
}

// WriteXLSX writes the report as a workbook of four sheets headed in lang.
func WriteXLSX(w io.Writer, rep Report, lang i18n.Lang) (err error) {
	defer civic.Wrap(&err, "garden.WriteXLSX")
	f := excelize.NewFile()
	defer f.Close()
	t := func(k string) any { return i18n.T(lang, k) }
	yuan := func(fen int64) float64 { return float64(fen) / 100 }
	type sheet struct {
		name string
		head []any
		rows [][]any
	}
	sheets := []sheet{
		{i18n.T(lang, "garden.report.by_mode"), []any{t("garden.col.mode"), t("garden.col.adoptions"), t("garden.col.failed"),
			t("garden.col.fee_yuan"), t("garden.col.refund_yuan"), t("garden.col.net_yuan")}, nil},
		{i18n.T(lang, "garden.report.plots"), []any{t("garden.col.garden"), t("garden.col.plots"), t("garden.col.taken"), t("garden.col.free")}, nil},
		{i18n.T(lang, "garden.report.tasks"), []any{t("garden.col.task"), t("garden.col.done"), t("garden.col.late")}, nil},
		{i18n.T(lang, "garden.report.harvests"), []any{t("garden.col.crop"), t("garden.col.weight_kg")}, nil},
	}
	for _, m := range rep.Modes {
		sheets[0].rows = append(sheets[0].rows, []any{t("garden.mode." + string(m.Mode)), m.Adoptions, m.Failed, yuan(m.FeeFen),
			yuan(m.RefundFen), yuan(m.FeeFen - m.RefundFen)})
	}
	for _, g := range rep.Gardens {
		sheets[1].rows = append(sheets[1].rows, []any{g.Garden.Name, g.Plots, g.Taken, g.Plots - g.Taken})
	}
	for _, k := range rep.Tasks {
		sheets[2].rows = append(sheets[2].rows, []any{t("garden.task." + string(k.Kind)), k.Done, k.Late})
	}
	for _, c := range rep.Crops {
		sheets[3].rows = append(sheets[3].rows, []any{c.Crop, float64(c.WeightG) / 1000})
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		if err := f.SetSheetRow(s.name, "A1", &s.head); err != nil {
			return err
		}
		for j, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				return err
			}
		}
		_ = f.SetColWidth(s.name, "A", "A", 22)
	}
	return f.Write(w)
}
