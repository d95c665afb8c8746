package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/station"
)

// A command sent through a page and through the API under one key has one
// effect, whichever door comes first and however often each is used; the
// same key with another request changes nothing. Awards move points and
// write-offs move stock, so both kinds of effect are watched.
func TestPageAndAPIWithOneKeyHaveOneEffect(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		w.app.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
		if err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := w.app.Auth.SeedDemoUsers(ctx, tx, w.scratch.CommunityID, w.scratch.Residents[0])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		good, err := w.app.Station.CreateGood(ctx, w.scratch.Worker, "oneeffect-good", station.CreateGoodRequest{
			Community: w.scratch.CommunityID, Name: "面粉 5kg", Points: 10, Stock: 100000})
		if err != nil {
			t.Fatal(err)
		}
		pages := map[string]*http.Client{"worker": w.login(t, "worker"), "clerk": w.login(t, "clerk")}
		n := 0
		rapid.Check(t, func(rt *rapid.T) {
			n++
			w.clock.Advance(time.Second)
			award := rapid.Bool().Draw(rt, "award")
			doors := rapid.SliceOfN(rapid.SampledFrom([]string{"page", "api"}), 2, 4).Draw(rt, "doors")
			amount := rapid.IntRange(1, 5).Draw(rt, "amount")
			other := rapid.Bool().Draw(rt, "then another request under the key")
			rid := w.scratch.Residents[rapid.IntRange(0, len(w.scratch.Residents)-1).Draw(rt, "resident")]
			key := fmt.Sprintf("one-effect-%d", n)
			before := w.effect(rt, award, rid, good.ID)
			for _, door := range doors {
				if status := w.send(pages, door, award, key, rid, good.ID, amount); status != 200 && status != 201 {
					rt.Fatalf("%s with key %s: %d", door, key, status)
				}
			}
			if other {
				w.send(pages, doors[0], award, key, rid, good.ID, amount+1)
			}
			if got := w.effect(rt, award, rid, good.ID) - before; got != int64(amount) {
				rt.Fatalf("doors %v (then another request: %v): effect %d, want %d once", doors, other, got, amount)
			}
		})
	})
}

// login logs a demo user in on the pages.
func (w *world) login(t *testing.T, user string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(w.srv.URL+"/login", url.Values{"username": {user}, "password": {auth.DemoPassword(user)}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login %s: %d", user, res.StatusCode)
	}
	return c
}

// send makes an award or a write-off through a page or the API.
func (w *world) send(pages map[string]*http.Client, door string, award bool, key, rid, good string, amount int) int {
	reason := "清理楼道"
	if door == "page" {
		path, who, form := "/clerk/stock/writeoff", "clerk", url.Values{"key": {key}, "good": {good}, "quantity": {strconv.Itoa(amount)}, "reason": {reason}}
		if award {
			path, who, form = "/worker/award", "worker", url.Values{"key": {key}, "mode": {"single"}, "resident": {rid},
				"indicator": {app.BenchIndicator}, "points": {strconv.Itoa(amount)}, "reason": {reason}}
		}
		res, err := pages[who].PostForm(w.srv.URL+path, form)
		if err != nil {
			w.t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	path, token, body := "/goods/"+good+"/write-offs", w.tokens["clerk"], fmt.Sprintf(`{"quantity":%d,"reason":%q}`, amount, reason)
	if award {
		path, token, body = "/awards", w.tokens["worker"], fmt.Sprintf(`{"resident_id":%q,"points":%d,"indicator":%q,"reason":%q}`, rid, amount, app.BenchIndicator, reason)
	}
	return w.call("POST", "/api/v1/communities/chunjiang"+path, token, key, body, "").status
}

// effect is the resident's balance for awards, the stock taken off for
// write-offs.
func (w *world) effect(rt *rapid.T, award bool, rid, good string) int64 {
	if award {
		a := w.call("GET", "/api/v1/communities/chunjiang/residents/"+rid+"/account", w.tokens["district"], "", "", "")
		n, _ := strconv.ParseInt(a.field("balance"), 10, 64)
		return n
	}
	a := w.call("GET", "/api/v1/communities/chunjiang/goods?all=true", w.tokens["clerk"], "", "", "")
	items, _ := a.body.(map[string]any)["items"].([]any)
	for _, it := range items {
		if g := it.(map[string]any); g["id"] == good {
			n, _ := strconv.ParseInt(fmt.Sprint(g["stock"]), 10, 64)
			return 100000 - n
		}
	}
	rt.Fatalf("good %s not listed", good)
	return 0
}
