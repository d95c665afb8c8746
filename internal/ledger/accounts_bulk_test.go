package ledger_test

import (
	"context"
	"fmt"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

func TestOpenAccounts(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		c := dbtest.Community(t, d, "bulk")
		// One resident exists with points: opening again must not touch them.
		old := residents(t, d, c, 1)[0]
		award(t, d, c, old, 30)
		ids := []string{old}
		for i := range 1203 { // more than two statements' worth
			ids = append(ids, fmt.Sprintf("b%04d", i))
		}
		for range 2 { // opening twice changes nothing
			if err := d.WithTx(ctx, func(tx *db.Tx) error { return ledger.OpenAccounts(ctx, tx, c, ids) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return ledger.OpenAccounts(ctx, tx, c, nil) }); err != nil {
			t.Fatalf("no residents: %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM ledger_accounts WHERE community_id = $1 AND active = 1 AND balance = 0", c).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if got, want := n, len(ids)-1; got != want {
			t.Errorf("new open accounts: got %d, want %d", got, want)
		}
		for _, id := range []string{old, ids[1], ids[len(ids)-1]} {
			a, err := ledger.GetAccount(ctx, d, c, id)
			if err != nil || !a.Active {
				t.Fatalf("account %s: %+v %v", id, a, err)
			}
			if want := int64(0); id == old {
				want = 30
				if a.Balance != want || a.Earned != want {
					t.Errorf("existing account changed: %+v", a)
				}
			} else if a.Balance != want {
				t.Errorf("account %s balance %d", id, a.Balance)
			}
		}
		mustCheck(t, d, c)
	})
}
