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
	DistrictID  string // a district token's district
	ID          string
	Name        string
	Role        civic.Role
	CreatedAt   time.Time
	RevokedAt   time.Time // zero while the token is live
	Limits                // expiry, scopes, rate limit (token_limits.go)
}

// VerifyToken returns the actor of a live API token: UserID is the token's
// id, Name its label. Unknown, revoked and expired tokens are unauthenticated.
func (s *Service) VerifyToken(ctx context.Context, plain string) (a civic.Actor, err error) {
	defer civic.Wrap(&err, "auth.VerifyToken")
	g, err := s.TokenGrant(ctx, plain)
	return g.Actor, err
}

const tokenColumns = "community_id, district_id, id, name, role, created_at, revoked_at, expires_at, scopes, rate_per_minute"

func scanToken(row db.Scanner) (t Token, err error) {
	var role, scopes string
	var created, revoked, expires int64
	if err := row.Scan(&t.CommunityID, &t.DistrictID, &t.ID, &t.Name, &role, &created, &revoked, &expires, &scopes, &t.RatePerMinute); err != nil {
		return t, err
	}
	t.Role, t.CreatedAt, t.Scopes = civic.Role(role), db.FromMillis(created), strings.Fields(scopes)
	if expires != 0 {
		t.ExpiresAt = db.FromMillis(expires)
	}
	if revoked != 0 {
		t.RevokedAt = db.FromMillis(revoked)
	}
	return t, nil
}

// Tokens lists a community's tokens, newest first (an empty community lists district and
// admin tokens).
func (s *Service) Tokens(ctx context.Context, communityID string) (out []Token, err error) {
	defer civic.Wrap(&err, "auth.Tokens(%s)", communityID)
	rows, err := s.DB.Query(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE community_id = $1 ORDER BY id DESC", communityID)
	return db.Collect(rows, err, scanToken)
}

// TokenByID finds a community's token (never its secret).
func (s *Service) TokenByID(ctx context.Context, q db.Querier, communityID, id string) (t Token, err error) {
	defer civic.Wrap(&err, "auth.TokenByID(%s)", id)
	t, err = scanToken(q.QueryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE community_id = $1 AND id = $2", communityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, civic.Errorf(civic.NotFound, "auth.token_not_found", "no live token %q", id)
	}
	return t, err
}

// FindToken finds a token by its id alone, in whichever community it
// belongs to, for the CLI, which is given only the id (token ids are unique
// everywhere).
func (s *Service) FindToken(ctx context.Context, id string) (t Token, err error) {
	defer civic.Wrap(&err, "auth.FindToken(%s)", id)
	t, err = scanToken(s.DB.QueryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, civic.Errorf(civic.NotFound, "auth.token_not_found", "no live token %q", id)
	}
	return t, err
}
