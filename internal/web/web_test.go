package web_test

import (
	"civicpoints/internal/credit"
	"civicpoints/internal/district"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
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
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
	"civicpoints/internal/web"
)

type fixture struct {
	srv     *httptest.Server
	auth    *auth.Service
	clock   *civic.FixedClock
	station *station.Service
}

func setup(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := civic.NewFixedClock(time.Date(2025, 3, 1, 1, 0, 0, 0, time.UTC))
	a := auth.New(d, clock)
	a.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	a.SessionTTL = time.Hour
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		c, err := registry.CreateCommunity(ctx, tx, registry.Community{Slug: "chunjiang", Name: "春江社区", District: "衢江区"})
		if err != nil {
			return err
		}
		_, err = a.SeedDemoUsers(ctx, tx, c.ID, "r1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d.Clock = clock
	store := idem.New(d, nil, clock)
	st := station.New(d, store, ledger.New(d, store), clock, nil)
	reg := registry.New(d, clock, nil, strings.Repeat("k", 32))
	dist := district.New(d, store, clock, a)
	s, err := web.New(web.Options{Cfg: &config.Config{Lang: "zh-CN"}, DB: d, Auth: a, Clock: clock, Log: slog.New(slog.DiscardHandler), Station: st,
		Registry: reg, District: dist, Credit: credit.New(d, store, clock, dist, reg)})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, auth: a, clock: clock, station: st}
}

// client follows redirects and keeps cookies, like a browser.
func (f *fixture) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) login(t *testing.T, c *http.Client, user, password string) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(f.srv.URL+"/login", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	return res, body(t, res)
}

func TestLoginEachRole(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d)
		tests := []struct {
			user, path, want string
		}{
			{"resident", "/resident", "居民首页"},
			{"worker", "/worker", "社区工作者首页"},
			{"worker2", "/worker", "社区工作者首页"},
			{"clerk", "/clerk", "诚信驿站首页"},
			{"merchant", "/merchant", "商户首页"},
			{"district", "/district", "区信用办首页"},
			{"admin", "/admin", "系统管理首页"},
		}
		for _, tt := range tests {
			c := f.client(t)
			res, page := f.login(t, c, tt.user, auth.DemoPassword(tt.user))
			if res.StatusCode != 200 || res.Request.URL.Path != tt.path || !strings.Contains(page, tt.want) {
				t.Errorf("%s: landed on %s (%d), want %s with %q", tt.user, res.Request.URL.Path, res.StatusCode, tt.path, tt.want)
			}
			if tt.user == "worker" && !strings.Contains(page, "春江社区") {
				t.Errorf("worker home does not name the community")
			}
			// Another role's home is forbidden, with a translated page.
			other := "/admin"
			if tt.path == "/admin" {
				other = "/resident"
			}
			res, err := c.Get(f.srv.URL + other)
			if err != nil {
				t.Fatal(err)
			}
			if page := body(t, res); res.StatusCode != 403 || !strings.Contains(page, "此页面不对角色") {
				t.Errorf("%s opening %s: %d", tt.user, other, res.StatusCode)
			}
		}
	})
}

func TestWrongPasswordAndThrottle(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	c := f.client(t)
	res, page := f.login(t, c, "clerk", "wrong-password")
	if res.StatusCode != 401 || !strings.Contains(page, "用户名或密码错误") || !strings.Contains(page, `value="clerk"`) {
		t.Fatalf("wrong password: %d\n%s", res.StatusCode, page)
	}
	for range f.auth.AccountLimit {
		f.login(t, c, "clerk", "wrong-password")
	}
	res, page = f.login(t, c, "clerk", auth.DemoPassword("clerk"))
	if res.StatusCode != 429 || !strings.Contains(page, "登录失败次数过多") {
		t.Fatalf("throttled: %d\n%s", res.StatusCode, page)
	}
}

func TestSessionExpiresAndLogout(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	c := f.client(t)
	f.login(t, c, "worker", auth.DemoPassword("worker"))
	f.clock.Advance(2 * time.Hour)
	res, err := c.Get(f.srv.URL + "/worker")
	if err != nil {
		t.Fatal(err)
	}
	if page := body(t, res); res.Request.URL.Path != "/login" || !strings.Contains(page, "登录已过期") {
		t.Fatalf("expired session: at %s\n%s", res.Request.URL, page)
	}
	if got := res.Request.URL.Query().Get("next"); got != "/worker" {
		t.Errorf("next = %q, want /worker", got)
	}

	res, _ = f.login(t, c, "worker", auth.DemoPassword("worker"))
	if res.Request.URL.Path != "/worker" {
		t.Fatalf("login again landed on %s", res.Request.URL.Path)
	}
	res, err = c.PostForm(f.srv.URL+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	if page := body(t, res); res.Request.URL.Path != "/login" || !strings.Contains(page, "您已退出登录") {
		t.Fatalf("logout: at %s", res.Request.URL)
	}
	res, _ = c.Get(f.srv.URL + "/worker")
	if body(t, res); res.Request.URL.Path != "/login" {
		t.Errorf("after logout /worker is at %s", res.Request.URL.Path)
	}
}

func TestLanguageIsRemembered(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	c := f.client(t)
	f.login(t, c, "resident", auth.DemoPassword("resident"))
	res, err := c.PostForm(f.srv.URL+"/lang", url.Values{"lang": {"en"}, "back": {"/resident"}})
	if err != nil {
		t.Fatal(err)
	}
	if page := body(t, res); res.Request.URL.Path != "/resident" || !strings.Contains(page, "Resident home") {
		t.Fatalf("after switching: at %s", res.Request.URL)
	}
	// A new browser (no cookies) gets English once the user logs in.
	c2 := f.client(t)
	if _, page := f.login(t, c2, "resident", auth.DemoPassword("resident")); !strings.Contains(page, "Resident home") {
		t.Errorf("the user's language was not remembered")
	}
	// Offsite "back" is refused.
	res, _ = c.PostForm(f.srv.URL+"/lang", url.Values{"lang": {"zh-CN"}, "back": {"//evil.example/"}})
	if body(t, res); res.Request.URL.Host != strings.TrimPrefix(f.srv.URL, "http://") {
		t.Errorf("lang switch redirected off site to %s", res.Request.URL)
	}
}

func TestNotFoundAndRoot(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	c := f.client(t)
	res, _ := c.Get(f.srv.URL + "/no/such/page")
	if page := body(t, res); res.StatusCode != 404 || !strings.Contains(page, "找不到该页面") {
		t.Errorf("404 page: %d", res.StatusCode)
	}
	res, _ = c.Get(f.srv.URL + "/")
	if body(t, res); res.Request.URL.Path != "/login" {
		t.Errorf("/ logged out went to %s", res.Request.URL.Path)
	}
	res, _ = c.Get(f.srv.URL + "/static/style.css")
	if body(t, res); res.StatusCode != 200 {
		t.Errorf("style.css: %d", res.StatusCode)
	}
}

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		code civic.Code
		want int
	}{
		{civic.Invalid, 400}, {civic.Unauthenticated, 401}, {civic.Forbidden, 403}, {civic.NotFound, 404},
		{civic.Conflict, 409}, {civic.IdempotencyConflict, 409}, {civic.InsufficientPoints, 409},
		{civic.OutOfStock, 409}, {civic.TooManyRequests, 429}, {civic.Unavailable, 503}, {civic.Internal, 500},
	}
	for _, tt := range tests {
		if got := web.HTTPStatus(tt.code); got != tt.want {
			t.Errorf("HTTPStatus(%s) = %d, want %d", tt.code, got, tt.want)
		}
	}
}
