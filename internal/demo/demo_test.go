package demo

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/registry"
)

// Running the demo twice changes nothing: every table holds the same number of
// rows after the second run as after the first.
func TestDemoIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := app.New(&config.Config{}, d, civic.NewFixedClock(time.Date(2025, 3, 1, 9, 0, 0, 0, civic.Shanghai)),
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		first, err := Run(ctx, a, Steps, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := counts(t, d)
		second, err := Run(ctx, a, Steps, nil)
		if err != nil {
			t.Fatal(err)
		}
		after := counts(t, d)
		if !maps.Equal(before, after) {
			t.Errorf("second run changed row counts:\nbefore %v\nafter  %v", before, after)
		}
		// Chunjiang and its two smaller neighbours in one district; a login
		// per role plus a worker for each neighbour.
		for table, want := range map[string]int64{"districts": 1, "communities": 3, "estates": 12, "households": 2481 + 620 + 640,
			"residents": 6028 + 1500 + 1520, "users": 9 + 3 + 8, "garden_plots": 110} {
			if got := before[table]; got != want {
				t.Errorf("%s = %d, want %d", table, got, want)
			}
		}
		roles := map[string]bool{}
		for _, l := range first.Logins {
			roles[l.Role] = true
			if l.Username == "" || l.Password == "" {
				t.Errorf("incomplete login %+v", l)
			}
		}
		for _, r := range civic.Roles {
			if !roles[string(r)] {
				t.Errorf("no demo login for role %s: %v", r, first.Logins)
			}
		}
		var linked string
		if err := d.QueryRow(ctx, "SELECT resident_id FROM users WHERE role = 'resident' AND community_id = $1", first.CommunityID).Scan(&linked); err != nil || linked != first.ResidentID || linked == "" {
			t.Errorf("resident user linked to %q (%v), want first resident %q", linked, err, first.ResidentID)
		}
		if first.CommunityID == "" || first.CommunityID != second.CommunityID || first.ResidentID != second.ResidentID {
			t.Errorf("state differs between runs: %+v vs %+v", first, second)
		}
		if len(first.Logins) != len(second.Logins) {
			t.Errorf("logins differ between runs: %v vs %v", first.Logins, second.Logins)
		}
		c, err := registry.CommunityBySlug(ctx, d, Slug)
		if err != nil {
			t.Fatal(err)
		}
		dist, err := a.District.BySlug(ctx, "qujiang")
		if err != nil || dist.Name != "衢江区" || c.DistrictID != dist.ID {
			t.Errorf("district = %+v, %v; chunjiang's is %q", dist, err, c.DistrictID)
		}
		if cs, err := registry.CommunitiesIn(ctx, d, dist.ID); err != nil || len(cs) != 3 {
			t.Errorf("communities of qujiang = %d, %v; want 3", len(cs), err)
		}
		for _, p := range credit.Purposes {
			if err := a.Credit.Allowed(ctx, first.CommunityID, first.ResidentID, p); err != nil {
				t.Errorf("the demo resident has not consented to %s: %v", p, err)
			}
		}
		if st, err := a.Credit.Standing(ctx, first.CommunityID, first.ResidentID); err != nil || st.Level.Code != "good" || st.PointsName != "春江分" {
			t.Errorf("demo resident's standing = %+v, %v; want level good in 春江分", st, err)
		}
		want := Community()
		if c.ID != first.CommunityID || c.Name != want.Name || c.District != want.District || c.PointsName != want.PointsName || !c.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("community = %+v, want %+v with id %s", c, want, first.CommunityID)
		}
	})
}

func TestPrintLogins(t *testing.T) {
	var b strings.Builder
	PrintLogins(&b, []Login{{"worker", "worker", "demo-worker"}, {"resident", "resident1", "pw"}})
	got := b.String()
	want := "ROLE      USERNAME   PASSWORD\nworker    worker     demo-worker\nresident  resident1  pw\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// counts returns the number of rows in every table of the database.
func counts(t *testing.T, d *db.DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if d.Dialect == db.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) == 0 {
		t.Fatal("no tables found")
	}
	out := map[string]int64{}
	for _, n := range tables {
		var c int64
		if err := d.QueryRow(ctx, `SELECT count(*) FROM "`+n+`"`).Scan(&c); err != nil {
			t.Fatalf("count %s: %v", n, err)
		}
		out[n] = c
	}
	return out
}
