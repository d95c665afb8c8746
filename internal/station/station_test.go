package station_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// fixture is a community with one resident holding points, two goods, a
// donor and the station's service on a fixed clock.
type fixture struct {
	t         *testing.T
	c         string
	resident  string
	rice, oil station.Good
	donor     station.Donor
	s         *station.Service
	clock     *civic.FixedClock
	clerk     civic.Actor
	n         int
}

func service(t *testing.T, d *db.DB, clock *civic.FixedClock) *station.Service {
	t.Helper()
	d.Clock = clock
	b := db.NewBatcher(d, 2, 16)
	t.Cleanup(b.Close)
	return station.New(d, idem.New(d, b, clock), wired(d), clock, nil)
}

func setup(t *testing.T, d *db.DB, points int64) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, c: dbtest.Community(t, d, "c"), resident: "res1", clock: civic.NewFixedClock(time.Date(2025, 3, 1, 9, 0, 0, 0, civic.Shanghai))}
	f.s = service(t, d, f.clock)
	f.clerk = civic.Actor{UserID: "clerk1", Name: "clerk", Role: civic.RoleClerk, CommunityID: f.c}
	tx(t, d, func(tx *db.Tx) (err error) {
		if err = ledger.OpenAccount(ctx, tx, f.c, f.resident); err != nil {
			return err
		}
		if points > 0 {
			_, err = ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: f.c, ResidentID: f.resident, Points: points, Reason: "volunteer", Actor: f.clerk})
		}
		return err
	})
	var err error
	if f.rice, err = f.s.CreateGood(ctx, f.clerk, f.key(), station.CreateGoodRequest{Community: f.c, Name: "rice 5kg", Unit: "bag", Points: 40, Stock: 0}); err != nil {
		t.Fatal(err)
	}
	if f.oil, err = f.s.CreateGood(ctx, f.clerk, f.key(), station.CreateGoodRequest{Community: f.c, Name: "oil 1.8L", Unit: "bottle", Points: 30, Stock: 5}); err != nil {
		t.Fatal(err)
	}
	if f.donor, err = f.s.CreateDonor(ctx, f.clerk, f.key(), station.DonorRequest{Community: f.c, Name: "Food Co", Kind: station.DonorCompany, Thanks: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

// key is a fresh idempotency key.
func (f *fixture) key() idem.Key {
	f.n++
	return idem.Key(fmt.Sprintf("k%d", f.n))
}

// result is a command's answer, to be had or to fail the test.
type result[T any] struct {
	v   T
	err error
}

func res[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) must(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// basket is a counter redemption of the fixture's resident.
func (f *fixture) basket(items ...station.Item) station.RedeemRequest {
	return station.RedeemRequest{Community: f.c, Resident: f.resident, Items: items, Channel: station.ChannelCounter}
}

func tx(t *testing.T, d *db.DB, fn func(*db.Tx) error) {
	t.Helper()
	if err := d.WithTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func mustCheck(t *testing.T, d *db.DB, c string) {
	t.Helper()
	ctx := context.Background()
	for name, check := range map[string]func(context.Context, *db.DB, string) (ledger.Report, error){"ledger": ledger.Check, "station": station.Check} {
		r, err := check(ctx, d, c)
		if err != nil {
			t.Fatalf("%s check: %v", name, err)
		}
		if !r.OK {
			t.Fatalf("%s check: %v", name, r.Problems)
		}
	}
}

func stock(t *testing.T, d *db.DB, c, id string) int64 {
	t.Helper()
	g, err := station.GetGood(context.Background(), d, c, id)
	if err != nil {
		t.Fatal(err)
	}
	return g.Stock
}

func balance(t *testing.T, d *db.DB, c, r string) int64 {
	t.Helper()
	a, err := ledger.GetAccount(context.Background(), d, c, r)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

func TestDonationsStockAndCover(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 500)
		res(f.s.DonateGoods(ctx, f.clerk, f.key(), station.DonateGoodsRequest{Community: f.c, Donor: f.donor.ID, Good: f.rice.ID, Quantity: 10, Note: "spring drive"})).must(t)
		dn := res(f.s.DonateFunds(ctx, f.clerk, f.key(), station.DonateFundsRequest{Community: f.c, Donor: f.donor.ID, AmountFen: 50000})).must(t) // ¥500.00 → 500 points at 100 fen/point
		if dn.Points != 500 {
			t.Errorf("funds donation backs %d points, want 500", dn.Points)
		}
		res(f.s.RecordPurchase(ctx, f.clerk, f.key(), station.PurchaseRequest{Community: f.c, Good: f.oil.ID, Quantity: 4, AmountFen: 12000, Supplier: "market"})).must(t)
		if got := stock(t, d, f.c, f.rice.ID); got != 10 {
			t.Errorf("rice stock = %d, want 10", got)
		}
		if got := stock(t, d, f.c, f.oil.ID); got != 9 {
			t.Errorf("oil stock = %d, want 9", got)
		}
		bad := []struct {
			name string
			err  error
			want civic.Code
		}{
			{"purchase over funds", second(f.s.RecordPurchase(ctx, f.clerk, f.key(), station.PurchaseRequest{Community: f.c, Good: f.oil.ID, Quantity: 1, AmountFen: 38001})), civic.Invalid},
			{"zero donation", second(f.s.DonateGoods(ctx, f.clerk, f.key(), station.DonateGoodsRequest{Community: f.c, Donor: f.donor.ID, Good: f.rice.ID})), civic.Invalid},
			{"write-off without reason", second(f.s.WriteOff(ctx, f.clerk, f.key(), station.WriteOffRequest{Community: f.c, Good: f.rice.ID, Quantity: 1, Reason: " "})), civic.Invalid},
			{"write-off beyond stock", second(f.s.WriteOff(ctx, f.clerk, f.key(), station.WriteOffRequest{Community: f.c, Good: f.rice.ID, Quantity: 11, Reason: "mice"})), civic.OutOfStock},
			{"unknown donor", second(f.s.DonateFunds(ctx, f.clerk, f.key(), station.DonateFundsRequest{Community: f.c, Donor: "nobody", AmountFen: 100})), civic.NotFound},
		}
		for _, b := range bad {
			if got := civic.ErrorCode(b.err); got != b.want {
				t.Errorf("%s: code %q, want %q", b.name, got, b.want)
			}
		}
		res(f.s.WriteOff(ctx, f.clerk, f.key(), station.WriteOffRequest{Community: f.c, Good: f.rice.ID, Quantity: 2, Reason: "damp bags"})).must(t)
		res(f.s.StockTake(ctx, f.clerk, f.key(), station.StockTakeRequest{Community: f.c, Good: f.oil.ID, Counted: 8, Reason: "count on 2025-03-31"})).must(t)
		moves, err := station.Moves(ctx, d, f.c, f.oil.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []station.MoveKind
		for _, m := range moves {
			kinds = append(kinds, m.Kind)
		}
		want := []station.MoveKind{station.MoveStockTake, station.MovePurchase, station.MoveInitial}
		if len(kinds) != len(want) || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
			t.Errorf("oil moves = %v, want %v", kinds, want)
		}
		if moves[0].StockAfter != 8 || moves[0].Seq != 3 {
			t.Errorf("stock-take move: after %d seq %d, want 8 and 3", moves[0].StockAfter, moves[0].Seq)
		}
		// The stock ledger, donations and purchases are append-only on both engines.
		for _, q := range []string{
			"UPDATE station_stock_moves SET delta = 100 WHERE community_id = $1",
			"DELETE FROM station_stock_moves WHERE community_id = $1",
			"UPDATE station_donations SET points = 1 WHERE community_id = $1",
			"DELETE FROM station_purchases WHERE community_id = $1",
		} {
			if _, err := d.Exec(ctx, q, f.c); err == nil {
				t.Errorf("%s: succeeded, want append_only refusal", q)
			}
		}
		cover, err := station.GetCover(ctx, d, f.c)
		if err != nil {
			t.Fatal(err)
		}
		// rice 8×40 + oil 8×30 = 560; funds ¥380 = 380 points; outstanding 500.
		if cover.StockPoints != 560 || cover.FundsPoints != 380 || cover.Outstanding != 500 || cover.Percent != 188 || cover.Warn {
			t.Errorf("cover = %+v", cover)
		}
		res(f.s.SaveSettings(ctx, civic.Actor{UserID: "w", Role: civic.RoleWorker, CommunityID: f.c}, f.key(),
			station.SettingsRequest{Community: f.c, FenPerPoint: 100, CoverThresholdPct: 200, ReleaseDays: 3})).must(t)
		if cover, _ = station.GetCover(ctx, d, f.c); !cover.Warn {
			t.Errorf("cover %d%% under threshold 200%% does not warn", cover.Percent)
		}
		donors, err := station.Donors(ctx, d, f.c, true)
		if err != nil || len(donors) != 1 || donors[0].Points != 400+500 || donors[0].Donations != 2 {
			t.Errorf("donors = %+v, %v", donors, err)
		}
		mustCheck(t, d, f.c)
	})
}

// second is a command's error, for tables of refusals.
func second[T any](_ T, err error) error { return err }

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{{"200", 20000, true}, {"199.5", 19950, true}, {"0.05", 5, true}, {".5", 50, true}, {"1.234", 0, false}, {"-3", 0, false}, {"", 0, false}, {"1e3", 0, false}}
	for _, tt := range tests {
		got, err := station.ParseYuan(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
