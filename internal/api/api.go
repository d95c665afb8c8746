// Package api is the JSON API under /api/v1 (DESIGN.md §7), over the same
// services as the pages. Handlers return errors; writeError maps civic codes
// to HTTP status and translated messages in one place.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/earning"
	"civicpoints/internal/edge"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// Authenticator turns a bearer token into an actor.
type Authenticator interface {
	VerifyToken(ctx context.Context, plain string) (civic.Actor, error)
}

// Residents lists and checks residents (internal/registry).
type Residents interface {
	ListResidents(ctx context.Context, communityID, cursor string, limit int) ([]registry.ResidentSummary, string, error)
}

// Awarder is earning's Award command, the one the award page calls too: it
// checks the actor, the indicator's rule, the caps and the resident, and
// posts the award once per key (internal/earning).
type Awarder interface {
	Award(ctx context.Context, by civic.Actor, key idem.Key, r earning.AwardRequest) (ledger.Result, error)
}

// Server serves the API.
type Server struct {
	DB        *db.DB
	Batch     *db.Batcher
	Ledger    *ledger.Service
	Auth      Authenticator
	Residents Residents
	Awards    Awarder
	Station   *station.Service
	Check     func(ctx context.Context, communityID string) (ledger.Report, error)
	Log       *slog.Logger
	Lang      i18n.Lang

	communities sync.Map // slug → id; communities are never renamed or deleted
}

// route is one API operation. The OpenAPI document is checked against this
// table by a test, so the two cannot drift apart.
type route struct {
	method, path string
	roles        []civic.Role // who may call it; district and admin read every community
	h            func(s *Server, w http.ResponseWriter, r *http.Request) error
}

func routes() []route {
	readers := []civic.Role{civic.RoleWorker, civic.RoleClerk, civic.RoleDistrict, civic.RoleAdmin}
	return []route{
		{"GET", "/api/v1/communities/{c}/residents", readers, (*Server).listResidents},
		{"GET", "/api/v1/communities/{c}/goods", append(readers, civic.RoleMerchant), (*Server).listGoods},
		{"POST", "/api/v1/communities/{c}/awards", []civic.Role{civic.RoleWorker}, (*Server).award},
		{"POST", "/api/v1/communities/{c}/redemptions", []civic.Role{civic.RoleWorker, civic.RoleClerk}, (*Server).redeem},
		{"POST", "/api/v1/communities/{c}/reversals", []civic.Role{civic.RoleWorker}, (*Server).reverse},
		{"GET", "/api/v1/communities/{c}/residents/{id}/account", readers, (*Server).account},
		{"GET", "/api/v1/communities/{c}/residents/{id}/history", []civic.Role{civic.RoleWorker}, (*Server).history},
		{"GET", "/api/v1/communities/{c}/ledger/check", []civic.Role{civic.RoleWorker, civic.RoleDistrict, civic.RoleAdmin}, (*Server).check},
	}
}

// Routes registers every API route on mux.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapiDoc)
	})
	for _, rt := range routes() {
		h, roles := rt.h, rt.roles
		mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) {
			// The audit entries written while answering name the route.
			r = r.WithContext(auth.WithPage(r.Context(), rt.method+" "+rt.path))
			err := edge.Request(r)
			if err == nil {
				err = s.authorize(r, roles)
			}
			if err == nil {
				err = readBody(w, r)
			}
			if err == nil {
				err = h(s, w, r)
			}
			if err != nil {
				s.writeError(w, r, err)
			}
		})
	}
	// Unknown API paths answer in JSON, not with the pages' HTML 404. One
	// pattern per method, so none overlaps the pages' "GET /".
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		mux.HandleFunc(m+" /api/", func(w http.ResponseWriter, r *http.Request) {
			s.writeError(w, r, civic.Errorf(civic.NotFound, "api.no_route", "no API operation %s %s", r.Method, r.URL.Path))
		})
	}
}

type ctxKey int

const actorKey ctxKey = 0

// authorize checks the bearer token, its community and its role, and puts
// the actor and the community id in the request context.
func (s *Server) authorize(r *http.Request, roles []civic.Role) error {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return civic.Errorf(civic.Unauthenticated, "api.no_token", "an Authorization: Bearer <token> header is required")
	}
	// A point lookup on every request: gathered with other requests' lookups
	// into one round trip (db.WithBatchedReads), and never cached, so a
	// revoked token stops working at once.
	actor, err := s.Auth.VerifyToken(db.WithBatchedReads(r.Context()), strings.TrimSpace(tok))
	if err != nil {
		return err
	}
	cid, err := s.communityID(r.Context(), r.PathValue("c"))
	if err != nil {
		return err
	}
	global := actor.Role == civic.RoleDistrict || actor.Role == civic.RoleAdmin
	if !global && actor.CommunityID != cid {
		return civic.Errorf(civic.Forbidden, "api.other_community", "this token belongs to another community")
	}
	allowed := false
	for _, role := range roles {
		allowed = allowed || role == actor.Role
	}
	if !allowed {
		return civic.Errorf(civic.Forbidden, "api.role", "a %s token may not do this", actor.Role)
	}
	*r = *r.WithContext(context.WithValue(r.Context(), actorKey, actor))
	r.SetPathValue("community_id", cid)
	return nil
}

func (s *Server) communityID(ctx context.Context, slug string) (string, error) {
	if id, ok := s.communities.Load(slug); ok {
		return id.(string), nil
	}
	c, err := registry.CommunityBySlug(ctx, s.DB, slug)
	if err != nil {
		return "", err
	}
	s.communities.Store(slug, c.ID)
	return c.ID, nil
}

func actorOf(r *http.Request) civic.Actor {
	a, _ := r.Context().Value(actorKey).(civic.Actor)
	return a
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := civic.ErrorCode(err)
	if errors.Is(err, context.Canceled) || errors.Is(err, db.ErrClosed) {
		code = civic.Unavailable
	}
	if code == civic.Internal {
		s.Log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	lang := i18n.Parse(r.Header.Get("Accept-Language"), s.Lang)
	msg := i18n.Error(lang, err)
	if code == civic.Unavailable && civic.AsError(err) == nil {
		msg = i18n.T(lang, "error.unavailable")
	}
	writeJSON(w, code.HTTPStatus(), map[string]any{"error": map[string]string{"code": string(code), "message": msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

// maxBody bounds request bodies; no API request needs more.
const maxBody = edge.MaxBody

// readBody reads the body of an authorized request, at most maxBody, and
// checks every JSON string in it (internal/edge) before any handler decodes
// it; the handler then reads the same bytes.
func readBody(w http.ResponseWriter, r *http.Request) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if tooLarge := edge.BodyError(err, maxBody>>20); tooLarge != err {
			return tooLarge
		}
		return civic.Errorf(civic.Invalid, "api.bad_json", "the request body is not the expected JSON: %v", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return edge.JSON(body)
}

// decode reads a JSON body strictly: unknown fields and trailing data are errors.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return civic.Errorf(civic.Invalid, "api.bad_json", "the request body is not the expected JSON: %v", err)
	}
	if dec.More() {
		return civic.Errorf(civic.Invalid, "api.bad_json", "the request body is not the expected JSON: %v", "trailing data")
	}
	return nil
}
