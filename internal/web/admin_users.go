package web

import (
	"net/http"
	"net/url"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// The admin's user list (filtered by community and role, keyset paginated)
// and the form that creates a user. The initial password is either typed by
// the admin or generated and shown once on the result page; every creation
// is written to the audit log of the user's community in the same
// transaction as the user.
func init() {
	AddPage(Page{Method: "GET", Path: "/admin/users", Roles: adminRoles, Nav: "admin.nav.users", Handler: (*Server).adminUsers})
	AddPage(Page{Method: "POST", Path: "/admin/users", Roles: adminRoles, Handler: (*Server).adminUsersCreate})
}

// Community filter values besides a slug.
const (
	scopeAll          = "*" // every community and the installation
	scopeInstallation = "-" // district and admin users
)

// userRoles are the roles an admin can give, in the order of the pickers.
var userRoles = []civic.Role{civic.RoleResident, civic.RoleWorker, civic.RoleClerk, civic.RoleMerchant, civic.RoleDistrict, civic.RoleAdmin}

type userForm struct {
	Key, Username, Name, Role, Community, ResidentID, PasswordMode, Reason string
	RedGroup                                                               bool
}

type adminUserRow struct {
	auth.User
	Community string
}

type adminUsersData struct {
	Communities     adminCommunities
	Roles           []civic.Role
	Scope, Role     string
	Users           []adminUserRow
	Next, FirstPage string
	Form            userForm
}

func (s *Server) adminUsersData(r *http.Request, form userForm) (adminUsersData, error) {
	q := r.URL.Query()
	d := adminUsersData{Roles: userRoles, Scope: q.Get("community"), Role: q.Get("role"), Form: form}
	if d.Scope == "" {
		d.Scope = scopeAll
	}
	if d.Form.Key == "" {
		d.Form.Key = newFormKey()
	}
	if d.Form.PasswordMode == "" {
		d.Form.PasswordMode = "generate"
	}
	var err error
	if d.Communities, err = s.adminCommunities(r.Context()); err != nil {
		return d, err
	}
	f := auth.UserFilter{Role: civic.Role(d.Role), After: q.Get("after"), Limit: 50}
	switch d.Scope {
	case scopeAll:
		f.AllCommunities = true
	case scopeInstallation:
	default:
		if f.Community, err = d.Communities.communityID(d.Scope); err != nil {
			return d, err
		}
	}
	users, next, err := s.Auth.ListUsers(r.Context(), f)
	if err != nil {
		return d, err
	}
	for _, u := range users {
		d.Users = append(d.Users, adminUserRow{User: u, Community: d.Communities.Names[u.CommunityID]})
	}
	page := url.Values{"community": {d.Scope}, "role": {d.Role}}
	if f.After != "" {
		d.FirstPage = "/admin/users?" + page.Encode()
	}
	if next != "" {
		page.Set("after", next)
		d.Next = "/admin/users?" + page.Encode()
	}
	return d, nil
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	d, err := s.adminUsersData(r, userForm{})
	if err != nil {
		return err
	}
	return s.Render(w, r, "admin_users", d)
}

func (s *Server) adminUsersCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	f := userForm{Key: r.PostFormValue("key"), Username: strings.TrimSpace(r.PostFormValue("username")),
		Name: strings.TrimSpace(r.PostFormValue("name")), Role: r.PostFormValue("role"),
		Community: r.PostFormValue("community"), ResidentID: strings.TrimSpace(r.PostFormValue("resident_id")),
		PasswordMode: r.PostFormValue("password_mode"), Reason: r.PostFormValue("reason"), RedGroup: r.PostFormValue("red_group") == "1"}
	refuse := func(err error) error {
		if civic.ErrorCode(err) == civic.Internal {
			return err
		}
		d, derr := s.adminUsersData(r, f)
		if derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "admin_users", d)
	}
	nu, err := s.checkUserForm(r, f)
	if err != nil {
		return refuse(err)
	}
	reason, err := adminReason(r, false)
	if err != nil {
		return refuse(err)
	}
	plain, generated, hash, err := s.adminPassword(r, nu.Username)
	if err != nil {
		return refuse(err)
	}
	var res changedUser
	nonce := newFormKey()
	err = s.adminOnce(r, &res, func(tx *db.Tx) (any, error) {
		u, err := s.Auth.CreateUserHashed(ctx, tx, nu, hash)
		if err != nil {
			return nil, err
		}
		if err := s.adminAudit(ctx, tx, a, u.CommunityID, "auth.user_create", "user", u.ID, reason); err != nil {
			return nil, err
		}
		return changedUser{UserID: u.ID, Nonce: nonce}, nil
	})
	if err != nil {
		return refuse(err)
	}
	d, err := s.adminUserData(r, res.UserID)
	if err != nil {
		return err
	}
	// Only the request that created the user shows its password: a replay
	// (a double submit, a reload) has no password to show.
	d.Done = &adminDone{Replayed: res.Nonce != nonce}
	if generated && res.Nonce == nonce {
		d.Done.Password = plain
	}
	return s.RenderStatus(w, r, http.StatusOK, "admin_user", View{Flash: s.T(r, "admin.users.created", nu.Username), Data: d})
}

// checkUserForm turns the form into a NewUser, refusing what CreateUser
// would refuse and what only the pages know: an unknown community, a
// resident who is not registered there, a grant for a role that has none.
func (s *Server) checkUserForm(r *http.Request, f userForm) (nu auth.NewUser, err error) {
	nu = auth.NewUser{Username: f.Username, Name: f.Name, Role: civic.Role(f.Role)}
	switch {
	case nu.Username == "":
		return nu, civic.Errorf(civic.Invalid, "auth.username_empty", "a username is required")
	case len([]rune(nu.Username)) > 64 || strings.ContainsAny(nu.Username, " \t\r\n"):
		return nu, civic.Errorf(civic.Invalid, "admin.bad_username", "a username has at most 64 characters and no spaces")
	case nu.Name == "":
		return nu, civic.Errorf(civic.Invalid, "admin.name_required", "a display name is required")
	case len([]rune(nu.Name)) > maxReason:
		return nu, civic.Errorf(civic.Invalid, "admin.too_long", "a text is longer than %d characters", maxReason)
	case !nu.Role.Valid():
		return nu, civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", f.Role)
	}
	global := nu.Role == civic.RoleDistrict || nu.Role == civic.RoleAdmin
	if !global {
		if strings.TrimSpace(f.Community) == "" {
			return nu, civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", f.Role)
		}
		cs, err := s.adminCommunities(r.Context())
		if err != nil {
			return nu, err
		}
		if nu.CommunityID, err = cs.communityID(f.Community); err != nil {
			return nu, err
		}
	}
	if nu.Role == civic.RoleResident {
		if f.ResidentID == "" {
			return nu, civic.Errorf(civic.Invalid, "auth.needs_resident", "a resident user must be linked to a resident")
		}
		if s.Registry == nil {
			return nu, civic.Errorf(civic.Unavailable, "admin.no_registry", "the resident registry is not available")
		}
		if err := s.Registry.ResidentActive(r.Context(), nu.CommunityID, f.ResidentID); err != nil {
			if civic.ErrorCode(err) == civic.NotFound {
				return nu, civic.Errorf(civic.Invalid, "admin.unknown_resident", "there is no resident %q in this community", f.ResidentID)
			}
			return nu, err
		}
		nu.ResidentID = f.ResidentID
	}
	if f.RedGroup {
		if nu.Role != civic.RoleWorker {
			return nu, civic.Errorf(civic.Invalid, "admin.grant_workers_only", "only community workers can be granted the red group")
		}
		nu.Grants = []string{auth.GrantRedGroup}
	}
	return nu, nil
}
