package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Post records a transfer and moves the cached balances of the resident
// accounts it touches, refusing any that would go below zero or that are
// closed. Postings must sum to zero. On success t.ID and t.CreatedAt are set
// and the balance of the first resident posting is returned.
//
// Post alone tells nobody of a change in earned totals: capabilities post
// through Service.Post, which runs the hooks wired with OnEarned (credit
// records level changes there).
func Post(ctx context.Context, tx *db.Tx, t *Transfer) (balance int64, err error) {
	defer civic.Wrap(&err, "ledger.Post(%s %s)", t.Kind, t.Source.ID)
	balance, _, err = post(ctx, tx, t)
	return balance, err
}

// post is Post that also returns how each resident's earned total moved.
func post(ctx context.Context, tx *db.Tx, t *Transfer) (balance int64, earned []EarnedChange, err error) {
	if err := validate(t); err != nil {
		return 0, nil, err
	}
	if t.ID == "" {
		t.ID = civic.NewID()
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = tx.Now()
	}
	var reverses any
	if t.ReversesID != "" {
		reverses = t.ReversesID
	}
	first := true
	for _, p := range t.Postings {
		if isSystem(p.AccountID) {
			continue
		}
		b, e, err := move(ctx, tx, t, p)
		if err != nil {
			return 0, nil, err
		}
		if first {
			balance, first = b, false
		}
		if t.Earns {
			earned = append(earned, EarnedChange{ResidentID: p.AccountID, Before: e - p.Amount, After: e})
		}
	}
	msg, err := reasonMsg(t.ReasonMsg)
	if err != nil {
		return 0, nil, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO ledger_transfers (community_id, id, kind, reason, source_kind, source_id, indicator,
		rule_version, earns, actor_id, actor_name, idem_key, reverses_id, created_at, reason_msg)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		t.CommunityID, t.ID, string(t.Kind), t.Reason, t.Source.Kind, t.Source.ID, t.Indicator,
		t.RuleVersion, boolInt(t.Earns), t.ActorID, t.ActorName, t.IdemKey, reverses, db.Millis(t.CreatedAt), msg)
	if err != nil {
		if db.ErrorIs(err, db.ErrUnique) && t.ReversesID != "" {
			return 0, nil, civic.Errorf(civic.Conflict, "ledger.already_reversed", "transfer %s has already been reversed", t.ReversesID)
		}
		return 0, nil, err
	}
	for i := range earned {
		earned[i].Transfer = *t
	}
	return balance, earned, insertPostings(ctx, tx, t)
}

func insertPostings(ctx context.Context, tx *db.Tx, t *Transfer) error {
	var q strings.Builder
	q.WriteString("INSERT INTO ledger_postings (community_id, transfer_id, account_id, amount, created_at) VALUES ")
	args := []any{t.CommunityID, t.ID, db.Millis(t.CreatedAt)}
	for i, p := range t.Postings {
		if i > 0 {
			q.WriteString(", ")
		}
		n := len(args)
		q.WriteString("($1, $2, $" + strconv.Itoa(n+1) + ", $" + strconv.Itoa(n+2) + ", $3)")
		args = append(args, p.AccountID, p.Amount)
	}
	_, err := tx.Exec(ctx, q.String(), args...)
	return err
}

// move applies one resident posting to the cached balance (and earned total)
// in a single guarded statement, so concurrent spends can never overdraw. It
// returns the balance and earned total after the move.
func move(ctx context.Context, tx *db.Tx, t *Transfer, p Posting) (int64, int64, error) {
	earned := int64(0)
	if t.Earns {
		earned = p.Amount
	}
	var balance, total int64
	err := tx.QueryRow(ctx, `UPDATE ledger_accounts SET balance = balance + $3, earned = earned + $4
		WHERE community_id = $1 AND resident_id = $2 AND active = 1 AND balance + $3 >= 0
		RETURNING balance, earned`, t.CommunityID, p.AccountID, p.Amount, earned).Scan(&balance, &total)
	if err == nil {
		return balance, total, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, 0, err
	}
	if err := whyRefused(ctx, tx, t, p); err != nil {
		return 0, 0, err
	}
	return 0, 0, accountChanged(p.AccountID)
}

// accountChanged: a guard refused, yet the account passes it when read
// again, because another transaction changed it in between.
func accountChanged(residentID string) error {
	return civic.Errorf(civic.Conflict, "ledger.account_changed", "the points account of resident %s changed meanwhile; please try again", residentID)
}

// whyRefused says why a guarded move was refused: no account, a closed one,
// or not enough points. It reads only, and returns nil when none holds now.
func whyRefused(ctx context.Context, tx *db.Tx, t *Transfer, p Posting) error {
	var active, have int64
	err := tx.QueryRow(ctx, "SELECT active, balance FROM ledger_accounts WHERE community_id = $1 AND resident_id = $2",
		t.CommunityID, p.AccountID).Scan(&active, &have)
	switch {
	case err != nil:
		return notFoundAccount(err, p.AccountID)
	case active == 0:
		return civic.Errorf(civic.Invalid, "ledger.account_closed", "resident %s has left the community; their account is closed", p.AccountID)
	case have+p.Amount < 0:
		return civic.Errorf(civic.InsufficientPoints, "ledger.insufficient", "not enough points: the balance is %d, %d needed", have, -p.Amount)
	}
	return nil
}

func notFoundAccount(err error, residentID string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return civic.Errorf(civic.NotFound, "ledger.no_account", "resident %s has no points account", residentID)
	}
	return err
}

// reasonMsg is the stored form of a composed reason: JSON, or empty for none.
func reasonMsg(m civic.Message) (string, error) {
	if m.IsZero() {
		return "", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func isSystem(account string) bool { return account == Issuance || account == Station }

func validate(t *Transfer) error {
	if t.CommunityID == "" {
		return civic.Errorf(civic.Invalid, "ledger.no_community", "a transfer needs a community")
	}
	switch t.Kind {
	case KindAward, KindRedemption, KindReversal, KindAdjustment, KindExpiry:
	default:
		return civic.Errorf(civic.Invalid, "ledger.bad_kind", "unknown transfer kind %q", t.Kind)
	}
	if strings.TrimSpace(t.Reason) == "" {
		return civic.Errorf(civic.Invalid, "ledger.no_reason", "a reason is required")
	}
	if len(t.Postings) < 2 {
		return civic.Errorf(civic.Invalid, "ledger.few_postings", "a transfer needs at least two postings")
	}
	// Every leg is bounded before the sum is taken, so the sum cannot wrap
	// round to zero (two legs of 2⁶³−1 and one of 2 do) and no SUM over the
	// postings can overflow in the check.
	var sum int64
	seen := map[string]bool{}
	for _, p := range t.Postings {
		if p.Amount == 0 {
			return civic.Errorf(civic.Invalid, "ledger.zero_posting", "a posting of zero points")
		}
		if p.Amount > civic.MaxPoints || p.Amount < -civic.MaxPoints {
			return civic.Errorf(civic.Invalid, "ledger.posting_too_large", "a posting of %d points is more than one transfer may move (%d)", p.Amount, civic.MaxPoints)
		}
		if seen[p.AccountID] {
			return civic.Errorf(civic.Invalid, "ledger.dup_account", "account %s appears twice in one transfer", p.AccountID)
		}
		seen[p.AccountID] = true
		sum += p.Amount
	}
	if sum != 0 {
		return civic.Errorf(civic.Invalid, "ledger.unbalanced", "postings sum to %d, not zero", sum)
	}
	return nil
}
