package web_test

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

var creditResidents = flag.Int("credit-residents", 400000, "residents in one district for BenchmarkResidentCreditPages")

// BenchmarkResidentCreditPages times the resident's pages that show credit
// (the home page's card, the points page, "why is my level this", consent)
// with -credit-residents residents in one district (one community, seeded by
// bulk SQL as BenchmarkRegistryPages, every resident with a points account
// whose earned total spreads over the ladder), the district's rules at
// version 2 with a third scheduled:
//
//	go test ./internal/web -run '^$' -bench ResidentCreditPages -benchtime 2000x
//
// Each request is one full page through the router and the session check;
// p50 and p99 are reported per page.
func BenchmarkResidentCreditPages(b *testing.B) {
	ctx := context.Background()
	d := dbtest.SQLite(b)
	start := time.Now()
	c, _, sample := seedRegistry(b, d, *creditResidents)
	// Accounts beside the ledger, as registry.CreateResident opens them;
	// earned totals from 0 to 899 so every level is populated.
	if _, err := d.Exec(ctx, `INSERT INTO ledger_accounts (community_id, resident_id, balance, earned, active, created_at)
		SELECT community_id, id, (CAST(SUBSTR(id, 2) AS INTEGER) * 37) % 900 / 2, (CAST(SUBSTR(id, 2) AS INTEGER) * 37) % 900, 1, $2
		FROM residents WHERE community_id = $1`, c, db.Millis(benchNow)); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d residents with accounts in %s", *creditResidents, time.Since(start).Round(time.Millisecond))
	clock := civic.NewFixedClock(benchNow)
	a := app.New(&config.Config{Lang: "zh-CN", SecretKey: "bench-secret-key-0123456789abcdef0123"}, d, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.Cleanup(a.Batch.Close)
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	cm, err := registry.CommunityByID(ctx, d, c)
	if err != nil {
		b.Fatal(err)
	}
	office := civic.Actor{UserID: "bench-office", Name: "区信用办", Role: civic.RoleDistrict, DistrictID: cm.DistrictID}
	for i, day := range []string{"2025-06-01", "2025-06-01", "2025-07-01"} {
		def := credit.DefaultRules(cm.DistrictID)
		if _, err := a.Credit.SetRules(ctx, office, idem.Key("bench-rules-"+day+string(rune('a'+i))), credit.SetRulesRequest{
			District: cm.DistrictID, EffectiveFrom: day, PointsPerCredit: def.PointsPerCredit + int64(i), Levels: def.Levels}); err != nil {
			b.Fatal(err)
		}
	}
	var u auth.User
	if err := d.WithTx(ctx, func(tx *db.Tx) (err error) {
		u, err = a.Auth.CreateUser(ctx, tx, auth.NewUser{CommunityID: c, Username: "bench-resident", Name: "压测居民",
			Password: "bench-password-1", Role: civic.RoleResident, ResidentID: sample})
		return err
	}); err != nil {
		b.Fatal(err)
	}
	me := u.Actor()
	for _, p := range credit.Purposes {
		if _, err := a.Credit.SetConsent(ctx, me, idem.Key("bench-consent-"+string(p)), credit.ConsentRequest{Community: c,
			Resident: sample, Purpose: p, Grant: true}); err != nil {
			b.Fatal(err)
		}
	}
	sess, err := a.Auth.CreateSession(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	h := a.Handler()
	get := func(b *testing.B, path string) time.Duration {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: "cp_session", Value: sess.Token})
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		took := time.Since(t0)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
		}
		return took
	}
	for _, p := range []struct{ name, path string }{
		{"home", "/resident"}, {"points", "/resident/points"}, {"why", "/resident/credit"}, {"consent", "/resident/consent"},
	} {
		b.Run(p.name, func(b *testing.B) {
			get(b, p.path)
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				times = append(times, get(b, p.path))
			}
			b.StopTimer()
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
