package ledger_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

// Post refuses a posting beyond civic.MaxPoints, whoever builds the
// transfer: legs of 2⁶³−1 would otherwise sum to zero by wrapping round and
// hand a resident points from nowhere. A reversal's reason is capped in runes.
func TestPostingBounds(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		r := residents(t, d, c, 1)[0]
		res := award(t, d, c, r, 10)
		refused := []struct {
			name, key string
			fn        func(tx *db.Tx) error
		}{
			{"legs that wrap to zero", "ledger.posting_too_large", func(tx *db.Tx) error {
				_, err := ledger.Post(ctx, tx, &ledger.Transfer{CommunityID: c, Kind: ledger.KindAdjustment, Reason: "wrap",
					Postings: []ledger.Posting{{AccountID: r, Amount: 2}, {AccountID: ledger.Issuance, Amount: math.MaxInt64}, {AccountID: ledger.Station, Amount: math.MaxInt64}}})
				return err
			}},
			{"one leg past the bound", "ledger.posting_too_large", func(tx *db.Tx) error {
				_, err := ledger.Post(ctx, tx, &ledger.Transfer{CommunityID: c, Kind: ledger.KindAdjustment, Reason: "typo",
					Postings: []ledger.Posting{{AccountID: r, Amount: civic.MaxPoints + 1}, {AccountID: ledger.Issuance, Amount: -civic.MaxPoints - 1}}})
				return err
			}},
			{"reversal reason", "ledger.reason_long", func(tx *db.Tx) error {
				_, _, err := wired(d).Reverse(ctx, tx, c, res.TransferID, strings.Repeat("错", civic.MaxReason+1), worker, "k")
				return err
			}},
		}
		for _, x := range refused {
			err := d.WithTx(ctx, x.fn)
			if e := civic.AsError(err); e == nil || e.Code != civic.Invalid || e.Key != x.key {
				t.Errorf("%s: %v, want invalid %s", x.name, err, x.key)
			}
		}
		a, err := ledger.GetAccount(ctx, d, c, r)
		if err != nil || a.Balance != 10 {
			t.Errorf("balance = %d, %v after refused transfers, want 10", a.Balance, err)
		}
		// At the bound the award and a reason of MaxReason Chinese characters pass.
		award(t, d, c, r, civic.MaxPoints)
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, _, err := wired(d).Reverse(ctx, tx, c, res.TransferID, strings.Repeat("错", civic.MaxReason), worker, "k2")
			return err
		})
		if err != nil {
			t.Errorf("reversal with a reason of %d characters: %v", civic.MaxReason, err)
		}
		mustCheck(t, d, c)
	})
}
