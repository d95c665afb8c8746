package db

import "database/sql"

// Row is the result of QueryRow: a database/sql row, or a row a pipelined
// batch (pipe.go) will have read by the time Scan returns. Like *sql.Row,
// Scan reports sql.ErrNoRows when the query found nothing.
type Row struct {
	row *sql.Row
	op  *pipeOp
	err error
}

// Scan copies the row's columns into dest.
func (r *Row) Scan(dest ...any) error {
	switch {
	case r.err != nil:
		return r.err
	case r.op != nil:
		return r.op.p.scan(r.op, dest)
	}
	return r.row.Scan(dest...)
}

// Err reports an error of running the query, without scanning.
func (r *Row) Err() error {
	switch {
	case r.err != nil:
		return r.err
	case r.op != nil:
		return r.op.p.wait(r.op)
	}
	return r.row.Err()
}
