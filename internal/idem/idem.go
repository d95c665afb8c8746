// Package idem is the one idempotency mechanism of every command that changes
// state: a command names its key, its shard and its typed request, and Run
// makes it happen once. The first request with a key runs and its typed answer
// is stored (as JSON) in the same transaction as its effects; the same request
// again gets that answer back and changes nothing; another request under the
// same key is refused with idempotency_conflict. Concurrent twins produce one
// effect.
//
// Commands that move points or stock run through the group-commit batcher
// (Op.Batch), the others in a transaction of their own. The shard decides
// which batcher writer runs the command; the rule is written once here
// (Resident, Station, Community) so that two writers never lock the same
// shared rows in opposite orders.
package idem

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// MaxKeyLen is the longest key accepted, on pages and API alike.
const MaxKeyLen = 128

// Key is a validated idempotency key (see ParseKey).
type Key string

// Judge is the one rule for a client's idempotency key, on pages (a
// form's hidden key) and in the API (the Idempotency-Key header) alike: 1–128
// printable ASCII characters (space to tilde), not blank and not starting or
// ending with a space. A header cannot carry control characters, proxies and
// clients disagree on bytes beyond ASCII, and a header's edge spaces are
// dropped in transit; a key a form could send but a header could not would be
// one key in one place and another (or none) in the other.
func Judge(s string) Fault {
	switch {
	case s == "":
		return KeyMissing
	case len(s) > MaxKeyLen:
		return KeyTooLong
	case s[0] == ' ' || s[len(s)-1] == ' ':
		return KeyNotPrintable
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return KeyNotPrintable
		}
	}
	return KeyOK
}

// Fault is what is wrong with a key, for callers that word the refusal
// themselves (a page speaks of a form's one-time key, the API of its header).
type Fault int

const (
	KeyOK           Fault = iota
	KeyMissing            // empty
	KeyTooLong            // more than MaxKeyLen bytes
	KeyNotPrintable       // a byte outside printable ASCII, only spaces, or a space at either end
)

// ParseKey validates a key by Judge, with idem's own words for a refusal.
func ParseKey(s string) (Key, error) {
	switch Judge(s) {
	case KeyOK:
		return Key(s), nil
	case KeyMissing:
		return "", civic.Errorf(civic.Invalid, "idem.key_missing", "this request needs an idempotency key (a form's hidden key or the Idempotency-Key header)")
	case KeyTooLong:
		return "", civic.Errorf(civic.Invalid, "idem.key_long", "the idempotency key is longer than %d characters", MaxKeyLen)
	}
	return "", civic.Errorf(civic.Invalid, "idem.key_bad", "the idempotency key must be printable ASCII characters, not blank and without a space at either end")
}

// Shard names the batcher writer a command runs on. Commands that touch one
// resident's account shard by resident; anything that touches the station's
// shared rows (goods, stock) shards by station, so those rows are only ever
// locked by one writer; other community-wide work shards by community.
type Shard string

// Resident is the shard of a command that moves one resident's points only.
func Resident(communityID, residentID string) Shard {
	return Shard("resident:" + communityID + ":" + residentID)
}

// Station is the shard of a command that touches the station's goods or stock
// (redemptions, orders, stock moves, reversals that may restore stock).
func Station(communityID string) Shard { return Shard("station:" + communityID) }

// Community is the shard of other community-wide writes.
func Community(communityID string) Shard { return Shard("community:" + communityID) }

// Op describes one run of a command.
type Op struct {
	Community string // the key's namespace
	Key       Key
	Command   string // e.g. "station.redeem": a key reused for another command conflicts
	Shard     Shard
	Request   any  // the typed request, hashed to tell a replay from another request
	Batch     bool // moves points or stock: through the group committer
	// Check, when set, runs once the key is known to be new and outside the
	// writer (reads run in parallel there); its error is the answer. A replay
	// skips it, so it gets the first answer even if the check would fail now.
	Check func(ctx context.Context) error
}

// Store keeps the answers.
type Store struct {
	DB    *db.DB
	Batch *db.Batcher
	Clock civic.Clock
}

// New returns the store over d; b may be nil when no command batches.
func New(d *db.DB, b *db.Batcher, clock civic.Clock) *Store {
	return &Store{DB: d, Batch: b, Clock: clock}
}

type replayFlag struct{}

// WithReplayFlag returns a context under which Run reports whether it
// answered from the store (the API sets Idempotent-Replayed from it).
func WithReplayFlag(ctx context.Context) (context.Context, *bool) {
	p := new(bool)
	return context.WithValue(ctx, replayFlag{}, p), p
}

func markReplayed(ctx context.Context) {
	if p, ok := ctx.Value(replayFlag{}).(*bool); ok {
		*p = true
	}
}

// errKeyRace: the key was stored by a transaction that committed first.
var errKeyRace = errors.New("idem: key stored concurrently")

// Run runs do once for op's key and returns its answer, or the stored answer
// of the first run. do runs inside a transaction (shared with other commands
// when op.Batch), must touch the database only through tx and may run more
// than once.
func Run[T any](ctx context.Context, s *Store, op Op, do func(tx *db.Tx) (T, error)) (out T, err error) {
	defer civic.Wrap(&err, "idem.Run(%s)", op.Command)
	if op.Key == "" {
		if _, err := ParseKey(""); err != nil {
			return out, err
		}
	}
	hash, err := hashOf(op)
	if err != nil {
		return out, err
	}
	if found, err := s.lookup(ctx, s.DB, op, hash, &out); err != nil || found {
		if found {
			markReplayed(ctx)
		}
		return out, err
	}
	if op.Check != nil {
		if err := op.Check(ctx); err != nil {
			return out, err
		}
	}
	var answer T
	body := func(tx *db.Tx) error {
		v, err := do(tx)
		if err != nil {
			return err
		}
		if err := s.store(ctx, tx, op, hash, v); err != nil {
			return err
		}
		answer = v
		return nil
	}
	if op.Batch && s.Batch != nil {
		err = s.Batch.Do(ctx, string(op.Shard), body)
	} else {
		err = s.DB.WithTx(ctx, body)
	}
	if err == nil {
		return answer, nil
	}
	// A twin sent at the same moment (a double click, a retry racing the
	// first try) may have committed first, either storing the key (errKeyRace)
	// or causing this run's refusal (already signed up, not enough stock): its
	// answer is this request's answer too.
	if errors.Is(err, errKeyRace) || civic.AsError(err) != nil {
		var prev T
		found, lerr := s.lookup(ctx, s.DB, op, hash, &prev)
		if lerr != nil {
			return out, lerr
		}
		if found {
			markReplayed(ctx)
			return prev, nil
		}
		if errors.Is(err, errKeyRace) {
			return out, fmt.Errorf("idem: key %q raced but no answer is stored", op.Key)
		}
	}
	return out, err
}

func hashOf(op Op) (string, error) {
	req, err := json.Marshal(op.Request)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(op.Command))
	h.Write([]byte{0})
	h.Write(req)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// lookup reads the stored answer into out; found is false for a new key.
func (s *Store) lookup(ctx context.Context, q db.Querier, op Op, hash string, out any) (found bool, err error) {
	var command, storedHash, answer string
	err = q.QueryRow(ctx, "SELECT command, request_hash, answer FROM idem_keys WHERE community_id = $1 AND key = $2",
		op.Community, string(op.Key)).Scan(&command, &storedHash, &answer)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if command != op.Command || storedHash != hash {
		return false, civic.Errorf(civic.IdempotencyConflict, "idem.key_conflict", "the idempotency key %q was already used for a different request", string(op.Key))
	}
	return true, json.Unmarshal([]byte(answer), out)
}

func (s *Store) store(ctx context.Context, tx *db.Tx, op Op, hash string, v any) error {
	answer, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var got string
	err = tx.QueryRow(ctx, `INSERT INTO idem_keys (community_id, key, command, request_hash, answer, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community_id, key) DO NOTHING RETURNING key`,
		op.Community, string(op.Key), op.Command, hash, string(answer), db.Millis(s.Clock.Now())).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return errKeyRace
	}
	return err
}
