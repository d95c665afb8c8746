package station_test

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// Each bad basket fails with its own code and leaves points, stock and orders untouched.
func TestRedeemBadInput(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 100)
		redeem := func(items ...station.Item) error {
			_, err := f.s.Redeem(ctx, f.clerk, f.key(), f.basket(items...))
			return err
		}
		tests := []struct {
			name string
			err  error
			want civic.Code
		}{
			{"over balance", redeem(station.Item{GoodID: f.oil.ID, Quantity: 4}), civic.InsufficientPoints},
			{"out of stock", redeem(station.Item{GoodID: f.oil.ID, Quantity: 1}, station.Item{GoodID: f.rice.ID, Quantity: 1}), civic.OutOfStock},
			{"zero quantity", redeem(station.Item{GoodID: f.oil.ID, Quantity: 0}), civic.Invalid},
			{"negative quantity", redeem(station.Item{GoodID: f.oil.ID, Quantity: -2}), civic.Invalid},
			{"empty basket", redeem(), civic.Invalid},
			{"unknown good", redeem(station.Item{GoodID: "nope", Quantity: 1}), civic.NotFound},
		}
		for _, tt := range tests {
			if got := civic.ErrorCode(tt.err); got != tt.want {
				t.Errorf("%s: code %q, want %q", tt.name, got, tt.want)
			}
		}
		if got := balance(t, d, f.c, f.resident); got != 100 {
			t.Errorf("balance = %d, want 100", got)
		}
		if got := stock(t, d, f.c, f.oil.ID); got != 5 {
			t.Errorf("oil stock = %d, want 5", got)
		}
		if orders, _ := station.ResidentOrders(ctx, d, f.c, f.resident, 0, 10); len(orders) != 0 {
			t.Errorf("%d orders left behind", len(orders))
		}
		f.clock.Advance(time.Date(2025, 4, 1, 23, 30, 0, 0, civic.Shanghai).Sub(f.clock.Now()))
		rc := res(f.s.Redeem(ctx, f.clerk, f.key(), f.basket(station.Item{GoodID: f.oil.ID, Quantity: 1}, station.Item{GoodID: f.oil.ID, Quantity: 2}))).must(t)
		if rc.Points != 90 || rc.Balance != 10 || len(rc.Lines) != 1 || rc.Lines[0].Quantity != 3 || rc.PickupCode != "" {
			t.Errorf("receipt = %+v", rc)
		}
		if !regexp.MustCompile(`^20250401-[0-9A-F]{8}$`).MatchString(rc.Number) {
			t.Errorf("number %q, want 20250401-XXXXXXXX", rc.Number)
		}
		o, err := station.GetOrder(ctx, d, f.c, rc.OrderID)
		if err != nil || o.Status != station.StatusCompleted || o.Channel != station.ChannelCounter {
			t.Errorf("order = %+v, %v", o, err)
		}
		// A worker reverses it: points and stock come back, the order shows returned.
		tx(t, d, func(tx *db.Tx) error {
			_, _, err := wired(d).Reverse(ctx, tx, f.c, rc.TransferID, "wrong goods", f.clerk, "")
			return err
		})
		if o, _ = station.GetOrder(ctx, d, f.c, rc.OrderID); o.Status != station.StatusReturned {
			t.Errorf("status after return = %s", o.Status)
		}
		if balance(t, d, f.c, f.resident) != 100 || stock(t, d, f.c, f.oil.ID) != 5 {
			t.Errorf("return did not restore points and stock")
		}
		mustCheck(t, d, f.c)
	})
}

func TestOnlineOrder(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 200)
		f.s.Names = names{f.resident: "毛*波"}
		start := time.Date(2025, 5, 6, 10, 0, 0, 0, civic.Shanghai)
		f.clock.Advance(start.Sub(f.clock.Now()))
		resident := civic.Actor{UserID: "u-res", Role: civic.RoleResident, CommunityID: f.c, ResidentID: f.resident}
		place := func() station.Receipt {
			return res(f.s.Redeem(ctx, resident, f.key(), station.RedeemRequest{Community: f.c, Resident: f.resident, Channel: station.ChannelOnline,
				Items: []station.Item{{GoodID: f.oil.ID, Quantity: 2}}})).must(t)
		}
		first := place()
		if len(first.PickupCode) != 12 || balance(t, d, f.c, f.resident) != 140 || stock(t, d, f.c, f.oil.ID) != 3 {
			t.Fatalf("reserve: receipt %+v, points and stock not held", first)
		}
		if res, _ := station.Reserved(ctx, d, f.c, 10); len(res) != 1 || res[0].Label != "毛*波" {
			t.Errorf("reserved list = %+v", res)
		}
		f.clock.Advance(time.Hour)
		fulfil := func(code string) (station.Order, error) {
			return f.s.Fulfil(ctx, f.clerk, f.key(), station.FulfilRequest{Community: f.c, Code: code})
		}
		o, err := fulfil(" " + first.PickupCode[:6] + " " + first.PickupCode[6:] + "\n")
		if err != nil || o.Status != station.StatusFulfilled || len(o.Lines) != 1 {
			t.Fatalf("fulfil: %+v, %v", o, err)
		}
		_, err = fulfil(first.PickupCode)
		if e := civic.AsError(err); e == nil || e.Key != "station.order_already_fulfilled" {
			t.Errorf("second scan: %v, want order_already_fulfilled", err)
		}
		if _, err := fulfil("ODNOSUCHCODE"); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("unknown code: %v", err)
		}
		// A second order is never collected: after the release days it goes back.
		f.clock.Advance(start.Add(24 * time.Hour).Sub(f.clock.Now()))
		second := place()
		f.clock.Advance(start.Add(7 * 24 * time.Hour).Sub(f.clock.Now()))
		if got, err := f.s.ReleaseDue(ctx, f.c); err != nil || len(got) != 0 {
			t.Fatalf("released early: %v %v", got, err)
		}
		f.clock.Advance(start.Add(8*24*time.Hour + time.Minute).Sub(f.clock.Now()))
		got, err := f.s.ReleaseDue(ctx, f.c)
		if err != nil || len(got) != 1 || got[0] != second.OrderID {
			t.Fatalf("release = %v, %v", got, err)
		}
		f.clock.Advance(24 * time.Hour)
		if again, _ := f.s.ReleaseDue(ctx, f.c); len(again) != 0 {
			t.Errorf("released twice: %v", again)
		}
		if balance(t, d, f.c, f.resident) != 140 || stock(t, d, f.c, f.oil.ID) != 3 {
			t.Errorf("release did not restore points and stock")
		}
		_, err = fulfil(second.PickupCode)
		if e := civic.AsError(err); e == nil || e.Key != "station.order_released" {
			t.Errorf("scan of released order: %v", err)
		}
		mine, err := station.ResidentOrders(ctx, d, f.c, f.resident, 0, 10)
		if err != nil || len(mine) != 2 || mine[0].Status != station.StatusReleased || mine[1].Status != station.StatusFulfilled {
			t.Errorf("my orders = %+v, %v", mine, err)
		}
		mustCheck(t, d, f.c)
	})
}

// names is a registry that knows some residents' masked names.
type names map[string]string

func (n names) MaskedNames(_ context.Context, _ string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		if v, ok := n[id]; ok {
			out[id] = v
		}
	}
	return out, nil
}

// The demo station: 30+ goods, three donors backing exactly DemoBacking
// points, and seeding twice changes nothing.
func TestSeedDemo(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 300)
		now := time.Date(2025, 6, 1, 10, 0, 0, 0, civic.Shanghai)
		f.clock.Advance(now.Sub(f.clock.Now()))
		for range 2 {
			if err := station.SeedDemo(ctx, d, f.c, []string{f.resident}, now); err != nil {
				t.Fatal(err)
			}
		}
		goods, _ := station.ListGoods(ctx, d, f.c)
		donors, _ := station.Donors(ctx, d, f.c, true)
		var backing int64
		for _, dn := range donors {
			backing += dn.Points
		}
		if len(goods) < 32 || len(donors) < 3 || backing != station.DemoBacking {
			t.Errorf("demo has %d goods, %d donors backing %d points; want 32+, 3+, %d", len(goods), len(donors), backing, station.DemoBacking)
		}
		rep, err := station.BuildReport(ctx, d, f.c, now.AddDate(0, -6, 0), now.AddDate(0, 1, 0))
		if err != nil || len(rep.Goods) < 30 {
			t.Fatalf("report: %d goods, %v", len(rep.Goods), err)
		}
		var buf bytes.Buffer
		if err := station.WriteXLSX(&buf, rep, i18n.EN); err != nil || buf.Len() < 1000 {
			t.Errorf("xlsx: %d bytes, %v", buf.Len(), err)
		}
		mustCheck(t, d, f.c)
	})
}

// wired is the ledger as app.New wires it for the station.
func wired(d *db.DB) *ledger.Service {
	lg := ledger.New(d, nil)
	lg.OnReverse(station.SourceOrder, station.UndoRedemption)
	return lg
}
