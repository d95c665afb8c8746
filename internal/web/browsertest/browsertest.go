// Package browsertest drives Debian's headless chromium against a real
// civicpoints server, for tests of the pages a person uses.
//
// One browser runs per test package, started by TestMain; each test gets a
// fresh tab in its own browser context (own cookies) and, usually, its own
// server over a fresh migrated SQLite database with the community
// "chunjiang" and one demo user per role (see auth.SeedDemoUsers):
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
//	func TestWorkerSeesResidents(t *testing.T) {
//		t.Parallel()
//		srv := browsertest.NewServer(t) // seed more through srv.App if needed
//		tab := browsertest.NewTab(t)    // skips (or fails when CI=true) without chromium
//		srv.Login(t, tab, "worker")     // demo username; lands on the role's home page
//		browsertest.Do(t, tab, chromedp.Navigate(srv.URL+"/worker/residents"))
//		if got := browsertest.Text(t, tab, "h1"); got != "居民名册" { … }
//	}
//
// Do, Get and Text fail the test on error and time out after ActionTimeout.
// Without /usr/bin/chromium (or CIVICPOINTS_CHROMIUM) the tests skip, except
// with CI=true, where they fail.
package browsertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/registry"
)

// ActionTimeout bounds each Do call.
var ActionTimeout = 20 * time.Second

var (
	browser    context.Context // the browser's root context; nil when absent
	browserErr error
)

// chromiumPath is Debian's chromium unless CIVICPOINTS_CHROMIUM names another.
func chromiumPath() string {
	if p := os.Getenv("CIVICPOINTS_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Main starts one headless chromium, runs the package's tests and stops it.
// Call it from TestMain: os.Exit(browsertest.Main(m)).
func Main(m *testing.M) int {
	path := chromiumPath()
	if _, err := os.Stat(path); err != nil {
		browserErr = fmt.Errorf("no chromium at %s (apt-get install chromium)", path)
		return m.Run()
	}
	userData, err := os.MkdirTemp("", "civicpoints-chromium-")
	if err != nil {
		browserErr = err
		return m.Run()
	}
	defer os.RemoveAll(userData)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(userData),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(390, 844), // a phone: pages are mobile first
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		browserErr = fmt.Errorf("start chromium: %w", err)
		return m.Run()
	}
	browser = ctx
	return m.Run()
}

// NewTab opens a fresh tab in its own browser context, closed when the test
// ends. It skips the test when there is no browser (fails with CI=true).
func NewTab(t testing.TB) context.Context {
	t.Helper()
	if browser == nil {
		err := browserErr
		if err == nil {
			err = fmt.Errorf("browsertest.Main was not called from TestMain")
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests must run in CI: %v", err)
		}
		t.Skipf("browser tests skipped: %v", err)
	}
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil { // creates the tab
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// Do runs actions in the tab and fails the test on error.
func Do(t testing.TB, tab context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Get runs one action that returns a value (chromedp.Location(),
// chromedp.Value(…), chromedp.Poll[bool](…)) and fails the test on error.
func Get[T any](t testing.TB, tab context.Context, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, ActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// Text waits for the first element matching the CSS selector and returns its
// visible text, trimmed.
func Text(t testing.TB, tab context.Context, css string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, ActionTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("browser: text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// Screenshot saves the whole page as a PNG, for looking at a page while
// writing its test (CJK text needs fonts-noto-cjk to show).
func Screenshot(t testing.TB, tab context.Context, path string) {
	t.Helper()
	png := Get(t, tab, chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Server is a civicpoints server over its own fresh SQLite database.
type Server struct {
	URL         string
	App         *app.App
	CommunityID string
	Logins      []auth.DemoLogin
}

// NewServer starts a server for one test: a fresh migrated SQLite database,
// the community "chunjiang" and the demo users. Passwords use a cheap
// argon2id cost so logging in is fast.
func NewServer(t testing.TB) *Server {
	t.Helper()
	ctx := context.Background()
	d := dbtest.SQLite(t)
	cfg := &config.Config{Lang: "zh-CN", SessionTTL: time.Hour, SecretKey: "browsertest-secret-key-0123456789abcdef"}
	a := app.New(cfg, d, civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	s := &Server{App: a}
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		c, err := registry.CreateCommunity(ctx, tx, registry.Community{Slug: "chunjiang", Name: "春江社区",
			District: "衢江区", PointsName: "春江分", CreatedAt: time.Now()})
		if err != nil {
			return err
		}
		s.CommunityID = c.ID
		s.Logins, err = a.Auth.SeedDemoUsers(ctx, tx, c.ID, civic.NewID())
		return err
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	hs := httptest.NewServer(a.Handler())
	t.Cleanup(hs.Close)
	s.URL = hs.URL
	return s
}

// demoResident registers the resident behind the demo "resident" login in an
// estate of its own (测试小区), apart from what tests register.
func demoResident(t testing.TB, a *app.App, communityID string) string {
	t.Helper()
	ctx := context.Background()
	w := civic.Actor{UserID: "seed", Name: "seed", Role: civic.RoleWorker, CommunityID: communityID}
	e, err := a.Registry.CreateEstate(ctx, w, "seed-estate", registry.CreateEstateRequest{Community: communityID, Name: "测试小区"})
	if err != nil {
		t.Fatalf("seed estate: %v", err)
	}
	h, err := a.Registry.CreateHousehold(ctx, w, "seed-household", registry.CreateHouseholdRequest{Community: communityID, Estate: e.ID, Building: "9", Room: "901"})
	if err != nil {
		t.Fatalf("seed household: %v", err)
	}
	r, err := a.Registry.CreateResident(ctx, w, "seed-resident", registry.CreateResidentRequest{Community: communityID,
		NewResident: registry.NewResident{HouseholdID: h.ID, Name: "演示居民", Gender: "女", BirthDate: "1960-03-08", Relation: "户主"}})
	if err != nil {
		t.Fatalf("seed resident: %v", err)
	}
	return r.ID
}

// RegisterResident makes the demo "resident" login a registered resident
// (in an estate of its own, 测试小区), so that its code is a real one the
// counter and the activity scanners verify, and returns the resident's id.
// Tests that count the registry leave it out.
func (s *Server) RegisterResident(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	rid := demoResident(t, s.App, s.CommunityID)
	if _, err := s.App.DB.Exec(ctx, "UPDATE users SET resident_id = $1 WHERE username = 'resident'", rid); err != nil {
		t.Fatal(err)
	}
	return rid
}

// Code returns a current code of a registered resident, as their code page
// shows it.
func (s *Server) Code(t testing.TB, residentID string) string {
	t.Helper()
	code, _, err := s.App.Codes.Rotating(context.Background(), s.CommunityID, residentID)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// Password returns the demo password of a demo username.
func (s *Server) Password(username string) string { return auth.DemoPassword(username) }

// Login logs the tab in as a demo user and waits for their home page.
func (s *Server) Login(t testing.TB, tab context.Context, username string) {
	t.Helper()
	s.SubmitLogin(t, tab, username, s.Password(username))
	Do(t, tab, chromedp.WaitVisible(chromedp.CSS("#whoami")))
}

// SubmitLogin fills in and sends the login form, without waiting for a
// particular page.
func (s *Server) SubmitLogin(t testing.TB, tab context.Context, username, password string) {
	t.Helper()
	Do(t, tab,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SetValue(chromedp.CSS("#username"), username),
		chromedp.SetValue(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
	)
}

// ClickAndLoad clicks a button that submits a form or follows a link, then
// waits until a new page has replaced the current one and shows waitCSS. A
// plain WaitVisible after the click can match the old page, when that page
// has the same element (a flash message, a heading), before the new one loads.
func ClickAndLoad(t testing.TB, tab context.Context, clickCSS, waitCSS string) {
	t.Helper()
	Do(t, tab, chromedp.Evaluate[chromedp.Void](`window.__oldPage = true`), chromedp.Click(chromedp.CSS(clickCSS)))
	deadline := time.Now().Add(ActionTimeout)
	check := fmt.Sprintf(`!window.__oldPage && document.readyState === "complete" && !!document.querySelector(%q)`, waitCSS)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tab, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("browser: after clicking %s, no new page showed %s", clickCSS, waitCSS)
}
