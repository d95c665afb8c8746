package web

import (
	"context"
	"net/http"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// Helpers shared by the admin pages (users, one user, API tokens, audit log).
// The pages translate forms into auth's commands (auth.Service.AddUser,
// ResetPassword, SetAccess, Unlock, CreateToken, RevokeToken), which check
// the admin, validate, run once per form key and audit.

// adminRoles guards every admin page.
var adminRoles = []civic.Role{civic.RoleAdmin}

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

// formPassword reads a form's password choice: generated (shown once on the
// result page) or typed by the admin.
func formPassword(r *http.Request) auth.NewPassword {
	if r.PostFormValue("password_mode") == "set" {
		return auth.NewPassword{Password: r.PostFormValue("password")}
	}
	return auth.NewPassword{Generate: true}
}

// adminKey reads the form's hidden key as the admin's commands take it.
func adminKey(r *http.Request) (idem.Key, error) {
	key, err := formKey(r)
	return idem.Key(key), err
}

// pickedDistrict is the district of the community an admin picked for a
// district user or token: the office of that community's district. No
// community picked is left to the command, which says a district is needed.
func (s *Server) pickedDistrict(r *http.Request, slug string) (string, error) {
	if strings.TrimSpace(slug) == "" {
		return "", nil
	}
	cs, err := s.adminCommunities(r.Context())
	if err != nil {
		return "", err
	}
	id, err := cs.communityID(slug)
	if err != nil {
		return "", err
	}
	c, err := registry.CommunityByID(r.Context(), s.DB, id)
	return c.DistrictID, err
}
