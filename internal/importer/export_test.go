package importer

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/i18n"
	"civicpoints/internal/registry"

	"github.com/xuri/excelize/v2"
	"pgregory.net/rapid"
)

// For random residents, the export rows a worker without the red grant gets
// of a red resident (visited as red-group care by a worker holding it) and
// of a never-red twin with the same data differ only in the ordinary
// fields that tell two people apart: name and address.
func TestExportRowsCannotTellRed(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		reg := registry.New(d, civic.NewFixedClock(now), nil, strings.Repeat("s", 32))
		c := dbtest.Community(t, d, "exp"+strings.ToLower(civic.NewID()[20:]))
		plain := civic.Actor{UserID: "w2", Name: "社工", Role: civic.RoleWorker, CommunityID: c}
		grant := civic.Actor{UserID: "w1", Name: "红色社工", Role: civic.RoleWorker, CommunityID: c, Grants: []string{registry.GrantRed}}
		n := 0
		rapid.Check(t, func(rt *rapid.T) {
			n++
			e, err := reg.CreateEstate(ctx, plain, newKey(), registry.CreateEstateRequest{Community: c, Name: fmt.Sprintf("导出小区%d", n)})
			if err != nil {
				rt.Fatal(err)
			}
			tenure := rapid.SampledFrom([]registry.Tenure{registry.TenureOwner, registry.TenureRental}).Draw(rt, "tenure")
			disabled := rapid.Bool().Draw(rt, "disability")
			birth := rapid.SampledFrom([]string{"2012-04-01", "1985-07-20", "1950-03-15"}).Draw(rt, "birth")
			var ids [2]string
			for i, name := range []string{"红甲", "白乙"} {
				h, err := reg.CreateHousehold(ctx, plain, newKey(), registry.CreateHouseholdRequest{Community: c, Estate: e.ID, Building: fmt.Sprint(i + 1), Room: "101", Tenure: tenure, Disability: disabled})
				if err != nil {
					rt.Fatal(err)
				}
				if ids[i], err = idOf(reg.CreateResident(ctx, plain, newKey(), registry.CreateResidentRequest{Community: c, NewResident: registry.NewResident{HouseholdID: h.ID, Name: name, Gender: "男", BirthDate: birth}})); err != nil {
					rt.Fatal(err)
				}
			}
			if _, err := reg.SetRed(ctx, grant, newKey(), registry.SetRedRequest{Community: c, Resident: ids[0], Red: true, Reason: "重点"}); err != nil {
				rt.Fatal(err)
			}
			for i := range rapid.IntRange(0, 3).Draw(rt, "care visits") {
				day := now.AddDate(0, 0, -i*7).Format("2006-01-02")
				if _, err := reg.RecordVisit(ctx, grant, newKey(), registry.RecordVisitRequest{Community: c, NewVisit: registry.NewVisit{ResidentID: ids[0], Date: day, Method: "door"}}); err != nil {
					rt.Fatal(err)
				}
			}
			for range rapid.IntRange(0, 2).Draw(rt, "plain visits") {
				day := now.AddDate(0, 0, -rapid.IntRange(0, 120).Draw(rt, "ago")).Format("2006-01-02")
				for _, id := range ids {
					if _, err := reg.RecordVisit(ctx, plain, newKey(), registry.RecordVisitRequest{Community: c, NewVisit: registry.NewVisit{ResidentID: id, Date: day, Method: "phone"}}); err != nil {
						rt.Fatal(err)
					}
				}
			}
			if rapid.Bool().Draw(rt, "red again no longer") {
				if _, err := reg.SetRed(ctx, grant, newKey(), registry.SetRedRequest{Community: c, Resident: ids[0], Red: false, Reason: "解除"}); err != nil {
					rt.Fatal(err)
				}
			}
			for _, f := range []registry.Filter{{EstateID: e.ID}, {EstateID: e.ID, Overdue: true}, {EstateID: e.ID, Colour: registry.White}} {
				all, err := reg.Export(ctx, plain, c, f)
				if err != nil {
					rt.Fatal(err)
				}
				var buf bytes.Buffer
				if err := WriteExport(&buf, i18n.ZH, all); err != nil {
					rt.Fatal(err)
				}
				rows := xlsxRows(rt, buf.Bytes())
				byName := map[string][]string{}
				for _, r := range rows[1:] {
					r = append(r, make([]string, len(exportColumns)-len(r))...) // trailing empty cells
					byName[r[0]] = slices.Concat(r[1:4], r[5:])
				}
				red, isRed := byName["红甲"]
				white, isWhite := byName["白乙"]
				if isRed != isWhite || !slices.Equal(red, white) {
					rt.Fatalf("export %s tells them apart:\nred:   %q (listed %v)\nwhite: %q (listed %v)", f, red, isRed, white, isWhite)
				}
			}
		})
	})
}

func xlsxRows(t interface{ Fatal(...any) }, b []byte) [][]string {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
