package api

// The house style of a route, in one file to copy from (docs/api.md says it
// in words). A capability's routes live in api/<capability>.go as a function
// returning []route, added to routes() in api.go. A route:
//
//   - names its roles (the page's) and one scope (auth.Scopes);
//   - reads a list with pageArgs and writes it with writeList;
//   - reads a body with readJSON into an API type of snake_case fields,
//     turns it into the capability's typed request, and runs the command
//     with runCommand, which takes the Idempotency-Key, sets
//     Idempotent-Replayed and writes 201;
//   - never opens a transaction or writes SQL: reads go through the
//     capability's read functions (the registry's are the audited viewer);
//   - describes itself in doc, from which openapi.json is generated
//     (go test ./internal/api -run TestOpenAPIDocument -update).

import (
	"context"
	"net/http"
	"strconv"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
)

// Who may call a route: the roles of the pages that do the same.
var (
	workers = []civic.Role{civic.RoleWorker}
	staff   = []civic.Role{civic.RoleWorker, civic.RoleClerk}
	readers = []civic.Role{civic.RoleWorker, civic.RoleClerk, civic.RoleDistrict, civic.RoleAdmin}
)

// route is one API operation. The OpenAPI document is generated from this
// table and checked against it by a test, so the two cannot drift apart.
type route struct {
	method, path string
	roles        []civic.Role // who may call it; district and admin read every community
	scope        string       // the scope a narrowed token needs (auth.Scopes)
	h            func(s *Server, w http.ResponseWriter, r *http.Request) error
	doc          doc
}

// doc is what the OpenAPI document says of a route.
type doc struct {
	tag, summary, desc string
	query              []param // filters; a list adds limit and cursor itself
	list               int     // the longest page of a keyset list (0: not a list)
	body               any     // the request body's type (a zero value); nil for none
	answer             any     // the answer's type (a zero value)
	example            any     // an example request body
	status             int     // the success status: 200 for reads, 201 for commands
}

type param struct{ name, typ, desc string }

// pageArgs reads limit (1 to max, default 50 or max when smaller) and the
// opaque cursor of a keyset list.
func pageArgs(r *http.Request, max int) (limit int, cursor string, err error) {
	limit = min(50, max)
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			return 0, "", civic.Errorf(civic.Invalid, "api.bad_page_limit", "limit must be a whole number from 1 to %d, not %q", max, v)
		}
		limit = n
	}
	return limit, r.URL.Query().Get("cursor"), nil
}

// page is the shape of every list: items, and the cursor of the next page
// ("" on the last).
type page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// writeList writes one page of a list; items of nil write [].
func writeList[T any](w http.ResponseWriter, items []T, next string) error {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, page[T]{Items: items, NextCursor: next})
	return nil
}

// mapList turns a capability's items into the API's.
func mapList[A, B any](in []A, f func(A) B) []B {
	out := make([]B, 0, len(in))
	for _, a := range in {
		out = append(out, f(a))
	}
	return out
}

// runCommand runs one command under the request's Idempotency-Key as the
// token's actor and writes its answer, turned into the API's shape by out,
// with 201; a replayed answer says Idempotent-Replayed: true.
func runCommand[A any](w http.ResponseWriter, r *http.Request,
	cmd func(ctx context.Context, by civic.Actor, key idem.Key) (A, error), out func(A) any) error {
	key, err := commandKey(r)
	if err != nil {
		return err
	}
	ctx, replayed := idem.WithReplayFlag(r.Context())
	a, err := cmd(ctx, actorOf(r), key)
	if err != nil {
		return err
	}
	if *replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, out(a))
	return nil
}

// readJSON decodes the request body strictly into a T.
func readJSON[T any](r *http.Request) (T, error) {
	var v T
	return v, decode(r, &v)
}

// community is the id of the path's community, resolved by authorize.
func community(r *http.Request) string { return r.PathValue("community_id") }

// lang is the language the caller's Accept-Language asks for.
func (s *Server) lang(r *http.Request) i18n.Lang {
	return i18n.Parse(r.Header.Get("Accept-Language"), s.Lang)
}

// apiError is an error inside an answer (a bulk item that failed), in the
// shape and language of the errors of whole requests.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) errorOf(r *http.Request, err error) *apiError {
	if err == nil {
		return nil
	}
	return &apiError{Code: string(civic.ErrorCode(err)), Message: i18n.Error(s.lang(r), err)}
}

// idsOnly answers a command whose answer is an id and a time.
type changed struct {
	ID string `json:"id"`
	At string `json:"at"`
}
