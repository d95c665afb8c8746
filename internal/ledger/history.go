package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// HistoryEntry is one movement on a resident's account, as the resident sees
// it: what happened, how many points (signed), why, from where, and whether it
// was later reversed.
type HistoryEntry struct {
	TransferID  string
	Kind        Kind
	Points      int64 // positive in, negative out
	Reason      string
	ReasonMsg   civic.Message // zero for a typed reason and for transfers from before reasons kept their parts
	Source      Source
	Indicator   string
	RuleVersion int
	ActorName   string
	At          time.Time
	ReversesID  string // set on reversals: the transfer undone
	Reversed    bool   // a later reversal undid this entry
	ReversedBy  string
	Reversal    string // the reason given for that reversal
}

// History lists a resident's entries, newest first, by keyset cursor over
// ledger_postings(community_id, account_id, created_at): cursor is the next
// value returned by the previous page ("" for the first); next is "" on the
// last page.
func History(ctx context.Context, d *db.DB, communityID, residentID, cursor string, limit int) (out []HistoryEntry, next string, err error) {
	defer civic.Wrap(&err, "ledger.History(%s)", residentID)
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	before, beforeID := int64(1)<<62, ""
	if cursor != "" {
		ms, id, ok := strings.Cut(cursor, ".")
		n, perr := strconv.ParseInt(ms, 10, 64)
		if !ok || perr != nil || id == "" {
			return nil, "", civic.Errorf(civic.Invalid, "ledger.bad_cursor", "the page cursor %q is not valid", cursor)
		}
		before, beforeID = n, id
	}
	rows, err := d.Query(ctx, `SELECT p.transfer_id, p.amount, p.created_at, t.kind, t.reason, t.source_kind, t.source_id,
			t.indicator, t.rule_version, t.actor_name, t.reverses_id, r.id, r.reason, t.reason_msg
		FROM ledger_postings p
		JOIN ledger_transfers t ON t.community_id = p.community_id AND t.id = p.transfer_id
		LEFT JOIN ledger_transfers r ON r.community_id = t.community_id AND r.reverses_id = t.id
		WHERE p.community_id = $1 AND p.account_id = $2
			AND (p.created_at < $3 OR (p.created_at = $3 AND p.transfer_id < $4))
		ORDER BY p.created_at DESC, p.transfer_id DESC LIMIT $5`,
		communityID, residentID, before, beforeID, limit+1)
	if out, err = db.Collect(rows, err, scanHistory); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = strconv.FormatInt(db.Millis(last.At), 10) + "." + last.TransferID
	}
	return out, next, nil
}

func scanHistory(row db.Scanner) (e HistoryEntry, err error) {
	var ms int64
	var kind string
	var reverses, revID, revReason sql.NullString
	var msg string
	if err := row.Scan(&e.TransferID, &e.Points, &ms, &kind, &e.Reason, &e.Source.Kind, &e.Source.ID,
		&e.Indicator, &e.RuleVersion, &e.ActorName, &reverses, &revID, &revReason, &msg); err != nil {
		return e, err
	}
	if msg != "" {
		if err := json.Unmarshal([]byte(msg), &e.ReasonMsg); err != nil {
			return e, fmt.Errorf("transfer %s: reason_msg: %w", e.TransferID, err)
		}
	}
	e.Kind, e.At, e.ReversesID = Kind(kind), db.FromMillis(ms), reverses.String
	e.Reversed, e.ReversedBy, e.Reversal = revID.Valid, revID.String, revReason.String
	return e, nil
}
