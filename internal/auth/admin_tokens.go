package auth

import (
	"context"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// CreateTokenTx makes a token in the caller's transaction, so the token, its
// audit entry and its key commit together (CreateToken). It returns the
// token and its secret, which is shown once: only its SHA-256 is stored.
func (s *Service) CreateTokenTx(ctx context.Context, tx *db.Tx, communityID string, role civic.Role, name string) (t Token, plain string, err error) {
	return s.CreateScopedTokenTx(ctx, tx, TokenScope{Community: communityID}, role, name, Limits{})
}

// TokenScope is where a token acts: a community, or (district tokens, and
// merchants of a district) a district.
type TokenScope struct {
	Community string
	District  string
}

// CreateScopedTokenTx is CreateTokenTx for a token scoped to a community or
// a district, with an expiry, scopes or a rate limit of its own.
func (s *Service) CreateScopedTokenTx(ctx context.Context, tx *db.Tx, scope TokenScope, role civic.Role, name string, l Limits) (t Token, plain string, err error) {
	communityID := scope.Community
	defer civic.Wrap(&err, "auth.CreateTokenTx(%s)", name)
	name = strings.TrimSpace(name)
	if name == "" {
		return t, "", civic.Errorf(civic.Invalid, "auth.token_name", "a token needs a name saying who uses it")
	}
	if !role.Valid() {
		return t, "", civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", string(role))
	}
	if needsCommunity(role) && communityID == "" && !(role == civic.RoleMerchant && scope.District != "") {
		return t, "", civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", string(role))
	}
	if needsDistrict(role) && scope.District == "" {
		return t, "", errNeedsDistrict()
	}
	if !needsCommunity(role) {
		communityID = "" // district and admin tokens read every community
	}
	if err := l.validate(s.now()); err != nil {
		return t, "", err
	}
	l.Scopes, _ = ParseScopes(strings.Join(l.Scopes, " ")) // sorted, once each
	t = Token{CommunityID: communityID, DistrictID: scope.District, ID: civic.NewID(), Name: name, Role: role, CreatedAt: s.now(), Limits: l}
	plain = newSecret("cp_")
	var expires int64
	if !l.ExpiresAt.IsZero() {
		expires = db.Millis(l.ExpiresAt)
	}
	_, err = tx.Exec(ctx, `INSERT INTO api_tokens (community_id, id, name, role, token_hash, created_at, revoked_at, expires_at, scopes, rate_per_minute, district_id)
		VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10)`,
		t.CommunityID, t.ID, t.Name, string(t.Role), hashSecret(plain), db.Millis(t.CreatedAt), expires, strings.Join(l.Scopes, " "), l.RatePerMinute, t.DistrictID)
	if err != nil {
		return Token{}, "", err
	}
	return t, plain, nil
}

// RevokeTokenTx turns a community's live token off for good in tx and
// returns it; a token already revoked, or unknown, is not found.
func (s *Service) RevokeTokenTx(ctx context.Context, tx *db.Tx, communityID, id string) (t Token, err error) {
	defer civic.Wrap(&err, "auth.RevokeTokenTx(%s)", id)
	if t, err = s.TokenByID(ctx, tx, communityID, id); err != nil {
		return t, err
	}
	if !t.RevokedAt.IsZero() {
		return t, civic.Errorf(civic.NotFound, "auth.token_not_found", "no live token %q", id)
	}
	t.RevokedAt = s.now()
	_, err = tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE community_id = $2 AND id = $3 AND revoked_at = 0",
		db.Millis(t.RevokedAt), communityID, id)
	return t, err
}
