package db

import (
	"context"
	"database/sql"
)

// Prepare prepares a query (in $N form) on the transaction's own connection,
// for a statement that a bulk write runs many times in one transaction. The
// statement cache cannot help there: on SQLite it learns a query only after
// the transaction that first ran it has ended. The caller closes the
// statement.
func (t *Tx) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := t.tx.PrepareContext(ctx, t.db.Q(query))
	return st, mapError(err)
}
