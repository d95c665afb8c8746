package ledger

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// MaxPointsPerTransfer guards against a typo turning 50 into 500000.
const MaxPointsPerTransfer = civic.MaxPoints

// Award gives a resident points from the community's issuance account.
type Award struct {
	CommunityID string
	ResidentID  string
	Points      int64
	Indicator   string
	RuleVersion int
	Source      Source
	Reason      string
	ReasonMsg   civic.Message // what Reason is made of, when composed (see Transfer)
	Actor       civic.Actor
	IdemKey     string
	At          time.Time // from the caller's clock; zero means now
}

// AwardPoints posts an award; the points count toward the earned total.
func AwardPoints(ctx context.Context, tx *db.Tx, a Award) (_ Result, err error) {
	defer civic.Wrap(&err, "ledger.AwardPoints(%s)", a.ResidentID)
	if err := checkPoints(a.Points); err != nil {
		return Result{}, err
	}
	if a.Source.Kind == "" {
		a.Source = Source{Kind: "indicator", ID: a.Indicator}
	}
	t := &Transfer{
		CommunityID: a.CommunityID, Kind: KindAward, Reason: a.Reason, ReasonMsg: a.ReasonMsg, Source: a.Source,
		Indicator: a.Indicator, RuleVersion: a.RuleVersion, Earns: true,
		ActorID: a.Actor.UserID, ActorName: a.Actor.Name, IdemKey: a.IdemKey, CreatedAt: a.At,
		Postings: []Posting{{AccountID: a.ResidentID, Amount: a.Points}, {AccountID: Issuance, Amount: -a.Points}},
	}
	bal, err := Post(ctx, tx, t)
	return Result{TransferID: t.ID, Balance: bal}, err
}

// Spend moves points from a resident to the station (a redemption).
type Spend struct {
	CommunityID string
	ResidentID  string
	Points      int64
	Source      Source // the order
	Reason      string
	Actor       civic.Actor
	IdemKey     string
	At          time.Time // from the caller's clock; zero means now
}

// Redeem posts a redemption; it never lowers the earned total.
func Redeem(ctx context.Context, tx *db.Tx, s Spend) (_ Result, err error) {
	defer civic.Wrap(&err, "ledger.Redeem(%s)", s.ResidentID)
	if err := checkPoints(s.Points); err != nil {
		return Result{}, err
	}
	t := &Transfer{
		CommunityID: s.CommunityID, Kind: KindRedemption, Reason: s.Reason, Source: s.Source,
		ActorID: s.Actor.UserID, ActorName: s.Actor.Name, IdemKey: s.IdemKey, CreatedAt: s.At,
		Postings: []Posting{{AccountID: s.ResidentID, Amount: -s.Points}, {AccountID: Station, Amount: s.Points}},
	}
	bal, err := Post(ctx, tx, t)
	return Result{TransferID: t.ID, Balance: bal}, err
}

// Reverse undoes a transfer with its mirror image, at most once, and runs
// the Undo wired for its source kind (OnReverse) in the same transaction. It
// returns the original transfer. Reversing an award whose points were already
// spent is refused.
func (s *Service) Reverse(ctx context.Context, tx *db.Tx, communityID, transferID, reason string, actor civic.Actor, idemKey string) (_ Result, orig Transfer, err error) {
	defer civic.Wrap(&err, "ledger.Reverse(%s)", transferID)
	if r, long := civic.TooLong(reason, civic.MaxReason); long {
		return Result{}, orig, civic.Errorf(civic.Invalid, "ledger.reason_long", "a reason may have at most %d characters, not %d", civic.MaxReason, civic.Runes(r))
	}
	orig, err = GetTransfer(ctx, tx, communityID, transferID)
	if err != nil {
		return Result{}, orig, err
	}
	if orig.Kind == KindReversal {
		return Result{}, orig, civic.Errorf(civic.Invalid, "ledger.reverse_reversal", "transfer %s is itself a reversal and cannot be reversed", transferID)
	}
	// Say "already reversed" before any balance check could say something
	// less true; the unique index still guarantees it under concurrency.
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM ledger_transfers WHERE community_id = $1 AND reverses_id = $2", communityID, transferID).Scan(&n); err != nil {
		return Result{}, orig, err
	}
	if n > 0 {
		return Result{}, orig, civic.Errorf(civic.Conflict, "ledger.already_reversed", "transfer %s has already been reversed", transferID)
	}
	t := &Transfer{
		CommunityID: communityID, Kind: KindReversal, Reason: reason, Source: orig.Source,
		Indicator: orig.Indicator, RuleVersion: orig.RuleVersion, Earns: orig.Earns,
		ActorID: actor.UserID, ActorName: actor.Name, IdemKey: idemKey, ReversesID: orig.ID,
	}
	// Resident legs first, so the balance returned is the resident's.
	for _, p := range orig.Postings {
		if !isSystem(p.AccountID) {
			t.Postings = append(t.Postings, Posting{AccountID: p.AccountID, Amount: -p.Amount})
		}
	}
	for _, p := range orig.Postings {
		if isSystem(p.AccountID) {
			t.Postings = append(t.Postings, Posting{AccountID: p.AccountID, Amount: -p.Amount})
		}
	}
	bal, err := s.Post(ctx, tx, t)
	if err != nil {
		return Result{}, orig, err
	}
	return Result{TransferID: t.ID, Balance: bal}, orig, s.runUndos(ctx, tx, orig, *t, actor)
}

// GetTransfer reads a transfer and its postings.
func GetTransfer(ctx context.Context, q db.Querier, communityID, id string) (t Transfer, err error) {
	defer civic.Wrap(&err, "ledger.GetTransfer(%s)", id)
	var kind string
	var reverses sql.NullString
	var created, earns int64
	err = q.QueryRow(ctx, `SELECT id, community_id, kind, reason, source_kind, source_id, indicator, rule_version, earns,
		actor_id, actor_name, idem_key, reverses_id, created_at FROM ledger_transfers WHERE community_id = $1 AND id = $2`,
		communityID, id).Scan(&t.ID, &t.CommunityID, &kind, &t.Reason, &t.Source.Kind, &t.Source.ID, &t.Indicator,
		&t.RuleVersion, &earns, &t.ActorID, &t.ActorName, &t.IdemKey, &reverses, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return t, civic.Errorf(civic.NotFound, "ledger.no_transfer", "no transfer %s in this community", id)
	}
	if err != nil {
		return t, err
	}
	t.Kind, t.ReversesID, t.Earns, t.CreatedAt = Kind(kind), reverses.String, earns != 0, db.FromMillis(created)
	rows, err := q.Query(ctx, "SELECT account_id, amount FROM ledger_postings WHERE community_id = $1 AND transfer_id = $2 ORDER BY account_id",
		communityID, id)
	t.Postings, err = db.Collect(rows, err, func(row db.Scanner) (p Posting, err error) {
		return p, row.Scan(&p.AccountID, &p.Amount)
	})
	return t, err
}

func checkPoints(p int64) error {
	if p <= 0 {
		return civic.Errorf(civic.Invalid, "ledger.points_positive", "points must be a whole number above zero, not %d", p)
	}
	if p > MaxPointsPerTransfer {
		return civic.Errorf(civic.Invalid, "ledger.points_too_many", "%d points is more than the most one transfer may move (%d)", p, MaxPointsPerTransfer)
	}
	return nil
}
