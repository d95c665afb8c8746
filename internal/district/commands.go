package district

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// Bounds of names, in characters.
const (
	MaxName       = 40
	MaxPointsName = 10
)

// keys is the key namespace of a district's commands (a district has no
// community; its id keeps its keys apart from every community's).
func keys(districtID string) string { return "district:" + districtID }

// CreateDistrictRequest is a new district, made by an admin or the CLI.
type CreateDistrictRequest struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func (r CreateDistrictRequest) normal() CreateDistrictRequest {
	r.Slug, r.Name = strings.TrimSpace(r.Slug), strings.TrimSpace(r.Name)
	return r
}

// CreateDistrict makes a district, or returns the one with that slug when
// its name is the same (so a script may run it again); the same slug with
// another name is a conflict, said as such.
func (s *Service) CreateDistrict(ctx context.Context, by civic.Actor, key idem.Key, r CreateDistrictRequest) (d District, err error) {
	defer civic.Wrap(&err, "district.CreateDistrict(%s)", r.Slug)
	if err := by.May("", civic.RoleAdmin); err != nil {
		return d, err
	}
	r = r.normal()
	if err := checkSlug(r.Slug); err != nil {
		return d, err
	}
	if err := checkName(r.Name, MaxName); err != nil {
		return d, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: keys(""), Key: key, Command: "district.create",
		Shard: idem.Community(keys("")), Request: r},
		func(tx *db.Tx) (District, error) {
			old, err := scan(tx.QueryRow(ctx, "SELECT "+cols+" FROM districts WHERE slug = $1", r.Slug))
			if err == nil {
				if old.Name != r.Name {
					return old, civic.Errorf(civic.Conflict, "district.slug_taken", "the slug %s is the district %s already", r.Slug, old.Name)
				}
				return old, nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return old, err
			}
			d := District{ID: civic.NewID(), Slug: r.Slug, Name: r.Name, CreatedAt: tx.Now()}
			_, err = tx.Exec(ctx, "INSERT INTO districts (id, slug, name, created_at) VALUES ($1, $2, $3, $4)",
				d.ID, d.Slug, d.Name, db.Millis(d.CreatedAt))
			if err != nil {
				return d, err
			}
			return d, audit(ctx, tx, by, "", "district.create", "district", d.ID, d.Slug)
		})
}

// WorkerLogin is a new community's first worker login; its password is
// generated and shown once.
type WorkerLogin struct {
	Username string `json:"username"`
	Name     string `json:"name"`
}

// CreateCommunityRequest is a new community of a district, made by the
// district office (its pages) or the CLI.
type CreateCommunityRequest struct {
	District   string       `json:"district"` // the district's id
	Slug       string       `json:"slug"`
	Name       string       `json:"name"`
	PointsName string       `json:"points_name"` // what residents call the points, such as 春江分
	Worker     *WorkerLogin `json:"worker,omitempty"`
}

func (r CreateCommunityRequest) normal() CreateCommunityRequest {
	r.Slug, r.Name, r.PointsName = strings.TrimSpace(r.Slug), strings.TrimSpace(r.Name), strings.TrimSpace(r.PointsName)
	if r.Worker != nil {
		w := WorkerLogin{Username: strings.TrimSpace(r.Worker.Username), Name: strings.TrimSpace(r.Worker.Name)}
		r.Worker = &w
	}
	return r
}

func (r CreateCommunityRequest) validate() error {
	if err := checkSlug(r.Slug); err != nil {
		return err
	}
	if err := checkName(r.Name, MaxName); err != nil {
		return err
	}
	if r.PointsName == "" {
		return civic.Errorf(civic.Invalid, "district.points_name_required", "say what the community calls its points, such as 春江分")
	}
	if n := civic.Runes(r.PointsName); n > MaxPointsName {
		return civic.Errorf(civic.Invalid, "district.points_name_long", "a points name may have at most %d characters, not %d", MaxPointsName, n)
	}
	if r.Worker != nil {
		if r.Worker.Username == "" || strings.ContainsAny(r.Worker.Username, " \t\r\n") || civic.Runes(r.Worker.Username) > 64 {
			return civic.Errorf(civic.Invalid, "auth.bad_username", "a username has at most 64 characters and no spaces")
		}
		if err := checkName(r.Worker.Name, MaxName); err != nil {
			return err
		}
	}
	return nil
}

// CreatedCommunity is the answer of CreateCommunity. The worker's password
// is for the request that made it alone (never stored with the key).
type CreatedCommunity struct {
	Community registry.Community `json:"community"`
	Existed   bool               `json:"existed"` // the slug was this district's community already
	WorkerID  string             `json:"worker_id,omitempty"`
	Username  string             `json:"username,omitempty"`
	Password  string             `json:"-"`
	Fresh     bool               `json:"-"`
}

// CreateCommunity makes a community of the district, with its first worker
// login when asked, in one transaction (both or neither). The same slug in
// the same district returns the community as it is (no second login); a slug
// of another district is refused, saying so.
func (s *Service) CreateCommunity(ctx context.Context, by civic.Actor, key idem.Key, r CreateCommunityRequest) (out CreatedCommunity, err error) {
	defer civic.Wrap(&err, "district.CreateCommunity(%s)", r.Slug)
	if by.Role != civic.RoleAdmin { // admins (and the CLI) make any district's communities
		if err := by.MayDistrict(r.District, civic.RoleDistrict); err != nil {
			return out, err
		}
	}
	r = r.normal()
	if err := r.validate(); err != nil {
		return out, err
	}
	d, err := s.ByID(ctx, r.District)
	if err != nil {
		return out, err
	}
	plain, hash := "", ""
	check := func(context.Context) (err error) {
		if r.Worker == nil {
			return nil
		}
		plain = auth.GeneratePassword()
		hash, err = s.Users.HashNewPassword(plain)
		return err
	}
	out, err = idem.Run(ctx, s.Idem, idem.Op{Community: keys(d.ID), Key: key, Command: "district.create_community",
		Shard: idem.Community(keys(d.ID)), Request: r, Check: check},
		func(tx *db.Tx) (CreatedCommunity, error) { return s.createCommunityTx(ctx, tx, by, d, r, hash, plain) })
	if err == nil && out.Fresh && !out.Existed && s.OnCommunity != nil {
		err = s.OnCommunity(ctx, out.Community.ID)
	}
	return out, err
}

func (s *Service) createCommunityTx(ctx context.Context, tx *db.Tx, by civic.Actor, d District, r CreateCommunityRequest, hash, plain string) (CreatedCommunity, error) {
	id := civic.NewID()
	c, err := registry.CreateCommunity(ctx, tx, registry.Community{ID: id, Slug: r.Slug, Name: r.Name, District: d.Name,
		DistrictID: d.ID, PointsName: r.PointsName, CreatedAt: tx.Now()})
	if err != nil {
		return CreatedCommunity{}, err
	}
	if c.DistrictID != d.ID {
		return CreatedCommunity{}, civic.Errorf(civic.Conflict, "district.community_elsewhere", "the slug %s is a community of another district already", r.Slug)
	}
	if c.ID != id {
		// The slug was taken before this request: say so, and make no login.
		return CreatedCommunity{Community: c, Existed: true, Fresh: true}, nil
	}
	out := CreatedCommunity{Community: c, Fresh: true}
	if err := audit(ctx, tx, by, c.ID, "district.community_create", "community", c.ID, d.Slug+"/"+c.Slug); err != nil {
		return out, err
	}
	if r.Worker == nil {
		return out, nil
	}
	u, err := s.Users.CreateUserHashed(ctx, tx, auth.NewUser{CommunityID: c.ID, Username: r.Worker.Username, Name: r.Worker.Name,
		Role: civic.RoleWorker}, hash)
	if err != nil {
		return out, err
	}
	out.WorkerID, out.Username, out.Password = u.ID, u.Username, plain
	return out, audit(ctx, tx, by, c.ID, "auth.user_create", "user", u.ID, "first worker of "+c.Slug)
}

// audit files a district office's change under the community it concerns
// (” for the district itself).
func audit(ctx context.Context, tx *db.Tx, by civic.Actor, communityID, action, kind, subject, reason string) error {
	e := auth.EntryFor(by, action, kind, subject, reason, tx.Now())
	e.CommunityID = communityID
	return auth.Audit(ctx, tx, e)
}
