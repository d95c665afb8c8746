package web_test

import (
	"context"
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

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/garden"
)

type gardenWorld struct {
	app   *app.App
	url   string
	op    garden.Operator
	plots []garden.Plot
}

func newGardenWorld(t *testing.T, d *db.DB) *gardenWorld {
	t.Helper()
	ctx := context.Background()
	a := app.New(&config.Config{Lang: "zh-CN", SecretKey: "garden-web-test-secret-0123456789"}, d, civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	t.Cleanup(a.Batch.Close)
	op, err := a.Garden.CreateOperator(ctx, civic.System, "op", garden.CreateOperatorRequest{Slug: "qjb", Name: "泉井边村"})
	if err != nil {
		t.Fatal(err)
	}
	boss := civic.Actor{UserID: "boss", Role: civic.RoleGardenOperator, CommunityID: op.ID}
	g, err := a.Garden.AddGarden(ctx, boss, "g", garden.AddGardenRequest{Operator: op.ID, Name: "菜园", Kind: "plots", Rows: 1, Cols: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Garden.SetCrop(ctx, boss, "c", garden.SetCropRequest{Operator: op.ID, Crop: garden.Crop{Name: "番茄", MaturityDays: 75, WindowDays: 10, WaterEvery: 2}}); err != nil {
		t.Fatal(err)
	}
	today := garden.Today(time.Now())
	if _, err := a.Garden.AddSeason(ctx, boss, "s", garden.AddSeasonRequest{Operator: op.ID, Name: "本季", StartsOn: today, EndsOn: garden.Today(time.Now().AddDate(0, 5, 0))}); err != nil {
		t.Fatal(err)
	}
	plots, err := a.Garden.Plots(ctx, op.ID, g.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &gardenWorld{app: a, url: srv.URL, op: op, plots: plots}
}

func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

// A family registers on the public page, is logged in, and a double submit
// of its adoption form (one key) makes one adoption; it logs in again with
// its phone number, which no page but its own shows in full.
func TestGardenOneKeyOneAdoption(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newGardenWorld(t, d)
		c := browser()
		page := body(t, must(c.Get(w.url+"/garden/register")))
		reg := url.Values{"key": {keyRE.FindStringSubmatch(page)[1]}, "phone": {"139 0000 5555"}, "name": {"王女士"},
			"password": {"tomato-garden-9"}, "password2": {"tomato-garden-9"}}
		res := must(c.PostForm(w.url+"/garden/register", reg))
		if page := body(t, res); res.Request.URL.Path != "/garden/browse" || !strings.Contains(page, "plot-grid") {
			t.Fatalf("after registering: %s %d", res.Request.URL, res.StatusCode)
		}
		adopt := w.url + "/garden/adopt/" + w.op.ID + "/" + w.plots[0].ID
		page = body(t, must(c.Get(adopt)))
		season := regexpFind(t, page, `name="season" id="season" required><option value="([^"]+)"`)
		crop := regexpFind(t, page, `name="crop" id="crop" required><option value="([^"]+)"`)
		form := url.Values{"key": {keyRE.FindStringSubmatch(page)[1]}, "season": {season}, "mode": {"half"}, "crop": {crop}, "family_name": {"番茄之家"}}
		first, second := must(c.PostForm(adopt, form)), must(c.PostForm(adopt, form))
		if p := body(t, first); first.StatusCode != 200 {
			t.Logf("%d %s", first.StatusCode, regexpFind(t, p, `id="error">([^<]*)<`))
		}
		body(t, second)
		if first.Request.URL.Path != second.Request.URL.Path || !strings.HasPrefix(first.Request.URL.Path, "/garden/me/adoptions/") {
			t.Errorf("double submit landed on %s and %s", first.Request.URL.Path, second.Request.URL.Path)
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM garden_adoptions").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d adoptions after a double submit, %v", n, err)
		}
		if me := body(t, must(c.Get(w.url+"/garden/me"))); !strings.Contains(me, "13900005555") {
			t.Error("the family's own page does not show its phone")
		}

		// The operator sees the family masked.
		opc := browser()
		if _, err := w.app.Auth.AddUser(context.Background(), civic.System, "u-op", auth.AddUserRequest{Community: w.op.ID, Username: "op",
			Name: "运营", Role: civic.RoleGardenOperator, Password: auth.NewPassword{Password: "operator-pass-77"}}); err != nil {
			t.Fatal(err)
		}
		must(opc.PostForm(w.url+"/login", url.Values{"username": {"op"}, "password": {"operator-pass-77"}}))
		home := body(t, must(opc.Get(w.url+"/garden/op")))
		if !strings.Contains(home, "139****5555") || strings.Contains(home, "13900005555") {
			t.Error("the operator's home does not show the phone masked")
		}

		// The family logs in again with its phone number.
		c2 := browser()
		res = must(c2.PostForm(w.url+"/login", url.Values{"username": {"13900005555"}, "password": {"tomato-garden-9"}}))
		body(t, res)
		if res.Request.URL.Path != "/garden/me" {
			t.Errorf("phone login landed on %s", res.Request.URL.Path)
		}
	})
}

// The public registration is throttled per address like logins.
func TestGardenRegisterThrottled(t *testing.T) {
	t.Parallel()
	w := newGardenWorld(t, dbtest.SQLite(t))
	c := browser()
	var last *http.Response
	var page string
	for i := 0; i < 11; i++ {
		last = must(c.PostForm(w.url+"/garden/register", url.Values{"key": {"k" + string(rune('a'+i))}, "phone": {"12"}, "name": {"x"},
			"password": {"p-12345678"}, "password2": {"p-12345678"}}))
		page = body(t, last)
	}
	if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "注册尝试过多") {
		t.Errorf("the 11th registration: %d", last.StatusCode)
	}
}

func must(res *http.Response, err error) *http.Response {
	if err != nil {
		panic(err)
	}
	return res
}

func regexpFind(t *testing.T, page, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page has no %s", re)
	}
	return m[1]
}
