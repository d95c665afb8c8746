package browsertest

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/demo"

	"github.com/chromedp/chromedp"
	"net/http/httptest"
)

// rawKey matches a catalogue key shown instead of its text.
var rawKey = regexp.MustCompile(`\b(web|earning|earning_pages|station|registry|registry_pages|auth|admin|ledger|api|credit|db|config|error|cli|importer|garden|garden_pages)\.[a-z_]+(\.[a-z_0-9]+)*\b`)

// Every role, on the full Chunjiang demo, follows every link of its home page
// and menu: no page fails, shows a catalogue key instead of text, or is wider
// than a 360 px phone.
func TestEveryLinkOfEveryRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := &config.Config{Lang: "zh-CN", SessionTTL: time.Hour, SecretKey: "browsertest-secret-key-0123456789abcdef"}
	a := app.New(cfg, dbtest.SQLite(t), civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	if _, err := demo.Run(ctx, a, demo.Steps, nil); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler())
	t.Cleanup(hs.Close)
	srv := &Server{URL: hs.URL, App: a}
	for _, user := range []string{"resident", "worker", "worker2", "clerk", "merchant", "district", "admin", "garden", "steward", "family"} {
		t.Run(user, func(t *testing.T) {
			tab := NewTab(t)
			Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
			srv.Login(t, tab, user)
			crawl(t, tab, srv.URL, user+" (zh-CN)")
			Do(t, tab, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#lang-switch")))
			ClickAndLoad(t, tab, "#lang-switch", `html[lang="en"] #whoami`)
			crawl(t, tab, srv.URL, user+" (en)")
		})
	}
}

// crawl follows the links of the current (home) page, then up to 4 new links
// from each of those pages, checking every page it opens.
func crawl(t *testing.T, tab context.Context, base, who string) {
	home := Get(t, tab, chromedp.Location())
	seen := map[string]bool{}
	level := links(t, tab, seen, 100)
	for depth := 0; depth < 2; depth++ {
		var next []string
		for _, href := range level {
			visit(t, tab, base, who, href)
			if depth == 0 {
				next = append(next, links(t, tab, seen, 4)...)
			}
		}
		level = next
	}
	t.Logf("%s: followed %d links", who, len(seen))
	if len(seen) == 0 {
		t.Errorf("%s: the home page has no links to follow", who)
	}
	Do(t, tab, chromedp.Navigate(home), chromedp.WaitReady(chromedp.CSS("body")))
}

// links returns up to max links of the page not seen before, and marks them.
func links(t *testing.T, tab context.Context, seen map[string]bool, max int) []string {
	all := Get(t, tab, chromedp.Evaluate[[]string](`[...new Set(Array.from(document.querySelectorAll('a[href^="/"]')).map(a => a.getAttribute("href")))]`))
	var out []string
	for _, href := range all {
		if len(out) == max || seen[href] || strings.HasPrefix(href, "/static/") || strings.HasSuffix(href, ".xlsx") ||
			strings.Contains(href, "logout") || strings.Contains(href, "/photo") {
			continue
		}
		seen[href] = true
		out = append(out, href)
	}
	return out
}

// visit opens a page and checks it: no error, no raw catalogue key, fits 360 px.
func visit(t *testing.T, tab context.Context, base, user, href string) {
	Do(t, tab, chromedp.Navigate(base+href), chromedp.WaitReady(chromedp.CSS("body")))
	if Get(t, tab, chromedp.Evaluate[bool](`!!document.querySelector("#error")`)) {
		t.Errorf("%s: %s shows an error: %q", user, href, Text(t, tab, "#error"))
	}
	body := Get(t, tab, chromedp.Evaluate[string](`document.body.innerText`))
	if k := rawKey.FindString(body); k != "" {
		t.Errorf("%s: %s shows the catalogue key %q instead of text", user, href, k)
	}
	if !Get(t, tab, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)) {
		t.Errorf("%s: %s is wider than 360 px", user, href)
	}
}
