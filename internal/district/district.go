// Package district keeps districts (区), the communities that belong to each,
// and the district office's commands on them: a new district, a new
// community with its first worker login. The district's credit rules are
// internal/credit's (credit.Service.SetRules); its merchants internal/merchant's.
//
// A district sits above the shard key: its own rows lead with its id, and a
// district user (civic.Actor.DistrictID) reaches its own district only
// (civic.Actor.MayDistrict).
package district

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// District is one 区.
type District struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Users is what a new community's first worker login needs of auth.
type Users interface {
	HashNewPassword(password string) (string, error)
	CreateUserHashed(ctx context.Context, tx *db.Tx, nu auth.NewUser, hash string) (auth.User, error)
}

// Service is the district capability.
type Service struct {
	DB    *db.DB
	Idem  *idem.Store
	Clock civic.Clock
	Users Users
	// OnCommunity runs after a community is created (app.New wires the
	// default indicator catalogue); nil does nothing.
	OnCommunity func(ctx context.Context, communityID string) error

	of sync.Map // community id → district id; a community never changes district
}

// New builds the service.
func New(d *db.DB, st *idem.Store, clock civic.Clock, users Users) *Service {
	return &Service{DB: d, Idem: st, Clock: clock, Users: users}
}

const cols = "id, slug, name, created_at"

func scan(row db.Scanner) (d District, err error) {
	var created int64
	err = row.Scan(&d.ID, &d.Slug, &d.Name, &created)
	d.CreatedAt = db.FromMillis(created)
	return d, err
}

func notFound(what string) error {
	return civic.Errorf(civic.NotFound, "district.not_found", "no district %q", what)
}

// BySlug finds a district by its slug.
func (s *Service) BySlug(ctx context.Context, slug string) (d District, err error) {
	defer civic.Wrap(&err, "district.BySlug(%s)", slug)
	d, err = scan(s.DB.QueryRow(ctx, "SELECT "+cols+" FROM districts WHERE slug = $1", slug))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound(slug)
	}
	return d, err
}

// ByID finds a district by its id.
func (s *Service) ByID(ctx context.Context, id string) (d District, err error) {
	defer civic.Wrap(&err, "district.ByID(%s)", id)
	d, err = scan(s.DB.QueryRow(ctx, "SELECT "+cols+" FROM districts WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound(id)
	}
	return d, err
}

// All lists every district by slug (a city has a handful, a province ~100).
func (s *Service) All(ctx context.Context) (out []District, err error) {
	defer civic.Wrap(&err, "district.All")
	rows, err := s.DB.Query(ctx, "SELECT "+cols+" FROM districts ORDER BY slug")
	return db.Collect(rows, err, scan)
}

// Of is the district a community belongs to.
func (s *Service) Of(ctx context.Context, communityID string) (_ string, err error) {
	defer civic.Wrap(&err, "district.Of(%s)", communityID)
	if id, ok := s.of.Load(communityID); ok {
		return id.(string), nil
	}
	c, err := registry.CommunityByID(ctx, s.DB, communityID)
	if err != nil {
		return "", err
	}
	s.of.Store(communityID, c.DistrictID)
	return c.DistrictID, nil
}

// Communities lists the district's communities, for its own office (and
// admins).
func (s *Service) Communities(ctx context.Context, by civic.Actor, districtID string) (_ []registry.Community, err error) {
	defer civic.Wrap(&err, "district.Communities(%s)", districtID)
	if by.Role != civic.RoleAdmin {
		if err := by.MayDistrict(districtID, civic.RoleDistrict); err != nil {
			return nil, err
		}
	}
	return registry.CommunitiesIn(ctx, s.DB, districtID)
}

// Sees reports whether by may read the community's figures as its district
// office: a district user or token of the community's own district.
func (s *Service) Sees(ctx context.Context, by civic.Actor, communityID string) (bool, error) {
	if by.Role != civic.RoleDistrict || by.DistrictID == "" {
		return false, nil
	}
	d, err := s.Of(ctx, communityID)
	return err == nil && d == by.DistrictID, err
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// checkSlug: slugs are typed in URLs and on the command line.
func checkSlug(slug string) error {
	if !slugRE.MatchString(slug) {
		return civic.Errorf(civic.Invalid, "district.bad_slug", "the slug %q must be 2 to 40 lower-case letters, digits or hyphens, starting with a letter or digit", slug)
	}
	return nil
}

// checkName bounds a display name.
func checkName(name string, max int) error {
	if strings.TrimSpace(name) == "" {
		return civic.Errorf(civic.Invalid, "district.name_required", "a name is required")
	}
	if n := civic.Runes(name); n > max {
		return civic.Errorf(civic.Invalid, "district.name_long", "a name may have at most %d characters, not %d", max, n)
	}
	return nil
}
