package station

import (
	"io"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the report as a workbook with three sheets (by month, by
// good, by donor), headed in lang.
func WriteXLSX(w io.Writer, r Report, lang i18n.Lang) (err error) {
	defer civic.Wrap(&err, "station.WriteXLSX")
	f := excelize.NewFile()
	defer f.Close()
	t := func(k string) any { return i18n.T(lang, k) }
	sheets := []struct {
		name string
		head []any
		rows [][]any
	}{
		{i18n.T(lang, "station.report.by_month"), []any{t("station.col.month"), t("station.col.orders"), t("station.col.points_redeemed"),
			t("station.col.undone"), t("station.col.units_out"), t("station.col.written_off"), t("station.col.donated_points"),
			t("station.col.donated_yuan"), t("station.col.purchased_yuan")}, nil},
		{i18n.T(lang, "station.report.by_good"), []any{t("station.col.good"), t("station.col.unit"), t("station.col.points"), t("station.col.in"),
			t("station.col.out"), t("station.col.written_off"), t("station.col.counted"), t("station.col.stock")}, nil},
		{i18n.T(lang, "station.report.by_donor"), []any{t("station.col.donor"), t("station.col.kind"), t("station.col.donations"),
			t("station.col.donated_points"), t("station.col.donated_yuan")}, nil},
	}
	for _, m := range r.Months {
		sheets[0].rows = append(sheets[0].rows, []any{m.Month, m.Orders, m.PointsRedeemed, m.Undone, m.UnitsOut, m.UnitsWrittenOff,
			m.DonatedPoints, float64(m.DonatedFen) / 100, float64(m.PurchasedFen) / 100})
	}
	for _, g := range r.Goods {
		sheets[1].rows = append(sheets[1].rows, []any{g.Name, g.Unit, g.Points, g.In, g.Out, g.WrittenOff, g.Counted, g.Stock})
	}
	for _, dn := range r.Donors {
		sheets[2].rows = append(sheets[2].rows, []any{dn.Name, i18n.T(lang, "station.donor_kind."+string(dn.Kind)), dn.Donations,
			dn.Points, float64(dn.FundsFen) / 100})
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
		_ = f.SetColWidth(s.name, "A", "A", 24)
	}
	return f.Write(w)
}
