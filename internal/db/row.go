package db

import (
	"context"
	"database/sql"
)

// Row is the result of QueryRow: a database/sql row, or a row a pipelined
// batch (pipe.go) will have read by the time Scan returns. Like *sql.Row,
// Scan reports sql.ErrNoRows when the query found nothing.
type Row struct {
	row  *sql.Row
	op   *pipeOp
	read *lazyRead
	err  error
}

// lazyRead is a lookup for the batched reader (reads.go), sent once Scan
// names where its row goes.
type lazyRead struct {
	db   *DB
	ctx  context.Context
	q    string
	args []any
}

func (l *lazyRead) usual() *sql.Row { return l.db.R.QueryRowContext(l.ctx, l.q, l.args...) }

// Scan copies the row's columns into dest.
func (r *Row) Scan(dest ...any) error {
	switch {
	case r.err != nil:
		return r.err
	case r.op != nil:
		return r.op.p.scan(r.op, dest)
	case r.read != nil:
		if err, ok := r.read.db.reads.scan(r.read.q, r.read.args, dest); ok {
			return err
		}
		return r.read.usual().Scan(dest...)
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
	case r.read != nil:
		return r.read.usual().Err()
	}
	return r.row.Err()
}
