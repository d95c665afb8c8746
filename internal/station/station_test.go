package station_test

import (
	"context"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

var clerk = civic.Actor{UserID: "clerk1", Name: "clerk", Role: civic.RoleClerk}

// fixture is a community with one resident holding points and two goods.
type fixture struct {
	c         string
	resident  string
	rice, oil station.Good
	donor     station.Donor
}

func setup(t *testing.T, d *db.DB, points int64) fixture {
	t.Helper()
	ctx := context.Background()
	f := fixture{c: dbtest.Community(t, d, "c"), resident: "res1"}
	tx(t, d, func(tx *db.Tx) (err error) {
		if err = ledger.OpenAccount(ctx, tx, f.c, f.resident); err != nil {
			return err
		}
		if points > 0 {
			if _, err = ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: f.c, ResidentID: f.resident, Points: points, Reason: "volunteer", Actor: clerk}); err != nil {
				return err
			}
		}
		if f.rice, err = station.CreateGood(ctx, tx, f.c, station.Good{Name: "rice 5kg", Unit: "bag", Points: 40, Stock: 0}, clerk); err != nil {
			return err
		}
		if f.oil, err = station.CreateGood(ctx, tx, f.c, station.Good{Name: "oil 1.8L", Unit: "bottle", Points: 30, Stock: 5}, clerk); err != nil {
			return err
		}
		f.donor, err = station.CreateDonor(ctx, tx, f.c, station.Donor{Name: "Food Co", Kind: station.DonorCompany, Thanks: true})
		return err
	})
	return f
}

func tx(t *testing.T, d *db.DB, fn func(*db.Tx) error) {
	t.Helper()
	if err := d.WithTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func errCode(d *db.DB, fn func(*db.Tx) error) civic.Code {
	return civic.ErrorCode(d.WithTx(context.Background(), fn))
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
		at := time.Date(2025, 3, 10, 9, 0, 0, 0, civic.Shanghai)
		tx(t, d, func(tx *db.Tx) error {
			if _, err := station.DonateGoods(ctx, tx, f.c, f.donor.ID, f.rice.ID, 10, "spring drive", clerk, at); err != nil {
				return err
			}
			dn, err := station.DonateFunds(ctx, tx, f.c, f.donor.ID, 50000, "", clerk, at) // ¥500.00 → 500 points at 100 fen/point
			if err != nil {
				return err
			}
			if dn.Points != 500 {
				t.Errorf("funds donation backs %d points, want 500", dn.Points)
			}
			_, err = station.RecordPurchase(ctx, tx, f.c, station.Purchase{GoodID: f.oil.ID, Quantity: 4, AmountFen: 12000, Supplier: "market"}, clerk)
			return err
		})
		if got := stock(t, d, f.c, f.rice.ID); got != 10 {
			t.Errorf("rice stock = %d, want 10", got)
		}
		if got := stock(t, d, f.c, f.oil.ID); got != 9 {
			t.Errorf("oil stock = %d, want 9", got)
		}
		bad := []struct {
			name string
			fn   func(*db.Tx) error
			want civic.Code
		}{
			{"purchase over funds", func(tx *db.Tx) error {
				_, err := station.RecordPurchase(ctx, tx, f.c, station.Purchase{GoodID: f.oil.ID, Quantity: 1, AmountFen: 38001}, clerk)
				return err
			}, civic.Invalid},
			{"zero donation", func(tx *db.Tx) error {
				_, err := station.DonateGoods(ctx, tx, f.c, f.donor.ID, f.rice.ID, 0, "", clerk, at)
				return err
			}, civic.Invalid},
			{"write-off without reason", func(tx *db.Tx) error {
				_, err := station.WriteOff(ctx, tx, f.c, f.rice.ID, 1, " ", clerk, at)
				return err
			}, civic.Invalid},
			{"write-off beyond stock", func(tx *db.Tx) error {
				_, err := station.WriteOff(ctx, tx, f.c, f.rice.ID, 11, "mice", clerk, at)
				return err
			}, civic.OutOfStock},
			{"unknown donor", func(tx *db.Tx) error {
				_, err := station.DonateFunds(ctx, tx, f.c, "nobody", 100, "", clerk, at)
				return err
			}, civic.NotFound},
		}
		for _, b := range bad {
			if got := errCode(d, b.fn); got != b.want {
				t.Errorf("%s: code %q, want %q", b.name, got, b.want)
			}
		}
		tx(t, d, func(tx *db.Tx) error {
			if _, err := station.WriteOff(ctx, tx, f.c, f.rice.ID, 2, "damp bags", clerk, at); err != nil {
				return err
			}
			_, err := station.StockTake(ctx, tx, f.c, f.oil.ID, 8, "count on 2025-03-31", clerk, at)
			return err
		})
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
		tx(t, d, func(tx *db.Tx) error {
			return station.SaveSettings(ctx, tx, f.c, station.Settings{FenPerPoint: 100, CoverThresholdPct: 200, ReleaseDays: 3})
		})
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
