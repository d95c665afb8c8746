package db

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"time"
)

// Tx is a transaction that speaks $N queries on either engine.
type Tx struct {
	tx     *sql.Tx
	db     *DB
	unseen []string // queries to prepare once the transaction ends (SQLite)
}

// Now is the time a write in this transaction stores: the database's
// injected clock, so every stored time (transfers, stock moves, audit,
// idempotency keys) is the one clock's.
func (t *Tx) Now() time.Time { return t.db.Now() }

// Now is the database's clock (the wall clock when none is set).
func (db *DB) Now() time.Time {
	if db.Clock != nil {
		return db.Clock.Now().UTC()
	}
	return time.Now().UTC()
}

// Dialect of the database the transaction belongs to.
func (t *Tx) Dialect() Dialect { return t.db.Dialect }

func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := t.db.Q(query)
	if st := t.stmt(ctx, q); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, mapError(err)
	}
	res, err := t.tx.ExecContext(ctx, q, args...)
	return res, mapError(err)
}

func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := t.db.Q(query)
	if st := t.stmt(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, mapError(err)
	}
	rows, err := t.tx.QueryContext(ctx, q, args...)
	return rows, mapError(err)
}

func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := t.db.Q(query)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// stmt returns the transaction's handle on a cached prepared statement, or
// nil (and remembers the query) when it is not prepared yet.
func (t *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if t.db.wstmts == nil {
		return nil
	}
	if st := t.db.wstmts.get(q); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	t.unseen = append(t.unseen, q)
	return nil
}

// Savepoint runs fn inside a savepoint: if fn fails, only its own writes are
// undone and the transaction stays usable.
func (t *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.Exec(ctx, "SAVEPOINT sp"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.Exec(ctx, "ROLLBACK TO SAVEPOINT sp"); rerr != nil {
			return rerr
		}
		_, _ = t.Exec(ctx, "RELEASE SAVEPOINT sp")
		return err
	}
	_, err := t.Exec(ctx, "RELEASE SAVEPOINT sp")
	return err
}

// Begin starts a transaction; most code wants WithTx instead.
func (db *DB) Begin(ctx context.Context) (*Tx, error) {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, db: db}, nil
}

// Commit and Rollback end a transaction started with Begin.
func (t *Tx) Commit() error {
	err := t.tx.Commit()
	t.prepareUnseen()
	return err
}

func (t *Tx) Rollback() error {
	err := t.tx.Rollback()
	t.prepareUnseen()
	return err
}

// prepareUnseen prepares, now that the writer connection is free again, the
// queries this transaction ran unprepared.
func (t *Tx) prepareUnseen() {
	if len(t.unseen) > 0 {
		t.db.wstmts.prepare(context.Background(), t.unseen)
		t.unseen = nil
	}
}

const maxAttempts = 8

// WithTx runs fn in a transaction and commits it. A serialization failure,
// deadlock or busy database rolls back and runs fn again after a jittered
// backoff, so fn must not have effects outside the transaction.
func (db *DB) WithTx(ctx context.Context, fn func(*Tx) error) error {
	backoff := 2 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := db.tryTx(ctx, fn)
		if err == nil || classify(err) != ErrRetry || attempt == maxAttempts {
			return err
		}
		sleep := backoff/2 + time.Duration(rand.Int64N(int64(backoff)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		backoff *= 2
	}
}

func (db *DB) tryTx(ctx context.Context, fn func(*Tx) error) (err error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Querier is what both *DB and *Tx offer, for reads that may run inside or
// outside a transaction.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}
