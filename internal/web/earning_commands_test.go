package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

// The award page and the API's POST /awards call one command: the same
// award sent both ways under one key is one award, whichever way comes
// first, and the second is answered with the first's transfer.
func TestAwardPageAndAPIShareAKey(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		ctx := context.Background()
		worker := w.as("worker")
		tk, err := w.app.Auth.CreateToken(ctx, civic.System, "award-test-token",
			auth.CreateTokenRequest{Community: w.cid, Role: civic.RoleWorker, Name: "awards from the volunteer system"})
		if err != nil {
			t.Fatal(err)
		}
		token := tk.Secret
		api := func(key, rid string, points int) (*http.Response, string) {
			json := fmt.Sprintf(`{"resident_id":%q,"points":%d,"indicator":%q,"reason":"清理楼道"}`, rid, points, app.BenchIndicator)
			req, _ := http.NewRequest("POST", w.url+"/api/v1/communities/chunjiang/awards", strings.NewReader(json))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Idempotency-Key", key)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return res, body(t, res)
		}
		page := func(key, rid string, points int) int {
			status, _ := w.post(worker, "/worker/award", url.Values{"key": {key}, "mode": {"single"}, "resident": {rid},
				"indicator": {app.BenchIndicator}, "points": {fmt.Sprint(points)}, "reason": {"清理楼道"}})
			return status
		}
		transfers := func(rid string) []ledger.HistoryEntry {
			h, _, err := ledger.History(ctx, w.app.DB, w.cid, rid, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}

		// The page first, then the API with its key.
		rid := w.rids[1]
		if status := page("one-award-page-first", rid, 6); status != 200 {
			t.Fatalf("page award: status %d", status)
		}
		res, raw := api("one-award-page-first", rid, 6)
		h := transfers(rid)
		if res.StatusCode != 201 || res.Header.Get("Idempotent-Replayed") != "true" || len(h) != 1 || w.balance(rid) != 6 ||
			!strings.Contains(raw, h[0].TransferID) {
			t.Errorf("the API after the page: %d %s (replayed %q), %d transfers, balance %d; want 201, the page's transfer, one transfer, 6",
				res.StatusCode, raw, res.Header.Get("Idempotent-Replayed"), len(h), w.balance(rid))
		}

		// The API first, then the page.
		rid = w.rids[2]
		if res, raw := api("one-award-api-first", rid, 4); res.StatusCode != 201 {
			t.Fatalf("API award: %d %s", res.StatusCode, raw)
		}
		if status := page("one-award-api-first", rid, 4); status != 200 {
			t.Errorf("the page after the API: status %d, want 200 (the first answer)", status)
		}
		if h := transfers(rid); len(h) != 1 || w.balance(rid) != 4 {
			t.Errorf("the page after the API: %d transfers, balance %d; want 1 and 4", len(h), w.balance(rid))
		}

		// Another award under a key already used is refused either way.
		if res, raw := api("one-award-api-first", rid, 5); res.StatusCode != 409 || !strings.Contains(raw, "idempotency_conflict") {
			t.Errorf("another award under the key: %d %s, want 409 idempotency_conflict", res.StatusCode, raw)
		}
		if status := page("one-award-page-first", rid, 6); status != 409 {
			t.Errorf("the page's key for another resident: status %d, want 409", status)
		}
		if w.balance(w.rids[1]) != 6 || w.balance(rid) != 4 {
			t.Errorf("balances %d and %d after the refusals, want 6 and 4", w.balance(w.rids[1]), w.balance(rid))
		}
	})
}
