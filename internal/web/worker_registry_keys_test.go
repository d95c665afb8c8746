package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// formKeyOf returns the hidden key of the form with the given id on page.
func formKeyOf(t *testing.T, page, form string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)id="` + form + `".*?name="key" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no key in #%s", form)
	}
	return m[1]
}

// The registry's forms each carry a key made when the page is rendered: the
// same form sent twice (a double click, a resend after a lost answer)
// records one visit and one red change; a form without its key is refused
// and writes nothing.
func TestResentRegistryFormsChangeNothingTwice(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newKeyWorld(t, d)
		c := w.as("worker")
		rid := w.rids[1]
		count := func(q string) int {
			t.Helper()
			var n int
			if err := d.QueryRow(context.Background(), q, w.cid, rid).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		visits := "SELECT COUNT(*) FROM visits WHERE community_id = $1 AND resident_id = $2"
		reds := "SELECT COUNT(*) FROM colour_changes WHERE community_id = $1 AND resident_id = $2 AND colour = 'red'"

		page := w.get(c, "/worker/registry/residents/"+rid)
		visit := url.Values{"key": {formKeyOf(t, page, "visit-form")}, "resident": {rid}, "method": {"door"}, "notes": {"身体健康"},
			"back": {"/worker/registry/residents/" + rid + "?done=visit"}}
		red := url.Values{"key": {formKeyOf(t, page, "red-form")}, "red": {"1"}, "reason": {"重点帮扶"}}
		for i := range 2 {
			if code, _ := w.post(c, "/worker/visits", visit); code != http.StatusOK {
				t.Fatalf("visit form, send %d: %d", i+1, code)
			}
			if code, _ := w.post(c, "/worker/registry/residents/"+rid+"/red", red); code != http.StatusOK {
				t.Fatalf("red form, send %d: %d", i+1, code)
			}
		}
		if got := count(visits); got != 1 {
			t.Errorf("a visit form sent twice recorded %d visits, want 1", got)
		}
		if got := count(reds); got != 1 {
			t.Errorf("a red form sent twice made %d red changes, want 1", got)
		}

		visit.Del("key")
		red.Del("key")
		red.Set("red", "0")
		if code, _ := w.post(c, "/worker/visits", visit); code != http.StatusBadRequest {
			t.Errorf("a visit form without its key: %d, want 400", code)
		}
		if code, _ := w.post(c, "/worker/registry/residents/"+rid+"/red", red); code != http.StatusBadRequest {
			t.Errorf("a red form without its key: %d, want 400", code)
		}
		if count(visits) != 1 || count(reds) != 1 {
			t.Errorf("forms without a key wrote: %d visits, %d red changes", count(visits), count(reds))
		}
	})
}
