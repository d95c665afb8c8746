package db

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"time"
)

// Tx is a transaction that speaks $N queries on either engine.
type Tx struct {
	tx *sql.Tx
	db *DB
}

// Dialect of the database the transaction belongs to.
func (t *Tx) Dialect() Dialect { return t.db.Dialect }

func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, t.db.Q(query), args...)
	return res, mapError(err)
}

func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, t.db.Q(query), args...)
	return rows, mapError(err)
}

func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.Q(query), args...)
}

// Savepoint runs fn inside a savepoint: if fn fails, only its own writes are
// undone and the transaction stays usable.
func (t *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT sp"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT sp"); rerr != nil {
			return rerr
		}
		_, _ = t.tx.ExecContext(ctx, "RELEASE SAVEPOINT sp")
		return err
	}
	_, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT sp")
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
func (t *Tx) Commit() error   { return t.tx.Commit() }
func (t *Tx) Rollback() error { return t.tx.Rollback() }

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
