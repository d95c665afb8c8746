package registry

import (
	"context"
	"fmt"
	"strings"

	"civicpoints/internal/db"
)

// batch collects rows for one table and inserts them many to a statement,
// which makes bulk imports an order of magnitude faster than row by row.
type batch struct {
	tx   *db.Tx
	head string // INSERT INTO t (a, b, c)
	cols int
	size int
	args []any
	n    int
	// written collects column 1 (the id) of every row flushed, for rows
	// that others must follow up (points accounts).
	written []string
}

func newBatch(tx *db.Tx, head string, cols int) *batch {
	// Stay well inside SQLite's and PostgreSQL's parameter limits.
	return &batch{tx: tx, head: head, cols: cols, size: max(1, 2000/cols)}
}

func (b *batch) add(ctx context.Context, vals ...any) error {
	if len(vals) != b.cols {
		return fmt.Errorf("batch %s: %d values for %d columns", b.head, len(vals), b.cols)
	}
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.size {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(b.head)
	q.WriteString(" VALUES ")
	p := 1
	for i := 0; i < b.n; i++ {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for c := 0; c < b.cols; c++ {
			if c > 0 {
				q.WriteString(", ")
			}
			// SQLite resolves ?NNN names by a linear search, which makes
			// thousands of numbered parameters quadratic: plain ? binds
			// in order and is what a generated list needs.
			if b.tx.Dialect() == db.SQLite {
				q.WriteByte('?')
			} else {
				fmt.Fprintf(&q, "$%d", p)
			}
			p++
		}
		q.WriteByte(')')
	}
	_, err := b.tx.Exec(ctx, q.String(), b.args...)
	if err == nil && b.cols > 1 {
		for i := 0; i < b.n; i++ {
			if id, ok := b.args[i*b.cols+1].(string); ok {
				b.written = append(b.written, id)
			}
		}
	}
	b.args, b.n = b.args[:0], 0
	return err
}
