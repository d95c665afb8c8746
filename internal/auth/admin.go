package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"unicode"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// What the admin pages need beyond the basic user and token calls: a
// keyset-paginated user list, and the writes in a caller's transaction so
// each change commits together with its audit entry (and its form's
// idempotency key). Passwords are hashed before the transaction: an argon2id
// hash must not hold the one writer.

// UserFilter selects users for the admin's list.
type UserFilter struct {
	// Community is a community id; "" lists district and admin users unless
	// AllCommunities is set.
	Community      string
	AllCommunities bool
	Role           civic.Role // "" for every role
	After          string     // the next cursor of the previous page; "" for the first page
	Limit          int        // 1–200; 50 by default
}

// ListUsers lists users newest first (by id, which is time-ordered) and
// returns the cursor of the next page ("" on the last page). Within one
// community the primary key (community_id, id) serves the order; across
// communities the users_id index does.
func (s *Service) ListUsers(ctx context.Context, f UserFilter) (out []User, next string, err error) {
	defer civic.Wrap(&err, "auth.ListUsers(%s)", f.Community)
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if f.Role != "" && !f.Role.Valid() {
		return nil, "", civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", string(f.Role))
	}
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if !f.AllCommunities {
		add("community_id = ?", f.Community)
	}
	if f.Role != "" {
		add("role = ?", string(f.Role))
	}
	if f.After != "" {
		add("id < ?", f.After)
	}
	args = append(args, f.Limit+1)
	rows, err := s.DB.Query(ctx, "SELECT "+userColumns+" FROM users WHERE "+strings.Join(where, " AND ")+
		" ORDER BY id DESC LIMIT $"+strconv.Itoa(len(args)), args...)
	if out, err = db.Collect(rows, err, func(r db.Scanner) (User, error) { return scanUser(r) }); err != nil {
		return nil, "", err
	}
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = out[len(out)-1].ID
	}
	return out, next, nil
}

// commonPasswords are refused whatever their length: the first guesses of
// anyone trying accounts.
var commonPasswords = map[string]bool{
	"password": true, "password1": true, "password123": true, "12345678": true, "123456789": true,
	"1234567890": true, "qwertyuiop": true, "qwerty123": true, "iloveyou": true, "admin123": true,
	"admin1234": true, "abc12345": true, "abcd1234": true, "11111111": true, "88888888": true,
	"66666666": true, "a1234567": true, "1qaz2wsx": true, "woaini1314": true, "passw0rd": true,
}

// CheckPasswordStrength refuses a password an admin would set for someone
// that is too short (auth.password_short) or easily guessed
// (auth.password_weak): a common password, one containing the username,
// fewer than 5 different characters, or only one kind of character.
func CheckPasswordStrength(username, password string) (err error) {
	defer civic.Wrap(&err, "auth.CheckPasswordStrength(%s)", username)
	if len([]rune(password)) < MinPasswordLen || len(password) < MinPasswordLen {
		return civic.Errorf(civic.Invalid, "auth.password_short", "the password is too short: use at least %d characters", MinPasswordLen)
	}
	lower := strings.ToLower(password)
	distinct := map[rune]bool{}
	var letters, digits, others bool
	for _, r := range password {
		distinct[unicode.ToLower(r)] = true
		switch {
		case unicode.IsLetter(r):
			letters = true
		case unicode.IsDigit(r):
			digits = true
		default:
			others = true
		}
	}
	kinds := 0
	for _, k := range []bool{letters, digits, others} {
		if k {
			kinds++
		}
	}
	u := strings.ToLower(strings.TrimSpace(username))
	if commonPasswords[lower] || (len(u) >= 3 && strings.Contains(lower, u)) || len(distinct) < 5 || kinds < 2 {
		return civic.Errorf(civic.Invalid, "auth.password_weak", "the password is easy to guess: avoid common passwords and the username, and mix letters with digits or signs")
	}
	return nil
}

// GeneratePassword returns a random 12-character password without look-alike
// characters, for an admin to hand over once.
func GeneratePassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	alphabet := letters + digits
	for {
		var b [12]byte
		_, _ = rand.Read(b[:])
		out := make([]byte, len(b))
		for i, v := range b {
			out[i] = alphabet[int(v)%len(alphabet)]
		}
		if CheckPasswordStrength("", string(out)) == nil {
			return string(out)
		}
	}
}

// HashNewPassword hashes a password with the service's cost, for
// CreateUserHashed and SetPasswordHash.
func (s *Service) HashNewPassword(password string) (_ string, err error) {
	defer civic.Wrap(&err, "auth.HashNewPassword")
	return HashPassword(s.Params, password)
}

// CreateUserHashed is CreateUser with the password already hashed (by
// HashNewPassword, outside the transaction); nu.Password is ignored.
func (s *Service) CreateUserHashed(ctx context.Context, tx *db.Tx, nu NewUser, hash string) (u User, err error) {
	defer civic.Wrap(&err, "auth.CreateUserHashed(%s)", nu.Username)
	if hash == "" {
		return u, civic.Errorf(civic.Invalid, "auth.password_short", "the password is too short: use at least %d characters", MinPasswordLen)
	}
	nu.Username = strings.TrimSpace(nu.Username)
	if nu.Username == "" {
		return u, civic.Errorf(civic.Invalid, "auth.username_empty", "a username is required")
	}
	if !nu.Role.Valid() {
		return u, civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", string(nu.Role))
	}
	if needsCommunity(nu.Role) && nu.CommunityID == "" {
		return u, civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", string(nu.Role))
	}
	if nu.Role == civic.RoleResident && nu.ResidentID == "" {
		return u, civic.Errorf(civic.Invalid, "auth.needs_resident", "a resident user must be linked to a resident")
	}
	if needsDistrict(nu.Role) && nu.DistrictID == "" {
		return u, errNeedsDistrict()
	}
	if nu.Role == civic.RoleResident {
		if err := refuseSecondLogin(ctx, tx, nu.CommunityID, nu.ResidentID); err != nil {
			return u, err
		}
	}
	u = User{CommunityID: nu.CommunityID, DistrictID: nu.DistrictID, ID: civic.NewID(), Username: nu.Username, Name: nu.Name, Role: nu.Role,
		ResidentID: nu.ResidentID, Grants: nu.Grants, Lang: nu.Lang, CreatedAt: s.now()}
	err = tx.Savepoint(ctx, func() error {
		_, err := tx.Exec(ctx, `INSERT INTO users (community_id, id, username, name, password_hash, role, resident_id, grants, lang, disabled, created_at, district_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11)`,
			u.CommunityID, u.ID, u.Username, u.Name, hash, string(u.Role), u.ResidentID, joinGrants(u.Grants), u.Lang, db.Millis(u.CreatedAt), u.DistrictID)
		return err
	})
	if db.ErrorIs(err, db.ErrUnique) {
		// Two unique indexes: the username, and a resident's one login in use
		// (users_resident_login), which a login made meanwhile by another
		// transaction may hold.
		var taken int
		if qerr := tx.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE username = $1", nu.Username).Scan(&taken); qerr != nil {
			return u, qerr
		}
		if taken == 0 && nu.Role == civic.RoleResident {
			if rerr := refuseSecondLogin(ctx, tx, nu.CommunityID, nu.ResidentID); rerr != nil {
				return u, rerr
			}
		}
		return u, civic.Errorf(civic.Conflict, "auth.username_taken", "the username %q is taken", nu.Username)
	}
	return u, err
}

// refuseSecondLogin refuses a login for a resident who has one, in use or
// turned off: whoever holds the first would share the resident's points and
// code with a second person, and a turned-off login is turned back on (or
// its password reset) rather than replaced. The unique index
// users_resident_login holds the rule for logins in use under concurrency.
func refuseSecondLogin(ctx context.Context, tx *db.Tx, communityID, residentID string) error {
	var username string
	err := tx.QueryRow(ctx, "SELECT username FROM users WHERE community_id = $1 AND resident_id = $2 AND role = 'resident' ORDER BY created_at, id LIMIT 1",
		communityID, residentID).Scan(&username)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return civic.Errorf(civic.Conflict, "auth.resident_has_login", "resident %s already has a login (%s): a resident has one login; reset its password or turn it back on instead", residentID, username)
}

// userInTx reads a user inside tx, so a write and its audit entry see the
// same row.
func userInTx(ctx context.Context, tx *db.Tx, id string) (User, error) {
	u, err := scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, civic.Errorf(civic.NotFound, "auth.user_not_found", "no user %q", id)
	}
	return u, err
}

// SetPasswordHash replaces a user's password hash in tx and ends their
// sessions; it returns the user.
func (s *Service) SetPasswordHash(ctx context.Context, tx *db.Tx, userID, hash string) (u User, err error) {
	defer civic.Wrap(&err, "auth.SetPasswordHash(%s)", userID)
	if u, err = userInTx(ctx, tx, userID); err != nil {
		return u, err
	}
	if _, err = tx.Exec(ctx, "UPDATE users SET password_hash = $1 WHERE community_id = $2 AND id = $3", hash, u.CommunityID, u.ID); err != nil {
		return u, err
	}
	_, err = tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID)
	return u, err
}

// SetDisabledTx turns a user's access off (ending their sessions) or back on
// in tx; it returns the user as they were before.
func (s *Service) SetDisabledTx(ctx context.Context, tx *db.Tx, userID string, disabled bool) (u User, err error) {
	defer civic.Wrap(&err, "auth.SetDisabledTx(%s)", userID)
	if u, err = userInTx(ctx, tx, userID); err != nil {
		return u, err
	}
	v := 0
	if disabled {
		v = 1
	}
	err = tx.Savepoint(ctx, func() error {
		_, err := tx.Exec(ctx, "UPDATE users SET disabled = $1 WHERE community_id = $2 AND id = $3", v, u.CommunityID, u.ID)
		return err
	})
	if db.ErrorIs(err, db.ErrUnique) {
		// Turning on a resident's login while another of theirs is in use
		// (one made before logins were one per resident).
		return u, civic.Errorf(civic.Conflict, "auth.resident_other_login", "resident %s has another login in use: turn that one off first; a resident has one login", u.ResidentID)
	}
	if err != nil {
		return u, err
	}
	if disabled {
		_, err = tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID)
	}
	return u, err
}
