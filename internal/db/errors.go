package db

import (
	"errors"

	"civicpoints/internal/civic"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrClass is what the engine-specific error means to us.
type ErrClass int

const (
	ErrOther ErrClass = iota
	ErrUnique
	ErrForeignKey
	ErrCheck
	ErrRetry // serialization failure, deadlock, busy: try the transaction again
	ErrAppendOnly
)

type sqliteCoder interface{ Code() int }

func classify(err error) ErrClass {
	if err == nil {
		return ErrOther
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return ErrUnique
		case "23503":
			return ErrForeignKey
		case "23514":
			return ErrCheck
		case "40001", "40P01":
			return ErrRetry
		case "P0001":
			if pg.Message == "append_only" {
				return ErrAppendOnly
			}
		}
		return ErrOther
	}
	var sc sqliteCoder
	if errors.As(err, &sc) {
		switch sc.Code() {
		case 2067, 1555: // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
			return ErrUnique
		case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
			return ErrForeignKey
		case 275: // SQLITE_CONSTRAINT_CHECK
			return ErrCheck
		case 5, 6, 517, 261: // BUSY, LOCKED, BUSY_SNAPSHOT, BUSY_RECOVERY
			return ErrRetry
		case 1811, 19: // SQLITE_CONSTRAINT_TRIGGER, SQLITE_CONSTRAINT
			if containsAppendOnly(err) {
				return ErrAppendOnly
			}
		}
	}
	return ErrOther
}

func containsAppendOnly(err error) bool {
	s := err.Error()
	for i := 0; i+len("append_only") <= len(s); i++ {
		if s[i:i+len("append_only")] == "append_only" {
			return true
		}
	}
	return false
}

// mapError turns constraint errors that reach a user into coded errors; other
// errors pass through unchanged.
func mapError(err error) error {
	switch classify(err) {
	case ErrAppendOnly:
		return &civic.Error{Code: civic.Forbidden, Key: "db.append_only", Message: "records are append-only: " + err.Error()}
	}
	return err
}
