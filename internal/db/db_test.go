package db_test

import (
	"context"
	"errors"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		dialect db.Dialect
		wantErr bool
	}{
		{"./x.db", db.SQLite, false},
		{"sqlite:./x.db", db.SQLite, false},
		{"postgres://u@h/db", db.Postgres, false},
		{"postgresql://u@h/db", db.Postgres, false},
		{"mysql://u@h/db", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := db.Parse(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got.Dialect != tt.dialect {
			t.Errorf("Parse(%q) dialect = %q, want %q", tt.in, got.Dialect, tt.dialect)
		}
	}
}

func TestRewrite(t *testing.T) {
	got := db.RewriteForSQLite(`SELECT $2, '$1', "a$1", $10 FROM t WHERE x = $1`)
	want := `SELECT ?2, '$1', "a$1", ?10 FROM t WHERE x = ?1`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// A query that names $2 before $1 must bind by number on both engines.
func TestOutOfOrderParameters(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		var a, b string
		err := d.QueryRow(context.Background(), "SELECT CAST($2 AS TEXT), CAST($1 AS TEXT)", "first", "second").Scan(&a, &b)
		if err != nil {
			t.Fatal(err)
		}
		if a != "second" || b != "first" {
			t.Errorf("got (%s, %s), want (second, first)", a, b)
		}
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.RequireCurrent(ctx); err != nil {
			t.Fatalf("after migrate: %v", err)
		}
		again, err := d.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second migrate applied %d, err %v", len(again), err)
		}
	})
}

func TestPendingRefused(t *testing.T) {
	d, err := db.Open(context.Background(), dbtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.RequireCurrent(context.Background())
	if civic.ErrorCode(err) != civic.Unavailable {
		t.Fatalf("RequireCurrent on empty db = %v, want unavailable", err)
	}
}

func TestUnknownScheme(t *testing.T) {
	_, err := db.Open(context.Background(), "mysql://x")
	if civic.ErrorCode(err) != civic.Invalid {
		t.Fatalf("got %v, want invalid", err)
	}
}

func TestWithTxRollsBack(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := civic.Errorf(civic.Invalid, "x", "boom")
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO communities (id, slug, name, created_at) VALUES ($1, $2, $3, 0)", "c1", "c1", "c1"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("err = %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM communities").Scan(&n); err != nil || n != 0 {
			t.Fatalf("count = %d, err %v; want 0", n, err)
		}
	})
}

// A serialization failure (SQLSTATE 40001) makes WithTx run the function
// again; another error does not.
func TestWithTxRetriesSerializationFailures(t *testing.T) {
	d := dbtest.SQLite(t)
	calls := 0
	err := d.WithTx(context.Background(), func(tx *db.Tx) error {
		calls++
		if calls < 3 {
			return &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls, want nil after 3", err, calls)
	}
	calls = 0
	boom := errors.New("boom")
	err = d.WithTx(context.Background(), func(tx *db.Tx) error { calls++; return boom })
	if err != boom || calls != 1 {
		t.Fatalf("err %v after %d calls, want boom after 1", err, calls)
	}
}
