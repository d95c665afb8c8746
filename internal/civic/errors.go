// Package civic holds the vocabulary every capability shares: error codes,
// identifiers, the clock, actors and roles. It depends on the standard library only.
package civic

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers: the API returns it verbatim and maps it
// to an HTTP status in one place (internal/api and internal/web).
type Code string

const (
	Invalid             Code = "invalid"
	Unauthenticated     Code = "unauthenticated"
	Forbidden           Code = "forbidden"
	NotFound            Code = "not_found"
	Conflict            Code = "conflict"
	InsufficientPoints  Code = "insufficient_points"
	OutOfStock          Code = "out_of_stock"
	IdempotencyConflict Code = "idempotency_conflict"
	TooManyRequests     Code = "too_many_requests"
	Unavailable         Code = "unavailable"
	Internal            Code = "internal"
)

// Error is an error a user can act on. Key names a message in the i18n
// catalogue (Args fill its verbs); Message is the English text for logs and for
// callers without a catalogue.
type Error struct {
	Code    Code
	Key     string
	Args    []any
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf builds an *Error whose catalogue key is key and whose English message
// is format applied to args. The same args fill the translated message.
func Errorf(code Code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, Internal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Wrap prefixes a non-nil *errp with the operation that failed, keeping the
// chain so ErrorCode still finds the code:
//
//	defer civic.Wrap(&err, "station.Redeem(%s)", orderID)
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

// HTTPStatus is the one mapping from error codes to HTTP status codes, used
// by the pages and the API alike. A state that forbids the request (not
// enough points, no stock, a reused key) is a conflict, 409.
func (c Code) HTTPStatus() int {
	switch c {
	case Invalid:
		return 400
	case Unauthenticated:
		return 401
	case Forbidden:
		return 403
	case NotFound:
		return 404
	case Conflict, InsufficientPoints, OutOfStock, IdempotencyConflict:
		return 409
	case TooManyRequests:
		return 429
	case Unavailable:
		return 503
	}
	return 500
}
