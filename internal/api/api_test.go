package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"civicpoints/internal/api"
	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

type fixture struct {
	t         *testing.T
	srv       *httptest.Server
	worker    string // token
	clerk     string
	other     string // a worker of another community
	district  string
	residents []string
	rice, oil string
	app       *app.App
	scratch   app.Scratch
}

func setup(t *testing.T, d *db.DB) *fixture {
	ctx := context.Background()
	cfg := &config.Config{Lang: "zh-CN"}
	a := app.New(cfg, d, civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { a.Batch.Close() })
	sc, err := a.ScratchCommunity(ctx, "chunjiang", 5)
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.ScratchCommunity(ctx, "other", 0)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, srv: httptest.NewServer(a.Handler()), residents: sc.Residents, worker: sc.Token, other: other.Token, app: a, scratch: sc}
	t.Cleanup(f.srv.Close)
	home, err := registry.CommunityByID(ctx, d, sc.CommunityID)
	if err != nil {
		t.Fatal(err)
	}
	tok := func(c string, role civic.Role) string {
		req := auth.CreateTokenRequest{Community: c, Role: role, Name: "test " + string(role)}
		if role == civic.RoleDistrict {
			req.District = home.DistrictID // the district of chunjiang
		}
		tk, err := a.Auth.CreateToken(ctx, civic.System, idem.Key("test-token-"+c+"-"+string(role)), req)
		if err != nil {
			t.Fatal(err)
		}
		return tk.Secret
	}
	f.clerk, f.district = tok(sc.CommunityID, civic.RoleClerk), tok("", civic.RoleDistrict)
	r, err := a.Station.CreateGood(ctx, sc.Worker, "rice", station.CreateGoodRequest{Community: sc.CommunityID, Name: "大米 5kg", Points: 30, Stock: 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.Station.CreateGood(ctx, sc.Worker, "oil", station.CreateGoodRequest{Community: sc.CommunityID, Name: "食用油 1.8L", Points: 25, Stock: 10})
	if err != nil {
		t.Fatal(err)
	}
	f.rice, f.oil = r.ID, o.ID
	return f
}

type call struct {
	method, path, token, key, body, lang string
}

type reply struct {
	status int
	body   map[string]any
	raw    string
}

func (f *fixture) do(c call) reply {
	f.t.Helper()
	req, _ := http.NewRequest(c.method, f.srv.URL+c.path, strings.NewReader(c.body))
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.key != "" {
		req.Header.Set("Idempotency-Key", c.key)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	return reply{resp.StatusCode, body, string(raw)}
}

func errCode(r reply) string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

const base = "/api/v1/communities/chunjiang"

func TestAPI(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r0, r1 := f.residents[0], f.residents[1]
		award := func(r string, pts int) string {
			return fmt.Sprintf(`{"resident_id":%q,"points":%d,"indicator":"suggestion_adopted","reason":"金点子：滨江健身步道无障碍通道"}`, r, pts)
		}
		first := f.do(call{"POST", base + "/awards", f.worker, "k1", award(r0, 40), ""})
		if first.status != 201 || first.body["balance"] != float64(40) {
			t.Fatalf("award: %d %s", first.status, first.raw)
		}
		tests := []struct {
			name       string
			c          call
			wantStatus int
			wantCode   string
		}{
			{"no token", call{"GET", base + "/goods", "", "", "", ""}, 401, "unauthenticated"},
			{"bad token", call{"GET", base + "/goods", "nope", "", "", ""}, 401, "unauthenticated"},
			{"other community", call{"GET", base + "/goods", f.other, "", "", ""}, 403, "forbidden"},
			{"clerk may not award", call{"POST", base + "/awards", f.clerk, "k9", award(r0, 1), ""}, 403, "forbidden"},
			{"district reads", call{"GET", base + "/ledger/check", f.district, "", "", ""}, 200, ""},
			{"district may not award", call{"POST", base + "/awards", f.district, "k8", award(r0, 1), ""}, 403, "forbidden"},
			{"unknown community", call{"GET", "/api/v1/communities/nowhere/goods", f.worker, "", "", ""}, 404, "not_found"},
			{"missing key", call{"POST", base + "/awards", f.worker, "", award(r0, 5), ""}, 400, "invalid"},
			{"key too long", call{"POST", base + "/awards", f.worker, strings.Repeat("k", 129), award(r0, 5), ""}, 400, "invalid"},
			{"replay", call{"POST", base + "/awards", f.worker, "k1", award(r0, 40), ""}, 201, ""},
			{"replay other body", call{"POST", base + "/awards", f.worker, "k1", award(r0, 41), ""}, 409, "idempotency_conflict"},
			{"zero points", call{"POST", base + "/awards", f.worker, "k2", award(r0, 0), ""}, 400, "invalid"},
			{"unknown field", call{"POST", base + "/awards", f.worker, "k3", `{"resident_id":"x","points":1,"indicator":"i","reason":"r","colour":"red"}`, ""}, 400, "invalid"},
			{"bad json", call{"POST", base + "/awards", f.worker, "k4", `{`, ""}, 400, "invalid"},
			{"no reason", call{"POST", base + "/awards", f.worker, "k5", `{"resident_id":"x","points":1,"indicator":"i"}`, ""}, 400, "invalid"},
			{"unknown resident", call{"POST", base + "/awards", f.worker, "k6", award("ghost", 5), ""}, 404, "not_found"},
			{"outside range", call{"POST", base + "/awards", f.worker, "k7", award(r0, 101), ""}, 400, "invalid"},
			{"over daily cap", call{"POST", base + "/awards", f.worker, "k10", fmt.Sprintf(`{"resident_id":%q,"points":9,"indicator":"volunteer_hours","reason":"x"}`, r1), ""}, 400, "invalid"},
			{"unknown indicator", call{"POST", base + "/awards", f.worker, "k11", fmt.Sprintf(`{"resident_id":%q,"points":1,"indicator":"nope","reason":"x"}`, r1), ""}, 404, "not_found"},
			{"over balance", call{"POST", base + "/redemptions", f.clerk, "r1", fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":2}]}`, r1, f.oil), ""}, 409, "insufficient_points"},
			{"zero quantity", call{"POST", base + "/redemptions", f.clerk, "r2", fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":0}]}`, r0, f.oil), ""}, 400, "invalid"},
			{"empty basket", call{"POST", base + "/redemptions", f.clerk, "r3", fmt.Sprintf(`{"resident_id":%q,"items":[]}`, r0), ""}, 400, "invalid"},
			{"out of stock", call{"POST", base + "/redemptions", f.clerk, "r4", fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":2}]}`, r0, f.rice), ""}, 409, "out_of_stock"},
			{"reverse unknown", call{"POST", base + "/reversals", f.worker, "v1", `{"transfer_id":"nope","reason":"x"}`, ""}, 404, "not_found"},
			{"no route", call{"GET", "/api/v1/nothing", f.worker, "", "", ""}, 404, "not_found"},
		}
		for _, tt := range tests {
			got := f.do(tt.c)
			if got.status != tt.wantStatus || errCode(got) != tt.wantCode {
				t.Errorf("%s: got %d %s, want %d %s", tt.name, got.status, got.raw, tt.wantStatus, tt.wantCode)
			}
			if tt.name == "replay" && got.body["transfer_id"] != first.body["transfer_id"] {
				t.Errorf("replay returned transfer %v, first was %v", got.body["transfer_id"], first.body["transfer_id"])
			}
		}
		// A redemption, then its reversal restores points and stock.
		red := f.do(call{"POST", base + "/redemptions", f.clerk, "r5", fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":1}]}`, r0, f.rice), ""})
		if red.status != 201 || red.body["balance"] != float64(10) {
			t.Fatalf("redemption: %d %s", red.status, red.raw)
		}
		rev := f.do(call{"POST", base + "/reversals", f.worker, "v2", fmt.Sprintf(`{"transfer_id":%q,"reason":"returned unopened"}`, red.body["transfer_id"]), ""})
		if rev.status != 201 {
			t.Fatalf("reversal: %d %s", rev.status, rev.raw)
		}
		again := f.do(call{"POST", base + "/reversals", f.worker, "v3", fmt.Sprintf(`{"transfer_id":%q,"reason":"twice"}`, red.body["transfer_id"]), ""})
		if again.status != 409 || errCode(again) != "conflict" {
			t.Fatalf("second reversal: %d %s", again.status, again.raw)
		}
		goods := f.do(call{"GET", base + "/goods", f.clerk, "", "", ""})
		if !strings.Contains(goods.raw, `"stock":1`) {
			t.Fatalf("rice stock not restored: %s", goods.raw)
		}
		acct := f.do(call{"GET", base + "/residents/" + r0 + "/account", f.worker, "", "", ""})
		if acct.body["balance"] != float64(40) || acct.body["earned_total"] != float64(40) || acct.body["credit_points"] != float64(2) || acct.body["level"] != "basic" {
			t.Fatalf("account: %s", acct.raw)
		}
		chk := f.do(call{"GET", base + "/ledger/check", f.worker, "", "", ""})
		if chk.body["ok"] != true || chk.body["issued"] != float64(40) || chk.body["outstanding"] != float64(40) {
			t.Fatalf("check: %s", chk.raw)
		}
	})
}

func TestMessagesFollowAcceptLanguage(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	body := fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":1}]}`, f.residents[0], f.oil)
	zh := f.do(call{"POST", base + "/redemptions", f.clerk, "a", body, "zh-CN"})
	en := f.do(call{"POST", base + "/redemptions", f.clerk, "b", body, "en-US,en;q=0.9"})
	msg := func(r reply) string { return r.body["error"].(map[string]any)["message"].(string) }
	if !strings.Contains(msg(zh), "积分不足") || !strings.Contains(msg(en), "Not enough points") {
		t.Fatalf("zh %q, en %q", msg(zh), msg(en))
	}
}

func TestResidentsPaginate(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		seen := map[string]bool{}
		cursor := ""
		for page := 0; page < 10; page++ {
			r := f.do(call{"GET", base + "/residents?limit=2&cursor=" + cursor, f.worker, "", "", ""})
			if r.status != 200 {
				t.Fatalf("page %d: %d %s", page, r.status, r.raw)
			}
			for _, it := range r.body["items"].([]any) {
				m := it.(map[string]any)
				if seen[m["id"].(string)] {
					t.Fatalf("resident %s listed twice", m["id"])
				}
				seen[m["id"].(string)] = true
				if !strings.Contains(m["name_masked"].(string), "*") || m["estate"] != "测试小区" {
					t.Errorf("item %v: want a masked name and the estate", m)
				}
			}
			cursor, _ = r.body["next_cursor"].(string)
			if cursor == "" {
				break
			}
		}
		if len(seen) != len(f.residents) {
			t.Fatalf("listed %d residents, want %d", len(seen), len(f.residents))
		}
		if r := f.do(call{"GET", base + "/residents?limit=0", f.worker, "", "", ""}); r.status != 400 {
			t.Fatalf("limit=0: %d", r.status)
		}
	})
}

// Concurrent requests with one key make exactly one transfer, and every one
// of them gets the same answer.
func TestConcurrentSameKey(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		body := fmt.Sprintf(`{"resident_id":%q,"points":7,"indicator":"bench","reason":"x"}`, f.residents[2])
		var wg sync.WaitGroup
		ids := make([]string, 20)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := f.do(call{"POST", base + "/awards", f.worker, "same", body, ""})
				ids[i], _ = r.body["transfer_id"].(string)
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id == "" || id != ids[0] {
				t.Fatalf("answers differ: %v", ids)
			}
		}
		acct := f.do(call{"GET", base + "/residents/" + f.residents[2] + "/account", f.worker, "", "", ""})
		if acct.body["balance"] != float64(7) {
			t.Fatalf("balance %v, want 7", acct.body["balance"])
		}
	})
}

// The OpenAPI document describes exactly the routes the server has.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	r := f.do(call{"GET", "/api/v1/openapi.json", "", "", "", ""})
	if r.status != 200 || r.body["openapi"] != "3.1.0" {
		t.Fatalf("openapi: %d", r.status)
	}
	var documented []string
	for path, ops := range r.body["paths"].(map[string]any) {
		for method := range ops.(map[string]any) {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(documented)
	served := api.RouteList()
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Fatalf("documented:\n%s\nserved:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}
	// Every served route answers (not the catch-all 404 of unknown paths).
	for _, rt := range served {
		method, path, _ := strings.Cut(rt, " ")
		path = strings.NewReplacer("{c}", "chunjiang", "{id}", f.residents[0]).Replace(path)
		got := f.do(call{method, path, f.worker, "probe-" + path, "{}", ""})
		if errCode(got) == "not_found" && strings.Contains(got.raw, "no API operation") {
			t.Errorf("%s is documented but not served", rt)
		}
	}
}

// A replay answers with the first answer even when the checks would now
// fail (the resident has left since); a new award to them is refused.
func TestReplayAfterResidentLeft(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.residents[4]
		body := fmt.Sprintf(`{"resident_id":%q,"points":5,"indicator":"bench","reason":"x"}`, r)
		first := f.do(call{"POST", base + "/awards", f.worker, "L1", body, ""})
		if first.status != 201 {
			t.Fatalf("award: %d %s", first.status, first.raw)
		}
		if _, err := f.app.Registry.LeaveResident(context.Background(), f.scratch.Worker, idem.Key("test-leave-"+r), registry.LeaveResidentRequest{Community: f.scratch.CommunityID, Resident: r, Reason: "moved away"}); err != nil {
			t.Fatal(err)
		}
		again := f.do(call{"POST", base + "/awards", f.worker, "L1", body, ""})
		if again.status != 201 || again.body["transfer_id"] != first.body["transfer_id"] {
			t.Fatalf("replay after leaving: %d %s, want the first answer %s", again.status, again.raw, first.raw)
		}
		fresh := f.do(call{"POST", base + "/awards", f.worker, "L2", body, "en"})
		if fresh.status != 400 || !strings.Contains(fresh.raw, "left") {
			t.Fatalf("new award after leaving: %d %s, want 400 resident left", fresh.status, fresh.raw)
		}
	})
}

// A failed request stores nothing under its key: once the resident has the
// points, the same request with the same key goes through.
func TestFailedRequestCanBeRetriedWithItsKey(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	r := f.residents[3]
	basket := fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":1}]}`, r, f.oil)
	if got := f.do(call{"POST", base + "/redemptions", f.clerk, "basket-1", basket, ""}); got.status != 409 || errCode(got) != "insufficient_points" {
		t.Fatalf("first try: %d %s", got.status, got.raw)
	}
	award := fmt.Sprintf(`{"resident_id":%q,"points":30,"indicator":"bench","reason":"x"}`, r)
	if got := f.do(call{"POST", base + "/awards", f.worker, "award-1", award, ""}); got.status != 201 {
		t.Fatalf("award: %d %s", got.status, got.raw)
	}
	if got := f.do(call{"POST", base + "/redemptions", f.clerk, "basket-1", basket, ""}); got.status != 201 || got.body["balance"] != float64(5) {
		t.Fatalf("retry: %d %s, want 201 and balance 5", got.status, got.raw)
	}
}
