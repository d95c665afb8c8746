package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// An online order nobody collected is released by the background jobs:
// the points and the stock go back, once.
func TestJobsReleaseUncollectedOrders(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := civic.NewFixedClock(time.Now())
		a := app.New(&config.Config{Lang: "en"}, d, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
		defer a.Batch.Close()
		sc, err := a.ScratchCommunity(ctx, "jobs", 1)
		if err != nil {
			t.Fatal(err)
		}
		r := sc.Residents[0]
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: sc.CommunityID, ResidentID: r, Points: 50, Reason: "help", Actor: sc.Worker})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		good, err := a.Station.CreateGood(ctx, sc.Worker, "flour", station.CreateGoodRequest{Community: sc.CommunityID, Name: "flour", Points: 20, Stock: 3})
		if err != nil {
			t.Fatal(err)
		}
		resident := civic.Actor{UserID: "u-res", Role: civic.RoleResident, CommunityID: sc.CommunityID, ResidentID: r}
		rc, err := a.Station.Redeem(ctx, resident, "order", station.RedeemRequest{Community: sc.CommunityID, Resident: r, Channel: station.ChannelOnline,
			Items: []station.Item{{GoodID: good.ID, Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		order := rc.OrderID
		// Nobody came for it in a month.
		clock.Advance(30 * 24 * time.Hour)
		for range 2 { // a second pass changes nothing
			a.RunJobsOnce(ctx)
		}
		acct, _ := ledger.GetAccount(ctx, d, sc.CommunityID, r)
		g, _ := station.GetGood(ctx, d, sc.CommunityID, good.ID)
		o, err := station.GetOrder(ctx, d, sc.CommunityID, order)
		if err != nil || acct.Balance != 50 || g.Stock != 3 || o.Status != "released" {
			t.Fatalf("after jobs: balance %d, stock %d, order %+v (%v); want 50, 3, released", acct.Balance, g.Stock, o, err)
		}
		if rep, err := a.Check(ctx, sc.CommunityID); err != nil || !rep.OK {
			t.Fatalf("check: %v %v", err, rep.Problems)
		}
	})
}
