package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// One clock, injected, for every write: with a fixed clock, every time any
// table stores (transfers, reversals, stock moves, audit, imports, visits,
// keys) is that clock's, whichever command wrote it.
func TestEveryStoredTimeIsTheClock(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 15, 2, 30, 0, 0, time.UTC) // not today, not midnight
		clock := civic.NewFixedClock(at)
		a := app.New(&config.Config{Lang: "en", SecretKey: "clock-test-secret-0123456789abcdef"}, d, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
		defer a.Batch.Close()
		sc, err := a.ScratchCommunity(ctx, "clock", 2)
		if err != nil {
			t.Fatal(err)
		}
		w, c, r := sc.Worker, sc.CommunityID, sc.Residents[0]
		clerk := civic.Actor{UserID: "clerk", Name: "clerk", Role: civic.RoleClerk, CommunityID: c}
		admin := civic.Actor{UserID: "admin", Name: "admin", Role: civic.RoleAdmin}
		must := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		_, err = a.Earning.Award(ctx, w, "award", earning.AwardRequest{Community: c, Resident: r, Indicator: app.BenchIndicator, Points: 50, Reason: "help"})
		must("award", err)
		good, err := a.Station.CreateGood(ctx, w, "good", station.CreateGoodRequest{Community: c, Name: "rice", Points: 10, Stock: 5})
		must("good", err)
		rc, err := a.Station.Redeem(ctx, clerk, "basket", station.RedeemRequest{Community: c, Resident: r, Channel: station.ChannelCounter,
			Items: []station.Item{{GoodID: good.ID, Quantity: 1}}})
		must("redeem", err)
		_, err = a.Ledger.ReverseTransfer(ctx, w, "reverse", ledger.ReverseRequest{Community: c, Transfer: rc.TransferID, Reason: "mistake"})
		must("reverse", err)
		_, err = a.Station.WriteOff(ctx, clerk, "write-off", station.WriteOffRequest{Community: c, Good: good.ID, Quantity: 1, Reason: "spoilt"})
		must("write off", err)
		_, err = a.Registry.RecordVisit(ctx, w, "visit", registry.RecordVisitRequest{Community: c, NewVisit: registry.NewVisit{ResidentID: r, Method: "door", Notes: "well"}})
		must("visit", err)
		_, err = a.Registry.ApplyImport(ctx, w, "import", registry.ApplyImportRequest{Community: c, Rows: []registry.ImportRow{{Line: 2,
			Estate: "江滨苑", Building: "2", Room: "201", Tenure: "自有住房", Name: "王小明", Gender: "男", BirthDate: "1980-02-02", Relation: "户主"}}})
		must("import", err)
		_, err = a.Auth.CreateToken(ctx, admin, idem.Key("token"), auth.CreateTokenRequest{Community: c, Role: civic.RoleWorker, Name: "clock"})
		must("token", err)

		want := db.Millis(at)
		checked := 0
		for table, cols := range timeColumns(t, d) {
			for _, col := range cols {
				q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s IS NOT NULL AND %s <> 0 AND %s <> $1", table, col, col, col)
				var n int
				if err := d.QueryRow(ctx, q, want).Scan(&n); err != nil {
					t.Fatalf("%s.%s: %v", table, col, err)
				}
				if n > 0 {
					t.Errorf("%s.%s: %d rows store a time other than the clock's", table, col, n)
				}
				checked++
			}
		}
		if checked < 20 {
			t.Errorf("only %d time columns checked; the schema query found too few", checked)
		}
	})
}

// timeColumns lists, per table, the columns that store when something
// happened (created_at, updated_at, at, …), leaving out those that store a
// time computed from it (expiry, deadlines) and the migration record.
func timeColumns(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	var q string
	if d.Dialect == db.SQLite {
		q = `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND upper(p.type) IN ('BIGINT', 'INTEGER')`
	} else {
		q = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND data_type IN ('bigint', 'integer')`
	}
	rows, err := d.Query(ctx, q)
	pairs, err := db.Collect(rows, err, func(r db.Scanner) (p [2]string, err error) { err = r.Scan(&p[0], &p[1]); return p, err })
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range pairs {
		table, col := p[0], p[1]
		if table == "schema_migrations" || !(col == "at" || strings.HasSuffix(col, "_at")) {
			continue
		}
		if strings.Contains(col, "expires") || strings.Contains(col, "until") || strings.Contains(col, "due") || strings.Contains(col, "release") {
			continue
		}
		out[table] = append(out[table], col)
	}
	return out
}
