package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// Lookups under WithBatchedReads, many at once, read what database/sql
// reads: the row, sql.ErrNoRows, a statement's own error (without failing
// the lookups sent with it), and values only database/sql converts (an
// integer into a bool).
func TestBatchedReads(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := db.WithBatchedReads(context.Background())
		for i := range 20 {
			if _, err := d.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $1, $2, $3)", fmt.Sprint("c", i), fmt.Sprint("n", i), i%2); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 400)
		for k := range 400 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				i := k % 20
				switch k % 4 {
				case 0:
					var name string
					if err := d.QueryRow(ctx, "SELECT name FROM communities WHERE id = $1", fmt.Sprint("c", i)).Scan(&name); err != nil || name != fmt.Sprint("n", i) {
						errs <- fmt.Errorf("lookup %d: %q, %v", i, name, err)
					}
				case 1:
					var name string
					if err := d.QueryRow(ctx, "SELECT name FROM communities WHERE id = $1", "none").Scan(&name); !errors.Is(err, sql.ErrNoRows) {
						errs <- fmt.Errorf("missing: %v, want sql.ErrNoRows", err)
					}
				case 2:
					var n int64
					if err := d.QueryRow(ctx, "SELECT 1 / (created_at - created_at) FROM communities WHERE id = $1", fmt.Sprint("c", i)).Scan(&n); err == nil && d.Dialect == db.Postgres {
						errs <- fmt.Errorf("division by zero answered %d", n)
					}
				case 3:
					var odd bool
					if err := d.QueryRow(ctx, "SELECT created_at FROM communities WHERE id = $1", fmt.Sprint("c", i)).Scan(&odd); err != nil || odd != (i%2 == 1) {
						errs <- fmt.Errorf("bool %d: %v, %v", i, odd, err)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
