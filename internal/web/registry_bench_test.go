package web_test

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/registry"
	"civicpoints/internal/web"
)

var (
	benchResidents = flag.Int("registry-residents", 400000, "residents in one community for BenchmarkRegistryPages")
	benchEngine    = flag.String("registry-engine", "sqlite", "sqlite or postgres (CIVICPOINTS_TEST_PG) for BenchmarkRegistryPages")
	benchAnalyze   = flag.Bool("registry-analyze", false, "run ANALYZE once after seeding BenchmarkRegistryPages (planner statistics)")
)

// benchNow is the benchmark's clock: ages, colours and due dates follow it.
var benchNow = time.Date(2025, 6, 1, 4, 0, 0, 0, time.UTC)

// BenchmarkRegistryPages times the worker's registry pages over one
// community of -registry-residents residents (6 estates, two residents per
// household; about 1 in 5 households rents, 1 in 50 is a disabled household,
// 1 in 500 residents is red; ages spread over 80 years), seeded by bulk SQL:
//
//	go test ./internal/web -run '^$' -bench RegistryPages -benchtime 20x [-registry-analyze]
//
// Each sub-benchmark is one full page request through the router and the
// session check, with the red_group worker.
func BenchmarkRegistryPages(b *testing.B) {
	ctx := context.Background()
	var d *db.DB
	if *benchEngine == "postgres" {
		d = dbtest.Postgres(b)
	} else {
		d = dbtest.SQLite(b)
	}
	clock := civic.NewFixedClock(benchNow)
	start := time.Now()
	c, estates, sample := seedRegistry(b, d, *benchResidents)
	b.Logf("%s: seeded %d residents in %s", *benchEngine, *benchResidents, time.Since(start).Round(time.Millisecond))
	if *benchAnalyze {
		if _, err := d.Exec(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	a := auth.New(d, clock)
	a.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	var u, plain auth.User
	err := d.WithTx(ctx, func(tx *db.Tx) (err error) {
		u, err = a.CreateUser(ctx, tx, auth.NewUser{CommunityID: c, Username: "bench", Name: "压测社工", Password: "bench-password-1",
			Role: civic.RoleWorker, Grants: []string{registry.GrantRed}})
		if err != nil {
			return err
		}
		plain, err = a.CreateUser(ctx, tx, auth.NewUser{CommunityID: c, Username: "bench2", Name: "压测社工二", Password: "bench-password-2",
			Role: civic.RoleWorker})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	sess, err := a.CreateSession(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	// A worker without the red grant reads the shadow columns (registry/view.go).
	plainSess, err := a.CreateSession(ctx, plain)
	if err != nil {
		b.Fatal(err)
	}
	reg := registry.New(d, clock, slog.New(slog.DiscardHandler), "bench-secret-key-0123456789abcdef0123")
	s, err := web.New(web.Options{Cfg: &config.Config{Lang: "zh-CN"}, DB: d, Auth: a, Clock: clock, Log: slog.New(slog.DiscardHandler), Registry: reg})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	pages := []struct{ name, path string }{
		{"nogrant_filter_white", "/worker/registry?colour=white"},
		{"nogrant_overdue", "/worker/registry?overdue=1"},
		{"nogrant_visits_due_all", "/worker/visits?scope=all"},
		{"nogrant_visits_due_estate", "/worker/visits?scope=" + estates[4]},
		{"registry", "/worker/registry"},
		{"registry_page2", "/worker/registry?cursor=" + sample},
		{"search_name", "/worker/registry?q=" + url.QueryEscape("王")},
		{"search_name_none", "/worker/registry?q=" + url.QueryEscape("欧阳")},
		{"search_id_tail", "/worker/registry?q=1234"},
		{"filter_red", "/worker/registry?colour=red"},
		{"filter_red_estate", "/worker/registry?colour=red&estate=" + estates[2]},
		{"filter_purple_estate", "/worker/registry?colour=purple&estate=" + estates[2]},
		{"filter_purple_estate_some", "/worker/registry?colour=purple&estate=" + estates[1]},
		{"filter_yellow", "/worker/registry?colour=yellow"},
		{"filter_white", "/worker/registry?colour=white"},
		{"overdue", "/worker/registry?overdue=1"},
		{"estate_households", "/worker/registry/estates/" + estates[0]},
		{"estate_address", "/worker/registry/estates/" + estates[0] + "?addr=12-3"},
		{"visits_due_all", "/worker/visits?scope=all"},
		{"visits_due_mine", "/worker/visits"},
		{"visits_due_estate", "/worker/visits?scope=" + estates[4]},
		{"resident_record", "/worker/registry/residents/" + sample},
	}
	get := func(b *testing.B, path string) {
		req := httptest.NewRequest("GET", path, nil)
		token := sess.Token
		if strings.HasPrefix(b.Name(), "BenchmarkRegistryPages/nogrant_") {
			token = plainSess.Token
		}
		req.AddCookie(&http.Cookie{Name: "cp_session", Value: token})
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
		}
	}
	// The first page after a start: no statement prepared yet, nothing in
	// the page cache but what seeding left. It used to count every resident.
	start = time.Now()
	get(b, "/worker/registry")
	b.Logf("first registry page: %s", time.Since(start).Round(time.Millisecond))
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			get(b, p.path) // warm the statement cache
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				get(b, p.path)
			}
		})
	}
}
