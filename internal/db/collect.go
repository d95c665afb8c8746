package db

import "database/sql"

// Scanner is what a result row offers; *sql.Row and *sql.Rows both have it,
// so one scan function serves a single row and a list.
type Scanner = interface{ Scan(dest ...any) error }

// Collect reads every row of a query with scan, then closes the rows. Pass it
// a query's two results: rows, err := q.Query(…); return db.Collect(rows, err, scanX).
func Collect[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ScanString scans a one-column row of text, for Collect.
func ScanString(r Scanner) (s string, err error) {
	err = r.Scan(&s)
	return s, err
}
