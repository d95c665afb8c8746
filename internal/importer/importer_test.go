package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/i18n"
	"civicpoints/internal/registry"
)

var now = time.Date(2025, 6, 1, 4, 0, 0, 0, time.UTC)

func csvOf(rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll(rows)
	return b.Bytes()
}

func TestReadRejects(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		size int64
		key  string
	}{
		{"empty", nil, 0, "import.empty"},
		{"too big", []byte("x"), MaxBytes + 1, "import.too_big"},
		{"binary", []byte{0x89, 'P', 'N', 'G', 0, 0, 0, 0}, 8, "import.format"},
		{"xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3, 4}, 8, "import.xls"},
		{"missing column", csvOf([][]string{{"姓名", "小区", "楼栋"}, {"张三", "春江花园", "1"}}), 0, "import.missing_columns"},
		{"header only", csvOf([][]string{{"姓名", "身份证号", "小区", "楼栋", "门牌号"}}), 0, "import.no_rows"},
	}
	for _, tt := range tests {
		size := tt.size
		if size == 0 {
			size = int64(len(tt.data))
		}
		_, err := Read(bytes.NewReader(tt.data), size)
		if e := civic.AsError(err); e == nil || e.Key != tt.key {
			t.Errorf("%s: got %v, want key %s", tt.name, err, tt.key)
		}
	}
}

func TestImportCSVAndXLSX(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		reg := registry.New(d, civic.NewFixedClock(now), nil, strings.Repeat("s", 32))
		c := dbtest.Community(t, d, "imp"+strings.ToLower(civic.NewID()[20:]))
		rows := registry.SyntheticRows(1, []string{"春江花园", "江滨小区"}, 20, 50, now)
		var buf bytes.Buffer
		if err := WriteTemplate(&buf, rows); err != nil {
			t.Fatal(err)
		}
		got, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil || len(got) != 50 || got[3].IDNumber != rows[3].IDNumber || got[3].Name != rows[3].Name {
			t.Fatalf("xlsx round trip: %d rows, %v", len(got), err)
		}
		// A bad file: nothing is written, every bad row is reported.
		bad := append([]registry.ImportRow{}, got...)
		bad[4].IDNumber = "330803199001011234"
		bad[7].Phone = "12345"
		rep, err := Run(ctx, reg, civic.System, c, bad, Options{Key: newKey()})
		if err != nil || rep.Applied || len(rep.Plan.Errors) != 2 {
			t.Fatalf("bad file: applied=%v errors=%v err=%v", rep.Applied, rep.Plan.Errors, err)
		}
		if msg := RowMessage(i18n.ZH, rep.Plan.Errors[0]); !strings.Contains(msg, "第 6 行") || !strings.Contains(msg, "身份证号") {
			t.Errorf("row message = %q", msg)
		}
		if items, _, _ := reg.ListResidents(ctx, c, "", 10); len(items) != 0 {
			t.Fatalf("a file with errors wrote %d residents", len(items))
		}
		rep, err = Run(ctx, reg, civic.System, c, bad, Options{ValidOnly: true, Key: newKey()})
		if err != nil || !rep.Applied || rep.Result.Added != 48 {
			t.Fatalf("valid only: %+v %v", rep.Result, err)
		}
		// Importing the same (fixed) file again adds only the two fixed rows, then nothing.
		for i, want := range []int{2, 0} {
			rep, err = Run(ctx, reg, civic.System, c, got, Options{Key: newKey()})
			if err != nil || rep.Result.Added != want {
				t.Fatalf("re-import %d: added %d, want %d (%v)", i, rep.Result.Added, want, err)
			}
		}
	})
}
