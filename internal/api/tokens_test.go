package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

// A token's limits hold over the API: past its expiry it is unauthenticated
// like an unknown one; over its rate it gets 429 with Retry-After until the
// bucket refills; a scope it lacks is 403 and names the scope.
func TestTokenLimits(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		mk := func(name string, l auth.Limits) string {
			tk, err := w.app.Auth.CreateToken(ctx, civic.System, idem.Key("limits-"+name),
				auth.CreateTokenRequest{Community: w.scratch.CommunityID, Role: civic.RoleWorker, Name: name, Limits: l})
			if err != nil {
				t.Fatal(err)
			}
			return tk.Secret
		}
		goods := "/api/v1/communities/chunjiang/goods"
		expiring := mk("expiring", auth.Limits{ExpiresAt: w.clock.Now().Add(time.Hour)})
		if a := w.call("GET", goods, expiring, "", "", ""); a.status != 200 {
			t.Fatalf("before expiry: %d %s", a.status, a.raw)
		}
		w.clock.Advance(time.Hour)
		if a := w.call("GET", goods, expiring, "", "", "en"); a.status != 401 || !strings.Contains(string(a.raw), "unknown or revoked") {
			t.Errorf("at expiry: %d %s", a.status, a.raw)
		}

		slow := mk("slow", auth.Limits{RatePerMinute: 60}) // a bucket of 6, one more a second
		for i := range 6 {
			if a := w.call("GET", goods, slow, "", "", ""); a.status != 200 {
				t.Fatalf("request %d within the burst: %d", i, a.status)
			}
		}
		a := w.call("GET", goods, slow, "", "", "en")
		if a.status != 429 || a.header.Get("Retry-After") != "1" || !strings.Contains(string(a.raw), `"code":"too_many_requests"`) {
			t.Errorf("over the rate: %d %q %s", a.status, a.header.Get("Retry-After"), a.raw)
		}
		w.clock.Advance(time.Second)
		if a := w.call("GET", goods, slow, "", "", ""); a.status != 200 {
			t.Errorf("after Retry-After: %d %s", a.status, a.raw)
		}

		awardsOnly := mk("awards only", auth.Limits{Scopes: []string{"awards:write"}})
		if a := w.call("GET", goods, awardsOnly, "", "", "en"); a.status != 403 || !strings.Contains(string(a.raw), "station:read") {
			t.Errorf("outside its scope: %d %s", a.status, a.raw)
		}
		body := `{"resident_id":"` + w.scratch.Residents[0] + `","points":3,"indicator":"bench","reason":"x"}`
		if a := w.call("POST", "/api/v1/communities/chunjiang/awards", awardsOnly, "scoped-award", body, ""); a.status != 201 {
			t.Errorf("within its scope: %d %s", a.status, a.raw)
		}
	})
}

// Errors follow Accept-Language on the new routes too, and a bulk award's
// per-resident errors are in the caller's language.
func TestBulkErrorsFollowAcceptLanguage(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	body := `{"resident_ids":["nobody"],"indicator":"bench","points":2,"reason":"x"}`
	zh := w.call("POST", "/api/v1/communities/chunjiang/awards/bulk", w.tokens["worker"], "b-zh", body, "zh-CN")
	en := w.call("POST", "/api/v1/communities/chunjiang/awards/bulk", w.tokens["worker"], "b-en", body, "en")
	if zh.status != 201 || en.status != 201 || zh.field("items.error.message") == en.field("items.error.message") ||
		!strings.Contains(en.field("items.error.message"), "resident") {
		t.Errorf("zh %s\nen %s", zh.raw, en.raw)
	}
}
