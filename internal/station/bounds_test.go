package station_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/station"
)

// wantRefused runs fn and wants an invalid error with the catalogue key key.
func wantRefused(t *testing.T, d *db.DB, name, key string, fn func(*db.Tx) error) {
	t.Helper()
	err := d.WithTx(context.Background(), fn)
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
		at := time.Date(2025, 3, 10, 9, 0, 0, 0, civic.Shanghai)
		refused := []struct {
			name, key string
			fn        func(*db.Tx) error
		}{
			{"price past the bound", "station.price_too_high", func(tx *db.Tx) error {
				_, err := station.CreateGood(ctx, tx, f.c, station.Good{Name: "wrap", Points: 4611686018427387905}, clerk)
				return err
			}},
			{"opening stock past the bound", "station.stock_too_many", func(tx *db.Tx) error {
				_, err := station.CreateGood(ctx, tx, f.c, station.Good{Name: "heap", Points: 1, Stock: civic.MaxStock + 1}, clerk)
				return err
			}},
			{"new price past the bound", "station.price_too_high", func(tx *db.Tx) error {
				g := f.oil
				g.Points = civic.MaxPrice + 1
				return station.UpdateGood(ctx, tx, f.c, g)
			}},
			{"stock-take of 2⁶³−1", "station.stock_too_many", func(tx *db.Tx) error {
				_, err := station.StockTake(ctx, tx, f.c, f.rice.ID, math.MaxInt64, "count", clerk, at)
				return err
			}},
			{"write-off past the bound", "station.quantity_too_many", func(tx *db.Tx) error {
				_, err := station.WriteOff(ctx, tx, f.c, f.oil.ID, civic.MaxStock+1, "flood", clerk, at)
				return err
			}},
			{"donation past the bound", "station.quantity_too_many", func(tx *db.Tx) error {
				_, err := station.DonateGoods(ctx, tx, f.c, f.donor.ID, f.rice.ID, math.MaxInt64/40+1, "", clerk, at)
				return err
			}},
			{"funds past the bound", "station.amount_too_large", func(tx *db.Tx) error {
				_, err := station.DonateFunds(ctx, tx, f.c, f.donor.ID, civic.MaxFen+1, "", clerk, at)
				return err
			}},
			{"purchase quantity past the bound", "station.quantity_too_many", func(tx *db.Tx) error {
				_, err := station.RecordPurchase(ctx, tx, f.c, station.Purchase{GoodID: f.oil.ID, Quantity: civic.MaxStock + 1, AmountFen: 100}, clerk)
				return err
			}},
			{"purchase amount past the bound", "station.amount_too_large", func(tx *db.Tx) error {
				_, err := station.RecordPurchase(ctx, tx, f.c, station.Purchase{GoodID: f.oil.ID, Quantity: 1, AmountFen: math.MaxInt64}, clerk)
				return err
			}},
			{"basket line past the bound", "station.quantity_too_many", func(tx *db.Tx) error {
				_, err := station.Redeem(ctx, tx, station.Redemption{CommunityID: f.c, ResidentID: f.resident, Actor: clerk,
					Items: []station.Item{{GoodID: f.oil.ID, Quantity: math.MaxInt64}}})
				return err
			}},
			{"basket lines whose sum wraps", "station.quantity_too_many", func(tx *db.Tx) error {
				_, err := station.Redeem(ctx, tx, station.Redemption{CommunityID: f.c, ResidentID: f.resident, Actor: clerk,
					Items: []station.Item{{GoodID: f.oil.ID, Quantity: civic.MaxStock}, {GoodID: f.oil.ID, Quantity: 1}}})
				return err
			}},
			{"basket of too many lines", "station.basket_long", func(tx *db.Tx) error {
				items := make([]station.Item, station.MaxBasketLines+1)
				for i := range items {
					items[i] = station.Item{GoodID: f.oil.ID, Quantity: 1}
				}
				_, err := station.Redeem(ctx, tx, station.Redemption{CommunityID: f.c, ResidentID: f.resident, Actor: clerk, Items: items})
				return err
			}},
			{"backing rate past the bound", "station.rate_too_high", func(tx *db.Tx) error {
				return station.SaveSettings(ctx, tx, f.c, station.Settings{FenPerPoint: station.MaxFenPerPoint + 1, CoverThresholdPct: 100, ReleaseDays: 7})
			}},
		}
		for _, r := range refused {
			wantRefused(t, d, r.name, r.key, r.fn)
		}

		// At the bounds: the dearest good, a full shelf of it, the largest
		// donation of funds; one unit or one fen more is refused.
		var dear station.Good
		tx(t, d, func(tx *db.Tx) (err error) {
			if dear, err = station.CreateGood(ctx, tx, f.c, station.Good{Name: "dear", Points: civic.MaxPrice}, clerk); err != nil {
				return err
			}
			if _, err = station.StockTake(ctx, tx, f.c, dear.ID, civic.MaxStock, "delivery", clerk, at); err != nil {
				return err
			}
			for range civic.MaxFundsFen / civic.MaxFen {
				if _, err = station.DonateFunds(ctx, tx, f.c, f.donor.ID, civic.MaxFen, "", clerk, at); err != nil {
					return err
				}
			}
			return nil
		})
		wantRefused(t, d, "one more unit on a full shelf", "station.stock_full", func(tx *db.Tx) error {
			_, err := station.DonateGoods(ctx, tx, f.c, f.donor.ID, dear.ID, 1, "", clerk, at)
			return err
		})
		wantRefused(t, d, "one more fen in full funds", "station.funds_full", func(tx *db.Tx) error {
			_, err := station.DonateFunds(ctx, tx, f.c, f.donor.ID, 1, "", clerk, at)
			return err
		})
		wantRefused(t, d, "a basket dearer than one transfer", "station.basket_too_dear", func(tx *db.Tx) error {
			_, err := station.Redeem(ctx, tx, station.Redemption{CommunityID: f.c, ResidentID: f.resident, Actor: clerk,
				Items: []station.Item{{GoodID: dear.ID, Quantity: civic.MaxPoints/civic.MaxPrice + 1}}})
			return err
		})
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
		wantRefused(t, d, "4 units at 2⁶²+1 points", "station.price_out_of_bounds", func(tx *db.Tx) error {
			_, err := station.Redeem(ctx, tx, station.Redemption{CommunityID: f.c, ResidentID: f.resident, Actor: clerk,
				Items: []station.Item{{GoodID: f.oil.ID, Quantity: 4}}})
			return err
		})
		if got := balance(t, d, f.c, f.resident); got != 500 {
			t.Errorf("balance = %d, want 500", got)
		}
		wantRefused(t, d, "a donation onto a stock past the bound", "station.stock_full", func(tx *db.Tx) error {
			g := f.oil
			g.Points = 30
			if err := station.UpdateGood(ctx, tx, f.c, g); err != nil {
				return err
			}
			_, err := station.DonateGoods(ctx, tx, f.c, f.donor.ID, f.oil.ID, 1, "", clerk, time.Time{})
			return err
		})
		tx(t, d, func(tx *db.Tx) error {
			_, err := station.StockTake(ctx, tx, f.c, f.oil.ID, 7, "recount", clerk, time.Time{})
			return err
		})
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
		at := time.Date(2025, 3, 10, 9, 0, 0, 0, civic.Shanghai)
		name, long := strings.Repeat("米", civic.MaxName), strings.Repeat("米", civic.MaxName+1)
		label, longLabel := strings.Repeat("袋", civic.MaxLabel), strings.Repeat("袋", civic.MaxLabel+1)
		longNote := strings.Repeat("潮", civic.MaxReason+1)
		tx(t, d, func(tx *db.Tx) error {
			_, err := station.CreateGood(ctx, tx, f.c, station.Good{Name: name, Unit: label, Category: label, Points: 1}, clerk)
			return err
		})
		refused := []struct {
			name, key string
			fn        func(*db.Tx) error
		}{
			{"good name", "station.good_name_long", func(tx *db.Tx) error {
				_, err := station.CreateGood(ctx, tx, f.c, station.Good{Name: long, Points: 1}, clerk)
				return err
			}},
			{"10 KB good name", "station.good_name_long", func(tx *db.Tx) error {
				_, err := station.CreateGood(ctx, tx, f.c, station.Good{Name: strings.Repeat("x", 10<<10), Points: 1}, clerk)
				return err
			}},
			{"renamed good", "station.good_name_long", func(tx *db.Tx) error {
				g := f.oil
				g.Name = long
				return station.UpdateGood(ctx, tx, f.c, g)
			}},
			{"unit", "station.unit_long", func(tx *db.Tx) error {
				_, err := station.CreateGood(ctx, tx, f.c, station.Good{Name: "a", Unit: longLabel, Points: 1}, clerk)
				return err
			}},
			{"category", "station.category_long", func(tx *db.Tx) error {
				_, err := station.CreateGood(ctx, tx, f.c, station.Good{Name: "a", Category: longLabel, Points: 1}, clerk)
				return err
			}},
			{"donor name", "station.donor_name_long", func(tx *db.Tx) error {
				_, err := station.CreateDonor(ctx, tx, f.c, station.Donor{Name: long, Kind: station.DonorPerson})
				return err
			}},
			{"donation note", "station.note_long", func(tx *db.Tx) error {
				_, err := station.DonateGoods(ctx, tx, f.c, f.donor.ID, f.oil.ID, 1, longNote, clerk, at)
				return err
			}},
			{"funds note", "station.note_long", func(tx *db.Tx) error {
				_, err := station.DonateFunds(ctx, tx, f.c, f.donor.ID, 100, longNote, clerk, at)
				return err
			}},
			{"supplier", "station.supplier_long", func(tx *db.Tx) error {
				_, err := station.RecordPurchase(ctx, tx, f.c, station.Purchase{GoodID: f.oil.ID, Quantity: 1, AmountFen: 1, Supplier: long}, clerk)
				return err
			}},
			{"purchase note", "station.note_long", func(tx *db.Tx) error {
				_, err := station.RecordPurchase(ctx, tx, f.c, station.Purchase{GoodID: f.oil.ID, Quantity: 1, AmountFen: 1, Note: longNote}, clerk)
				return err
			}},
			{"write-off reason", "station.note_long", func(tx *db.Tx) error {
				_, err := station.WriteOff(ctx, tx, f.c, f.oil.ID, 1, longNote, clerk, at)
				return err
			}},
			{"stock-take reason", "station.note_long", func(tx *db.Tx) error {
				_, err := station.StockTake(ctx, tx, f.c, f.oil.ID, 1, longNote, clerk, at)
				return err
			}},
		}
		for _, r := range refused {
			wantRefused(t, d, r.name, r.key, r.fn)
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
		var rc station.Receipt
		tx(t, d, func(tx *db.Tx) (err error) {
			rc, err = station.Redeem(ctx, tx, station.Redemption{CommunityID: f.c, ResidentID: f.resident, Actor: clerk,
				Items: []station.Item{{GoodID: f.oil.ID, Quantity: 4}}})
			return err
		})
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
