package registry

import (
	"context"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

// TestImportBatches imports enough rows to cross every batch and sealing
// chunk boundary, then checks each table the import writes, and that the
// same file imported again changes nothing.
func TestImportBatches(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		const n = 5000 // > applyChunk, > 10 full resident statements
		rows := SyntheticRows(3, []string{"春江花园", "江滨小区", "府山苑"}, n*100/243, n, testNow)
		// Two rows without an ID number, the same person in the same home:
		// the second matches the first.
		rows[10].IDNumber, rows[11] = "", rows[10]
		rows[11].Line = rows[10].Line + 1
		plan, err := f.s.PlanImport(ctx, f.worker, f.c, rows)
		if err != nil || len(plan.Errors) != 0 || plan.New != n {
			t.Fatalf("plan: new %d, errors %v, %v", plan.New, plan.Errors, err)
		}
		var done, total int
		res, err := f.apply(ctx, rows, false, func(d, t int) { done, total = d, t })
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Added, n-1; got != want {
			t.Errorf("added %d, want %d", got, want)
		}
		if res.Existing != 1 || res.Estates != 2 || done != total || total != n {
			t.Errorf("result %+v, progress %d/%d", res, done, total)
		}
		count := func(q string) int {
			t.Helper()
			var x int
			if err := d.QueryRow(ctx, q, f.c).Scan(&x); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return x
		}
		added := res.Added
		for q, want := range map[string]int{
			"SELECT COUNT(*) FROM residents WHERE community_id = $1":                                          added,
			"SELECT COUNT(*) FROM ledger_accounts WHERE community_id = $1 AND active = 1":                     added,
			"SELECT COUNT(*) FROM resident_moves WHERE community_id = $1 AND kind = 'in'":                     added,
			"SELECT COUNT(*) FROM residents WHERE community_id = $1 AND id_hash IS NOT NULL AND id_enc <> ''": count("SELECT COUNT(*) FROM residents WHERE community_id = $1 AND id_masked <> ''"),
			"SELECT COUNT(*) FROM colour_changes WHERE community_id = $1 AND added = 1":                       count("SELECT COUNT(*) FROM resident_colours WHERE community_id = $1"),
			"SELECT COUNT(*) FROM households WHERE community_id = $1":                                         res.Households + 2,
		} {
			if got := count(q); got != want || got == 0 {
				t.Errorf("%s = %d, want %d", q, got, want)
			}
		}
		// Every resident's points account is there, and the ledger agrees.
		if r, err := ledger.Check(ctx, d, f.c); err != nil || !r.OK {
			t.Errorf("ledger check: %+v %v", r, err)
		}
		// Sealed fields open to what the file said; colours are derived.
		items, _, err := f.s.Search(ctx, f.red, f.c, Filter{Colour: Green}, "", 3)
		if err != nil || len(items) == 0 {
			t.Fatalf("search green: %v %v", items, err)
		}
		byID := map[string]ImportRow{}
		for _, r := range rows {
			byID[r.IDNumber] = r
		}
		for _, it := range items {
			rec, err := f.s.OpenRecord(ctx, f.red, f.c, it.ID, "import test")
			if err != nil {
				t.Fatal(err)
			}
			if src, ok := byID[rec.IDNumber]; rec.IDNumber != "" && (!ok || src.Name != rec.Name) {
				t.Errorf("record %s opens to ID %s, not in the file under that name", it.ID, rec.IDNumber)
			}
			if !rec.Colours.Has(Green) || rec.Age >= 18 {
				t.Errorf("record %s: colours %v at age %d", it.ID, rec.Colours, rec.Age)
			}
		}
		if d.Dialect == db.SQLite {
			if got := count("SELECT COUNT(*) FROM sqlite_temp_master WHERE name LIKE 'import_%' AND $1 <> ''"); got != 0 {
				t.Errorf("%d staging tables left", got)
			}
		}
		// The same file again changes nothing.
		again, err := f.s.PlanImport(ctx, f.worker, f.c, rows)
		if err != nil || again.New != 0 || again.Existing != n {
			t.Fatalf("plan again: new %d existing %d %v", again.New, again.Existing, err)
		}
		res, err = f.apply(ctx, rows, false, nil)
		if err != nil || res.Added != 0 || res.Households != 0 || res.Estates != 0 {
			t.Fatalf("apply again: %+v %v", res, err)
		}
		if got := count("SELECT COUNT(*) FROM residents WHERE community_id = $1"); got != added {
			t.Errorf("residents after re-import = %d, want %d", got, added)
		}
	})
}

// TestImportStoppedHalfway cancels an import after its first chunk: nothing
// is written, and the next import of the file works.
func TestImportStoppedHalfway(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d)
		rows := SyntheticRows(5, []string{"春江花园"}, 2000, 5000, testNow)
		plan, err := f.s.PlanImport(context.Background(), f.worker, f.c, rows)
		if err != nil || plan.New != len(rows) {
			t.Fatalf("plan: %d new, %v", plan.New, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if _, err := f.apply(ctx, rows, false, func(int, int) { cancel() }); err == nil {
			t.Fatal("a cancelled import succeeded")
		}
		var n int
		for _, table := range []string{"residents", "households", "ledger_accounts", "colour_changes", "resident_moves"} {
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table+" WHERE community_id = $1", f.c).Scan(&n); err != nil || n > 2 {
				t.Errorf("%s after a cancelled import: %d rows, %v", table, n, err) // 2: the fixture's households
			}
		}
		res, err := f.apply(context.Background(), rows, false, nil)
		if err != nil || res.Added != len(rows) {
			t.Fatalf("import after the cancelled one: %+v %v", res, err)
		}
	})
}
