package registry

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"civicpoints/internal/db"
)

// batchParams is how many parameters one statement binds: a few hundred
// rows of the widest table, well inside SQLite's (32,766) and PostgreSQL's
// (65,535) limits.
const batchParams = 10000

// batch collects rows for one table and inserts them many to a statement,
// which makes bulk imports an order of magnitude faster than row by row.
//
// On SQLite the rows go first to a TEMP table without constraints and reach
// the real table in one INSERT … SELECT at finish. A multi-row INSERT into
// a table with constraints makes SQLite copy every page it touches to a
// statement journal, so that the statement alone can be undone; with hashed
// (random) index keys that is nearly every page again for each statement.
// One INSERT … SELECT journals only the pages that existed before it.
// Constraints are still checked, by that statement, in the same transaction.
type batch struct {
	tx     *db.Tx
	table  string // the real table
	into   string // where rows go now: the table, or its TEMP stage on SQLite
	cols   string // a, b, c
	ncols  int
	size   int // rows per statement
	sqlite bool
	full   *sql.Stmt // the prepared statement for a full batch (SQLite)
	args   []any
	n      int
	// after is a batch whose rows this one's reference: it is flushed
	// first (PostgreSQL checks foreign keys per statement).
	after *batch
}

func newBatch(ctx context.Context, tx *db.Tx, table, cols string) (*batch, error) {
	ncols := len(strings.Split(cols, ","))
	b := &batch{tx: tx, table: table, into: table, cols: cols, ncols: ncols, size: max(1, batchParams/ncols), sqlite: tx.Dialect() == db.SQLite}
	if b.sqlite {
		b.into = "temp.import_" + table
		// WHERE 0 copies the columns and none of the constraints.
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+b.into); err != nil {
			return nil, err
		}
		if _, err := tx.Exec(ctx, "CREATE TEMP TABLE import_"+table+" AS SELECT "+cols+" FROM "+table+" WHERE 0"); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *batch) add(ctx context.Context, vals ...any) error {
	if len(vals) != b.ncols {
		return fmt.Errorf("batch %s: %d values for %d columns", b.table, len(vals), b.ncols)
	}
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.size {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) statement(rows int) string {
	var q strings.Builder
	q.WriteString("INSERT INTO " + b.into + " (" + b.cols + ") VALUES ")
	p := 1
	for i := 0; i < rows; i++ {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for c := 0; c < b.ncols; c++ {
			if c > 0 {
				q.WriteString(", ")
			}
			// SQLite looks ?NNN names up by a linear search when binding,
			// which makes thousands of numbered parameters quadratic: plain
			// ? binds in order and is what a generated list needs.
			if b.sqlite {
				q.WriteByte('?')
			} else {
				fmt.Fprintf(&q, "$%d", p)
			}
			p++
		}
		q.WriteByte(')')
	}
	return q.String()
}

func (b *batch) flush(ctx context.Context) (err error) {
	if b.n == 0 {
		return nil
	}
	if b.after != nil {
		if err := b.after.flush(ctx); err != nil {
			return err
		}
	}
	defer func() { b.args, b.n = b.args[:0], 0 }()
	if !b.sqlite || b.n < b.size {
		_, err = b.tx.Exec(ctx, b.statement(b.n), b.args...)
		return err
	}
	// Parsing a statement of thousands of parameters costs about as much
	// as running it: prepare the full-size one once per import.
	if b.full == nil {
		if b.full, err = b.tx.Prepare(ctx, b.statement(b.size)); err != nil {
			return err
		}
	}
	_, err = b.full.ExecContext(ctx, b.args...)
	return err
}

// finish writes what is left and, on SQLite, moves the staged rows into the
// real table.
func (b *batch) finish(ctx context.Context) error {
	if err := b.flush(ctx); err != nil {
		return err
	}
	if b.full != nil {
		b.full.Close()
		b.full = nil
	}
	if !b.sqlite {
		return nil
	}
	if _, err := b.tx.Exec(ctx, "INSERT INTO "+b.table+" ("+b.cols+") SELECT "+b.cols+" FROM "+b.into); err != nil {
		return err
	}
	_, err := b.tx.Exec(ctx, "DROP TABLE "+b.into)
	return err
}

// close releases the prepared statement when an import stops early.
func (b *batch) close() {
	if b.full != nil {
		b.full.Close()
		b.full = nil
	}
}
