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
	"slices"
	"strings"
	"sync"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/earning"
	"civicpoints/internal/edge"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// Authenticator turns a bearer token into its actor and limits.
type Authenticator interface {
	TokenGrant(ctx context.Context, plain string) (auth.Grant, error)
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
	Earning   *earning.Service
	Registry  *registry.Service
	Check     func(ctx context.Context, communityID string) (ledger.Report, error)
	// Credit gives the account's level under the district's rules in force.
	Credit *credit.Service
	// Districts says which district a community belongs to: a district
	// token reads its own district's communities only.
	Districts interface {
		Of(ctx context.Context, communityID string) (string, error)
	}
	Log  *slog.Logger
	Lang i18n.Lang
	// RatePerMinute is a token's rate limit when it has none of its own
	// (0: DefaultRatePerMinute).
	RatePerMinute int
	// Clock paces the rate limits (nil: the system clock).
	Clock civic.Clock

	communities sync.Map // slug → id; communities are never renamed or deleted
	limits      limiters
}

func routes() []route {
	var all []route
	for _, group := range [][]route{ledgerRoutes(), earningRoutes(), catalogueRoutes(), registryRoutes(), stationRoutes()} {
		all = append(all, group...)
	}
	return all
}

// Routes registers every API route on mux.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapiDoc)
	})
	mux.HandleFunc("GET /api/v1/docs", s.reference)
	for _, rt := range routes() {
		mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) {
			// The audit entries written while answering name the route.
			r = r.WithContext(auth.WithPage(r.Context(), rt.method+" "+rt.path))
			err := edge.Request(r)
			if err == nil {
				err = s.authorize(w, r, rt)
			}
			if err == nil {
				err = readBody(w, r)
			}
			if err == nil {
				err = rt.h(s, w, r)
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

// authorize checks the bearer token, its rate, its community, its role and
// its scopes, and puts the actor and the community id in the request context.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rt route) error {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return civic.Errorf(civic.Unauthenticated, "api.no_token", "an Authorization: Bearer <token> header is required")
	}
	g, err := s.Auth.TokenGrant(r.Context(), strings.TrimSpace(tok))
	if err != nil {
		return err
	}
	if err := s.limits.allow(w, g, s.RatePerMinute, s.now()); err != nil {
		return err
	}
	actor := g.Actor
	cid, err := s.communityID(r.Context(), r.PathValue("c"))
	if err != nil {
		return err
	}
	switch actor.Role {
	case civic.RoleAdmin:
	case civic.RoleDistrict:
		if err := s.sameDistrict(r.Context(), actor, cid); err != nil {
			return err
		}
	default:
		if actor.CommunityID != cid {
			return civic.Errorf(civic.Forbidden, "api.other_community", "this token belongs to another community")
		}
	}
	if !slices.Contains(rt.roles, actor.Role) {
		return civic.Errorf(civic.Forbidden, "api.role", "a %s token may not do this", actor.Role)
	}
	if !g.Allows(rt.scope) {
		return civic.Errorf(civic.Forbidden, "api.scope", "this token's scopes do not include %s", rt.scope)
	}
	*r = *r.WithContext(context.WithValue(r.Context(), actorKey, actor))
	r.SetPathValue("community_id", cid)
	return nil
}

// sameDistrict lets a district token into its own district's communities
// only.
func (s *Server) sameDistrict(ctx context.Context, actor civic.Actor, communityID string) error {
	if s.Districts == nil {
		return errors.New("api: Server.Districts is not wired (app.mountAPI)")
	}
	d, err := s.Districts.Of(ctx, communityID)
	if err != nil {
		return err
	}
	if actor.DistrictID == "" || d != actor.DistrictID {
		return civic.Errorf(civic.Forbidden, "api.other_district", "this token belongs to another district")
	}
	return nil
}

func (s *Server) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
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
	lang := s.lang(r)
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
