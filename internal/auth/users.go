package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// User is someone who logs in to the pages.
type User struct {
	CommunityID string // '' for district and admin
	DistrictID  string // the district of a district user (or merchant); '' otherwise
	ID          string
	Username    string
	Name        string
	Role        civic.Role
	ResidentID  string // set for residents
	Grants      []string
	Lang        string // '' until the user picks one
	Disabled    bool
	CreatedAt   time.Time
}

// Actor is the user as the rest of the platform sees them.
func (u User) Actor() civic.Actor {
	return civic.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, CommunityID: u.CommunityID, DistrictID: u.DistrictID,
		ResidentID: u.ResidentID, Grants: u.Grants}
}

// NewUser is what CreateUser needs.
type NewUser struct {
	CommunityID string
	DistrictID  string // required for a district user
	Username    string
	Name        string
	Password    string
	Role        civic.Role
	ResidentID  string
	Grants      []string
	Lang        string
}

// CreateUser adds a user in tx. A username already taken is a conflict. It
// hashes the password inside the caller's transaction; pages that create
// users hash first (HashNewPassword) and call CreateUserHashed, so the slow
// hash never holds the single SQLite writer.
func (s *Service) CreateUser(ctx context.Context, tx *db.Tx, nu NewUser) (u User, err error) {
	defer civic.Wrap(&err, "auth.CreateUser(%s)", nu.Username)
	hash, err := HashPassword(s.Params, nu.Password)
	if err != nil {
		return u, err
	}
	return s.CreateUserHashed(ctx, tx, nu, hash)
}

// needsCommunity: district and admin users see every community; the others
// work inside one (garden operators and stewards inside their operator);
// a garden adopter belongs to none.
func needsCommunity(r civic.Role) bool {
	return r != civic.RoleDistrict && r != civic.RoleAdmin && r != civic.RoleGardenAdopter
}

// needsDistrict: a district user or token sees its own district only, so it
// must name one.
func needsDistrict(r civic.Role) bool { return r == civic.RoleDistrict }

// errNeedsDistrict refuses a district user or token without a district.
func errNeedsDistrict() error {
	return civic.Errorf(civic.Invalid, "auth.needs_district", "a district user or token belongs to a district: name it")
}

const userColumns = "community_id, district_id, id, username, name, role, resident_id, grants, lang, disabled, created_at"

type scanner = db.Scanner

func scanUser(row scanner, extra ...any) (User, error) {
	var u User
	var role, grants string
	var disabled, created int64
	dest := append([]any{&u.CommunityID, &u.DistrictID, &u.ID, &u.Username, &u.Name, &role, &u.ResidentID, &grants, &u.Lang, &disabled, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return u, err
	}
	u.Role, u.Grants, u.Disabled, u.CreatedAt = civic.Role(role), splitGrants(grants), disabled != 0, db.FromMillis(created)
	return u, nil
}

// UserByID finds a user by id.
func (s *Service) UserByID(ctx context.Context, id string) (u User, err error) {
	defer civic.Wrap(&err, "auth.UserByID(%s)", id)
	u, err = scanUser(s.DB.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, civic.Errorf(civic.NotFound, "auth.user_not_found", "no user %q", id)
	}
	return u, err
}

// UserByUsername finds a user by username.
func (s *Service) UserByUsername(ctx context.Context, username string) (u User, err error) {
	defer civic.Wrap(&err, "auth.UserByUsername(%s)", username)
	u, err = scanUser(s.DB.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username = $1", username))
	if errors.Is(err, sql.ErrNoRows) {
		return u, civic.Errorf(civic.NotFound, "auth.user_not_found", "no user %q", username)
	}
	return u, err
}

// SetLang remembers the language a user picked.
func (s *Service) SetLang(ctx context.Context, userID, lang string) (err error) {
	defer civic.Wrap(&err, "auth.SetLang(%s)", userID)
	if lang != "zh-CN" && lang != "en" {
		return civic.Errorf(civic.Invalid, "auth.bad_lang", "unknown language %q: use zh-CN or en", lang)
	}
	_, err = s.DB.Exec(ctx, "UPDATE users SET lang = $1 WHERE id = $2", lang, userID)
	return err
}
