// Package ledger keeps the points: accounts, transfers of postings that sum to
// zero, reversals, idempotency and the check that recomputes everything.
//
// Every function that writes takes the caller's *db.Tx, so a capability can
// move points and its own rows (stock, orders, attendance) in one transaction.
package ledger

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Kind is what a transfer does.
type Kind string

const (
	KindAward      Kind = "award"
	KindRedemption Kind = "redemption"
	KindReversal   Kind = "reversal"
	KindAdjustment Kind = "adjustment"
	KindExpiry     Kind = "expiry"
)

// System accounts. They have no rows and no lower bound; their balances are
// derived from postings.
const (
	Issuance = "issuance"
	Station  = "station"
)

// Source says where a transfer came from: an indicator, an activity, a
// suggestion, an order or a manual entry, and its id.
type Source struct {
	Kind string
	ID   string
}

// Posting is one leg of a transfer on one account.
type Posting struct {
	AccountID string
	Amount    int64
}

// Transfer is an immutable movement of points.
type Transfer struct {
	ID          string
	CommunityID string
	Kind        Kind
	Reason      string
	ReasonMsg   civic.Message // what Reason is made of, when a capability composed it; shown translated
	Source      Source
	Indicator   string
	RuleVersion int
	Earns       bool // the resident postings count toward earned totals
	ActorID     string
	ActorName   string
	IdemKey     string
	ReversesID  string
	CreatedAt   time.Time
	Postings    []Posting
}

// Result is what a point-moving call returns to its caller.
type Result struct {
	TransferID string `json:"transfer_id"`
	Balance    int64  `json:"balance"`
}

// Account is a resident's standing.
type Account struct {
	ResidentID string
	Balance    int64
	Earned     int64
	Active     bool
}

// CreditPoints: every 20 points earned give one credit point.
func (a Account) CreditPoints() int64 { return a.Earned / PointsPerCredit }

// PointsPerCredit is the exchange from earned points to credit points.
const PointsPerCredit = 20

// OpenAccount creates a resident's account; opening it again changes nothing.
func OpenAccount(ctx context.Context, tx *db.Tx, communityID, residentID string) (err error) {
	defer civic.Wrap(&err, "ledger.OpenAccount(%s)", residentID)
	_, err = tx.Exec(ctx, `INSERT INTO ledger_accounts (community_id, resident_id, balance, earned, active, created_at)
		VALUES ($1, $2, 0, 0, 1, $3) ON CONFLICT (community_id, resident_id) DO NOTHING`,
		communityID, residentID, db.Millis(tx.Now()))
	return err
}

// SetAccountActive closes (or reopens) a resident's account: a closed account
// receives no awards and makes no redemptions, but keeps its history.
func SetAccountActive(ctx context.Context, tx *db.Tx, communityID, residentID string, active bool) (err error) {
	defer civic.Wrap(&err, "ledger.SetAccountActive(%s)", residentID)
	res, err := tx.Exec(ctx, "UPDATE ledger_accounts SET active = $3 WHERE community_id = $1 AND resident_id = $2",
		communityID, residentID, boolInt(active))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return civic.Errorf(civic.NotFound, "ledger.no_account", "resident %s has no points account", residentID)
	}
	return nil
}

// GetAccount reads a resident's account.
func GetAccount(ctx context.Context, d *db.DB, communityID, residentID string) (a Account, err error) {
	defer civic.Wrap(&err, "ledger.GetAccount(%s)", residentID)
	var active int64
	err = d.QueryRow(ctx, "SELECT resident_id, balance, earned, active FROM ledger_accounts WHERE community_id = $1 AND resident_id = $2",
		communityID, residentID).Scan(&a.ResidentID, &a.Balance, &a.Earned, &active)
	if err != nil {
		return a, notFoundAccount(err, residentID)
	}
	a.Active = active != 0
	return a, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
