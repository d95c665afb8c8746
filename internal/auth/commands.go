package auth

import (
	"context"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// The admin's commands on accounts: make a user, reset a password, turn
// access off or on, unlock, make and revoke API tokens. Each takes the
// actor, the idempotency key and a typed request, lets only an admin (or
// civic.System) through, validates, and runs once per key through idem, the
// change and its audit entry in one transaction. The pages only translate
// forms to requests; the CLI calls the token commands as civic.System.
//
// Secrets and idem: idem keeps each command's request hash and answer in
// idem_keys, in clear JSON, for as long as keys are kept, where the users
// table keeps only an argon2id hash of a password and api_tokens only the
// SHA-256 of a token. So neither ever holds a secret:
//   - a request's password is `json:"-"`: it is not part of the request
//     hash, since an unsalted SHA-256 over a request whose other fields are
//     known would let a weak password be guessed from it (a resend with
//     another password under the same key is the same request, as the form's
//     resend was before);
//   - an answer's password or token secret is `json:"-"` too, as is Fresh:
//     the request that made the change gets them from memory, and a replay
//     (a double submit, a reload, a twin that committed first) gets the
//     stored answer, the id alone, with Fresh false, and says "already done;
//     the password (secret) was shown once" instead of showing it.

// adminKeys is the key namespace of the admin's commands: users and tokens of
// every community are managed from one place, by admins of no community.
const adminKeys = ""

// mayAdminister is the first check of every admin command.
func mayAdminister(by civic.Actor) error { return by.May(adminKeys, civic.RoleAdmin) }

// adminRun runs an admin command once per key, in a transaction of its own
// (nothing here moves points or stock). check runs outside the transaction,
// only when the key is new: the slow argon2id hash goes there, so it never
// holds the writer and a replay does not pay for it.
func adminRun[T any](ctx context.Context, s *Service, key idem.Key, command string, req any, check func(ctx context.Context) error, do func(tx *db.Tx) (T, error)) (T, error) {
	st := s.Idem
	if st == nil {
		st = idem.New(s.DB, nil, s.Clock)
	}
	return idem.Run(ctx, st, idem.Op{Community: adminKeys, Key: key, Command: command, Shard: idem.Community(adminKeys),
		Request: req, Check: check}, do)
}

// audit files an admin's change under the community of what changed, so that
// community's log shows it, at the transaction's (the injected clock's) time.
func audit(ctx context.Context, tx *db.Tx, by civic.Actor, communityID, action, kind, subject, reason string) error {
	e := EntryFor(by, action, kind, subject, reason, tx.Now())
	e.CommunityID = communityID
	return Audit(ctx, tx, e)
}

// maxText bounds the free text an admin writes (names, reasons).
const maxText = civic.MaxReason

// auditReason checks the reason of a change: required where it matters (a
// reset, disabling, an unlock, a revocation), bounded always.
func auditReason(reason string, required bool) (string, error) {
	reason = strings.TrimSpace(reason)
	if required && reason == "" {
		return "", civic.Errorf(civic.Invalid, "auth.reason_required", "a reason is required; it is kept in the audit log")
	}
	return reason, tooLong(reason)
}

func tooLong(s string) error {
	if len([]rune(s)) > maxText {
		return civic.Errorf(civic.Invalid, "auth.too_long", "a text is longer than %d characters", maxText)
	}
	return nil
}

// UserChange is the answer of a command on a user. Only UserID is stored
// with the key; see the package's note on secrets above.
type UserChange struct {
	UserID   string `json:"user_id"`
	Password string `json:"-"` // a generated password, for the request that set it only
	Fresh    bool   `json:"-"` // this request made the change (false on a replay)
}

// NewPassword is how a command sets a password: generated (and shown once)
// or typed by the admin. Password is never hashed into the request (see the
// note on secrets).
type NewPassword struct {
	Generate bool   `json:"generate"`
	Password string `json:"-"`
}

// choose returns the password to set for username: a generated one, or the
// admin's, checked for strength.
func (p NewPassword) choose(username string) (plain string, err error) {
	if p.Generate {
		return GeneratePassword(), nil
	}
	return p.Password, CheckPasswordStrength(username, p.Password)
}

// shown is what the answer carries of the password: a generated one only.
func (p NewPassword) shown(plain string) string {
	if p.Generate {
		return plain
	}
	return ""
}

// AddUserRequest is a user an admin makes.
type AddUserRequest struct {
	Community string      `json:"community"`          // the community's id; "" for district and admin users
	District  string      `json:"district,omitempty"` // the district's id, for a district user
	Username  string      `json:"username"`
	Name      string      `json:"name"`
	Role      civic.Role  `json:"role"`
	Resident  string      `json:"resident,omitempty"` // for a resident's login
	RedGroup  bool        `json:"red_group,omitempty"`
	Password  NewPassword `json:"password"`
	Reason    string      `json:"reason"`
}

func (r AddUserRequest) normal() AddUserRequest {
	r.Username, r.Name, r.Resident = strings.TrimSpace(r.Username), strings.TrimSpace(r.Name), strings.TrimSpace(r.Resident)
	r.Reason = strings.TrimSpace(r.Reason)
	return r
}

func (r AddUserRequest) validate() error {
	switch {
	case r.Username == "":
		return civic.Errorf(civic.Invalid, "auth.username_empty", "a username is required")
	case len([]rune(r.Username)) > 64 || strings.ContainsAny(r.Username, " \t\r\n"):
		return civic.Errorf(civic.Invalid, "auth.bad_username", "a username has at most 64 characters and no spaces")
	case r.Name == "":
		return civic.Errorf(civic.Invalid, "auth.name_required", "a display name is required")
	case !r.Role.Valid():
		return civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", string(r.Role))
	case needsCommunity(r.Role) && r.Community == "":
		return civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", string(r.Role))
	case needsDistrict(r.Role) && r.District == "":
		return errNeedsDistrict()
	case r.Role == civic.RoleResident && r.Resident == "":
		return civic.Errorf(civic.Invalid, "auth.needs_resident", "a resident user must be linked to a resident")
	case r.RedGroup && r.Role != civic.RoleWorker:
		return civic.Errorf(civic.Invalid, "auth.grant_workers_only", "only community workers can be granted the red group")
	}
	return tooLong(r.Name)
}

// AddUser makes a user, with a generated password (returned to this request
// alone) or the admin's, and audits it under the user's community.
func (s *Service) AddUser(ctx context.Context, by civic.Actor, key idem.Key, r AddUserRequest) (ch UserChange, err error) {
	defer civic.Wrap(&err, "auth.AddUser(%s)", r.Username)
	if err := mayAdminister(by); err != nil {
		return ch, err
	}
	r = r.normal()
	if !needsCommunity(r.Role) {
		r.Community = "" // district and admin users see every community
	}
	if err := r.validate(); err != nil {
		return ch, err
	}
	reason, err := auditReason(r.Reason, false)
	if err != nil {
		return ch, err
	}
	plain, err := r.Password.choose(r.Username)
	if err != nil {
		return ch, err
	}
	if !needsDistrict(r.Role) {
		r.District = ""
	}
	nu := NewUser{CommunityID: r.Community, DistrictID: r.District, Username: r.Username, Name: r.Name, Role: r.Role, ResidentID: r.Resident}
	if r.RedGroup {
		nu.Grants = []string{GrantRedGroup}
	}
	var hash string
	check := func(ctx context.Context) (err error) {
		if r.Role == civic.RoleResident {
			if err := s.residentRegistered(ctx, r.Community, r.Resident); err != nil {
				return err
			}
		}
		hash, err = s.HashNewPassword(plain)
		return err
	}
	return adminRun(ctx, s, key, "auth.add_user", r, check, func(tx *db.Tx) (UserChange, error) {
		u, err := s.CreateUserHashed(ctx, tx, nu, hash)
		if err != nil {
			return UserChange{}, err
		}
		if err := audit(ctx, tx, by, u.CommunityID, "auth.user_create", "user", u.ID, reason); err != nil {
			return UserChange{}, err
		}
		return UserChange{UserID: u.ID, Password: r.Password.shown(plain), Fresh: true}, nil
	})
}

// residentRegistered refuses a login for someone the registry does not know
// as a resident of the community.
func (s *Service) residentRegistered(ctx context.Context, communityID, residentID string) error {
	if s.Residents == nil {
		return civic.Errorf(civic.Unavailable, "auth.no_registry", "the resident registry is not available")
	}
	err := s.Residents.ResidentActive(ctx, communityID, residentID)
	if civic.ErrorCode(err) == civic.NotFound {
		return civic.Errorf(civic.Invalid, "auth.unknown_resident", "there is no resident %q in this community", residentID)
	}
	return err
}

// ResetPasswordRequest gives a user a new password.
type ResetPasswordRequest struct {
	User     string      `json:"user"`
	Password NewPassword `json:"password"`
	Reason   string      `json:"reason"`
}

// ResetPassword replaces a user's password (generated and returned to this
// request alone, or the admin's) and ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, by civic.Actor, key idem.Key, r ResetPasswordRequest) (ch UserChange, err error) {
	defer civic.Wrap(&err, "auth.ResetPassword(%s)", r.User)
	if err := mayAdminister(by); err != nil {
		return ch, err
	}
	u, err := s.UserByID(ctx, r.User)
	if err != nil {
		return ch, err
	}
	if r.Reason, err = auditReason(r.Reason, true); err != nil {
		return ch, err
	}
	plain, err := r.Password.choose(u.Username)
	if err != nil {
		return ch, err
	}
	var hash string
	check := func(context.Context) (err error) {
		hash, err = s.HashNewPassword(plain)
		return err
	}
	return adminRun(ctx, s, key, "auth.reset_password", r, check, func(tx *db.Tx) (UserChange, error) {
		if _, err := s.SetPasswordHash(ctx, tx, u.ID, hash); err != nil {
			return UserChange{}, err
		}
		if err := audit(ctx, tx, by, u.CommunityID, "auth.password_reset", "user", u.ID, r.Reason); err != nil {
			return UserChange{}, err
		}
		return UserChange{UserID: u.ID, Password: r.Password.shown(plain), Fresh: true}, nil
	})
}

// AccessRequest turns a user's access off (Disabled) or back on.
type AccessRequest struct {
	User     string `json:"user"`
	Disabled bool   `json:"disabled"`
	Reason   string `json:"reason"`
}

// SetAccess turns a user's access off (ending their sessions) or back on. An
// admin cannot turn their own off: nobody might be left to turn it back on.
func (s *Service) SetAccess(ctx context.Context, by civic.Actor, key idem.Key, r AccessRequest) (ch UserChange, err error) {
	defer civic.Wrap(&err, "auth.SetAccess(%s)", r.User)
	if err := mayAdminister(by); err != nil {
		return ch, err
	}
	u, err := s.UserByID(ctx, r.User)
	if err != nil {
		return ch, err
	}
	if r.Reason, err = auditReason(r.Reason, true); err != nil {
		return ch, err
	}
	if r.Disabled && u.ID == by.UserID {
		return ch, civic.Errorf(civic.Invalid, "auth.self_disable", "you cannot disable your own account")
	}
	action := "auth.user_enable"
	if r.Disabled {
		action = "auth.user_disable"
	}
	return adminRun(ctx, s, key, "auth.set_access", r, nil, func(tx *db.Tx) (UserChange, error) {
		if _, err := s.SetDisabledTx(ctx, tx, u.ID, r.Disabled); err != nil {
			return UserChange{}, err
		}
		if err := audit(ctx, tx, by, u.CommunityID, action, "user", u.ID, r.Reason); err != nil {
			return UserChange{}, err
		}
		return UserChange{UserID: u.ID, Fresh: true}, nil
	})
}

// UnlockRequest clears the failed logins that lock a user out.
type UnlockRequest struct {
	User   string `json:"user"`
	Reason string `json:"reason"`
}

// Unlock clears the failed logins counted against a user, from everywhere
// and from each address, so the owner can log in at once.
func (s *Service) Unlock(ctx context.Context, by civic.Actor, key idem.Key, r UnlockRequest) (ch UserChange, err error) {
	defer civic.Wrap(&err, "auth.Unlock(%s)", r.User)
	if err := mayAdminister(by); err != nil {
		return ch, err
	}
	u, err := s.UserByID(ctx, r.User)
	if err != nil {
		return ch, err
	}
	if r.Reason, err = auditReason(r.Reason, true); err != nil {
		return ch, err
	}
	return adminRun(ctx, s, key, "auth.unlock", r, nil, func(tx *db.Tx) (UserChange, error) {
		if err := s.UnlockTx(ctx, tx, u.ID); err != nil {
			return UserChange{}, err
		}
		if err := audit(ctx, tx, by, u.CommunityID, "auth.user_unlock", "user", u.ID, r.Reason); err != nil {
			return UserChange{}, err
		}
		return UserChange{UserID: u.ID, Fresh: true}, nil
	})
}
