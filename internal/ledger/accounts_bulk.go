package ledger

import (
	"context"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// openAccountsChunk keeps one statement's parameters well inside SQLite's
// and PostgreSQL's limits.
const openAccountsChunk = 500

// OpenAccounts opens the accounts of many residents at once, as OpenAccount
// does for one: an account that exists already is left as it is. A bulk
// import opens hundreds of thousands of accounts, and a statement per
// resident would be a large part of its time.
func OpenAccounts(ctx context.Context, tx *db.Tx, communityID string, residentIDs []string) (err error) {
	defer civic.Wrap(&err, "ledger.OpenAccounts(%s, %d residents)", communityID, len(residentIDs))
	now := db.Millis(tx.Now())
	sqlite := tx.Dialect() == db.SQLite
	var q strings.Builder
	var args []any
	for len(residentIDs) > 0 {
		chunk := residentIDs[:min(len(residentIDs), openAccountsChunk)]
		residentIDs = residentIDs[len(chunk):]
		q.Reset()
		args = args[:0]
		q.WriteString("INSERT INTO ledger_accounts (community_id, resident_id, balance, earned, active, created_at) VALUES ")
		if !sqlite {
			args = append(args, communityID, now)
		}
		for i, id := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			if sqlite {
				// SQLite looks numbered parameters up by a linear search
				// when binding, so a long list binds plain ? in order.
				q.WriteString("(?, ?, 0, 0, 1, ?)")
				args = append(args, communityID, id, now)
				continue
			}
			q.WriteString("($1, $")
			q.WriteString(strconv.Itoa(i + 3))
			q.WriteString(", 0, 0, 1, $2)")
			args = append(args, id)
		}
		q.WriteString(" ON CONFLICT (community_id, resident_id) DO NOTHING")
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
