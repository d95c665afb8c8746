package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"civicpoints/internal/civic"
)

// PasswordParams is the cost of an argon2id hash.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follows RFC 9106's second recommended option, sized down in
// memory for a small server: 64 MiB, 2 passes, 2 lanes.
var DefaultParams = PasswordParams{Memory: 64 * 1024, Time: 2, Threads: 2}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// HashPassword returns a PHC-style encoded argon2id hash:
// $argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash> (unpadded standard base64).
func HashPassword(p PasswordParams, password string) (_ string, err error) {
	defer civic.Wrap(&err, "auth.HashPassword") // never the password
	if len(password) < MinPasswordLen {
		return "", civic.Errorf(civic.Invalid, "auth.password_short", "the password is too short: use at least %d characters", MinPasswordLen)
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		p = DefaultParams
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the encoded hash. A hash it
// cannot read is an error, never a match.
func CheckPassword(encoded, password string) (_ bool, err error) {
	defer civic.Wrap(&err, "auth.CheckPassword") // never the password or its hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("auth: not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, fmt.Errorf("auth: unsupported argon2 version %q", parts[2])
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("auth: bad argon2 parameters %q: %v", parts[3], err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("auth: bad salt: %v", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("auth: bad hash: %v", err)
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
