package station_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/station"
)

// wantRefused wants an invalid error with the catalogue key key.
func wantRefused(t *testing.T, name, key string, err error) {
	t.Helper()
	if e := civic.AsError(err); e == nil || e.Code != civic.Invalid || e.Key != key {
		t.Errorf("%s: %v, want invalid %s", name, err, key)
	}
}

// Every figure a clerk or a system enters into the station is bounded, at
// the bound it is accepted, past it refused with a message naming the bound,
// and nothing is written.
func TestStationFigureBounds(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 500)
		c, k, clerk := f.c, f.key, f.clerk
		basket := func(items ...station.Item) error {
			_, err := f.s.Redeem(ctx, clerk, k(), f.basket(items...))
			return err
		}
		many := make([]station.Item, station.MaxBasketLines+1)
		for i := range many {
			many[i] = station.Item{GoodID: f.oil.ID, Quantity: 1}
		}
		refused := []struct {
			name, key string
			err       error
		}{
			{"price past the bound", "station.price_too_high", second(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: "wrap", Points: 4611686018427387905}))},
			{"opening stock past the bound", "station.stock_too_many", second(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: "heap", Points: 1, Stock: civic.MaxStock + 1}))},
			{"new price past the bound", "station.price_too_high", second(f.s.UpdateGood(ctx, clerk, k(), edit(c, f.oil, func(e *station.UpdateGoodRequest) { e.Points = civic.MaxPrice + 1 })))},
			{"stock-take of 2⁶³−1", "station.stock_too_many", second(f.s.StockTake(ctx, clerk, k(), station.StockTakeRequest{Community: c, Good: f.rice.ID, Counted: math.MaxInt64, Reason: "count"}))},
			{"write-off past the bound", "station.quantity_too_many", second(f.s.WriteOff(ctx, clerk, k(), station.WriteOffRequest{Community: c, Good: f.oil.ID, Quantity: civic.MaxStock + 1, Reason: "flood"}))},
			{"donation past the bound", "station.quantity_too_many", second(f.s.DonateGoods(ctx, clerk, k(), station.DonateGoodsRequest{Community: c, Donor: f.donor.ID, Good: f.rice.ID, Quantity: math.MaxInt64/40 + 1}))},
			{"funds past the bound", "station.amount_too_large", second(f.s.DonateFunds(ctx, clerk, k(), station.DonateFundsRequest{Community: c, Donor: f.donor.ID, AmountFen: civic.MaxFen + 1}))},
			{"purchase quantity past the bound", "station.quantity_too_many", second(f.s.RecordPurchase(ctx, clerk, k(), station.PurchaseRequest{Community: c, Good: f.oil.ID, Quantity: civic.MaxStock + 1, AmountFen: 100}))},
			{"purchase amount past the bound", "station.amount_too_large", second(f.s.RecordPurchase(ctx, clerk, k(), station.PurchaseRequest{Community: c, Good: f.oil.ID, Quantity: 1, AmountFen: math.MaxInt64}))},
			{"basket line past the bound", "station.quantity_too_many", basket(station.Item{GoodID: f.oil.ID, Quantity: math.MaxInt64})},
			{"basket lines whose sum wraps", "station.quantity_too_many", basket(station.Item{GoodID: f.oil.ID, Quantity: civic.MaxStock}, station.Item{GoodID: f.oil.ID, Quantity: 1})},
			{"basket of too many lines", "station.basket_long", basket(many...)},
			{"backing rate past the bound", "station.rate_too_high", second(f.s.SaveSettings(ctx, worker(c), k(), station.SettingsRequest{Community: c, FenPerPoint: station.MaxFenPerPoint + 1, CoverThresholdPct: 100, ReleaseDays: 7}))},
		}
		for _, r := range refused {
			wantRefused(t, r.name, r.key, r.err)
		}

		// At the bounds: the dearest good, a full shelf of it, the largest
		// donation of funds; one unit or one fen more is refused.
		dear := res(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: "dear", Points: civic.MaxPrice})).must(t)
		res(f.s.StockTake(ctx, clerk, k(), station.StockTakeRequest{Community: c, Good: dear.ID, Counted: civic.MaxStock, Reason: "delivery"})).must(t)
		for range civic.MaxFundsFen / civic.MaxFen {
			res(f.s.DonateFunds(ctx, clerk, k(), station.DonateFundsRequest{Community: c, Donor: f.donor.ID, AmountFen: civic.MaxFen})).must(t)
		}
		wantRefused(t, "one more unit on a full shelf", "station.stock_full",
			second(f.s.DonateGoods(ctx, clerk, k(), station.DonateGoodsRequest{Community: c, Donor: f.donor.ID, Good: dear.ID, Quantity: 1})))
		wantRefused(t, "one more fen in full funds", "station.funds_full",
			second(f.s.DonateFunds(ctx, clerk, k(), station.DonateFundsRequest{Community: c, Donor: f.donor.ID, AmountFen: 1})))
		wantRefused(t, "a basket dearer than one transfer", "station.basket_too_dear",
			basket(station.Item{GoodID: dear.ID, Quantity: civic.MaxPoints/civic.MaxPrice + 1}))
		cover, err := station.GetCover(ctx, d, f.c)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(civic.MaxStock*civic.MaxPrice + 5*30); cover.StockPoints != want {
			t.Errorf("shelf value = %d, want %d", cover.StockPoints, want)
		}
		if got := stock(t, d, f.c, f.rice.ID); got != 0 {
			t.Errorf("rice stock = %d after refused moves, want 0", got)
		}
		if got := balance(t, d, f.c, f.resident); got != 500 {
			t.Errorf("balance = %d after refused baskets, want 500", got)
		}
		mustCheck(t, d, f.c)
	})
}

// A price from before the bounds (4611686018427387905 = 2⁶²+1) once let a
// basket of 4 units cost 4 points, the total wrapping round; such a good is
// now refused at the counter until its price is corrected, and a stock from
// before the bounds can still be counted down.
func TestLegacyFiguresCannotWrap(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 500)
		if _, err := d.Exec(ctx, "UPDATE station_goods SET points = $3, stock = $4 WHERE community_id = $1 AND id = $2",
			f.c, f.oil.ID, int64(4611686018427387905), int64(math.MaxInt64)); err != nil {
			t.Fatal(err)
		}
		wantRefused(t, "4 units at 2⁶²+1 points", "station.price_out_of_bounds",
			second(f.s.Redeem(ctx, f.clerk, f.key(), f.basket(station.Item{GoodID: f.oil.ID, Quantity: 4}))))
		if got := balance(t, d, f.c, f.resident); got != 500 {
			t.Errorf("balance = %d, want 500", got)
		}
		res(f.s.UpdateGood(ctx, f.clerk, f.key(), edit(f.c, f.oil, func(e *station.UpdateGoodRequest) { e.Points = 30 }))).must(t)
		wantRefused(t, "a donation onto a stock past the bound", "station.stock_full",
			second(f.s.DonateGoods(ctx, f.clerk, f.key(), station.DonateGoodsRequest{Community: f.c, Donor: f.donor.ID, Good: f.oil.ID, Quantity: 1})))
		res(f.s.StockTake(ctx, f.clerk, f.key(), station.StockTakeRequest{Community: f.c, Good: f.oil.ID, Counted: 7, Reason: "recount"})).must(t)
		if got := stock(t, d, f.c, f.oil.ID); got != 7 {
			t.Errorf("stock after the recount = %d, want 7", got)
		}
	})
}

// Free text is capped in runes, not bytes: 60 Chinese characters (180 bytes)
// make a good's name, 61 do not.
func TestStationTextCaps(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 0)
		c, k, clerk := f.c, f.key, f.clerk
		name, long := strings.Repeat("米", civic.MaxName), strings.Repeat("米", civic.MaxName+1)
		label, longLabel := strings.Repeat("袋", civic.MaxLabel), strings.Repeat("袋", civic.MaxLabel+1)
		longNote := strings.Repeat("潮", civic.MaxReason+1)
		res(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: name, Unit: label, Category: label, Points: 1})).must(t)
		refused := []struct {
			name, key string
			err       error
		}{
			{"good name", "station.good_name_long", second(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: long, Points: 1}))},
			{"10 KB good name", "station.good_name_long", second(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: strings.Repeat("x", 10<<10), Points: 1}))},
			{"renamed good", "station.good_name_long", second(f.s.UpdateGood(ctx, clerk, k(), edit(c, f.oil, func(e *station.UpdateGoodRequest) { e.Name = long })))},
			{"unit", "station.unit_long", second(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: "a", Unit: longLabel, Points: 1}))},
			{"category", "station.category_long", second(f.s.CreateGood(ctx, clerk, k(), station.CreateGoodRequest{Community: c, Name: "a", Category: longLabel, Points: 1}))},
			{"donor name", "station.donor_name_long", second(f.s.CreateDonor(ctx, clerk, k(), station.DonorRequest{Community: c, Name: long, Kind: station.DonorPerson}))},
			{"donation note", "station.note_long", second(f.s.DonateGoods(ctx, clerk, k(), station.DonateGoodsRequest{Community: c, Donor: f.donor.ID, Good: f.oil.ID, Quantity: 1, Note: longNote}))},
			{"funds note", "station.note_long", second(f.s.DonateFunds(ctx, clerk, k(), station.DonateFundsRequest{Community: c, Donor: f.donor.ID, AmountFen: 100, Note: longNote}))},
			{"supplier", "station.supplier_long", second(f.s.RecordPurchase(ctx, clerk, k(), station.PurchaseRequest{Community: c, Good: f.oil.ID, Quantity: 1, AmountFen: 1, Supplier: long}))},
			{"purchase note", "station.note_long", second(f.s.RecordPurchase(ctx, clerk, k(), station.PurchaseRequest{Community: c, Good: f.oil.ID, Quantity: 1, AmountFen: 1, Note: longNote}))},
			{"write-off reason", "station.note_long", second(f.s.WriteOff(ctx, clerk, k(), station.WriteOffRequest{Community: c, Good: f.oil.ID, Quantity: 1, Reason: longNote}))},
			{"stock-take reason", "station.note_long", second(f.s.StockTake(ctx, clerk, k(), station.StockTakeRequest{Community: c, Good: f.oil.ID, Counted: 1, Reason: longNote}))},
		}
		for _, r := range refused {
			wantRefused(t, r.name, r.key, r.err)
		}
		if got := stock(t, d, f.c, f.oil.ID); got != 5 {
			t.Errorf("oil stock = %d after refused moves, want 5", got)
		}
	})
}

// The station's check reports rows from before the bounds (a stock of
// 2⁶³−1, an order of 4 units at 2⁶²+1 points charged 4, funds past the
// bound) instead of failing on the sums they would overflow.
func TestCheckReportsLegacyFigures(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 500)
		rc := res(f.s.Redeem(ctx, f.clerk, f.key(), f.basket(station.Item{GoodID: f.oil.ID, Quantity: 4}))).must(t)
		for _, q := range []string{
			"UPDATE station_goods SET stock = 9223372036854775807 WHERE community_id = $1 AND id = '" + f.rice.ID + "'",
			"UPDATE station_order_items SET points_each = 4611686018427387905 WHERE community_id = $1",
			"UPDATE station_orders SET points = 4 WHERE community_id = $1",
			"INSERT INTO station_settings (community_id, fen_per_point, cover_threshold_pct, release_days, funds_fen, updated_at) VALUES ($1, 100, 100, 7, 9223372036854775807, 0)",
		} {
			if _, err := d.Exec(ctx, q, f.c); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for i := range 2 {
			if _, err := d.Exec(ctx, `INSERT INTO station_donations (community_id, id, donor_id, kind, good_id, quantity, amount_fen, points, note, actor_id, created_at)
				VALUES ($1, $2, $3, 'funds', '', 0, 9223372036854775807, 9223372036854775807, '', 'legacy', $4)`, f.c, civic.NewID(), f.donor.ID, int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		r, err := station.Check(ctx, d, f.c)
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		all := strings.Join(r.Problems, "\n")
		for _, want := range []string{"good rice 5kg", "order " + rc.Number, "funds"} {
			if !strings.Contains(all, want) {
				t.Errorf("problems do not mention %q:\n%s", want, all)
			}
		}
		if r.OK {
			t.Error("check passes a station with figures beyond the bounds")
		}
	})
}

// edit is the request that changes g as change says and keeps the rest.
func edit(communityID string, g station.Good, change func(*station.UpdateGoodRequest)) station.UpdateGoodRequest {
	e := station.UpdateGoodRequest{Community: communityID, Good: g.ID, Name: g.Name, Unit: g.Unit, Category: g.Category, Points: g.Points, Active: true}
	change(&e)
	return e
}

// worker is a worker of the community.
func worker(communityID string) civic.Actor {
	return civic.Actor{UserID: "w1", Name: "worker", Role: civic.RoleWorker, CommunityID: communityID}
}
