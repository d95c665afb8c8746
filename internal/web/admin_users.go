package web

import (
	"net/http"
	"net/url"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
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
	req := auth.AddUserRequest{Username: f.Username, Name: f.Name, Role: civic.Role(f.Role), Resident: f.ResidentID,
		RedGroup: f.RedGroup, Password: formPassword(r), Reason: f.Reason}
	key, err := adminKey(r)
	if err == nil {
		req.Community, err = s.userCommunity(r, req.Role, f.Community)
	}
	if err == nil && req.Role == civic.RoleDistrict {
		req.District, err = s.pickedDistrict(r, f.Community)
	}
	var res auth.UserChange
	if err == nil {
		res, err = s.Auth.AddUser(ctx, a, key, req)
	}
	if err != nil {
		return refuse(err)
	}
	d, err := s.adminUserData(r, res.UserID)
	if err != nil {
		return err
	}
	// Only the request that created the user shows its password: a replay
	// (a double submit, a reload) has no password to show.
	d.Done = &adminDone{Password: res.Password, Replayed: !res.Fresh}
	return s.RenderStatus(w, r, http.StatusOK, "admin_user", View{Flash: s.T(r, "admin.users.created", req.Username), Data: d})
}

// userCommunity resolves the community picked for a new user; district and
// admin users belong to none, whatever the picker says.
func (s *Server) userCommunity(r *http.Request, role civic.Role, slug string) (string, error) {
	if role == civic.RoleDistrict || role == civic.RoleAdmin || strings.TrimSpace(slug) == "" {
		return "", nil
	}
	cs, err := s.adminCommunities(r.Context())
	if err != nil {
		return "", err
	}
	return cs.communityID(slug)
}
