// Package dbtest gives tests a fresh, migrated database on every engine:
// SQLite always, PostgreSQL when CIVICPOINTS_TEST_PG holds a DSN. With CI=true
// and no DSN the PostgreSQL run fails instead of skipping.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Engines runs fn once per engine, each as a subtest with its own database.
func Engines(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a migrated database in a temporary folder.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "test.db"))
}

// SQLiteDSN and PostgresDSN return connection strings for a fresh, empty
// database, for tests that start the real binary.
func SQLiteDSN(t testing.TB) string { return filepath.Join(t.TempDir(), "test.db") }

// Postgres opens a migrated database in a fresh schema that is dropped when
// the test ends.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	return open(t, PostgresDSN(t))
}

// PostgresDSN creates an empty schema and returns a DSN whose search_path
// points at it. The schema is dropped at cleanup.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("CIVICPOINTS_TEST_PG")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but CIVICPOINTS_TEST_PG is empty: PostgreSQL tests must run in CI")
		}
		t.Skip("PostgreSQL tests skipped: set CIVICPOINTS_TEST_PG to a DSN to run them")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "t_" + strings.ToLower(civic.NewID())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer a.Close()
		if _, err := a.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return d
}

// Fataler is the part of testing.TB that fixtures need; *rapid.T has it too.
type Fataler interface {
	Helper()
	Fatal(args ...any)
}

// Community inserts a community and returns its id.
func Community(t Fataler, d *db.DB, slug string) string {
	t.Helper()
	id := civic.NewID()
	_, err := d.Exec(context.Background(),
		"INSERT INTO communities (id, slug, name, district, points_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		id, slug, fmt.Sprintf("%s community", slug), "test district", "points", 0)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
