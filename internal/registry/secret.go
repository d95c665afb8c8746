package registry

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Keys encrypt and hash sensitive fields (ID numbers, phones) and the private
// half of each community's code key. Both keys are derived from one secret
// with HKDF, so the installation keeps a single value safe.
//
// Ciphertexts read "KID:base64(nonce|sealed)"; KID names the secret that
// sealed them, so a rotation can tell old rows from new. Rotation is
// documented in docs/registry.md: every sealed field is opened with the old
// secret and sealed again, and every keyed hash recomputed, in one
// transaction; no command does it yet.
type Keys struct {
	kid  string
	aead cipher.AEAD
	mac  []byte
}

// NewKeys derives the keys from an installation secret.
func NewKeys(secret string) (_ *Keys, err error) {
	defer civic.Wrap(&err, "registry.NewKeys")
	if secret == "" {
		return nil, errors.New("registry: empty secret")
	}
	enc, err := hkdf.Key(sha256.New, []byte(secret), nil, "civicpoints registry encryption v1", 32)
	if err != nil {
		return nil, err
	}
	mac, err := hkdf.Key(sha256.New, []byte(secret), nil, "civicpoints registry hash v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	k := &Keys{aead: aead, mac: mac}
	k.kid = k.Hash("kid")[:8]
	return k, nil
}

// Seal encrypts plain; the empty string stays empty.
func (k *Keys) Seal(plain string) string {
	if plain == "" {
		return ""
	}
	nonce := make([]byte, k.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := k.aead.Seal(nonce, nonce, []byte(plain), []byte(k.kid))
	return k.kid + ":" + base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts what Seal produced.
func (k *Keys) Open(sealed string) (_ string, err error) {
	defer civic.Wrap(&err, "registry.Keys.Open")
	if sealed == "" {
		return "", nil
	}
	kid, body, ok := strings.Cut(sealed, ":")
	if !ok || kid != k.kid {
		return "", civic.Errorf(civic.Internal, "registry.key_mismatch", "a field was sealed with another secret (key %s, current %s): was CIVICPOINTS_SECRET_KEY changed? see docs/registry.md", kid, k.kid)
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(raw) < k.aead.NonceSize() {
		return "", errors.New("registry: malformed ciphertext")
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], []byte(kid))
	if err != nil {
		return "", errors.New("registry: ciphertext does not authenticate")
	}
	return string(plain), nil
}

// Hash is a keyed hash (HMAC-SHA256, hex) for equality lookups on a field
// that is stored only encrypted.
func (k *Keys) Hash(s string) string {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

// hashOrNil hashes a non-empty value with a domain prefix; empty stays NULL.
func (k *Keys) hashOrNil(domain, s string) any {
	if s == "" {
		return nil
	}
	return k.Hash(domain + ":" + s)
}

// LoadSecret returns the configured secret, or, when none is configured (the
// demo), the installation's generated one, creating it on first use.
func LoadSecret(ctx context.Context, d *db.DB, configured string, log *slog.Logger, now int64) (_ string, err error) {
	defer civic.Wrap(&err, "registry.LoadSecret")
	if configured != "" {
		return configured, nil
	}
	var s string
	err = d.QueryRow(ctx, "SELECT secret FROM registry_secret WHERE id = 1").Scan(&s)
	if err == nil {
		warnGenerated(log)
		return s, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	s = hex.EncodeToString(b)
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		// Two processes may race to create it: the second reads the winner's.
		if _, err := tx.Exec(ctx, "INSERT INTO registry_secret (id, secret, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING", s, now); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT secret FROM registry_secret WHERE id = 1").Scan(&s)
	})
	if err != nil {
		return "", err
	}
	warnGenerated(log)
	return s, nil
}

func warnGenerated(log *slog.Logger) {
	if log != nil {
		log.Warn("no secret key configured: ID numbers and phones are encrypted with a generated key stored in the database itself; production must set CIVICPOINTS_SECRET_KEY (32+ characters)")
	}
}
