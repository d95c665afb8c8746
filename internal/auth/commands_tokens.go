package auth

import (
	"context"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// CreateTokenRequest is an API token an admin (or the CLI) makes.
type CreateTokenRequest struct {
	Community string     `json:"community"`          // the community's id; "" for district and admin tokens
	District  string     `json:"district,omitempty"` // the district's id, for a district (or district merchant) token
	Role      civic.Role `json:"role"`
	Name      string     `json:"name"` // who or what uses it
	Reason    string     `json:"reason"`
	Limits               // expiry, scopes, rate limit; empty for none
}

// CreatedToken is the answer of CreateToken. Only the token (never its
// secret) is stored with the key; see the note on secrets in commands.go.
type CreatedToken struct {
	Token
	Secret string `json:"-"` // the token itself, for the request that made it only
	Fresh  bool   `json:"-"` // this request made the token (false on a replay)
}

// CreateToken makes an API token acting as r.Role in r.Community and returns
// its secret to this request alone: only its SHA-256 is stored.
func (s *Service) CreateToken(ctx context.Context, by civic.Actor, key idem.Key, r CreateTokenRequest) (ct CreatedToken, err error) {
	defer civic.Wrap(&err, "auth.CreateToken(%s)", r.Name)
	if err := mayAdminister(by); err != nil {
		return ct, err
	}
	r.Name = strings.TrimSpace(r.Name)
	if err := tooLong(r.Name); err != nil {
		return ct, err
	}
	if r.Reason, err = auditReason(r.Reason, false); err != nil {
		return ct, err
	}
	return adminRun(ctx, s, key, "auth.create_token", r, nil, func(tx *db.Tx) (CreatedToken, error) {
		t, plain, err := s.CreateScopedTokenTx(ctx, tx, TokenScope{Community: r.Community, District: r.District}, r.Role, r.Name, r.Limits)
		if err != nil {
			return CreatedToken{}, err
		}
		if err := audit(ctx, tx, by, t.CommunityID, "auth.token_create", "token", t.ID, r.Reason); err != nil {
			return CreatedToken{}, err
		}
		return CreatedToken{Token: t, Secret: plain, Fresh: true}, nil
	})
}

// RevokeTokenRequest turns a community's live token off for good.
type RevokeTokenRequest struct {
	Community string `json:"community"` // the token's community id; "" for district and admin tokens
	Token     string `json:"token"`
	Reason    string `json:"reason"`
}

// RevokeToken turns a live token off for good; it stops working at once. A
// token already revoked, or unknown, is not found.
func (s *Service) RevokeToken(ctx context.Context, by civic.Actor, key idem.Key, r RevokeTokenRequest) (t Token, err error) {
	defer civic.Wrap(&err, "auth.RevokeToken(%s)", r.Token)
	if err := mayAdminister(by); err != nil {
		return t, err
	}
	if r.Reason, err = auditReason(r.Reason, true); err != nil {
		return t, err
	}
	return adminRun(ctx, s, key, "auth.revoke_token", r, nil, func(tx *db.Tx) (Token, error) {
		t, err := s.RevokeTokenTx(ctx, tx, r.Community, r.Token)
		if err != nil {
			return t, err
		}
		return t, audit(ctx, tx, by, t.CommunityID, "auth.token_revoke", "token", t.ID, r.Reason)
	})
}
