package importer

import (
	"fmt"
	"io"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/registry"

	"github.com/xuri/excelize/v2"
)

// WriteTemplate writes an xlsx file with the template header and rows (none
// for an empty template).
func WriteTemplate(w io.Writer, rows []registry.ImportRow) (err error) {
	defer civic.Wrap(&err, "importer.WriteTemplate(%d rows)", len(rows))
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := make([]any, len(Columns))
	for i, c := range Columns {
		header[i] = c.Header
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, r := range rows {
		vals := []any{r.Name, r.Gender, r.IDNumber, r.BirthDate, r.Estate, r.Building, r.Unit, r.Room, r.Phone, r.Relation, r.Tenure, r.Disability, r.MovedIn}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// ExportColumns are the columns of an export, by i18n key.
var exportColumns = []string{"export.name", "export.gender", "export.birth", "export.estate", "export.address",
	"export.relation", "export.id", "export.phone", "export.colours", "export.last_visit", "export.due"}

// WriteExport writes residents, as the exporting user may see them (masked
// ID and phone; colours only when present), to an xlsx file.
func WriteExport(w io.Writer, lang i18n.Lang, residents []registry.Resident) (err error) {
	defer civic.Wrap(&err, "importer.WriteExport(%d residents)", len(residents))
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := make([]any, len(exportColumns))
	for i, k := range exportColumns {
		header[i] = i18n.T(lang, k)
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, r := range residents {
		colours := ""
		if r.Primary != "" {
			for j, c := range r.Colours.List() {
				if j > 0 {
					colours += "、"
				}
				colours += i18n.T(lang, "registry.colour."+string(c))
			}
		}
		gender := i18n.T(lang, "registry.gender."+r.Gender)
		birth := ""
		if !r.BirthDate.IsZero() {
			birth = r.BirthDate.Format("2006-01-02")
		}
		vals := []any{r.Name, gender, birth, r.EstateName, r.Address, r.Relation, r.IDMasked, r.PhoneMasked, colours, r.LastVisit, r.VisitDue}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("export row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
