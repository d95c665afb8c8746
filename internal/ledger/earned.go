package ledger

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// EarnedChange is how one transfer moved one resident's earned total (an
// award up, its reversal down).
type EarnedChange struct {
	Transfer   Transfer
	ResidentID string
	Before     int64
	After      int64
}

// EarnedHook runs in the transaction of every transfer that moves an earned
// total, after its postings: credit records a level change there, so the
// change and the award that caused it commit together or not at all.
type EarnedHook func(ctx context.Context, tx *db.Tx, ch EarnedChange) error

// OnEarned registers a hook for changes of earned totals. Wire it once, in
// app.New, before serving.
func (s *Service) OnEarned(h EarnedHook) { s.earned = append(s.earned, h) }

// Post is ledger.Post followed by the hooks wired with OnEarned. Every
// capability that posts earning transfers posts through it (awards, and
// Reverse for reversals). A nil Service posts without hooks, for tests that
// build a capability without the ledger's service.
func (s *Service) Post(ctx context.Context, tx *db.Tx, t *Transfer) (balance int64, err error) {
	defer civic.Wrap(&err, "ledger.Service.Post(%s %s)", t.Kind, t.Source.ID)
	balance, changes, err := post(ctx, tx, t)
	if err != nil || s == nil {
		return balance, err
	}
	for _, ch := range changes {
		for _, h := range s.earned {
			if err := h(ctx, tx, ch); err != nil {
				return 0, err
			}
		}
	}
	return balance, nil
}

// EarnedAt is a resident's earned total just before at, recomputed from the
// postings (for a level on a past date). It reads only that resident's
// postings, through ledger_postings_account.
func EarnedAt(ctx context.Context, q db.Querier, communityID, residentID string, at time.Time) (earned int64, err error) {
	defer civic.Wrap(&err, "ledger.EarnedAt(%s)", residentID)
	err = q.QueryRow(ctx, `SELECT COALESCE(SUM(p.amount), 0) FROM ledger_postings p
		JOIN ledger_transfers t ON t.community_id = p.community_id AND t.id = p.transfer_id
		WHERE p.community_id = $1 AND p.account_id = $2 AND p.created_at < $3 AND t.earns = 1`,
		communityID, residentID, db.Millis(at)).Scan(&earned)
	return earned, err
}

// EarnedEntry is one posting that moved a resident's earned total.
type EarnedEntry struct {
	TransferID string
	Kind       Kind
	Indicator  string
	SourceKind string
	Points     int64 // negative for a reversal
	At         time.Time
}

// MaxEarnedEntries bounds EarnedEntries: years of weekly awards fit.
const MaxEarnedEntries = 5000

// EarnedEntries lists what made a resident's earned total, oldest first, up
// to MaxEarnedEntries (the newest kept when there are more): the postings of
// that one resident, through ledger_postings_account.
func EarnedEntries(ctx context.Context, q db.Querier, communityID, residentID string) (out []EarnedEntry, err error) {
	defer civic.Wrap(&err, "ledger.EarnedEntries(%s)", residentID)
	rows, err := q.Query(ctx, `SELECT t.id, t.kind, t.indicator, t.source_kind, p.amount, p.created_at FROM ledger_postings p
		JOIN ledger_transfers t ON t.community_id = p.community_id AND t.id = p.transfer_id
		WHERE p.community_id = $1 AND p.account_id = $2 AND t.earns = 1
		ORDER BY p.created_at DESC LIMIT $3`, communityID, residentID, MaxEarnedEntries)
	out, err = db.Collect(rows, err, func(row db.Scanner) (e EarnedEntry, err error) {
		var kind string
		var at int64
		err = row.Scan(&e.TransferID, &kind, &e.Indicator, &e.SourceKind, &e.Points, &at)
		e.Kind, e.At = Kind(kind), db.FromMillis(at)
		return e, err
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// AccountsAfter lists up to limit of a community's accounts after the
// resident id after, by resident id (a keyset page, for jobs that walk every
// account once, never for a page view).
func AccountsAfter(ctx context.Context, q db.Querier, communityID, after string, limit int) (out []Account, err error) {
	defer civic.Wrap(&err, "ledger.AccountsAfter(%s)", communityID)
	rows, err := q.Query(ctx, `SELECT resident_id, balance, earned, active FROM ledger_accounts
		WHERE community_id = $1 AND resident_id > $2 ORDER BY resident_id LIMIT $3`, communityID, after, limit)
	return db.Collect(rows, err, func(row db.Scanner) (a Account, err error) {
		var active int64
		err = row.Scan(&a.ResidentID, &a.Balance, &a.Earned, &active)
		a.Active = active != 0
		return a, err
	})
}
