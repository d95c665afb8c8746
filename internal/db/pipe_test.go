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

// pipelining returns a batcher whose every shard interleaves, so that on
// PostgreSQL each batch runs pipelined (pipe.go).
func pipelining(d *db.DB, writers int) *db.Batcher {
	b := db.NewBatcher(d, writers, 64)
	b.SetInterleave(func(string) bool { return true })
	return b
}

// concurrently runs n jobs at once through b, job i on shard shard(i), and
// returns each one's error.
func concurrently(b *db.Batcher, n int, shard func(int) string, fn func(i int, tx *db.Tx) error) []error {
	ctx := context.Background()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.Do(ctx, shard(i), func(tx *db.Tx) error { return fn(i, tx) })
		}()
	}
	wg.Wait()
	return errs
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Requests of one shard run in order, each seeing the ones before it; rows,
// counts of rows and "no rows" read back as database/sql reads them.
func TestPipelinedResults(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b := pipelining(d, 2)
		defer b.Close()
		const shards, per = 8, 6
		got := make([]int, shards*per)
		errs := concurrently(b, shards*per, func(i int) string { return fmt.Sprint("s", i%shards) }, func(i int, tx *db.Tx) error {
			slug := fmt.Sprintf("c%d", i)
			res, err := tx.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $1, $2, 0)", slug, "")
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("rows affected = %d, %v", n, err)
			}
			var name sql.NullString
			var created int64
			row := tx.QueryRow(ctx, "SELECT name, created_at FROM communities WHERE id = $1", slug)
			if err := row.Err(); err != nil { // read before Scan names its targets
				return err
			}
			if err := row.Scan(&name, &created); err != nil || !name.Valid || name.String != "" || created != 0 {
				return fmt.Errorf("read back %v %d: %v", name, created, err)
			}
			if err := tx.QueryRow(ctx, "SELECT id FROM communities WHERE id = $1", "none").Scan(&slug); !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("missing row: %v, want sql.ErrNoRows", err)
			}
			// The shard's earlier requests are already in; another shard's may be.
			return tx.QueryRow(ctx, "SELECT COUNT(*) FROM communities WHERE slug LIKE 'c%' AND created_at = 0 AND CAST(SUBSTR(slug, 2) AS INTEGER) % $1 = $2",
				shards, i%shards).Scan(&got[i])
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("job %d: %v", i, err)
			}
		}
		if n := count(t, d, "SELECT COUNT(*) FROM communities"); n != shards*per {
			t.Fatalf("communities = %d, want %d", n, shards*per)
		}
		// Jobs of one shard ran in the order they were queued within a batch,
		// so the counts each saw within its shard are distinct.
		for s := range shards {
			seen := map[int]bool{}
			for i := s; i < len(got); i += shards {
				if seen[got[i]] || got[i] < 1 {
					t.Errorf("shard %d: count %d seen twice or never", s, got[i])
				}
				seen[got[i]] = true
			}
		}
	})
}

// A statement the server refuses, or a request that fails, leaves the others
// of its batch committed (the batch runs again one savepoint each) and none
// of its own writes.
func TestPipelinedIsolatesFailures(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b := pipelining(d, 1)
		defer b.Close()
		boom := errors.New("boom")
		const n = 60
		errs := concurrently(b, n, func(i int) string { return fmt.Sprint("s", i) }, func(i int, tx *db.Tx) error {
			slug := fmt.Sprintf("c%d", i)
			if _, err := tx.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $1, '', 0)", slug); err != nil {
				return err
			}
			switch i % 5 {
			case 1:
				return boom
			case 2: // a duplicate key, seen only at the flush in a pipeline
				_, err := tx.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $1, '', 0)", slug)
				return err
			}
			return nil
		})
		want := 0
		for i, err := range errs {
			switch i % 5 {
			case 1:
				if err != boom {
					t.Errorf("job %d: err = %v, want boom", i, err)
				}
			case 2:
				if !db.ErrorIs(err, db.ErrUnique) {
					t.Errorf("job %d: err = %v, want a unique violation", i, err)
				}
			default:
				want++
				if err != nil {
					t.Errorf("job %d: %v", i, err)
				}
			}
		}
		if got := count(t, d, "SELECT COUNT(*) FROM communities"); got != want {
			t.Fatalf("communities = %d, want %d", got, want)
		}
	})
}

// A request using what a pipeline cannot interleave (a savepoint, a
// multi-row query) runs the classic way, with the same outcome.
func TestPipelinedFallsBack(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b := pipelining(d, 1)
		defer b.Close()
		const n = 30
		errs := concurrently(b, n, func(i int) string { return fmt.Sprint("s", i) }, func(i int, tx *db.Tx) error {
			slug := fmt.Sprintf("c%d", i)
			if _, err := tx.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $1, '', 0)", slug); err != nil {
				return err
			}
			switch i % 3 {
			case 1:
				return tx.Savepoint(ctx, func() error {
					_, err := tx.Exec(ctx, "UPDATE communities SET name = 'sp' WHERE id = $1", slug)
					return err
				})
			case 2:
				rows, err := tx.Query(ctx, "SELECT id FROM communities WHERE id = $1", slug)
				ids, err := db.Collect(rows, err, db.ScanString)
				if err == nil && len(ids) != 1 {
					err = fmt.Errorf("query saw %v", ids)
				}
				return err
			}
			return nil
		})
		for i, err := range errs {
			if err != nil {
				t.Errorf("job %d: %v", i, err)
			}
		}
		if got := count(t, d, "SELECT COUNT(*) FROM communities"); got != n {
			t.Fatalf("communities = %d, want %d", got, n)
		}
		if got := count(t, d, "SELECT COUNT(*) FROM communities WHERE name = 'sp'"); got != n/3 {
			t.Fatalf("savepoint writes = %d, want %d", got, n/3)
		}
	})
}

// Most batches of interleaving shards run pipelined on PostgreSQL, and
// commit several requests each.
func TestPipelinedGroupsCommits(t *testing.T) {
	d := dbtest.Postgres(t)
	ctx := context.Background()
	b := pipelining(d, 1)
	defer b.Close()
	errs := concurrently(b, 200, func(i int) string { return fmt.Sprint("s", i) }, func(i int, tx *db.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $1, '', 0)", fmt.Sprint("c", i))
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("job %d: %v", i, err)
		}
	}
	commits, jobs := b.Stats()
	if jobs != 200 || b.Pipelined() != commits || commits >= 200 {
		t.Fatalf("commits %d, jobs %d, pipelined %d: want 200 jobs in fewer, all pipelined, commits", commits, jobs, b.Pipelined())
	}
}
