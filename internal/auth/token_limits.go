package auth

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"civicpoints/internal/civic"
)

// Scopes narrow an API token below its role: a token with scopes may call
// only the API operations whose scope it holds (and its role allows); a token
// without scopes may call everything its role allows. Each API operation
// names one of these (internal/api, the route table).
var Scopes = []string{
	"ledger:read",       // accounts, histories, the ledger check
	"awards:write",      // awards and bulk awards
	"reversals:write",   // reversing a transfer
	"redemptions:write", // redemptions at the counter, pickups and releases of orders
	"registry:read",     // residents, households, estates, visits, colour counts
	"registry:write",    // new residents and households, moves, departures, colours, visits
	"earning:read",      // activities, rosters, claims, suggestions
	"earning:write",     // publishing and closing activities, sign-ups, attendance, claims, suggestions
	"catalogue:read",    // categories and indicators
	"catalogue:write",   // saving categories and indicators
	"station:read",      // goods, stock statements, donors, donations, orders, settings
	"station:write",     // goods, stock moves, donors, donations, purchases, settings
}

// MaxRatePerMinute bounds a token's own rate limit: 10,000 requests a
// second, above what one server answers, so a token given it (a load test's,
// a district hub's bulk feed) is limited by the server, not its bucket.
const MaxRatePerMinute = 600_000

// ParseScopes reads a list of scopes separated by commas or spaces; an
// unknown scope is an error naming it.
func ParseScopes(s string) ([]string, error) {
	var out []string
	for _, sc := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !slices.Contains(Scopes, sc) {
			return nil, civic.Errorf(civic.Invalid, "auth.bad_scope", "unknown scope %q: use %s", sc, strings.Join(Scopes, ", "))
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Limits are what a token may do beyond its role: until when, which scopes
// (none = all its role allows) and how many requests a minute (0 = the
// server's default).
type Limits struct {
	ExpiresAt     time.Time `json:"expires_at,omitzero"`
	Scopes        []string  `json:"scopes,omitempty"`
	RatePerMinute int       `json:"rate_per_minute,omitempty"`
}

func (l Limits) validate(now time.Time) error {
	if !l.ExpiresAt.IsZero() && !l.ExpiresAt.After(now) {
		return civic.Errorf(civic.Invalid, "auth.expiry_past", "a token's expiry must be in the future")
	}
	for _, sc := range l.Scopes {
		if !slices.Contains(Scopes, sc) {
			return civic.Errorf(civic.Invalid, "auth.bad_scope", "unknown scope %q: use %s", sc, strings.Join(Scopes, ", "))
		}
	}
	if l.RatePerMinute < 0 || l.RatePerMinute > MaxRatePerMinute {
		return civic.Errorf(civic.Invalid, "auth.bad_rate", "a token's rate limit must be 0 (the default) to %d requests a minute", MaxRatePerMinute)
	}
	return nil
}

// Allows reports whether a token with these limits holds scope.
func (l Limits) Allows(scope string) bool {
	return len(l.Scopes) == 0 || slices.Contains(l.Scopes, scope)
}

// Grant is a live token as the API sees it: who it acts as and its limits.
type Grant struct {
	Actor civic.Actor
	Limits
}

// TokenGrant returns the actor and limits of a live API token. Unknown,
// revoked and expired tokens are unauthenticated, with one message, so a
// caller cannot tell a guessed token from an old one.
func (s *Service) TokenGrant(ctx context.Context, plain string) (g Grant, err error) {
	defer civic.Wrap(&err, "auth.TokenGrant")
	var role, scopes string
	var revoked, expires int64
	a := &g.Actor
	err = s.DB.QueryRow(ctx, "SELECT community_id, district_id, id, name, role, revoked_at, expires_at, scopes, rate_per_minute FROM api_tokens WHERE token_hash = $1",
		hashSecret(plain)).Scan(&a.CommunityID, &a.DistrictID, &a.UserID, &a.Name, &role, &revoked, &expires, &scopes, &g.RatePerMinute)
	dead := err == nil && (revoked != 0 || (expires != 0 && s.now().UnixMilli() >= expires))
	if errors.Is(err, sql.ErrNoRows) || dead {
		return Grant{}, civic.Errorf(civic.Unauthenticated, "auth.bad_token", "the API token is unknown or revoked")
	}
	if err != nil {
		return Grant{}, err
	}
	a.Role, g.Scopes = civic.Role(role), strings.Fields(scopes)
	if expires != 0 {
		g.ExpiresAt = time.UnixMilli(expires).UTC()
	}
	return g, nil
}
