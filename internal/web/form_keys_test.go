package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// keyWorld is the whole application over one database: a community with
// three residents (the demo "resident" login is the first, holding 100
// points), a good in stock and a code check that knows the first resident.
type keyWorld struct {
	t    *testing.T
	url  string
	app  *app.App
	cid  string
	rids []string
	rice station.Good
}

// code is a real, current resident code of the first resident, as the
// resident's code page shows it.
func (w *keyWorld) code() string {
	w.t.Helper()
	code, _, err := w.app.Codes.Rotating(context.Background(), w.cid, w.rids[0])
	if err != nil {
		w.t.Fatal(err)
	}
	return code
}

func newKeyWorld(t *testing.T, d *db.DB) *keyWorld {
	t.Helper()
	ctx := context.Background()
	cfg := &config.Config{Lang: "zh-CN", SessionTTL: time.Hour, SecretKey: "form-keys-test-secret-0123456789abcdef"}
	a := app.New(cfg, d, civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { a.Batch.Close() })
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	sc, err := a.ScratchCommunity(ctx, "chunjiang", 3)
	if err != nil {
		t.Fatal(err)
	}
	w := &keyWorld{t: t, app: a, cid: sc.CommunityID, rids: sc.Residents}
	err = d.WithTx(ctx, func(tx *db.Tx) (err error) {
		_, err = a.Auth.SeedDemoUsers(ctx, tx, sc.CommunityID, sc.Residents[0])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.rice, err = a.Station.CreateGood(ctx, sc.Worker, "rice", station.CreateGoodRequest{Community: sc.CommunityID, Name: "五常大米 5kg", Unit: "袋",
		Category: "grain", Points: 10, Stock: 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Earning.Award(ctx, sc.Worker, idem.Key("seed"), earning.AwardRequest{Community: sc.CommunityID, Resident: sc.Residents[0], Indicator: app.BenchIndicator, Points: 100, Reason: "志愿服务"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	w.url = srv.URL
	return w
}

// as logs a demo user in and returns their client (cookies kept, redirects
// followed, as a browser would).
func (w *keyWorld) as(user string) *http.Client {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(w.url+"/login", url.Values{"username": {user}, "password": {auth.DemoPassword(user)}})
	if err != nil {
		w.t.Fatal(err)
	}
	if page := body(w.t, res); res.StatusCode != 200 || !strings.Contains(page, `id="whoami"`) {
		w.t.Fatalf("login %s: %d", user, res.StatusCode)
	}
	return c
}

func (w *keyWorld) post(c *http.Client, path string, form url.Values) (int, string) {
	w.t.Helper()
	res, err := c.PostForm(w.url+path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	return res.StatusCode, body(w.t, res)
}

func (w *keyWorld) get(c *http.Client, path string) string {
	w.t.Helper()
	res, err := c.Get(w.url + path)
	if err != nil {
		w.t.Fatal(err)
	}
	page := body(w.t, res)
	if res.StatusCode != 200 {
		w.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	return page
}

func (w *keyWorld) balance(rid string) int64 {
	w.t.Helper()
	a, err := ledger.GetAccount(context.Background(), w.app.DB, w.cid, rid)
	if err != nil {
		w.t.Fatal(err)
	}
	return a.Balance
}

func (w *keyWorld) orders() int {
	w.t.Helper()
	list, err := station.ResidentOrders(context.Background(), w.app.DB, w.cid, w.rids[0], 1<<62, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	return len(list)
}

// keyCases are the keys every page and the API must judge alike: 1–128
// printable ASCII characters, not blank, no space at either end.
var keyCases = []struct {
	name, key string
	ok        bool
}{
	{"empty", "", false},
	{"129 characters", strings.Repeat("k", 129), false},
	{"tab", "key\twith-tab", false},
	{"NUL", "key\x00nul", false},
	{"newline", "key\nline", false},
	{"DEL", "key\x7f", false},
	{"non-ASCII", "幂等键-1", false},
	{"Latin-1 byte", "caf\xe9", false},
	{"only spaces", "   ", false},
	{"leading space", " lead", false},
	{"trailing space", "trail ", false},
	{"one character", "a", true},
	{"128 characters", strings.Repeat("b", 128), true},
	{"inner space", "order 42", true},
	{"every sign", "~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", true},
	{"a page's key", "3f9a1c0d2b7e4f6a8c5d0e1f2a3b4c5d", true},
}

// refusedKey reports whether page refuses key as it should: the reload
// message, or, for a NUL or invalid UTF-8 (which the edge refuses before any
// form is read), the edge's message.
func refusedKey(key, page string) bool {
	if strings.ContainsRune(key, 0) {
		return strings.Contains(page, "空字符")
	}
	if !utf8.ValidString(key) {
		return strings.Contains(page, "UTF-8")
	}
	return strings.Contains(page, "防重复提交") && strings.Contains(page, "刷新页面")
}

// The award form judges each key by the one rule: a bad key is refused with
// a message saying to reload, and nothing is awarded; a good key awards once.
func TestAwardFormKeyRule(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		worker := w.as("worker")
		rid := w.rids[1]
		for i, c := range keyCases {
			before := w.balance(rid)
			status, page := w.post(worker, "/worker/award", url.Values{"key": {c.key}, "mode": {"single"}, "resident": {rid},
				"indicator": {app.BenchIndicator}, "points": {"1"}, "reason": {"调解邻里纠纷 " + string(rune('A'+i))}})
			got := w.balance(rid) - before
			switch {
			case c.ok && (status != 200 || got != 1):
				t.Errorf("%s: status %d, %d points awarded; want 200 and 1", c.name, status, got)
			case !c.ok && (status != 400 || got != 0 || !refusedKey(c.key, page)):
				t.Errorf("%s: status %d, %d points awarded; want 400, nothing awarded and the reload message", c.name, status, got)
			}
		}
	})
}

// Every form that moves points or stock, sent twice without its key (or with
// a broken one), is refused both times with the reload message and moves
// nothing: no order made up a key, no reversal, no community-wide key.
func TestFormsWithoutKeyMoveNothing(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		ctx := context.Background()
		resident, worker, clerk := w.as("resident"), w.as("worker"), w.as("clerk")
		res, err := w.app.Earning.Award(ctx, civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: w.cid}, idem.Key("to-reverse"), earning.AwardRequest{Community: w.cid, Resident: w.rids[2], Indicator: app.BenchIndicator, Points: 7, Reason: "误记"})
		if err != nil {
			t.Fatal(err)
		}
		ticket := regexp.MustCompile(`name="ticket" value="([^"]+)"`)
		_, scanned := w.post(clerk, "/clerk/counter/scan", url.Values{"code": {w.code()}})
		m := ticket.FindStringSubmatch(scanned)
		if m == nil {
			t.Fatalf("the counter scan shows no basket")
		}
		qty := "qty_" + w.rice.ID
		forms := []struct {
			name   string
			c      *http.Client
			path   string
			form   url.Values
			effect func() int64 // changes when the form did something
		}{
			{"shop order", resident, "/resident/shop/order", url.Values{qty: {"1"}}, func() int64 { return int64(w.orders()) }},
			{"counter basket", clerk, "/clerk/counter/confirm", url.Values{"ticket": {m[1]}, qty: {"1"}}, func() int64 { return w.balance(w.rids[0]) }},
			{"reversal", worker, "/worker/reverse", url.Values{"transfer": {res.TransferID}, "reason": {"重复登记"}}, func() int64 { return w.balance(w.rids[2]) }},
			{"single award", worker, "/worker/award", url.Values{"mode": {"single"}, "resident": {w.rids[1]}, "indicator": {app.BenchIndicator},
				"points": {"3"}, "reason": {"巡逻"}}, func() int64 { return w.balance(w.rids[1]) }},
			{"another worker's award", w.as("worker2"), "/worker/award", url.Values{"mode": {"single"}, "resident": {w.rids[2]},
				"indicator": {app.BenchIndicator}, "points": {"4"}, "reason": {"清洁"}}, func() int64 { return w.balance(w.rids[2]) }},
			{"bulk award", worker, "/worker/award", url.Values{"mode": {"bulk"}, "list": {w.rids[1] + "\n" + w.rids[2]},
				"indicator": {app.BenchIndicator}, "points": {"2"}, "reason": {"植树"}}, func() int64 { return w.balance(w.rids[1]) + w.balance(w.rids[2]) }},
			{"stock write-off", clerk, "/clerk/stock/writeoff", url.Values{"good": {w.rice.ID}, "quantity": {"1"}, "reason": {"受潮"}}, func() int64 {
				g, err := station.GetGood(ctx, w.app.DB, w.cid, w.rice.ID)
				if err != nil {
					t.Fatal(err)
				}
				return g.Stock
			}},
		}
		for _, f := range forms {
			for _, key := range []string{"", "\t", "坏"} {
				before := f.effect()
				form := url.Values{}
				for k, v := range f.form {
					form[k] = v
				}
				if key != "" {
					form.Set("key", key)
				}
				for range 2 {
					status, page := w.post(f.c, f.path, form)
					if status != 400 || !strings.Contains(page, "防重复提交") {
						t.Errorf("%s with key %q: status %d, want 400 with the reload message", f.name, key, status)
					}
				}
				if after := f.effect(); after != before {
					t.Errorf("%s with key %q sent twice changed %d to %d", f.name, key, before, after)
				}
			}
		}
	})
}

// Every form on the pages that move points, stock or money carries a hidden
// key the rule accepts; only the forms that write nothing twice do without.
func TestPointFormsCarryAKey(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		resident, worker, clerk := w.as("resident"), w.as("worker"), w.as("clerk")
		res, err := w.app.Earning.Award(context.Background(), civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: w.cid}, idem.Key("shown"), earning.AwardRequest{Community: w.cid, Resident: w.rids[1], Indicator: app.BenchIndicator, Points: 5, Reason: "巡逻"})
		if err != nil {
			t.Fatal(err)
		}
		_, scanned := w.post(clerk, "/clerk/counter/scan", url.Values{"code": {w.code()}})
		pages := map[string]string{
			"/resident/shop":  w.get(resident, "/resident/shop"),
			"/resident/hours": w.get(resident, "/resident/hours"),
			"/worker/award":   w.get(worker, "/worker/award"),
			"/worker/reverse?transfer=" + res.TransferID: w.get(worker, "/worker/reverse?transfer="+res.TransferID),
			"/clerk/counter (scanned)":                   scanned,
			"/clerk/stock":                               w.get(clerk, "/clerk/stock"),
			"/clerk/donations":                           w.get(clerk, "/clerk/donations"),
		}
		keyless := map[string]bool{"/logout": true, "/lang": true, "/clerk/counter/scan": true}
		formRE := regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*>.*?</form>`)
		actionRE := regexp.MustCompile(`action="([^"]*)"`)
		keyRE := regexp.MustCompile(`<input type="hidden" name="key" value="([^"]*)">`)
		wantForms := map[string]bool{"/resident/shop/order": false, "/resident/hours": false, "/worker/award": false,
			"/worker/reverse": false, "/clerk/counter/confirm": false, "/clerk/stock/writeoff": false, "/clerk/donations/goods": false}
		for path, page := range pages {
			for _, form := range formRE.FindAllString(page, -1) {
				action := actionRE.FindStringSubmatch(form)
				if action == nil || keyless[action[1]] {
					continue
				}
				k := keyRE.FindStringSubmatch(form)
				if k == nil || idem.Judge(k[1]) != idem.KeyOK {
					t.Errorf("%s: the form to %s carries no valid hidden key", path, action[1])
					continue
				}
				if _, ok := wantForms[action[1]]; ok {
					wantForms[action[1]] = true
				}
			}
		}
		for action, seen := range wantForms {
			if !seen {
				t.Errorf("no form to %s was found with its key", action)
			}
		}
	})
}

// The award form takes points only as a number input sends them and only
// the two kinds of award it offers: " 5" is not 5, and a mode it does not
// know is not a single award. Nothing is awarded for either.
func TestAwardFormRefusesLoosePointsAndUnknownMode(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		worker := w.as("worker")
		rid := w.rids[1]
		tests := []struct {
			name, mode, points, want string
		}{
			{"leading space", "single", " 5", "不是整数"},
			{"trailing space", "single", "5 ", "不是整数"},
			{"plus sign", "single", "+5", "不是整数"},
			{"decimal", "single", "5.0", "不是整数"},
			{"full-width digit", "single", "５", "不是整数"},
			{"unknown mode", "singel", "5", "未知的发放方式"},
			{"mode with a space", "single ", "5", "未知的发放方式"},
			{"no mode", "", "5", "未知的发放方式"},
			{"bulk with a space", "bulk", " 5", "不是整数"},
		}
		for i, tt := range tests {
			form := url.Values{"key": {fmt.Sprintf("loose-%d", i)}, "resident": {rid}, "list": {rid},
				"indicator": {app.BenchIndicator}, "points": {tt.points}, "reason": {"巡逻"}}
			if tt.mode != "" {
				form.Set("mode", tt.mode)
			}
			before := w.balance(rid)
			status, page := w.post(worker, "/worker/award", form)
			if got := w.balance(rid) - before; status != 400 || got != 0 || !strings.Contains(page, tt.want) {
				t.Errorf("%s: status %d, %d points awarded; want 400, none, and %q", tt.name, status, got, tt.want)
			}
		}
		status, _ := w.post(worker, "/worker/award", url.Values{"key": {"plain"}, "mode": {"single"}, "resident": {rid},
			"indicator": {app.BenchIndicator}, "points": {"5"}, "reason": {"巡逻"}})
		if status != 200 || w.balance(rid) != 5 {
			t.Errorf("a plain award: status %d, balance %d; want 200 and 5", status, w.balance(rid))
		}
	})
}

// The hours form reads hours and minutes as two numbers in range: 75
// minutes or 2 hours minus 30 is refused, not read as 75 or 90; and the same
// report sent again with a fresh key (a second tab, a reload of the empty
// form) is refused with a message, not queued twice for a worker.
func TestHoursFormRangesAndSameReport(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		resident := w.as("resident")
		claims := func() int {
			list, err := w.app.Earning.ClaimsOf(context.Background(), w.cid, w.rids[0])
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		day := earning.Day(w.app.Earning.Clock.Now())
		send := func(key, hours, minutes, evidence string) (int, string) {
			return w.post(resident, "/resident/hours", url.Values{"key": {key}, "indicator": {earning.VolunteerHours}, "day": {day},
				"hours": {hours}, "minutes": {minutes}, "evidence": {evidence}})
		}
		refusals := []struct{ name, hours, minutes, want string }{
			{"75 minutes", "0", "75", "0 到 59"},
			{"minus 30 minutes", "2", "-30", "0 到 59"},
			{"negative hours", "-1", "90", "0 到 12"},
			{"13 hours", "13", "0", "0 到 12"},
			{"nothing", "0", "0", "1 分钟"},
			{"spaced hours", " 1", "0", "不是整数"},
		}
		for i, tt := range refusals {
			status, page := send(fmt.Sprintf("range-%d", i), tt.hours, tt.minutes, "帮独居老人买菜")
			if status != 400 || !strings.Contains(page, tt.want) {
				t.Errorf("%s: status %d, want 400 with %q", tt.name, status, tt.want)
			}
		}
		if n := claims(); n != 0 {
			t.Fatalf("refused reports queued %d claims", n)
		}
		if status, _ := send("first", "1", "30", "帮独居老人买菜"); status != 200 {
			t.Fatalf("a good report: status %d", status)
		}
		status, page := send("second", "1", "30", "帮独居老人买菜")
		if status != 409 || !strings.Contains(page, "正在等待社工审核") {
			t.Errorf("the same report with another key: status %d, want 409 with the duplicate message", status)
		}
		if n := claims(); n != 1 {
			t.Errorf("%d claims queued, want 1", n)
		}
	})
}

// The admin cannot give a resident who has a login a second one: the page
// says so in words and makes no user; a resident without one gets it.
func TestAdminRefusesSecondResidentLogin(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		admin := w.as("admin")
		create := func(key, username, rid string) (int, string) {
			return w.post(admin, "/admin/users", url.Values{"key": {key}, "username": {username}, "name": {"毛小波"}, "role": {"resident"},
				"community": {"chunjiang"}, "resident_id": {rid}, "password_mode": {"generate"}})
		}
		status, page := create("second", "mao-again", w.rids[0])
		if status != 409 || !strings.Contains(page, "已有登录账号") || !strings.Contains(page, "resident") {
			t.Errorf("a second login for the demo resident: status %d, want 409 naming the first login", status)
		}
		if _, err := w.app.Auth.UserByUsername(context.Background(), "mao-again"); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("the refused login exists: %v", err)
		}
		if status, _ := create("first", "zhang", w.rids[1]); status != 200 {
			t.Errorf("a first login for another resident: status %d", status)
		}
	})
}
