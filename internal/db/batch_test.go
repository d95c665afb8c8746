package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// One failing request in a batch leaves the others committed, and nothing of
// its own.
func TestBatcherIsolatesFailures(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b := db.NewBatcher(d, 2, 64)
		defer b.Close()
		boom := errors.New("boom")
		var wg sync.WaitGroup
		errs := make([]error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = b.Do(ctx, "x", func(tx *db.Tx) error {
					slug := "c" + string(rune('A'+i))
					if _, err := tx.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $1, $2, 0)", slug, "n"); err != nil {
						return err
					}
					if i%3 == 0 {
						return boom
					}
					return nil
				})
			}()
		}
		wg.Wait()
		want := 0
		for i, err := range errs {
			if i%3 == 0 {
				if err != boom {
					t.Errorf("job %d: err = %v, want boom", i, err)
				}
				continue
			}
			want++
			if err != nil {
				t.Errorf("job %d: %v", i, err)
			}
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM communities").Scan(&n); err != nil || n != want {
			t.Fatalf("rows = %d (%v), want %d", n, err, want)
		}
	})
}
