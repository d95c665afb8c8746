package web_test

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/station"
)

// Extreme figures sent through the station's commands are refused, the
// largest allowed ones are kept, and rows written before the bounds existed
// (a stock of 2⁶³−1, a price that wraps a total, donations that overflow a
// SUM) leave every station page working on both engines.
func TestStationPagesSurviveExtremeFigures(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		u, err := f.auth.UserByUsername(ctx, "clerk")
		if err != nil {
			t.Fatal(err)
		}
		c, clerk := u.CommunityID, civic.Actor{UserID: u.ID, Name: u.Name, Role: civic.RoleClerk, CommunityID: u.CommunityID}
		st, n := f.station, 0
		key := func() idem.Key { n++; return idem.Key(fmt.Sprintf("bounds-%d", n)) }
		rice, err := st.CreateGood(ctx, clerk, key(), station.CreateGoodRequest{Community: c, Name: "大米 5kg", Unit: "袋", Points: 40})
		if err != nil {
			t.Fatal(err)
		}
		// The most a station may hold of the dearest good it may offer.
		full, err := st.CreateGood(ctx, clerk, key(), station.CreateGoodRequest{Community: c, Name: "电动车", Unit: "辆", Points: civic.MaxPrice, Stock: civic.MaxStock})
		if err != nil {
			t.Fatal(err)
		}
		donor, err := st.CreateDonor(ctx, clerk, key(), station.DonorRequest{Community: c, Name: "农商银行", Kind: station.DonorBank, Thanks: true})
		if err != nil {
			t.Fatal(err)
		}
		at := f.clock.Now()
		extreme := map[string]error{
			"stock-take of 2⁶³−1":      second(st.StockTake(ctx, clerk, key(), station.StockTakeRequest{Community: c, Good: rice.ID, Counted: math.MaxInt64, Reason: "count"})),
			"price that wraps a total": second(st.CreateGood(ctx, clerk, key(), station.CreateGoodRequest{Community: c, Name: "wrap", Points: 4611686018427387905, Stock: 4})),
			"donation worth more than 2⁶³ points": second(st.DonateGoods(ctx, clerk, key(), station.DonateGoodsRequest{Community: c, Donor: donor.ID, Good: rice.ID,
				Quantity: math.MaxInt64/40 + 1})),
			"funds of 2⁶³−1 fen":            second(st.DonateFunds(ctx, clerk, key(), station.DonateFundsRequest{Community: c, Donor: donor.ID, AmountFen: math.MaxInt64})),
			"one more unit on a full shelf": second(st.DonateGoods(ctx, clerk, key(), station.DonateGoodsRequest{Community: c, Donor: donor.ID, Good: full.ID, Quantity: 1})),
		}
		for name, err := range extreme {
			if got := civic.ErrorCode(err); got != civic.Invalid {
				t.Errorf("%s: code %q, want invalid", name, got)
			}
		}

		c1, c2 := f.client(t), f.client(t)
		f.login(t, c1, "worker", auth.DemoPassword("worker"))
		f.login(t, c2, "clerk", auth.DemoPassword("clerk"))
		pages := func(when string) {
			t.Helper()
			for _, get := range []struct{ who, path string }{
				{"worker", "/worker/station"}, {"worker", "/worker/station/report.xlsx"},
				{"clerk", "/clerk/stock"}, {"clerk", "/clerk/stock/" + rice.ID}, {"clerk", "/clerk/donations"},
				{"anyone", "/c/chunjiang/thanks"},
			} {
				cl := c2
				if get.who == "worker" {
					cl = c1
				}
				res, err := cl.Get(f.srv.URL + get.path)
				if err != nil {
					t.Fatal(err)
				}
				if body(t, res); res.StatusCode != 200 {
					t.Errorf("%s: %s as %s = %d", when, get.path, get.who, res.StatusCode)
				}
			}
			res, err := c1.PostForm(f.srv.URL+"/worker/station/settings", url.Values{"key": {string(key())}, "rate": {"1"}, "threshold": {"100"}, "release_days": {"7"}})
			if err != nil {
				t.Fatal(err)
			}
			if body(t, res); res.StatusCode != 200 {
				t.Errorf("%s: saving the settings = %d", when, res.StatusCode)
			}
		}
		pages("after extreme input")
		res, err := c1.Get(f.srv.URL + "/worker/station")
		if err != nil {
			t.Fatal(err)
		}
		// The full shelf backs 10¹¹ points, exactly.
		if page := body(t, res); !strings.Contains(page, strconv.FormatInt(civic.MaxStock*civic.MaxPrice, 10)) {
			t.Errorf("the report does not show the full shelf's %d points of backing", int64(civic.MaxStock*civic.MaxPrice))
		}

		// Rows from before the bounds: the cached stock and price of a good
		// and two donations whose sum overflows.
		if _, err := d.Exec(ctx, "UPDATE station_goods SET stock = $3, points = $4 WHERE community_id = $1 AND id = $2",
			c, rice.ID, int64(math.MaxInt64), int64(4611686018427387905)); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if _, err := d.Exec(ctx, `INSERT INTO station_donations (community_id, id, donor_id, kind, good_id, quantity, amount_fen, points, note, actor_id, created_at)
				VALUES ($1, $2, $3, 'funds', '', 0, $4, $4, '', 'legacy', $5)`, c, civic.NewID(), donor.ID, int64(math.MaxInt64), db.Millis(at)+int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		pages("with rows from before the bounds")
	})
}

// second is a command's error, for tables of refusals.
func second[T any](_ T, err error) error { return err }
