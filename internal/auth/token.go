package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Token describes an API token; its secret is never stored or shown again.
type Token struct {
	CommunityID string
	ID          string
	Name        string
	Role        civic.Role
	CreatedAt   time.Time
	RevokedAt   time.Time // zero while the token is live
}

// CreateToken makes an API token acting as role in the community and returns
// the token itself, which is shown once: only its SHA-256 is stored.
func (s *Service) CreateToken(ctx context.Context, communityID string, role civic.Role, name string) (plain string, err error) {
	defer civic.Wrap(&err, "auth.CreateToken(%s)", name)
	name = strings.TrimSpace(name)
	if name == "" {
		return "", civic.Errorf(civic.Invalid, "auth.token_name", "a token needs a name saying who uses it")
	}
	if !role.Valid() {
		return "", civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", string(role))
	}
	if needsCommunity(role) && communityID == "" {
		return "", civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", string(role))
	}
	plain = newSecret("cp_")
	_, err = s.DB.Exec(ctx, "INSERT INTO api_tokens (community_id, id, name, role, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, 0)",
		communityID, civic.NewID(), name, string(role), hashSecret(plain), db.Millis(s.now()))
	if err != nil {
		return "", err
	}
	return plain, nil
}

// VerifyToken returns the actor of a live API token: UserID is the token's
// id, Name its label. Unknown and revoked tokens are unauthenticated.
func (s *Service) VerifyToken(ctx context.Context, plain string) (a civic.Actor, err error) {
	defer civic.Wrap(&err, "auth.VerifyToken")
	var role string
	var revoked int64
	err = s.DB.QueryRow(ctx, "SELECT community_id, id, name, role, revoked_at FROM api_tokens WHERE token_hash = $1", hashSecret(plain)).
		Scan(&a.CommunityID, &a.UserID, &a.Name, &role, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked != 0) {
		return civic.Actor{}, civic.Errorf(civic.Unauthenticated, "auth.bad_token", "the API token is unknown or revoked")
	}
	a.Role = civic.Role(role)
	return a, err
}

// RevokeToken turns a token off for good.
func (s *Service) RevokeToken(ctx context.Context, id string) (err error) {
	defer civic.Wrap(&err, "auth.RevokeToken(%s)", id)
	res, err := s.DB.Exec(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0", db.Millis(s.now()), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return civic.Errorf(civic.NotFound, "auth.token_not_found", "no live token %q", id)
	}
	return nil
}

// Tokens lists a community's tokens, newest first (an empty community lists district and
// admin tokens).
func (s *Service) Tokens(ctx context.Context, communityID string) (out []Token, err error) {
	defer civic.Wrap(&err, "auth.Tokens(%s)", communityID)
	rows, err := s.DB.Query(ctx, "SELECT community_id, id, name, role, created_at, revoked_at FROM api_tokens WHERE community_id = $1 ORDER BY id DESC", communityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t Token
		var role string
		var created, revoked int64
		if err := rows.Scan(&t.CommunityID, &t.ID, &t.Name, &role, &created, &revoked); err != nil {
			return nil, err
		}
		t.Role, t.CreatedAt = civic.Role(role), db.FromMillis(created)
		if revoked != 0 {
			t.RevokedAt = db.FromMillis(revoked)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
