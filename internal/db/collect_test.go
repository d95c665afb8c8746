package db_test

import (
	"context"
	"errors"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func TestCollect(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dbtest.Community(t, d, "a")
		dbtest.Community(t, d, "b")
		slug := func(r db.Scanner) (s string, err error) { return s, r.Scan(&s) }
		rows, err := d.Query(ctx, "SELECT slug FROM communities ORDER BY slug")
		got, err := db.Collect(rows, err, slug)
		if err != nil || len(got) != 2 || got[0] != "a" || got[1] != "b" {
			t.Fatalf("got %v, %v; want [a b]", got, err)
		}
		boom := errors.New("boom")
		if _, err := db.Collect(nil, boom, slug); err != boom {
			t.Fatalf("a failed query: %v, want boom", err)
		}
		rows, err = d.Query(ctx, "SELECT slug FROM communities")
		bad := func(r db.Scanner) (string, error) { return "", boom }
		if _, err := db.Collect(rows, err, bad); err != boom {
			t.Fatalf("a failed scan: %v, want boom", err)
		}
	})
}
