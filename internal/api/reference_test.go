package api_test

import (
	"strings"
	"testing"

	"civicpoints/internal/api"
	"civicpoints/internal/db/dbtest"
)

// The reference page is served without a token, names every operation with
// its method, path, roles and scope, shows the examples, and loads nothing
// from anywhere else.
func TestReferencePage(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	a := w.call("GET", "/api/v1/docs", "", "", "", "")
	page := string(a.raw)
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Fatalf("docs: %d %s", a.status, page[:min(200, len(page))])
	}
	for _, rt := range api.RouteTable() {
		for _, want := range []string{rt.Path, "Scope: " + rt.Scope, rt.Summary} {
			if !strings.Contains(page, strings.NewReplacer("&", "&amp;", "'", "&#39;").Replace(want)) {
				t.Errorf("the page lacks %q", want)
			}
		}
	}
	for _, want := range []string{"金点子：滨江健身步道无障碍通道", "resident_ids", "next_cursor", "Retry-After"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "<link"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page carries %q", bad)
		}
	}
}
