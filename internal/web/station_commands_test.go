package web_test

import (
	"civicpoints/internal/idem"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/station"
)

var (
	ticketRE = regexp.MustCompile(`name="ticket" value="([^"]+)"`)
	keyRE    = regexp.MustCompile(`name="key" value="([^"]+)"`)
)

// scan has the clerk scan the first resident's code at url's counter and
// returns the basket's ticket and key.
func (w *keyWorld) scan(c *http.Client, url_ string) (ticket, key string) {
	w.t.Helper()
	res, err := c.PostForm(url_+"/clerk/counter/scan", url.Values{"code": {w.code()}})
	if err != nil {
		w.t.Fatal(err)
	}
	page := body(w.t, res)
	t, k := ticketRE.FindStringSubmatch(page), keyRE.FindStringSubmatch(page)
	if t == nil || k == nil {
		w.t.Fatalf("the counter scan shows no basket")
	}
	return t[1], k[1]
}

// api posts a redemption of one bag of rice for the first resident with a
// clerk's token under key, and returns the status, the answer and whether it
// was a replay.
func (w *keyWorld) api(key string) (int, string, bool) {
	w.t.Helper()
	tk, err := w.app.Auth.CreateToken(context.Background(), civic.System, idem.Key("token-"+key),
		auth.CreateTokenRequest{Community: w.cid, Role: civic.RoleClerk, Name: "till " + key})
	if err != nil {
		w.t.Fatal(err)
	}
	tok := tk.Secret
	req, _ := http.NewRequest("POST", w.url+"/api/v1/communities/chunjiang/redemptions",
		strings.NewReader(fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":1}]}`, w.rids[0], w.rice.ID)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Idempotency-Key", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	return res.StatusCode, body(w.t, res), res.Header.Get("Idempotent-Replayed") == "true"
}

func (w *keyWorld) stock() int64 {
	w.t.Helper()
	g, err := station.GetGood(context.Background(), w.app.DB, w.cid, w.rice.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return g.Stock
}

// One basket sent under one key through a page and through the API is one
// redemption: the counter page then the API, and the API then the shop. The
// second door gets the first answer and moves nothing.
func TestPageAndAPIShareARedemption(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		clerk, resident := w.as("clerk"), w.as("resident")
		ticket, key := w.scan(clerk, w.url)
		if status, _ := w.post(clerk, "/clerk/counter/confirm", url.Values{"ticket": {ticket}, "key": {key}, "qty_" + w.rice.ID: {"1"}}); status != 200 {
			t.Fatalf("counter: %d", status)
		}
		orders, _ := station.ResidentOrders(context.Background(), w.app.DB, w.cid, w.rids[0], 0, 10)
		if len(orders) != 1 || w.balance(w.rids[0]) != 90 || w.stock() != 19 {
			t.Fatalf("after the counter: %d orders, balance %d, stock %d; want 1, 90, 19", len(orders), w.balance(w.rids[0]), w.stock())
		}
		status, answer, replayed := w.api(key)
		if status != 201 || !replayed || !strings.Contains(answer, orders[0].TransferID) {
			t.Errorf("the API under the counter's key: %d %s (replayed %v), want 201 with transfer %s", status, answer, replayed, orders[0].TransferID)
		}
		if w.orders() != 1 || w.balance(w.rids[0]) != 90 || w.stock() != 19 {
			t.Errorf("the API under the counter's key moved points or stock: %d orders, balance %d, stock %d", w.orders(), w.balance(w.rids[0]), w.stock())
		}

		// The other way: the API first, then the resident's shop with its key.
		status, answer, replayed = w.api("till-basket-2")
		if status != 201 || replayed {
			t.Fatalf("API: %d %s", status, answer)
		}
		status, _ = w.post(resident, "/resident/shop/order", url.Values{"key": {"till-basket-2"}, "qty_" + w.rice.ID: {"1"}})
		if status != 200 || w.orders() != 2 || w.balance(w.rids[0]) != 80 || w.stock() != 18 {
			t.Errorf("the shop under the API's key: %d; %d orders, balance %d, stock %d; want 200, 2, 80, 18", status, w.orders(), w.balance(w.rids[0]), w.stock())
		}
	})
}

// Two servers on one database with the same configuration (behind a
// balancer): a basket scanned on one is confirmed on the other. A server
// with another secret refuses the ticket.
func TestCounterTicketMovesBetweenServers(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		w := newKeyWorld(t, d)
		second := func(cfg *config.Config) string {
			b := app.New(cfg, d, civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			t.Cleanup(func() { b.Batch.Close() })
			b.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
			srv := httptest.NewServer(b.Handler())
			t.Cleanup(srv.Close)
			return srv.URL
		}
		other := *w.app.Cfg
		other.SecretKey = "another-installation-secret-0123456789"
		b, c := second(w.app.Cfg), second(&other)
		clerk := w.as("clerk") // the session is in the database: every server knows it

		ticket, key := w.scan(clerk, w.url)
		res, err := clerk.PostForm(c+"/clerk/counter/confirm", url.Values{"ticket": {ticket}, "key": {key}, "qty_" + w.rice.ID: {"1"}})
		if err != nil {
			t.Fatal(err)
		}
		if page := body(t, res); res.StatusCode != 400 || !strings.Contains(page, "请重新扫描") {
			t.Errorf("a server with another secret: %d, want 400 and scan again", res.StatusCode)
		}
		res, err = clerk.PostForm(b+"/clerk/counter/confirm", url.Values{"ticket": {ticket}, "key": {key}, "qty_" + w.rice.ID: {"1"}})
		if err != nil {
			t.Fatal(err)
		}
		if body(t, res); res.StatusCode != 200 || !strings.Contains(res.Request.URL.Path, "/clerk/receipt/") {
			t.Fatalf("the other server: %d at %s, want the receipt", res.StatusCode, res.Request.URL.Path)
		}
		if w.orders() != 1 || w.balance(w.rids[0]) != 90 {
			t.Errorf("after the other server: %d orders, balance %d; want 1 and 90", w.orders(), w.balance(w.rids[0]))
		}
		// And back: the first server scans again, the second confirms.
		ticket, key = w.scan(clerk, b)
		if status, _ := w.post(clerk, "/clerk/counter/confirm", url.Values{"ticket": {ticket}, "key": {key}, "qty_" + w.rice.ID: {"1"}}); status != 200 || w.orders() != 2 {
			t.Errorf("back on the first server: %d, %d orders; want 200 and 2", status, w.orders())
		}
	})
}
