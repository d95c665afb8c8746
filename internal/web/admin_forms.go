package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/registry"
)

// Helpers shared by the admin pages (users, one user, API tokens, audit log).

// adminRoles guards every admin page.
var adminRoles = []civic.Role{civic.RoleAdmin}

// maxReason bounds the free text an admin writes into the audit log.
const maxReason = 200

// secretFields never reach the request hash of a form: the hash is stored
// with the idempotency key, and an unsalted SHA-256 over a form whose other
// fields are known would let a weak password be guessed from it.
var secretFields = map[string]bool{"password": true}

// adminOnce runs fn once for the form's hidden key (s.once), sharded on one
// admin writer: a double submit or a resent form returns the first answer in
// out and writes nothing again. The path joins the hash, so one key cannot
// be replayed against another user or token.
func (s *Server) adminOnce(r *http.Request, out any, fn func(tx *db.Tx) (any, error)) error {
	a, _ := ActorFrom(r.Context())
	form := url.Values{"_path": {r.URL.Path}}
	for k, v := range r.PostForm {
		if !secretFields[k] {
			form[k] = v
		}
	}
	return s.once(r.Context(), a, "admin", r.PostFormValue("key"), form, out, fn)
}

// adminAudit writes one audit entry for an admin's change, filed under the
// community of what changed, so that community's log shows it.
func (s *Server) adminAudit(ctx context.Context, tx *db.Tx, a civic.Actor, communityID, action, kind, subject, reason string) error {
	e := auth.EntryFor(a, action, kind, subject, reason, s.Clock.Now())
	e.CommunityID = communityID
	return auth.Audit(ctx, tx, e)
}

// adminCommunities lists every community for the pickers, with a map from
// id to name for the lists.
type adminCommunities struct {
	List  []registry.Community
	Names map[string]string
}

func (s *Server) adminCommunities(ctx context.Context) (adminCommunities, error) {
	list, err := registry.Communities(ctx, s.DB)
	if err != nil {
		return adminCommunities{}, err
	}
	c := adminCommunities{List: list, Names: map[string]string{}}
	for _, x := range list {
		c.Names[x.ID] = x.Name
	}
	return c, nil
}

// SlugOf is the slug of a community id ("" for the installation).
func (c adminCommunities) SlugOf(id string) string {
	for _, x := range c.List {
		if x.ID == id {
			return x.Slug
		}
	}
	return ""
}

// communityID resolves a picked community slug ("" is the installation:
// district and admin users and tokens); an unknown slug is refused.
func (c adminCommunities) communityID(slug string) (string, error) {
	slug = strings.TrimSpace(slug)
	if slug == "" {
		return "", nil
	}
	for _, x := range c.List {
		if x.Slug == slug {
			return x.ID, nil
		}
	}
	return "", civic.Errorf(civic.Invalid, "admin.unknown_community", "there is no community %q", slug)
}

// adminReason reads the reason of a change: required where it matters (a
// reset, disabling, a revocation), bounded always.
func adminReason(r *http.Request, required bool) (string, error) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if required && reason == "" {
		return "", civic.Errorf(civic.Invalid, "admin.reason_required", "a reason is required; it is kept in the audit log")
	}
	if len([]rune(reason)) > maxReason {
		return "", civic.Errorf(civic.Invalid, "admin.too_long", "a text is longer than %d characters", maxReason)
	}
	return reason, nil
}

// adminPassword reads the password choice of a form: generated (shown once
// on the result page) or typed by the admin and checked for strength.
func (s *Server) adminPassword(r *http.Request, username string) (plain string, generated bool, hash string, err error) {
	if r.PostFormValue("password_mode") == "set" {
		plain = r.PostFormValue("password")
		if err := auth.CheckPasswordStrength(username, plain); err != nil {
			return "", false, "", err
		}
	} else {
		plain, generated = auth.GeneratePassword(), true
	}
	hash, err = s.Auth.HashNewPassword(plain)
	return plain, generated, hash, err
}
