package web

import (
	"net/http"
	"net/url"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
)

// API tokens, per community: the list (never a secret: only its SHA-256 is
// kept), creating one (its secret is shown once, on the result page) and
// revoking one. Both writes go to the audit log of the token's community.
func init() {
	AddPage(Page{Method: "GET", Path: "/admin/tokens", Roles: adminRoles, Nav: "admin.nav.tokens", Handler: (*Server).adminTokens})
	AddPage(Page{Method: "POST", Path: "/admin/tokens", Roles: adminRoles, Handler: (*Server).adminTokensCreate})
	AddPage(Page{Method: "POST", Path: "/admin/tokens/{id}/revoke", Roles: adminRoles, Handler: (*Server).adminTokensRevoke})
}

// tokenRoles are the roles an API token can act as: a resident has no use
// for one.
var tokenRoles = []civic.Role{civic.RoleWorker, civic.RoleClerk, civic.RoleMerchant, civic.RoleDistrict, civic.RoleAdmin}

// tokenRow is a listed token with the key of its own revoke form.
type tokenRow struct {
	auth.Token
	Key, Created, Revoked string
}

type tokenForm struct{ Key, Community, Role, Name, Reason string }

type adminTokensData struct {
	Communities adminCommunities
	Roles       []civic.Role
	Scope       string // a community slug, or scopeInstallation
	ScopeName   string
	Tokens      []tokenRow
	Form        tokenForm
	Created     *createdToken
}

// createdToken is a token just made, as the page shows it: its secret only
// to the request that made it (auth.CreatedToken).
type createdToken struct {
	ID, Name, Community string
	Role                civic.Role
	Secret              string
}

func (s *Server) adminTokensData(r *http.Request, scope string, form tokenForm) (d adminTokensData, err error) {
	d = adminTokensData{Roles: tokenRoles, Scope: scope, Form: form}
	if d.Communities, err = s.adminCommunities(r.Context()); err != nil {
		return d, err
	}
	if d.Scope == "" {
		d.Scope = scopeInstallation
		if len(d.Communities.List) > 0 {
			d.Scope = d.Communities.List[0].Slug
		}
	}
	if d.Form.Key == "" {
		d.Form.Key = newFormKey()
	}
	if d.Form.Community == "" && d.Scope != scopeInstallation {
		d.Form.Community = d.Scope
	}
	id := ""
	if d.Scope != scopeInstallation {
		if id, err = d.Communities.communityID(d.Scope); err != nil {
			return d, err
		}
		d.ScopeName = d.Communities.Names[id]
	}
	tokens, err := s.Auth.Tokens(r.Context(), id)
	for _, t := range tokens {
		d.Tokens = append(d.Tokens, tokenRow{Token: t, Key: newFormKey(), Created: shanghai(t.CreatedAt), Revoked: shanghai(t.RevokedAt)})
	}
	return d, err
}

func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request) error {
	d, err := s.adminTokensData(r, r.URL.Query().Get("community"), tokenForm{})
	if err != nil {
		return err
	}
	v := View{Data: d}
	if r.URL.Query().Get("revoked") == "1" {
		v.Flash = s.T(r, "admin.tokens.revoked")
	}
	return s.RenderStatus(w, r, http.StatusOK, "admin_tokens", v)
}

func (s *Server) adminTokensCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	f := tokenForm{Key: r.PostFormValue("key"), Community: strings.TrimSpace(r.PostFormValue("community")),
		Role: r.PostFormValue("role"), Name: strings.TrimSpace(r.PostFormValue("name")), Reason: r.PostFormValue("reason")}
	role := civic.Role(f.Role)
	scope := f.Community
	if role == civic.RoleDistrict || role == civic.RoleAdmin || scope == "" {
		scope = scopeInstallation
	}
	refuse := func(err error) error {
		if civic.ErrorCode(err) == civic.Internal {
			return err
		}
		d, derr := s.adminTokensData(r, "", f)
		if derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "admin_tokens", d)
	}
	cs, err := s.adminCommunities(ctx)
	if err != nil {
		return err
	}
	key, err := adminKey(r)
	var communityID string
	if err == nil {
		communityID, err = cs.communityID(f.Community)
	}
	var districtID string
	if err == nil && role == civic.RoleDistrict {
		districtID, err = s.pickedDistrict(r, f.Community)
	}
	var ct auth.CreatedToken
	if err == nil {
		ct, err = s.Auth.CreateToken(ctx, a, key, auth.CreateTokenRequest{Community: communityID, District: districtID, Role: role, Name: f.Name, Reason: f.Reason})
	}
	if err != nil {
		return refuse(err)
	}
	// Only the request that made the token shows its secret; a replay (a
	// double submit, a reload) cannot: it is not kept anywhere.
	res := createdToken{ID: ct.ID, Name: ct.Name, Role: ct.Role, Community: cs.Names[ct.CommunityID], Secret: ct.Secret}
	d, err := s.adminTokensData(r, scope, tokenForm{})
	if err != nil {
		return err
	}
	d.Created = &res
	return s.RenderStatus(w, r, http.StatusOK, "admin_tokens", View{Flash: s.T(r, "admin.tokens.created", res.Name), Data: d})
}

func (s *Server) adminTokensRevoke(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	scope := r.PostFormValue("community")
	cs, err := s.adminCommunities(ctx)
	if err != nil {
		return err
	}
	communityID := ""
	if scope != scopeInstallation {
		if communityID, err = cs.communityID(scope); err != nil {
			return err
		}
	}
	key, err := adminKey(r)
	if err == nil {
		_, err = s.Auth.RevokeToken(ctx, a, key, auth.RevokeTokenRequest{Community: communityID, Token: r.PathValue("id"), Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		if civic.ErrorCode(err) == civic.Internal {
			return err
		}
		d, derr := s.adminTokensData(r, scope, tokenForm{})
		if derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "admin_tokens", d)
	}
	// Back to the list with a GET, so a reload does not ask to resend.
	http.Redirect(w, r, "/admin/tokens?"+url.Values{"community": {scope}, "revoked": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}
