package ledger_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

var worker = civic.Actor{UserID: "w1", Name: "worker", Role: civic.RoleWorker}

func residents(t dbtest.Fataler, d *db.DB, communityID string, n int) []string {
	t.Helper()
	var ids []string
	err := d.WithTx(context.Background(), func(tx *db.Tx) error {
		ids = ids[:0]
		for i := range n {
			id := fmt.Sprintf("r%03d", i)
			ids = append(ids, id)
			if err := ledger.OpenAccount(context.Background(), tx, communityID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func award(t testing.TB, d *db.DB, c, r string, pts int64) ledger.Result {
	t.Helper()
	var res ledger.Result
	err := d.WithTx(context.Background(), func(tx *db.Tx) (err error) {
		res, err = ledger.AwardPoints(context.Background(), tx, ledger.Award{
			CommunityID: c, ResidentID: r, Points: pts, Indicator: "volunteer_hours", Reason: "riverside clean-up", Actor: worker})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustCheck(t testing.TB, d *db.DB, c string) ledger.Report {
	t.Helper()
	r, err := ledger.Check(context.Background(), d, c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := station.Check(context.Background(), d, c)
	if err != nil {
		t.Fatal(err)
	}
	r.Add(s)
	if !r.OK {
		t.Fatalf("check found problems: %v", r.Problems)
	}
	return r
}

func TestAwardRedeemReverse(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		r := residents(t, d, c, 1)[0]
		a := award(t, d, c, r, 90)
		if a.Balance != 90 {
			t.Fatalf("balance after award = %d, want 90", a.Balance)
		}
		// Spending lowers the balance, never the earned total.
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := ledger.Redeem(ctx, tx, ledger.Spend{CommunityID: c, ResidentID: r, Points: 30, Source: ledger.Source{Kind: "order", ID: "o1"}, Reason: "rice", Actor: worker})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		acct, err := ledger.GetAccount(ctx, d, c, r)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := [2]int64{acct.Balance, acct.Earned}, [2]int64{60, 90}; got != want {
			t.Fatalf("balance, earned = %v, want %v", got, want)
		}
		// Overspending is refused and changes nothing.
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := ledger.Redeem(ctx, tx, ledger.Spend{CommunityID: c, ResidentID: r, Points: 61, Source: ledger.Source{Kind: "order", ID: "o2"}, Reason: "oil", Actor: worker})
			return err
		})
		if civic.ErrorCode(err) != civic.InsufficientPoints {
			t.Fatalf("overspend err = %v, want insufficient_points", err)
		}
		// A reversal of the award would overdraw (30 were spent): refused.
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, _, err := wired(d).Reverse(ctx, tx, c, a.TransferID, "mistake", worker, "")
			return err
		})
		if civic.ErrorCode(err) != civic.InsufficientPoints {
			t.Fatalf("reverse spent award err = %v, want insufficient_points", err)
		}
		b := award(t, d, c, r, 10)
		var rev ledger.Result
		err = d.WithTx(ctx, func(tx *db.Tx) (err error) {
			rev, _, err = wired(d).Reverse(ctx, tx, c, b.TransferID, "wrong resident", worker, "")
			return err
		})
		if err != nil || rev.Balance != 60 {
			t.Fatalf("reverse = %+v, %v; want balance 60", rev, err)
		}
		// At most one reversal per transfer; a reversal cannot be reversed.
		for _, id := range []string{b.TransferID, rev.TransferID} {
			err = d.WithTx(ctx, func(tx *db.Tx) error {
				_, _, err := wired(d).Reverse(ctx, tx, c, id, "again", worker, "")
				return err
			})
			if code := civic.ErrorCode(err); code != civic.Conflict && code != civic.Invalid {
				t.Fatalf("second reversal of %s: err = %v", id, err)
			}
		}
		acct, _ = ledger.GetAccount(ctx, d, c, r)
		if acct.Earned != 90 || acct.Balance != 60 {
			t.Fatalf("after reversal: %+v, want earned 90 balance 60", acct)
		}
		rep := mustCheck(t, d, c)
		if rep.Issued != 90 || rep.Redeemed != 30 || rep.Outstanding != 60 || rep.Transfers != 4 {
			t.Fatalf("report = %+v", rep)
		}
	})
}

func TestBadTransfers(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		r := residents(t, d, c, 1)[0]
		tests := []struct {
			name string
			t    ledger.Transfer
		}{
			{"unbalanced", ledger.Transfer{CommunityID: c, Kind: ledger.KindAdjustment, Reason: "x", Postings: []ledger.Posting{{r, 5}, {ledger.Issuance, -4}}}},
			{"one posting", ledger.Transfer{CommunityID: c, Kind: ledger.KindAdjustment, Reason: "x", Postings: []ledger.Posting{{r, 0}}}},
			{"no reason", ledger.Transfer{CommunityID: c, Kind: ledger.KindAdjustment, Postings: []ledger.Posting{{r, 5}, {ledger.Issuance, -5}}}},
			{"bad kind", ledger.Transfer{CommunityID: c, Kind: "gift", Reason: "x", Postings: []ledger.Posting{{r, 5}, {ledger.Issuance, -5}}}},
			{"unknown account", ledger.Transfer{CommunityID: c, Kind: ledger.KindAdjustment, Reason: "x", Postings: []ledger.Posting{{"nobody", 5}, {ledger.Issuance, -5}}}},
		}
		for _, tt := range tests {
			err := d.WithTx(ctx, func(tx *db.Tx) error { _, err := ledger.Post(ctx, tx, &tt.t); return err })
			if code := civic.ErrorCode(err); code != civic.Invalid && code != civic.NotFound {
				t.Errorf("%s: err = %v, want invalid or not_found", tt.name, err)
			}
		}
		// A closed account (the resident left) takes no awards.
		_ = d.WithTx(ctx, func(tx *db.Tx) error { return ledger.SetAccountActive(ctx, tx, c, r, false) })
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: c, ResidentID: r, Points: 5, Reason: "x", Actor: worker})
			return err
		})
		if e := civic.AsError(err); e == nil || e.Key != "ledger.account_closed" {
			t.Fatalf("award to closed account: %v", err)
		}
		mustCheck(t, d, c)
	})
}

// The database itself refuses to change or delete ledger rows.
func TestAppendOnly(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		r := residents(t, d, c, 1)[0]
		award(t, d, c, r, 5)
		for _, q := range []string{
			"UPDATE ledger_transfers SET reason = 'changed'",
			"DELETE FROM ledger_transfers",
			"UPDATE ledger_postings SET amount = 500 WHERE amount = 5",
			"DELETE FROM ledger_postings",
		} {
			_, err := d.Exec(ctx, q)
			if !db.ErrorIs(err, db.ErrAppendOnly) && civic.ErrorCode(err) != civic.Forbidden {
				t.Errorf("%s: err = %v, want append-only refusal", q, err)
			}
		}
		mustCheck(t, d, c)
	})
}

// 50 parallel awards to one resident through the group committer add up exactly.
func TestParallelAwards(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		r := residents(t, d, c, 1)[0]
		b := db.NewBatcher(d, 4, 64)
		defer b.Close()
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := b.Do(ctx, r, func(tx *db.Tx) error {
					_, err := ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: c, ResidentID: r, Points: int64(i + 1), Reason: "help", Actor: worker})
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		acct, err := ledger.GetAccount(ctx, d, c, r)
		if err != nil || acct.Balance != 50*51/2 || acct.Earned != 50*51/2 {
			t.Fatalf("account = %+v, %v; want %d", acct, err, 50*51/2)
		}
		mustCheck(t, d, c)
	})
}

// 100 residents race for the last bag of rice: one gets it, the others get
// out_of_stock and keep their points.
func TestLastUnit(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		rs := residents(t, d, c, 100)
		err := d.WithTx(ctx, func(tx *db.Tx) (err error) {
			for _, r := range rs {
				if _, err := ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: c, ResidentID: r, Points: 50, Reason: "x", Actor: worker}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		b := db.NewBatcher(d, 4, 64)
		defer b.Close()
		staff := worker
		staff.CommunityID = c
		svc := station.New(d, idem.New(d, b, civic.SystemClock{}), wired(d), civic.SystemClock{}, nil)
		rice, err := svc.CreateGood(ctx, staff, "rice", station.CreateGoodRequest{Community: c, Name: "rice 5kg", Points: 40, Stock: 1})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		codes := make([]civic.Code, len(rs))
		for i, r := range rs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.Redeem(ctx, staff, idem.Key("basket-"+r), station.RedeemRequest{Community: c, Resident: r,
					Items: []station.Item{{GoodID: rice.ID, Quantity: 1}}})
				codes[i] = civic.ErrorCode(err)
			}()
		}
		wg.Wait()
		won := 0
		for i, code := range codes {
			switch code {
			case "":
				won++
			case civic.OutOfStock:
				if a, _ := ledger.GetAccount(ctx, d, c, rs[i]); a.Balance != 50 {
					t.Errorf("loser %s balance = %d, want 50", rs[i], a.Balance)
				}
			default:
				t.Errorf("resident %s: unexpected %s", rs[i], code)
			}
		}
		if won != 1 {
			t.Fatalf("%d residents got the last unit, want 1", won)
		}
		g, _ := station.GetGood(ctx, d, c, rice.ID)
		if g.Stock != 0 {
			t.Fatalf("stock = %d, want 0", g.Stock)
		}
		mustCheck(t, d, c)
	})
}

// wired is the ledger as app.New wires it: reversals undo the station's and
// earning's rows.
func wired(d *db.DB) *ledger.Service {
	lg := ledger.New(d, nil)
	lg.OnReverse(station.SourceOrder, station.UndoRedemption)
	for _, k := range earning.SourceKinds {
		lg.OnReverse(k, earning.UndoAward)
	}
	return lg
}

// A capability left out of the wiring must not be reversed quietly, leaving
// its goods or caps behind.
func TestReverseUnwiredFailsLoudly(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		award := award(t, d, c, residents(t, d, c, 1)[0], 5)
		onlyStation := ledger.New(d, nil)
		onlyStation.OnReverse(station.SourceOrder, station.UndoRedemption)
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, _, err := onlyStation.Reverse(ctx, tx, c, award.TransferID, "mistake", worker, "")
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "OnReverse") {
			t.Fatalf("reversing an award with earning unwired = %v, want a loud wiring error", err)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, _, err := wired(d).Reverse(ctx, tx, c, award.TransferID, "mistake", worker, "")
			return err
		}); err != nil {
			t.Fatalf("wired reversal: %v", err)
		}
	})
}
