package api_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/api"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// Every route answers every role by the page's rules: a role the route does
// not name, a worker of another community and a token without the route's
// scope are refused with 403 before anything runs; no token is 401; every
// answer, refused or not, has the documented shape.
func TestEveryRouteAsEveryRole(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for i, rt := range api.RouteTable() {
			w.clock.Advance(time.Second) // each token's bucket refills: this test is not about rates
			path := regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(strings.Replace(rt.Path, "{c}", "chunjiang", 1), "nosuchid")
			body := ""
			if rt.Method != "GET" {
				body = "{}"
			}
			if a := w.call(rt.Method, path, "", "", body, ""); a.status != 401 {
				t.Errorf("%s %s without a token: %d", rt.Method, rt.Path, a.status)
			}
			for _, role := range roles {
				key := fmt.Sprintf("matrix-%d-%s", i, role)
				a := w.call(rt.Method, path, w.tokens[role], key, body, "en")
				allowed := role != "other" && role != "scoped" && slicesContains(rt.Roles, role) || role == "scoped" && rt.Scope == "catalogue:read"
				refused := a.status == 403
				if allowed == refused {
					t.Errorf("%s %s as %s: %d %s (allowed: %v)", rt.Method, rt.Path, role, a.status, a.raw, allowed)
				}
				if msg := w.checkShape(rt.Method, path, a); msg != "" {
					t.Errorf("%s %s as %s: %s: %s", rt.Method, rt.Path, role, msg, a.raw)
				}
			}
		}
	})
}

func slicesContains[T ~string](list []T, s string) bool {
	for _, v := range list {
		if string(v) == s {
			return true
		}
	}
	return false
}

// Each capability's scenario drives its routes through a day's work as the
// roles that do it, checking status and the documented shape of every
// answer; together they drive every route to success.
func TestEveryRouteDriven(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		// One world for every scenario, in this order: a world's tokens
		// are shown once, so a second world in one database has none.
		w := newWorld(t, d)
		for _, sc := range []struct {
			name  string
			steps func(*world) []step
		}{{"ledger", ledgerSteps}, {"catalogue", catalogueSteps}, {"earning", earningSteps}, {"registry", registrySteps}, {"station", stationSteps}} {
			t.Run(sc.name, func(t *testing.T) {
				w.t = t
				w.run(sc.steps(w))
			})
		}
		w.t = t
		seen := w.covered.seen
		for _, rt := range api.RouteTable() {
			re := regexp.MustCompile("^" + rt.Method + " " + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(rt.Path), `[^/]+`) + `(\?.*)?$`)
			hit := false
			for k := range seen {
				hit = hit || re.MatchString(k)
			}
			if !hit {
				t.Errorf("no scenario drove %s %s to success", rt.Method, rt.Path)
			}
		}
	})
}

func ledgerSteps(w *world) []step {
	return []step{
		{name: "list residents", role: "clerk", method: "GET", path: "/residents?limit=2", want: 200, learn: map[string]string{"cur": "next_cursor"}},
		{name: "next page", role: "district", method: "GET", path: "/residents?limit=2&cursor={cur}", want: 200},
		{name: "award", role: "worker", method: "POST", path: "/awards", want: 201,
			body: `{"resident_id":"{r0}","points":40,"indicator":"suggestion_adopted","reason":"金点子"}`, learn: map[string]string{"t1": "transfer_id"}},
		{name: "account", role: "admin", method: "GET", path: "/residents/{r0}/account", want: 200},
		{name: "history", role: "worker", method: "GET", path: "/residents/{r0}/history?limit=5", want: 200},
		{name: "reverse", role: "worker", method: "POST", path: "/reversals", want: 201, body: `{"transfer_id":"{t1}","reason":"awarded twice"}`},
		{name: "award again", role: "worker", method: "POST", path: "/awards", want: 201,
			body: `{"resident_id":"{r0}","points":40,"indicator":"suggestion_adopted","reason":"金点子 2"}`},
		{name: "goods", role: "merchant", method: "GET", path: "/goods", want: 200},
		{name: "check", role: "district", method: "GET", path: "/ledger/check", want: 200},
	}
}

func earningSteps(w *world) []step {
	day := w.clock.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -1).Format(time.DateOnly)
	startAt := w.clock.Now().Add(2 * time.Hour).Format(time.RFC3339)
	endAt := w.clock.Now().Add(4 * time.Hour).Format(time.RFC3339)
	advance := func(d time.Duration) func(*testing.T, answer) { return func(*testing.T, answer) { w.clock.Advance(d) } }
	return []step{
		{name: "bulk", role: "worker", method: "POST", path: "/awards/bulk", want: 201,
			body: `{"resident_ids":["{r0}","nobody","{r1}"],"indicator":"community_activities","points":2,"reason":"重阳节敬老活动"}`,
			check: func(t *testing.T, a answer) {
				if a.field("awarded") != "2" || a.field("failed") != "1" || !strings.Contains(string(a.raw), `"code":"not_found"`) {
					t.Errorf("bulk: %s", a.raw)
				}
			}},
		{name: "publish", role: "worker", method: "POST", path: "/activities", want: 201, learn: map[string]string{"act": "id"},
			body: `{"title":"滨江步道清洁","indicator":"volunteer_hours","place":"滨江步道北口","start":"` + startAt + `","end":"` + endAt + `","capacity":2}`},
		{name: "activities", role: "district", method: "GET", path: "/activities?limit=10", want: 200},
		{name: "activity", role: "clerk", method: "GET", path: "/activities/{act}", want: 200},
		{name: "sign up", role: "worker", method: "POST", path: "/activities/{act}/signups", want: 201, body: `{"resident_id":"{r0}"}`},
		{name: "sign up 2", role: "worker", method: "POST", path: "/activities/{act}/signups", want: 201, body: `{"resident_id":"{r1}"}`},
		{name: "full", role: "worker", method: "POST", path: "/activities/{act}/signups", want: 409, body: `{"resident_id":"{r2}"}`},
		{name: "wait", role: "worker", method: "POST", path: "/activities/{act}/signups", want: 201, body: `{"resident_id":"{r2}","wait":true}`},
		{name: "withdraw", role: "worker", method: "POST", path: "/activities/{act}/withdrawals", want: 201, body: `{"resident_id":"{r1}"}`,
			check: advance(2 * time.Hour)},
		{name: "roster", role: "worker", method: "GET", path: "/activities/{act}/roster", want: 200,
			check: func(t *testing.T, a answer) {
				if !strings.Contains(string(a.raw), `"name_masked":"居*`) || !strings.Contains(string(a.raw), `"status":"registered"`) {
					t.Errorf("roster: %s", a.raw)
				}
			}},
		{name: "code", role: "worker", method: "GET", path: "/activities/{act}/code", want: 200},
		{name: "check in", role: "worker", method: "POST", path: "/activities/{act}/check-ins", want: 201, body: `{"method":"tick","resident_id":"{r0}"}`,
			check: advance(90 * time.Minute)},
		{name: "check out", role: "worker", method: "POST", path: "/activities/{act}/check-outs", want: 201, body: `{"method":"tick","resident_id":"{r0}"}`,
			check: func(t *testing.T, a answer) {
				if a.field("minutes") != "90" || a.field("attendance") != "out" {
					t.Errorf("check-out: %s", a.raw)
				}
				w.clock.Advance(time.Hour) // past the end: the activity may close
			}},
		{name: "bad method", role: "worker", method: "POST", path: "/activities/{act}/check-ins", want: 400, body: `{"method":"code","code":"123456"}`},
		{name: "close", role: "worker", method: "POST", path: "/activities/{act}/close", want: 201},
		{name: "hours", role: "worker", method: "POST", path: "/hours", want: 201, learn: map[string]string{"claim": "id"},
			body: `{"resident_id":"{r3}","indicator":"volunteer_hours","minutes":120,"day":"` + day + `","evidence":"帮王阿姨整理院子"}`},
		{name: "queue", role: "worker", method: "GET", path: "/claims?limit=10", want: 200,
			check: func(t *testing.T, a answer) {
				if !strings.Contains(string(a.raw), w.vars["claim"]) {
					t.Errorf("queue lacks the claim: %s", a.raw)
				}
			}},
		{name: "queue has no cursor", role: "worker", method: "GET", path: "/claims?cursor=x", want: 400},
		{name: "approve", role: "worker", method: "POST", path: "/claims/{claim}/decision", want: 201, body: `{"approve":true}`,
			check: func(t *testing.T, a answer) {
				if a.field("status") != "approved" || a.field("points") != "2" {
					t.Errorf("approve: %s", a.raw)
				}
			}},
		{name: "resident's claims", role: "worker", method: "GET", path: "/claims?resident={r3}", want: 200},
		{name: "reject needs reason", role: "worker", method: "POST", path: "/claims/{claim}/decision", want: 400, body: `{"approve":false}`},
		{name: "submit", role: "worker", method: "POST", path: "/suggestions", want: 201, learn: map[string]string{"sug": "id"},
			body: `{"resident_id":"{r4}","title":"步道加装无障碍通道","body":"轮椅无法通过北口台阶"}`},
		{name: "suggestions", role: "worker", method: "GET", path: "/suggestions?status=submitted", want: 200},
		{name: "suggestion", role: "worker", method: "GET", path: "/suggestions/{sug}", want: 200},
		{name: "adopt", role: "worker", method: "POST", path: "/suggestions/{sug}/review", want: 201,
			body: `{"decision":"adopted","points":30,"reason":"列入改造计划"}`,
			check: func(t *testing.T, a answer) {
				if a.field("status") != "adopted" || a.field("transfer_id") == "" {
					t.Errorf("adopt: %s", a.raw)
				}
			}},
	}
}

func catalogueSteps(w *world) []step {
	return []step{
		{name: "categories", role: "scoped", method: "GET", path: "/categories", want: 200},
		{name: "add category", role: "worker", method: "POST", path: "/categories", want: 201,
			body: `{"code":"neighbourhood","name_zh":"邻里互助","name_en":"Helping neighbours","position":4}`},
		{name: "rename category", role: "worker", method: "PUT", path: "/categories/neighbourhood", want: 201,
			body: `{"name_zh":"邻里守望","name_en":"Neighbours","position":4}`},
		{name: "path and body differ", role: "worker", method: "PUT", path: "/categories/neighbourhood", want: 400,
			body: `{"code":"volunteer","name_zh":"x","name_en":"x","position":4}`},
		{name: "indicators", role: "clerk", method: "GET", path: "/indicators", want: 200},
		{name: "indicator", role: "district", method: "GET", path: "/indicators/volunteer_hours", want: 200},
		{name: "add indicator", role: "worker", method: "POST", path: "/indicators", want: 201,
			body: `{"code":"river_patrol","category":"neighbourhood","name_zh":"护河巡查","name_en":"River patrol","position":9,"kind":"hourly","points":1,"cap_day":8,"approval":true}`},
		{name: "change indicator", role: "worker", method: "PUT", path: "/indicators/river_patrol", want: 201,
			body: `{"category":"neighbourhood","name_zh":"护河巡查","name_en":"River patrol","position":9,"kind":"hourly","points":1,"cap_day":6,"approval":true}`,
			check: func(t *testing.T, a answer) {
				if a.field("version") != "2" || a.field("cap_day") != "6" {
					t.Errorf("changed indicator: %s", a.raw)
				}
			}},
	}
}
