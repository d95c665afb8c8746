package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// One reversal sent through the worker's page and through the API with one
// key is one reversal, whichever comes first: both call
// ledger.Service.ReverseTransfer with the same typed request, and the second
// gets the first's answer.
func TestReversalPageAndAPIOneKey(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		ctx := context.Background()
		tk, err := w.app.Auth.CreateToken(ctx, civic.System, "reversal-test-token",
			auth.CreateTokenRequest{Community: w.cid, Role: civic.RoleWorker, Name: "reversal test"})
		if err != nil {
			t.Fatal(err)
		}
		token := tk.Secret
		worker := w.as("worker")
		rid := w.rids[2]
		awardOf := func(key string) string {
			res, err := w.app.Earning.Award(ctx, civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: w.cid}, idem.Key(key),
				earning.AwardRequest{Community: w.cid, Resident: rid, Indicator: app.BenchIndicator, Points: 7, Reason: "误记"})
			if err != nil {
				t.Fatal(err)
			}
			return res.TransferID
		}
		page := func(key, transfer string) string {
			status, body := w.post(worker, "/worker/reverse", url.Values{"key": {key}, "transfer": {transfer}, "reason": {"重复登记"}})
			if status != 200 || !strings.Contains(body, `id="reversed"`) {
				t.Fatalf("page reversal: %d\n%s", status, body)
			}
			return body
		}
		api := func(key, transfer string) (id string, replayed bool) {
			req, _ := http.NewRequest("POST", w.url+"/api/v1/communities/chunjiang/reversals",
				strings.NewReader(`{"transfer_id":"`+transfer+`","reason":"重复登记"}`))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Idempotency-Key", key)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out struct {
				TransferID string `json:"transfer_id"`
			}
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 201 {
				t.Fatalf("API reversal: %d %v", res.StatusCode, err)
			}
			return out.TransferID, res.Header.Get("Idempotent-Replayed") == "true"
		}

		first := awardOf("rev-a")
		before := w.balance(rid)
		shown := page("one-reversal-a", first)
		id, replayed := api("one-reversal-a", first)
		if !replayed || !strings.Contains(shown, id) {
			t.Errorf("page then API: API answered %s (replayed %v); want the page's reversal, replayed", id, replayed)
		}
		if got := before - w.balance(rid); got != 7 {
			t.Errorf("page then API: %d points reversed, want 7", got)
		}

		second := awardOf("rev-b")
		before = w.balance(rid)
		id, replayed = api("one-reversal-b", second)
		if shown := page("one-reversal-b", second); replayed || !strings.Contains(shown, id) {
			t.Errorf("API then page: the page does not show the API's reversal %s (replayed %v)", id, replayed)
		}
		if got := before - w.balance(rid); got != 7 {
			t.Errorf("API then page: %d points reversed, want 7", got)
		}
	})
}
