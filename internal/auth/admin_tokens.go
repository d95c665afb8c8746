package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// CreateTokenTx is CreateToken in the caller's transaction, so the token and
// its audit entry commit together. It returns the token and its secret,
// which is shown once: only its SHA-256 is stored.
func (s *Service) CreateTokenTx(ctx context.Context, tx *db.Tx, communityID string, role civic.Role, name string) (t Token, plain string, err error) {
	defer civic.Wrap(&err, "auth.CreateTokenTx(%s)", name)
	name = strings.TrimSpace(name)
	if name == "" {
		return t, "", civic.Errorf(civic.Invalid, "auth.token_name", "a token needs a name saying who uses it")
	}
	if !role.Valid() {
		return t, "", civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", string(role))
	}
	if needsCommunity(role) && communityID == "" {
		return t, "", civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", string(role))
	}
	if !needsCommunity(role) {
		communityID = "" // district and admin tokens read every community
	}
	t = Token{CommunityID: communityID, ID: civic.NewID(), Name: name, Role: role, CreatedAt: s.now()}
	plain = newSecret("cp_")
	_, err = tx.Exec(ctx, "INSERT INTO api_tokens (community_id, id, name, role, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, 0)",
		t.CommunityID, t.ID, t.Name, string(t.Role), hashSecret(plain), db.Millis(t.CreatedAt))
	if err != nil {
		return Token{}, "", err
	}
	return t, plain, nil
}

// TokenByID finds a community's token (never its secret).
func (s *Service) TokenByID(ctx context.Context, q db.Querier, communityID, id string) (t Token, err error) {
	defer civic.Wrap(&err, "auth.TokenByID(%s)", id)
	var role string
	var created, revoked int64
	err = q.QueryRow(ctx, "SELECT community_id, id, name, role, created_at, revoked_at FROM api_tokens WHERE community_id = $1 AND id = $2",
		communityID, id).Scan(&t.CommunityID, &t.ID, &t.Name, &role, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return t, civic.Errorf(civic.NotFound, "auth.token_not_found", "no live token %q", id)
	}
	if err != nil {
		return t, err
	}
	t.Role, t.CreatedAt = civic.Role(role), db.FromMillis(created)
	if revoked != 0 {
		t.RevokedAt = db.FromMillis(revoked)
	}
	return t, nil
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
