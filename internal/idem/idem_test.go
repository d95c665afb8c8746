package idem_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

func TestParseKey(t *testing.T) {
	t.Parallel()
	// The rule pages and API share (see also ledger.TestValidKey and the
	// key cases of internal/web and internal/api).
	cases := []struct {
		key  string
		want civic.Code // "" = accepted
	}{
		{"", civic.Invalid},
		{"a", ""},
		{"0123456789abcdef-_.~!", ""},
		{"~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", ""},
		{strings.Repeat("k", 128), ""},
		{strings.Repeat("k", 129), civic.Invalid},
		{strings.Repeat("é", 65), civic.Invalid}, // 130 bytes
		{"with space", ""},
		{"order 42", ""},
		{" ", civic.Invalid},
		{"    ", civic.Invalid},
		{" lead", civic.Invalid},
		{"trail ", civic.Invalid},
		{"tab\tkey", civic.Invalid},
		{"a\r\nb", civic.Invalid},
		{"nul\x00key", civic.Invalid},
		{"新钥匙", civic.Invalid},
		{"caf\xe9", civic.Invalid},
		{"del\x7f", civic.Invalid},
	}
	for _, c := range cases {
		_, err := idem.ParseKey(c.key)
		if got := codeOf(err); got != c.want {
			t.Errorf("ParseKey(%q) = %v, want code %q", c.key, err, c.want)
		}
	}
}

func codeOf(err error) civic.Code {
	if err == nil {
		return ""
	}
	return civic.ErrorCode(err)
}

type addReq struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

type addAnswer struct {
	ID    string    `json:"id"`
	Total int       `json:"total"`
	At    time.Time `json:"at"`
}

// add is a command over a scratch table: it counts its own effects.
func add(ctx context.Context, s *idem.Store, key idem.Key, r addReq, batch bool) (addAnswer, error) {
	return idem.Run(ctx, s, idem.Op{Community: "c1", Key: key, Command: "test.add", Shard: idem.Community("c1"), Request: r, Batch: batch},
		func(tx *db.Tx) (addAnswer, error) {
			if r.N < 0 {
				return addAnswer{}, civic.Errorf(civic.Invalid, "test.negative", "negative")
			}
			if _, err := tx.Exec(ctx, "INSERT INTO idem_scratch (name, n) VALUES ($1, $2)", r.Name, r.N); err != nil {
				return addAnswer{}, err
			}
			var total int
			if err := tx.QueryRow(ctx, "SELECT COALESCE(SUM(n), 0) FROM idem_scratch").Scan(&total); err != nil {
				return addAnswer{}, err
			}
			return addAnswer{ID: civic.NewID(), Total: total, At: s.Clock.Now()}, nil
		})
}

func setup(t *testing.T, d *db.DB) *idem.Store {
	t.Helper()
	if _, err := d.Exec(context.Background(), "CREATE TABLE idem_scratch (name TEXT NOT NULL, n BIGINT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	b := db.NewBatcher(d, 4, 16)
	t.Cleanup(b.Close)
	return idem.New(d, b, civic.NewFixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)))
}

func rows(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM idem_scratch").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunOnce(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s := setup(t, d)
		for _, batch := range []bool{false, true} {
			key := idem.Key("k-" + map[bool]string{false: "tx", true: "batch"}[batch])
			first, err := add(ctx, s, key, addReq{"a", 5}, batch)
			if err != nil {
				t.Fatal(err)
			}
			rctx, replayed := idem.WithReplayFlag(ctx)
			again, err := add(rctx, s, key, addReq{"a", 5}, batch)
			if err != nil {
				t.Fatal(err)
			}
			if again != first || !*replayed {
				t.Errorf("batch=%v: replay = %+v (replayed %v), want the first answer %+v", batch, again, *replayed, first)
			}
			_, err = add(ctx, s, key, addReq{"a", 6}, batch)
			if got := codeOf(err); got != civic.IdempotencyConflict {
				t.Errorf("batch=%v: another request under the key: %v, want idempotency_conflict", batch, err)
			}
		}
		if got := rows(t, d); got != 2 {
			t.Errorf("effects = %d, want 2 (one per key)", got)
		}
		if !strings.Contains(first(t, d), "2026-12-01T08:00:00Z") {
			t.Errorf("stored answer does not carry the injected clock's time")
		}
	})
}

func first(t *testing.T, d *db.DB) string {
	var a string
	var at int64
	if err := d.QueryRow(context.Background(), "SELECT answer, created_at FROM idem_keys WHERE key = 'k-tx'").Scan(&a, &at); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC).UnixMilli(); at != want {
		t.Errorf("created_at = %d, want the clock's %d", at, want)
	}
	return a
}

func TestRunFailureStoresNothing(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s := setup(t, d)
		if _, err := add(ctx, s, "k", addReq{"a", -1}, true); codeOf(err) != civic.Invalid {
			t.Fatalf("refused command: %v, want invalid", err)
		}
		// A failed request can be retried with its key once corrected.
		if _, err := add(ctx, s, "k", addReq{"a", 1}, true); err != nil {
			t.Fatalf("retry after a refusal: %v", err)
		}
		if got := rows(t, d); got != 1 {
			t.Errorf("effects = %d, want 1", got)
		}
	})
}

func TestRunConcurrentTwins(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s := setup(t, d)
		for _, batch := range []bool{false, true} {
			key := idem.Key(map[bool]string{false: "twin-tx", true: "twin-batch"}[batch])
			var wg sync.WaitGroup
			var ids sync.Map
			var fails atomic.Int32
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					a, err := add(ctx, s, key, addReq{"twin", 1}, batch)
					if err != nil {
						fails.Add(1)
						t.Errorf("twin: %v", err)
						return
					}
					ids.Store(a.ID, true)
				}()
			}
			wg.Wait()
			n := 0
			ids.Range(func(any, any) bool { n++; return true })
			if n != 1 || fails.Load() != 0 {
				t.Errorf("batch=%v: %d distinct answers, %d failures; want one answer for all", batch, n, fails.Load())
			}
		}
		if got := rows(t, d); got != 2 {
			t.Errorf("effects = %d, want 2", got)
		}
	})
}

func TestRunCheck(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s := setup(t, d)
		refuse := errors.New("checked")
		calls := 0
		op := idem.Op{Community: "c1", Key: "chk", Command: "test.check", Request: 1,
			Check: func(context.Context) error { calls++; return nil }}
		do := func(tx *db.Tx) (int, error) { return 7, nil }
		if v, err := idem.Run(ctx, s, op, do); err != nil || v != 7 {
			t.Fatalf("Run = %v, %v", v, err)
		}
		op.Check = func(context.Context) error { calls++; return refuse }
		if v, err := idem.Run(ctx, s, op, do); err != nil || v != 7 {
			t.Fatalf("a replay skips the check: %v, %v", v, err)
		}
		if calls != 1 {
			t.Errorf("check ran %d times, want once", calls)
		}
	})
}
