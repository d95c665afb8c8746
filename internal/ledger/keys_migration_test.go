package ledger_test

import (
	"context"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

// Keys answered before idempotency moved to internal/idem are carried over,
// so a retry across the upgrade is refused instead of taking effect twice.
func TestLegacyKeysCarriedToIdem(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var m102 string
		all, err := d.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			if m.Version == 102 {
				m102 = m.SQL
			}
		}
		if m102 == "" {
			t.Fatal("no migration 0102")
		}
		// The table as 0100 made it, holding an API key and a page's key.
		_, err = d.W.ExecContext(ctx, `CREATE TABLE ledger_idempotency (community_id TEXT NOT NULL, key TEXT NOT NULL,
			request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL, created_at BIGINT NOT NULL,
			PRIMARY KEY (community_id, key))`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, d.Q(`INSERT INTO ledger_idempotency VALUES ('c1', 'api-7', 'h', 201, '{}', 1), ('c1', 'web:f00d', 'h', 200, '{}', 2)`)); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, m102); err != nil {
			t.Fatalf("migration 0102: %v", err)
		}
		store := idem.New(d, nil, civic.SystemClock{})
		for _, key := range []idem.Key{"api-7", "f00d"} {
			ran := false
			_, err := idem.Run(ctx, store, idem.Op{Community: "c1", Key: key, Command: "station.redeem", Request: 1},
				func(*db.Tx) (int, error) { ran = true; return 1, nil })
			if civic.ErrorCode(err) != civic.IdempotencyConflict || ran {
				t.Errorf("retry of %q after the upgrade: %v (ran %v), want idempotency_conflict and nothing run", key, err, ran)
			}
		}
	})
}
