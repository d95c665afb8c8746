// Package auth keeps users, passwords, sessions, API tokens, login throttling
// and the audit log. It knows nothing of HTTP: the web pages and the API call
// it with what they read from a request.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Service is the auth capability over one database.
type Service struct {
	DB    *db.DB
	Clock civic.Clock
	// Idem runs the admin's commands once per key (see commands.go).
	Idem *idem.Store
	// Residents says whether a resident is registered in a community
	// (*registry.Service), before an admin gives them a login; nil refuses
	// resident logins.
	Residents Residents
	// SessionTTL is how long a session lives without use; each use extends it.
	SessionTTL time.Duration
	// Params is the argon2id cost of new password hashes. Existing hashes keep
	// the cost they were made with (it is part of the encoded string).
	Params PasswordParams
	// PairLimit, IPLimit and AccountLimit are how many failed logins within
	// Window lock, for Lockout, an account from one address, an address, and
	// an account from everywhere. Guessing from one address slows only that
	// address; the account itself locks only after many more failures than
	// its owner makes (guessing spread over many addresses), and an admin
	// can unlock it.
	PairLimit    int
	AccountLimit int
	IPLimit      int
	Window       time.Duration
	Lockout      time.Duration

	dummyOnce sync.Once
	dummy     string
}

// Residents is what auth asks the registry.
type Residents interface {
	ResidentActive(ctx context.Context, communityID, residentID string) error
}

// New builds the service with production defaults.
func New(d *db.DB, clock civic.Clock) *Service {
	return &Service{
		DB:           d,
		Clock:        clock,
		Idem:         idem.New(d, nil, clock),
		SessionTTL:   12 * time.Hour,
		Params:       DefaultParams,
		PairLimit:    5,
		AccountLimit: 50,
		// An address is shared by a whole household or community centre behind
		// one router, so it gets more room than one account from it.
		IPLimit: 20,
		Window:  15 * time.Minute,
		Lockout: 15 * time.Minute,
	}
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

// or returns v, or def when v is the zero value, so a Service built as a
// literal (auth.Service{DB: d, Clock: c}) gets New's defaults.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func (s *Service) ttl() time.Duration     { return or(s.SessionTTL, 12*time.Hour) }
func (s *Service) window() time.Duration  { return or(s.Window, 15*time.Minute) }
func (s *Service) lockout() time.Duration { return or(s.Lockout, 15*time.Minute) }

// newSecret returns a random URL-safe token with a readable prefix.
func newSecret(prefix string) string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// hashSecret is what we store instead of a session or API token: the SHA-256
// of a 256-bit random value needs no salt or slow hash.
func hashSecret(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

func joinGrants(g []string) string { return strings.Join(g, ",") }

func splitGrants(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
