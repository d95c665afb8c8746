// Package edge checks what a request carries before a page or an API
// handler sees it: text every engine can store (valid UTF-8 without NUL,
// which PostgreSQL refuses with SQLSTATE 22021 and SQLite keeps), a size cap
// per field, and the body limits. Pages and the API run the same checks and
// differ only in how they answer (a page or the API's error JSON). Nothing
// is stripped or repaired: bad text is refused with a translated message
// naming where it was.
package edge

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"civicpoints/internal/civic"
)

const (
	// MaxField is the most bytes one ordinary field, query parameter, path
	// or header may hold: far above any name, reason or note (their own
	// caps are the capabilities'), low enough that no 10 KB name gets in.
	MaxField = 10_000
	// MaxLong is the cap of the few fields that carry a list, such as a
	// bulk award's pasted resident ids (2,000 of them).
	MaxLong = 64 << 10
	// MaxBody is the largest request body of a route without uploads.
	MaxBody = 1 << 20
)

// inputHeaders are the request headers whose values reach a service or the
// database. Go's server already refuses control characters in headers, but
// not bytes that are not UTF-8.
var inputHeaders = []string{"Authorization", "Idempotency-Key", "X-Forwarded-For", "Accept-Language"}

// Text checks one value: where names it in the message (a field name, a
// header); max is its cap in bytes.
func Text(where, v string, max int) error {
	switch {
	case strings.IndexByte(v, 0) >= 0:
		return nulError(where)
	case !utf8.ValidString(v):
		return utf8Error(where)
	case len(v) > max:
		return longError(where, max)
	}
	return nil
}

func nulError(where string) error {
	return civic.Errorf(civic.Invalid, "edge.nul", "%q contains a NUL character: remove it and send again", label(where))
}

func utf8Error(where string) error {
	return civic.Errorf(civic.Invalid, "edge.utf8", "%q is not valid UTF-8 text: check its encoding and send again", label(where))
}

func longError(where string, max int) error {
	return civic.Errorf(civic.Invalid, "edge.long", "%q is too long: at most %d bytes", label(where), max)
}

// label shortens a name for a message; a bad name shows escaped (%q).
func label(s string) string {
	const most = 64
	if len(s) <= most {
		return s
	}
	i := most
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// Request checks the path (and so every path value), every query parameter
// and the headers used as input. A query that does not parse is refused
// rather than read with its bad pairs silently dropped.
func Request(r *http.Request) error {
	if err := Text(r.URL.EscapedPath(), r.URL.Path, MaxField); err != nil {
		return err
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return civic.Errorf(civic.Invalid, "edge.bad_query", "the address's parameters cannot be read: %v", err)
	}
	if err := Values(q, nil); err != nil {
		return err
	}
	for _, h := range inputHeaders {
		for _, v := range r.Header.Values(h) {
			if err := Text(h, v, MaxField); err != nil {
				return err
			}
		}
	}
	return nil
}

// Values checks the names and values of a form or query; max gives a
// field's cap (nil: MaxField for all).
func Values(vs url.Values, max func(name string) int) error {
	for name, list := range vs {
		if err := Text(name, name, MaxField); err != nil {
			return err
		}
		limit := MaxField
		if max != nil {
			limit = max(name)
		}
		for _, v := range list {
			if err := Text(name, v, limit); err != nil {
				return err
			}
		}
	}
	return nil
}

// BodyError names the limit when a body was larger than http.MaxBytesReader
// allows (limitMB is the limit shown, in MB); any other error of reading a
// form is itself.
func BodyError(err error, limitMB int64) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		if limitMB <= 0 {
			limitMB = max(mb.Limit>>20, 1)
		}
		return civic.Errorf(civic.Invalid, "edge.too_large", "what was sent is larger than the %d MB limit", limitMB)
	}
	return err
}
