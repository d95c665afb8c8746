package station_test

import (
	"context"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/station"
)

// Every time the station stores is the injected clock's: goods, donors,
// donations, purchases, stock moves, orders, settings and the transfers and
// keys beside them; a release later on is stamped with the later time.
func TestEveryStoredTimeIsTheClock(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 500)
		c, k := f.c, f.key
		resident := civic.Actor{UserID: "u-res", Role: civic.RoleResident, CommunityID: c, ResidentID: f.resident}
		res(f.s.DonateGoods(ctx, f.clerk, k(), station.DonateGoodsRequest{Community: c, Donor: f.donor.ID, Good: f.rice.ID, Quantity: 5})).must(t)
		res(f.s.DonateFunds(ctx, f.clerk, k(), station.DonateFundsRequest{Community: c, Donor: f.donor.ID, AmountFen: 10000})).must(t)
		res(f.s.RecordPurchase(ctx, f.clerk, k(), station.PurchaseRequest{Community: c, Good: f.oil.ID, Quantity: 1, AmountFen: 500})).must(t)
		res(f.s.WriteOff(ctx, f.clerk, k(), station.WriteOffRequest{Community: c, Good: f.oil.ID, Quantity: 1, Reason: "leak"})).must(t)
		res(f.s.StockTake(ctx, f.clerk, k(), station.StockTakeRequest{Community: c, Good: f.oil.ID, Counted: 4, Reason: "count"})).must(t)
		res(f.s.SaveSettings(ctx, worker(c), k(), station.SettingsRequest{Community: c, FenPerPoint: 100, CoverThresholdPct: 100, ReleaseDays: 2})).must(t)
		res(f.s.Redeem(ctx, f.clerk, k(), f.basket(station.Item{GoodID: f.rice.ID, Quantity: 1}))).must(t)
		picked := res(f.s.Redeem(ctx, resident, k(), station.RedeemRequest{Community: c, Resident: f.resident, Channel: station.ChannelOnline,
			Items: []station.Item{{GoodID: f.oil.ID, Quantity: 1}}})).must(t)
		res(f.s.Fulfil(ctx, f.clerk, k(), station.FulfilRequest{Community: c, Code: picked.PickupCode})).must(t)
		left := res(f.s.Redeem(ctx, resident, k(), station.RedeemRequest{Community: c, Resident: f.resident, Channel: station.ChannelOnline,
			Items: []station.Item{{GoodID: f.rice.ID, Quantity: 1}}})).must(t)
		then := f.clock.Now()
		wantTimes(t, d, c, then, `SELECT created_at FROM station_goods WHERE community_id = $1
			UNION ALL SELECT created_at FROM station_donors WHERE community_id = $1
			UNION ALL SELECT created_at FROM station_donations WHERE community_id = $1
			UNION ALL SELECT created_at FROM station_purchases WHERE community_id = $1
			UNION ALL SELECT created_at FROM station_stock_moves WHERE community_id = $1
			UNION ALL SELECT updated_at FROM station_settings WHERE community_id = $1
			UNION ALL SELECT created_at FROM station_orders WHERE community_id = $1
			UNION ALL SELECT updated_at FROM station_orders WHERE community_id = $1
			UNION ALL SELECT closed_at FROM station_orders WHERE community_id = $1 AND closed_at > 0
			UNION ALL SELECT created_at FROM ledger_transfers WHERE community_id = $1
			UNION ALL SELECT created_at FROM idem_keys WHERE community_id = $1`)

		f.clock.Advance(3 * 24 * time.Hour)
		if got, err := f.s.ReleaseDue(ctx, c); err != nil || len(got) != 1 || got[0] != left.OrderID {
			t.Fatalf("release = %v, %v; want %s", got, err, left.OrderID)
		}
		wantTimes(t, d, c, f.clock.Now(), `SELECT created_at FROM station_stock_moves WHERE community_id = $1 AND kind = 'release'
			UNION ALL SELECT updated_at FROM station_orders WHERE community_id = $1 AND status = 'released'
			UNION ALL SELECT closed_at FROM station_orders WHERE community_id = $1 AND status = 'released'
			UNION ALL SELECT created_at FROM ledger_transfers WHERE community_id = $1 AND kind = 'reversal'
			UNION ALL SELECT created_at FROM idem_keys WHERE community_id = $1 AND command = 'station.release'`)
	})
}

// wantTimes wants every time query gives (Unix ms) to be want, and some.
func wantTimes(t *testing.T, d *db.DB, communityID string, want time.Time, query string) {
	t.Helper()
	rows, err := d.Query(context.Background(), query, communityID)
	times, err := db.Collect(rows, err, func(s db.Scanner) (ms int64, err error) {
		err = s.Scan(&ms)
		return ms, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(times) == 0 {
		t.Fatal("no times stored")
	}
	for _, ms := range times {
		if ms != db.Millis(want) {
			t.Errorf("stored %s, want the clock's %s", db.FromMillis(ms), want)
		}
	}
}
