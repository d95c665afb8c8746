package db

import (
	"context"
	"database/sql"
	"net/url"
)

// ScratchSchema creates an empty PostgreSQL schema and returns a DSN whose
// search_path points at it, and a function that drops it.
func ScratchSchema(ctx context.Context, dsn, schema string) (string, func(), error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() {
		if a, err := sql.Open("pgx", dsn); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	}
	return u.String(), drop, nil
}
