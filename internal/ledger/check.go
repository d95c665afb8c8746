package ledger

import (
	"context"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Report is the outcome of recomputing a community's ledger from its postings.
type Report struct {
	OK          bool     `json:"ok"`
	Transfers   int64    `json:"transfers"`
	Issued      int64    `json:"issued"`      // points that left the issuance account, net
	Redeemed    int64    `json:"redeemed"`    // points that reached the station, net
	Outstanding int64    `json:"outstanding"` // points residents hold
	Problems    []string `json:"problems,omitempty"`
}

// Add folds another report (another community, or the station's stock check)
// into r.
func (r *Report) Add(o Report) {
	r.Transfers += o.Transfers
	r.Issued += o.Issued
	r.Redeemed += o.Redeemed
	r.Outstanding += o.Outstanding
	r.Problems = append(r.Problems, o.Problems...)
	r.OK = len(r.Problems) == 0
}

const maxListed = 20

// Check recomputes every balance and earned total of a community from its
// postings and compares them with the cached values. It reads through the
// reader pool and changes nothing.
func Check(ctx context.Context, d *db.DB, communityID string) (r Report, err error) {
	defer civic.Wrap(&err, "ledger.Check(%s)", communityID)
	err = d.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM ledger_transfers WHERE community_id = $1),
		COALESCE((SELECT -SUM(amount) FROM ledger_postings WHERE community_id = $1 AND account_id = 'issuance'), 0),
		COALESCE((SELECT SUM(amount) FROM ledger_postings WHERE community_id = $1 AND account_id = 'station'), 0),
		COALESCE((SELECT SUM(balance) FROM ledger_accounts WHERE community_id = $1), 0)`, communityID).
		Scan(&r.Transfers, &r.Issued, &r.Redeemed, &r.Outstanding)
	if err != nil {
		return r, err
	}
	checks := []struct {
		query  string
		format string
	}{
		{`SELECT transfer_id, SUM(amount), COUNT(*) FROM ledger_postings WHERE community_id = $1
			GROUP BY transfer_id HAVING SUM(amount) <> 0 OR COUNT(*) < 2`,
			"transfer %s: postings sum to %d over %d postings"},
		{`SELECT t.id, 0, 0 FROM ledger_transfers t WHERE t.community_id = $1 AND NOT EXISTS
			(SELECT 1 FROM ledger_postings p WHERE p.community_id = t.community_id AND p.transfer_id = t.id)`,
			"transfer %s has no postings (%d, %d)"},
		{`SELECT a.resident_id, a.balance, COALESCE(s.bal, 0) FROM ledger_accounts a
			LEFT JOIN (SELECT account_id, SUM(amount) AS bal FROM ledger_postings WHERE community_id = $1 GROUP BY account_id) s
			ON s.account_id = a.resident_id
			WHERE a.community_id = $1 AND a.balance <> COALESCE(s.bal, 0)`,
			"resident %s: cached balance %d, postings give %d"},
		{`SELECT a.resident_id, a.earned, COALESCE(s.earn, 0) FROM ledger_accounts a
			LEFT JOIN (SELECT p.account_id, SUM(p.amount) AS earn FROM ledger_postings p
				JOIN ledger_transfers t ON t.community_id = p.community_id AND t.id = p.transfer_id
				WHERE p.community_id = $1 AND t.earns = 1 GROUP BY p.account_id) s
			ON s.account_id = a.resident_id
			WHERE a.community_id = $1 AND a.earned <> COALESCE(s.earn, 0)`,
			"resident %s: cached earned total %d, postings give %d"},
		{`SELECT p.account_id, COUNT(*), 0 FROM ledger_postings p WHERE p.community_id = $1
			AND p.account_id NOT IN ('issuance', 'station') AND NOT EXISTS
			(SELECT 1 FROM ledger_accounts a WHERE a.community_id = p.community_id AND a.resident_id = p.account_id)
			GROUP BY p.account_id`,
			"account %s has %d postings but does not exist (%d)"},
		{`SELECT resident_id, balance, 0 FROM ledger_accounts WHERE community_id = $1 AND balance < 0`,
			"resident %s has a negative balance %d (%d)"},
	}
	for _, c := range checks {
		if err := r.Find(ctx, d, communityID, c.query, c.format); err != nil {
			return r, err
		}
	}
	if r.Issued-r.Redeemed != r.Outstanding {
		r.Problems = append(r.Problems, fmt.Sprintf("issued %d − redeemed %d ≠ outstanding %d", r.Issued, r.Redeemed, r.Outstanding))
	}
	r.OK = len(r.Problems) == 0
	return r, nil
}

// Find runs a discrepancy query, whose rows are (what, figure, expected)
// and whose only parameter is the community, and adds a problem per row
// (at most 20) described by format. Capabilities that check their own
// cached figures (the station's stock, the registry's counts) use it too.
func (r *Report) Find(ctx context.Context, d *db.DB, communityID, query, format string) (err error) {
	defer civic.Wrap(&err, "ledger.Report.Find(%s)", communityID)
	rows, err := d.Query(ctx, query+fmt.Sprintf(" LIMIT %d", maxListed), communityID)
	found, err := db.Collect(rows, err, func(row db.Scanner) (string, error) {
		var id string
		var a, b int64
		err := row.Scan(&id, &a, &b)
		return fmt.Sprintf(format, id, a, b), err
	})
	r.Problems = append(r.Problems, found...)
	return err
}
