package ledger

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Stored is the first answer given to an idempotent request.
type Stored struct {
	Status int
	Body   []byte
}

// MaxKeyLen is the longest idempotency key a client may send, on pages and
// in the API alike (DESIGN.md §7).
const MaxKeyLen = idem.MaxKeyLen

// maxNamespaceLen is room for the prefix a caller puts before a client's key
// to keep its keys apart from another caller's ("web:"), so a client key of
// full length still fits behind it when a capability checks it again.
const maxNamespaceLen = 16

// KeyFault is what is wrong with an idempotency key.
type KeyFault int

const (
	KeyOK           KeyFault = iota
	KeyMissing               // empty
	KeyTooLong               // more than MaxKeyLen bytes
	KeyNotPrintable          // a byte outside printable ASCII, only spaces, or a space at either end
)

// ValidKey judges a client's idempotency key by the one rule, idem.ParseKey
// (1–128 printable ASCII characters, not blank, no space at either end), and
// says what is wrong with it, for callers that word the refusal themselves
// (the pages speak of a form's one-time key, the API of its header).
func ValidKey(key string) KeyFault {
	_, err := idem.ParseKey(key)
	if err == nil {
		return KeyOK
	}
	switch civic.AsError(err).Key {
	case "idem.key_missing":
		return KeyMissing
	case "idem.key_long":
		return KeyTooLong
	}
	return KeyNotPrintable
}

// ParseKey checks a client's Idempotency-Key header by ValidKey, with an
// error that names the header.
func ParseKey(key string) error { return keyError(ValidKey(key), MaxKeyLen) }

// CheckKey checks a key as a capability receives it: a client's key (already
// checked by ParseKey or the form helper), possibly behind its caller's
// namespace prefix, so a key no client could have sent never reaches the
// ledger either. idem.ParseKey judges at most MaxKeyLen bytes, so a longer
// key is judged by its first and its last MaxKeyLen bytes: together they
// cover all of it (it is at most MaxKeyLen+maxNamespaceLen long), the first
// holds its leading byte and the last its trailing one.
func CheckKey(key string) error {
	const maxLen = MaxKeyLen + maxNamespaceLen
	if len(key) > maxLen {
		return keyError(KeyTooLong, maxLen)
	}
	n := min(len(key), MaxKeyLen)
	if f := ValidKey(key[:n]); f != KeyOK {
		return keyError(f, maxLen)
	}
	return keyError(ValidKey(key[len(key)-n:]), maxLen)
}

func keyError(f KeyFault, maxLen int) error {
	switch f {
	case KeyMissing:
		return civic.Errorf(civic.Invalid, "ledger.key_missing", "an Idempotency-Key header is required on requests that move points or stock")
	case KeyTooLong:
		return civic.Errorf(civic.Invalid, "ledger.key_long", "the Idempotency-Key is longer than %d characters", maxLen)
	case KeyNotPrintable:
		return civic.Errorf(civic.Invalid, "ledger.key_chars", "the Idempotency-Key must be printable ASCII characters, not blank and without a space at either end")
	}
	return nil
}

// HashRequest fingerprints a request so a replay can be told from a
// different request that reuses a key.
func HashRequest(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LookupKey returns the stored answer for key, nil when the key is new, and
// an idempotency_conflict error when the key was used for another request.
func LookupKey(ctx context.Context, q db.Querier, communityID, key, hash string) (*Stored, error) {
	var st Stored
	var storedHash, body string
	err := q.QueryRow(ctx, "SELECT request_hash, status, response FROM ledger_idempotency WHERE community_id = $1 AND key = $2",
		communityID, key).Scan(&storedHash, &st.Status, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if storedHash != hash {
		return nil, civic.Errorf(civic.IdempotencyConflict, "ledger.key_conflict", "the Idempotency-Key %q was already used for a different request", key)
	}
	st.Body = []byte(body)
	return &st, nil
}

// errKeyRace: the key was stored by a transaction that committed first.
var errKeyRace = errors.New("ledger: idempotency key taken concurrently")

// Idempotent runs do through the group-commit batcher under an idempotency
// key. The first request with a key runs and its answer is stored in the
// same transaction as its effects; a replay with the same request returns that
// answer; a different request with the key gets idempotency_conflict.
// Concurrent requests with one key produce one effect.
//
// Replays are answered from the reader before reaching the writer, which then
// runs only new requests; a key stored meanwhile is caught by the insert of
// the answer, which then undoes the request and returns the stored answer.
func Idempotent(ctx context.Context, b *db.Batcher, d *db.DB, shard, communityID, key, hash string,
	do func(tx *db.Tx) (Stored, error)) (st Stored, replayed bool, err error) {
	return IdempotentAfter(ctx, b, d, shard, communityID, key, hash, nil, do)
}

// IdempotentAfter is Idempotent with checks that need no transaction: before
// runs once the key is known to be new, outside the writer (where reads run in
// parallel), and its error is the request's answer. A replay skips it, so it
// returns the first answer even if the checks would fail now.
func IdempotentAfter(ctx context.Context, b *db.Batcher, d *db.DB, shard, communityID, key, hash string,
	before func() error, do func(tx *db.Tx) (Stored, error)) (st Stored, replayed bool, err error) {
	if prev, err := LookupKey(ctx, d, communityID, key, hash); err != nil || prev != nil {
		if prev != nil {
			st = *prev
		}
		return st, prev != nil, err
	}
	if before != nil {
		if err := before(); err != nil {
			return st, false, err
		}
	}
	err = b.Do(ctx, shard, func(tx *db.Tx) error {
		s, err := do(tx)
		if err != nil {
			return err
		}
		var got string
		err = tx.QueryRow(ctx, `INSERT INTO ledger_idempotency (community_id, key, request_hash, status, response, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community_id, key) DO NOTHING RETURNING key`,
			communityID, key, hash, s.Status, string(s.Body), time.Now().UnixMilli()).Scan(&got)
		if errors.Is(err, sql.ErrNoRows) {
			return errKeyRace
		}
		if err != nil {
			return err
		}
		st = s
		return nil
	})
	if errors.Is(err, errKeyRace) {
		prev, lerr := LookupKey(ctx, d, communityID, key, hash)
		if lerr != nil {
			return st, false, lerr
		}
		if prev == nil {
			return st, false, fmt.Errorf("ledger: key %q raced but no answer is stored", key)
		}
		return *prev, true, nil
	}
	return st, false, err
}
