package station_test

import (
	"context"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/station"
)

// Every command that moves points, stock or funds (and the pickup and the
// settings) called as each role: who may do it goes through, everyone else
// is refused with forbidden and changes nothing.
func TestCommandRoles(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d, 100_000)
		other := dbtest.Community(t, d, "other")
		as := map[string]civic.Actor{
			"resident":       {UserID: "u-res", Role: civic.RoleResident, CommunityID: f.c, ResidentID: f.resident},
			"worker":         {UserID: "u-w", Role: civic.RoleWorker, CommunityID: f.c},
			"clerk":          {UserID: "u-c", Role: civic.RoleClerk, CommunityID: f.c},
			"merchant":       {UserID: "u-m", Role: civic.RoleMerchant, CommunityID: f.c},
			"district":       {UserID: "u-d", Role: civic.RoleDistrict},
			"admin":          {UserID: "u-a", Role: civic.RoleAdmin},
			"other worker":   {UserID: "u-o", Role: civic.RoleWorker, CommunityID: other},
			"other resident": {UserID: "u-r2", Role: civic.RoleResident, CommunityID: f.c, ResidentID: "res2"},
			"system":         civic.System,
		}
		res(f.s.DonateGoods(ctx, f.clerk, f.key(), station.DonateGoodsRequest{Community: f.c, Donor: f.donor.ID, Good: f.rice.ID, Quantity: 1000})).must(t)
		res(f.s.DonateFunds(ctx, f.clerk, f.key(), station.DonateFundsRequest{Community: f.c, Donor: f.donor.ID, AmountFen: 1_000_000})).must(t)
		online := func() station.Receipt {
			return res(f.s.Redeem(ctx, as["resident"], f.key(), station.RedeemRequest{Community: f.c, Resident: f.resident, Channel: station.ChannelOnline,
				Items: []station.Item{{GoodID: f.rice.ID, Quantity: 1}}})).must(t)
		}
		rice := []station.Item{{GoodID: f.rice.ID, Quantity: 1}}
		commands := []struct {
			name string
			may  []string
			prep func() string // what the command acts on, made first
			run  func(by civic.Actor, on string) error
		}{
			{"redeem at the counter", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.Redeem(ctx, by, f.key(), f.basket(rice...)))
			}},
			{"redeem through the API", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.Redeem(ctx, by, f.key(), station.RedeemRequest{Community: f.c, Resident: f.resident, Items: rice, Channel: station.ChannelAPI}))
			}},
			{"order online", []string{"resident", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.Redeem(ctx, by, f.key(), station.RedeemRequest{Community: f.c, Resident: f.resident, Items: rice, Channel: station.ChannelOnline}))
			}},
			{"write off", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.WriteOff(ctx, by, f.key(), station.WriteOffRequest{Community: f.c, Good: f.rice.ID, Quantity: 1, Reason: "damp"}))
			}},
			{"count stock", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				g, _ := station.GetGood(ctx, d, f.c, f.rice.ID)
				return second(f.s.StockTake(ctx, by, f.key(), station.StockTakeRequest{Community: f.c, Good: f.rice.ID, Counted: g.Stock - 1, Reason: "count"}))
			}},
			{"buy with the funds", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.RecordPurchase(ctx, by, f.key(), station.PurchaseRequest{Community: f.c, Good: f.rice.ID, Quantity: 1, AmountFen: 100}))
			}},
			{"donate goods", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.DonateGoods(ctx, by, f.key(), station.DonateGoodsRequest{Community: f.c, Donor: f.donor.ID, Good: f.rice.ID, Quantity: 1}))
			}},
			{"donate funds", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.DonateFunds(ctx, by, f.key(), station.DonateFundsRequest{Community: f.c, Donor: f.donor.ID, AmountFen: 100}))
			}},
			{"add a donor", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.CreateDonor(ctx, by, f.key(), station.DonorRequest{Community: f.c, Name: "donor " + by.UserID, Kind: station.DonorPerson}))
			}},
			{"add a good", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.CreateGood(ctx, by, f.key(), station.CreateGoodRequest{Community: f.c, Name: "good " + by.UserID, Points: 5, Stock: 1}))
			}},
			{"edit a good", []string{"worker", "clerk", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.UpdateGood(ctx, by, f.key(), edit(f.c, f.oil, func(e *station.UpdateGoodRequest) { e.Points++ })))
			}},
			{"hand over an order", []string{"worker", "clerk", "system"}, func() string { return online().PickupCode }, func(by civic.Actor, code string) error {
				return second(f.s.Fulfil(ctx, by, f.key(), station.FulfilRequest{Community: f.c, Code: code}))
			}},
			{"release an order", []string{"system"}, func() string { return online().OrderID }, func(by civic.Actor, o string) error {
				return second(f.s.Release(ctx, by, station.ReleaseKey(o), station.ReleaseRequest{Community: f.c, Order: o}))
			}},
			{"save the settings", []string{"worker", "system"}, nil, func(by civic.Actor, _ string) error {
				return second(f.s.SaveSettings(ctx, by, f.key(), station.SettingsRequest{Community: f.c, FenPerPoint: 100, CoverThresholdPct: 100, ReleaseDays: 7}))
			}},
		}
		for _, c := range commands {
			for who, by := range as {
				allowed := false
				for _, m := range c.may {
					allowed = allowed || m == who
				}
				var on string
				if c.prep != nil {
					on = c.prep()
				}
				before := [2]int64{balance(t, d, f.c, f.resident), stock(t, d, f.c, f.rice.ID)}
				err := c.run(by, on)
				switch got := civic.ErrorCode(err); {
				case allowed && err != nil:
					t.Errorf("%s as %s: %v, want it done", c.name, who, err)
				case !allowed && got != civic.Forbidden:
					t.Errorf("%s as %s: %v, want forbidden", c.name, who, err)
				}
				if after := [2]int64{balance(t, d, f.c, f.resident), stock(t, d, f.c, f.rice.ID)}; !allowed && after != before {
					t.Errorf("%s as %s was refused but moved points or stock: %v, then %v", c.name, who, before, after)
				}
			}
		}
		mustCheck(t, d, f.c)
	})
}
