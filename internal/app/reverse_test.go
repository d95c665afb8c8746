package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// However a redemption is reversed (here through the worker's reversal
// command, which knows nothing of the station), its goods go back on the
// shelf and the order shows returned.
func TestEveryReversalPathRestoresStock(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := app.New(&config.Config{Lang: "en"}, d, civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		defer a.Batch.Close()
		sc, err := a.ScratchCommunity(ctx, "rev", 1)
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
		good, err := a.Station.CreateGood(ctx, sc.Worker, "oil", station.CreateGoodRequest{Community: sc.CommunityID, Name: "oil", Points: 20, Stock: 2})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := a.Station.Redeem(ctx, sc.Worker, "basket", station.RedeemRequest{Community: sc.CommunityID, Resident: r, Channel: station.ChannelCounter,
			Items: []station.Item{{GoodID: good.ID, Quantity: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Ledger.ReverseTransfer(ctx, sc.Worker, "rev-1", ledger.ReverseRequest{Community: sc.CommunityID, Transfer: rc.TransferID, Reason: "wrong resident"}); err != nil {
			t.Fatal(err)
		}
		g, _ := station.GetGood(ctx, d, sc.CommunityID, good.ID)
		o, _ := station.GetOrder(ctx, d, sc.CommunityID, rc.OrderID)
		acct, _ := ledger.GetAccount(ctx, d, sc.CommunityID, r)
		if g.Stock != 2 || o.Status != station.StatusReturned || acct.Balance != 50 {
			t.Fatalf("after reversal: stock %d, order %s, balance %d; want 2, returned, 50", g.Stock, o.Status, acct.Balance)
		}
		if rep, err := a.Check(ctx, sc.CommunityID); err != nil || !rep.OK {
			t.Fatalf("check: %v %v", err, rep.Problems)
		}
	})
}
