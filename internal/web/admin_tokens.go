package web

import (
	"net/http"
	"net/url"
	"strings"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
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

// createdToken is the stored answer of a creation: never the secret.
type createdToken struct {
	ID, Name, Community, Nonce string
	Role                       civic.Role
	Secret                     string `json:"-"` // set only for the request that created it
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
	communityID, err := cs.communityID(f.Community)
	if err != nil {
		return refuse(err)
	}
	if len([]rune(f.Name)) > maxReason {
		return refuse(civic.Errorf(civic.Invalid, "admin.too_long", "a text is longer than %d characters", maxReason))
	}
	reason, err := adminReason(r, false)
	if err != nil {
		return refuse(err)
	}
	var res createdToken
	nonce, secret := newFormKey(), ""
	err = s.adminOnce(r, &res, func(tx *db.Tx) (any, error) {
		t, plain, err := s.Auth.CreateTokenTx(ctx, tx, communityID, role, f.Name)
		if err != nil {
			return nil, err
		}
		if err := s.adminAudit(ctx, tx, a, t.CommunityID, "auth.token_create", "token", t.ID, reason); err != nil {
			return nil, err
		}
		secret = plain
		return createdToken{ID: t.ID, Name: t.Name, Role: t.Role, Community: cs.Names[t.CommunityID], Nonce: nonce}, nil
	})
	if err != nil {
		return refuse(err)
	}
	// Only the request whose transaction stored the token shows its secret;
	// a replay (a double submit, a reload) cannot: it is not kept anywhere.
	if res.Nonce == nonce {
		res.Secret = secret
	}
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
	reason, err := adminReason(r, true)
	var res changedUser
	if err == nil {
		err = s.adminOnce(r, &res, func(tx *db.Tx) (any, error) {
			t, err := s.Auth.RevokeTokenTx(ctx, tx, communityID, r.PathValue("id"))
			if err != nil {
				return nil, err
			}
			if err := s.adminAudit(ctx, tx, a, t.CommunityID, "auth.token_revoke", "token", t.ID, reason); err != nil {
				return nil, err
			}
			return changedUser{UserID: t.ID}, nil
		})
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
