package importer

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/registry"
)

var (
	benchRows = flag.Int("import-rows", 400000, "rows in the BenchmarkImport file")
	benchFile = flag.String("import-file", "", "write the BenchmarkImport file here and keep it (for timing `civicpoints import residents` on it)")
)

// BenchmarkImport writes an xlsx file of -import-rows synthetic residents
// (6 estates, one household per 2.43 residents) and times reading and
// importing it into a fresh SQLite database:
//
//	go test ./internal/importer -run '^$' -bench Import -benchtime 1x
func BenchmarkImport(b *testing.B) {
	n := *benchRows
	rows := registry.SyntheticRows(7, []string{"春江花园", "江滨小区", "府山苑", "柯城新村", "衢江公寓", "百汇家园"}, n*100/243, n, now)
	path := filepath.Join(b.TempDir(), "residents.xlsx")
	if *benchFile != "" {
		path = *benchFile
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteTemplate(f, rows); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	b.Logf("file %s: %d rows, %.1f MB", path, n, float64(st.Size())/1e6)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := dbtest.SQLite(b)
		reg := registry.New(d, civic.NewFixedClock(now), nil, strings.Repeat("s", 32))
		c := dbtest.Community(b, d, "bench")
		b.StartTimer()
		got, err := ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Run(context.Background(), reg, civic.System, c, got, Options{Key: newKey()})
		if err != nil || rep.Result.Added != n {
			b.Fatalf("added %d of %d: %v %v", rep.Result.Added, n, err, rep.Plan.Errors[:min(3, len(rep.Plan.Errors))])
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
