package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
)

// Migrations are numbered files NNNN_name.sql, one set per engine. Numbers are
// reserved by capability so parallel work never collides:
// 0001–0099 core and auth, 0100 ledger, 0200 registry, 0300 earning,
// 0400 station, 0500 credit, 0600 notice, 0700 merchant.
//
//go:embed migrations
var migrationFS embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists this engine's migrations in order.
func (db *DB) Migrations() ([]Migration, error) {
	dir := path.Join("migrations", string(db.Dialect))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("two migrations numbered %d", out[i].Version)
		}
	}
	return out, nil
}

// Pending lists migrations not yet applied.
func (db *DB) Pending(ctx context.Context) ([]Migration, error) {
	all, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	rows, err := db.W.QueryContext(ctx, "SELECT version FROM schema_migrations")
	versions, err := Collect(rows, err, func(r Scanner) (v int, err error) { err = r.Scan(&v); return v, err })
	if err != nil {
		return nil, err
	}
	applied := map[int]bool{}
	for _, v := range versions {
		applied[v] = true
	}
	var pending []Migration
	for _, m := range all {
		if !applied[m.Version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns what it applied.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	pending, err := db.Pending(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range pending {
		err := db.WithTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.Version, m.Name, Millis(db.Now()))
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return pending, nil
}

// RequireCurrent fails with one clear line when migrations are pending.
func (db *DB) RequireCurrent(ctx context.Context) error {
	pending, err := db.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return civic.Errorf(civic.Unavailable, "db.pending",
			"database %s has %d pending migration(s); run: civicpoints migrate --db %s (or serve with --migrate)",
			db.Source, len(pending), db.Source)
	}
	return nil
}
