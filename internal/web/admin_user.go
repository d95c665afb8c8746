package web

import (
	"net/http"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
)

// One user, as the admin sees them: reset the password (generated and shown
// once, or typed) and turn access off or back on, each with a reason kept in
// the audit log. A reset or disabling ends the user's sessions. An account
// locked by failed logins can be unlocked, with a reason, in the audit log.
func init() {
	AddPage(Page{Method: "GET", Path: "/admin/users/{id}", Roles: adminRoles, Handler: (*Server).adminUser})
	AddPage(Page{Method: "POST", Path: "/admin/users/{id}/password", Roles: adminRoles, Handler: (*Server).adminUserPassword})
	AddPage(Page{Method: "POST", Path: "/admin/users/{id}/access", Roles: adminRoles, Handler: (*Server).adminUserAccess})
	AddPage(Page{Method: "POST", Path: "/admin/users/{id}/unlock", Roles: adminRoles, Handler: (*Server).adminUserUnlock})
}

// adminDone is the outcome of a write shown on the user's page.
type adminDone struct {
	Password string // a generated password, shown this once
	Replayed bool   // the form had been sent before: nothing changed now
}

type adminUserData struct {
	User                       auth.User
	Community, CommunitySlug   string
	Created                    string
	Self                       bool
	PasswordKey, AccessKey     string
	LockedUntil, UnlockKey     string // when failed logins lock the account: until when (Shanghai time)
	PasswordMode, Reason, Form string // the refused form's fields, shown again
	Done                       *adminDone
}

func (s *Server) adminUserData(r *http.Request, id string) (d adminUserData, err error) {
	a, _ := ActorFrom(r.Context())
	if d.User, err = s.Auth.UserByID(r.Context(), id); err != nil {
		return d, err
	}
	cs, err := s.adminCommunities(r.Context())
	if err != nil {
		return d, err
	}
	d.Community, d.CommunitySlug = cs.Names[d.User.CommunityID], cs.SlugOf(d.User.CommunityID)
	d.Created = shanghai(d.User.CreatedAt)
	d.Self, d.PasswordKey, d.AccessKey, d.PasswordMode = d.User.ID == a.UserID, newFormKey(), newFormKey(), "generate"
	until, err := s.Auth.LockedUntil(r.Context(), id)
	if err != nil {
		return d, err
	}
	if !until.IsZero() {
		d.LockedUntil, d.UnlockKey = shanghai(until), newFormKey()
	}
	return d, nil
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	d, err := s.adminUserData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.Render(w, r, "admin_user", d)
}

// refuseUserForm shows the user's page again with the refusal, keeping the
// refused form's key and fields so a corrected resend is still one change.
func (s *Server) refuseUserForm(w http.ResponseWriter, r *http.Request, form string, err error) error {
	if civic.ErrorCode(err) == civic.Internal {
		return err
	}
	d, derr := s.adminUserData(r, r.PathValue("id"))
	if derr != nil {
		return derr
	}
	d.Form, d.Reason = form, r.PostFormValue("reason")
	switch form {
	case "password":
		d.PasswordKey, d.PasswordMode = r.PostFormValue("key"), r.PostFormValue("password_mode")
	case "unlock":
		d.UnlockKey = r.PostFormValue("key")
	default:
		d.AccessKey = r.PostFormValue("key")
	}
	return s.reshow(w, r, err, "admin_user", d)
}

func (s *Server) adminUserPassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	key, err := adminKey(r)
	var res auth.UserChange
	if err == nil {
		res, err = s.Auth.ResetPassword(ctx, a, key, auth.ResetPasswordRequest{User: r.PathValue("id"), Password: formPassword(r), Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.refuseUserForm(w, r, "password", err)
	}
	d, err := s.adminUserData(r, res.UserID)
	if err != nil {
		return err
	}
	// Only the request whose answer was stored shows its password; a replay
	// (or a twin that committed first) has none to show.
	d.Done = &adminDone{Password: res.Password, Replayed: !res.Fresh}
	return s.RenderStatus(w, r, http.StatusOK, "admin_user", View{Flash: s.T(r, "admin.user.password_reset", d.User.Username), Data: d})
}

func (s *Server) adminUserAccess(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	disable := r.PostFormValue("disabled") == "1"
	key, err := adminKey(r)
	var res auth.UserChange
	if err == nil {
		res, err = s.Auth.SetAccess(ctx, a, key, auth.AccessRequest{User: r.PathValue("id"), Disabled: disable, Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.refuseUserForm(w, r, "access", err)
	}
	d, err := s.adminUserData(r, res.UserID)
	if err != nil {
		return err
	}
	msg := "admin.user.enabled"
	if disable {
		msg = "admin.user.disabled"
	}
	return s.RenderStatus(w, r, http.StatusOK, "admin_user", View{Flash: s.T(r, msg, d.User.Username), Data: d})
}

// adminUserUnlock clears the failed logins that lock a user out (from
// everywhere or from one address), in the audit log with its reason. A lock
// that has already ended, or a resent form, changes nothing more.
func (s *Server) adminUserUnlock(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	key, err := adminKey(r)
	var res auth.UserChange
	if err == nil {
		res, err = s.Auth.Unlock(ctx, a, key, auth.UnlockRequest{User: r.PathValue("id"), Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.refuseUserForm(w, r, "unlock", err)
	}
	d, err := s.adminUserData(r, res.UserID)
	if err != nil {
		return err
	}
	d.Done = &adminDone{Replayed: !res.Fresh}
	return s.RenderStatus(w, r, http.StatusOK, "admin_user", View{Flash: s.T(r, "admin.user.unlocked", d.User.Username), Data: d})
}
