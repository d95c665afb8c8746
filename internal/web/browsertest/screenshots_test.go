package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreenshots saves the pages people use at 360 px and 1280 px into the
// folder CIVICPOINTS_SHOTS names, to be looked at by a person; without it the
// test skips. It asserts only that each page loads without an error page.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("CIVICPOINTS_SHOTS")
	if dir == "" {
		t.Skip("set CIVICPOINTS_SHOTS=DIR to save screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(t)
	pages := map[string][]string{
		"resident": {"/resident", "/resident/points", "/resident/shop", "/resident/hours"},
		"worker2":  {"/worker", "/worker/registry", "/worker/visits", "/worker/award", "/worker/reverse"},
		"clerk":    {"/clerk/counter", "/clerk/stock"},
		"admin":    {"/admin/users", "/admin/audit"},
	}
	for user, paths := range pages {
		tab := NewTab(t)
		srv.Login(t, tab, user)
		for _, p := range paths {
			for _, width := range []int64{360, 1280} {
				Do(t, tab, chromedp.EmulateViewport(width, 800), chromedp.Navigate(srv.URL+p), chromedp.WaitReady("body"))
				name := user + strings.ReplaceAll(p, "/", "_") + "_" + map[int64]string{360: "360", 1280: "1280"}[width] + ".png"
				Screenshot(t, tab, filepath.Join(dir, name))
			}
		}
	}
}
