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
)

// Stored is the first answer given to an idempotent request.
type Stored struct {
	Status int
	Body   []byte
}

// MaxKeyLen is the longest Idempotency-Key accepted.
const MaxKeyLen = 128

// CheckKey validates an idempotency key.
func CheckKey(key string) error {
	if key == "" {
		return civic.Errorf(civic.Invalid, "ledger.key_missing", "an Idempotency-Key header is required on requests that move points or stock")
	}
	if len(key) > MaxKeyLen {
		return civic.Errorf(civic.Invalid, "ledger.key_long", "the Idempotency-Key is longer than %d characters", MaxKeyLen)
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
