package credit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/registry"
)

// The resident code (信用码). Two forms, both signed with the community's
// Ed25519 key and verifiable offline with its public key:
//
//	CP1.<community id>.<resident ref>.<expiry unix s>.<signature>   the phone QR, rotating every 60 s
//	CPC1.<community id>.<card id>.<signature>                       the printable card, revocable
//
// The resident ref is a random pseudonym kept by the registry, never the
// resident id, so a photographed code says nothing about who it belongs to.
const (
	Rotation = 60 * time.Second // a new phone code every minute
	Grace    = 30 * time.Second // a code shown just before rotating still scans
	b64      = "base64url"
)

var enc = base64.RawURLEncoding

// Codes issues and verifies resident codes.
type Codes struct {
	DB    *db.DB
	Clock civic.Clock
	Reg   *registry.Service
}

// NewCodes builds the code service over the registry.
func NewCodes(d *db.DB, clock civic.Clock, reg *registry.Service) *Codes {
	return &Codes{DB: d, Clock: clock, Reg: reg}
}

// Verified is what a valid code says.
type Verified struct {
	CommunityID string
	ResidentID  string
	CardID      string    // set for a printed card
	Expires     time.Time // zero for a card
}

// Each error is a literal civic.Errorf so the catalogue check sees its key:
// none of these messages takes an argument.
var (
	errMalformed = func() error {
		return civic.Errorf(civic.Invalid, "credit.code_malformed", "this is not a resident code")
	}
	errTampered = func() error {
		return civic.Errorf(civic.Invalid, "credit.code_tampered", "the code's signature does not match: it was altered or forged")
	}
	errExpired = func() error {
		return civic.Errorf(civic.Invalid, "credit.code_expired", "the code has expired: ask the resident to refresh it")
	}
	errRevoked = func() error {
		return civic.Errorf(civic.Forbidden, "credit.code_revoked", "this card has been revoked: a new card must be issued")
	}
	errOther = func() error {
		return civic.Errorf(civic.Forbidden, "credit.code_other_community", "the code belongs to another community")
	}
)

// key returns the community's signing key, creating it on first use.
func (c *Codes) key(ctx context.Context, communityID string) (ed25519.PrivateKey, error) {
	k, err := c.Reg.Keys(ctx)
	if err != nil {
		return nil, err
	}
	var sealed string
	err = c.DB.QueryRow(ctx, "SELECT private_enc FROM credit_code_keys WHERE community_id = $1", communityID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		pub, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, gerr
		}
		err = c.DB.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO credit_code_keys (community_id, public_key, private_enc, created_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (community_id) DO NOTHING`, communityID, enc.EncodeToString(pub), k.Seal(enc.EncodeToString(priv.Seed())), db.Millis(c.Clock.Now())); err != nil {
				return err
			}
			return tx.QueryRow(ctx, "SELECT private_enc FROM credit_code_keys WHERE community_id = $1", communityID).Scan(&sealed)
		})
	}
	if err != nil {
		return nil, err
	}
	seed, err := k.Open(sealed)
	if err != nil {
		return nil, err
	}
	raw, err := enc.DecodeString(seed)
	if err != nil || len(raw) != ed25519.SeedSize {
		return nil, errors.New("credit: stored code key is malformed")
	}
	return ed25519.NewKeyFromSeed(raw), nil
}

// PublicKey is the community's verification key, for offline verifiers.
func (c *Codes) PublicKey(ctx context.Context, communityID string) (_ ed25519.PublicKey, err error) {
	defer civic.Wrap(&err, "credit.PublicKey(%s)", communityID)
	k, err := c.key(ctx, communityID)
	if err != nil {
		return nil, err
	}
	return k.Public().(ed25519.PublicKey), nil
}

// Rotating returns the resident's current phone code and when it expires.
func (c *Codes) Rotating(ctx context.Context, communityID, residentID string) (payload string, expires time.Time, err error) {
	defer civic.Wrap(&err, "credit.Rotating(%s)", residentID)
	if err := c.Reg.ResidentActive(ctx, communityID, residentID); err != nil {
		return "", expires, err
	}
	r, err := c.Reg.Resident(ctx, civic.System, communityID, residentID)
	if err != nil {
		return "", expires, err
	}
	k, err := c.key(ctx, communityID)
	if err != nil {
		return "", expires, err
	}
	now := c.Clock.Now()
	expires = now.Truncate(Rotation).Add(Rotation + Grace)
	body := "CP1." + communityID + "." + r.CodeRef + "." + strconv.FormatInt(expires.Unix(), 10)
	return body + "." + enc.EncodeToString(ed25519.Sign(k, []byte(body))), expires, nil
}

// VerifyOffline checks a code's form, community, signature and expiry with
// the public key alone; a card's revocation needs Verify. It returns the
// resident ref (phone code) or the card id (card).
func VerifyOffline(pub ed25519.PublicKey, communityID, payload string, now time.Time) (ref, cardID string, expires time.Time, err error) {
	defer civic.Wrap(&err, "credit.VerifyOffline(%s)", communityID)
	parts := strings.Split(strings.TrimSpace(payload), ".")
	var n int
	switch {
	case len(parts) == 5 && parts[0] == "CP1":
		n = 4
	case len(parts) == 4 && parts[0] == "CPC1":
		n = 3
	default:
		return "", "", expires, errMalformed()
	}
	sig, derr := enc.DecodeString(parts[n])
	if derr != nil || len(sig) != ed25519.SignatureSize {
		return "", "", expires, errMalformed()
	}
	if parts[1] != communityID {
		return "", "", expires, errOther()
	}
	if !ed25519.Verify(pub, []byte(strings.Join(parts[:n], ".")), sig) {
		return "", "", expires, errTampered()
	}
	if parts[0] == "CPC1" {
		return "", parts[2], expires, nil
	}
	exp, perr := strconv.ParseInt(parts[3], 10, 64)
	if perr != nil {
		return "", "", expires, errMalformed()
	}
	expires = time.Unix(exp, 0).UTC()
	if !now.Before(expires) {
		return "", "", expires, errExpired()
	}
	return parts[2], "", expires, nil
}

// Verify checks a code shown in communityID: form, community, signature,
// expiry, card revocation and that the resident is still registered. Each
// failure has its own key: credit.code_malformed, credit.code_other_community,
// credit.code_tampered, credit.code_expired, credit.code_revoked, and
// registry.resident_left.
func (c *Codes) Verify(ctx context.Context, communityID, payload string) (v Verified, err error) {
	defer civic.Wrap(&err, "credit.Verify(%s)", communityID)
	pub, err := c.PublicKey(ctx, communityID)
	if err != nil {
		return v, err
	}
	ref, card, exp, err := VerifyOffline(pub, communityID, payload, c.Clock.Now())
	if err != nil {
		return v, err
	}
	v = Verified{CommunityID: communityID, CardID: card, Expires: exp}
	if card != "" {
		var revoked sql.NullInt64
		err = c.DB.QueryRow(ctx, "SELECT resident_id, revoked_at FROM credit_code_cards WHERE community_id = $1 AND id = $2", communityID, card).Scan(&v.ResidentID, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return v, errTampered()
		}
		if err != nil {
			return v, err
		}
		if revoked.Valid {
			return v, errRevoked()
		}
	} else if v.ResidentID, err = c.Reg.ResidentByRef(ctx, communityID, ref); err != nil {
		return v, err
	}
	return v, c.Reg.ResidentActive(ctx, communityID, v.ResidentID)
}
