package auth

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// AuditEntry is one line of the audit log: who did or saw what, about whom,
// and why.
type AuditEntry struct {
	CommunityID string
	ID          string // set by Audit when empty
	ActorID     string
	ActorName   string
	Action      string // such as "registry.read_sensitive"
	SubjectKind string // such as "resident"
	SubjectID   string
	Reason      string
	At          time.Time // the caller's clock; zero is the transaction's (tx.Now)
}

// Audit appends e to the audit log in tx, so the record and the action it
// describes commit together. Capabilities call it for every read of a
// sensitive field and every administrative change.
func Audit(ctx context.Context, tx *db.Tx, e AuditEntry) (err error) {
	defer civic.Wrap(&err, "auth.Audit(%s)", e.Action)
	if e.Action == "" || e.ActorID == "" {
		return civic.Errorf(civic.Invalid, "auth.audit_incomplete", "an audit entry needs an actor and an action")
	}
	if e.ID == "" {
		e.ID = civic.NewID()
	}
	if e.At.IsZero() {
		e.At = tx.Now()
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (community_id, id, actor_id, actor_name, action, subject_kind, subject_id, reason, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.CommunityID, e.ID, e.ActorID, e.ActorName, e.Action, e.SubjectKind, e.SubjectID, e.Reason, db.Millis(e.At))
	return err
}

// Cursor is where the next page of the audit log starts.
func (e AuditEntry) Cursor() string { return strconv.FormatInt(db.Millis(e.At), 10) + "." + e.ID }

// EntryFor fills the actor fields of an audit entry from a.
func EntryFor(a civic.Actor, action, subjectKind, subjectID, reason string, at time.Time) AuditEntry {
	return AuditEntry{CommunityID: a.CommunityID, ActorID: a.UserID, ActorName: a.Name, Action: action,
		SubjectKind: subjectKind, SubjectID: subjectID, Reason: reason, At: at}
}

// AuditLog lists a community's audit entries, newest first, at most limit of
// them, after the cursor before (empty for the newest; else the Cursor of the
// last entry of the previous page).
func (s *Service) AuditLog(ctx context.Context, communityID, before string, limit int) (out []AuditEntry, err error) {
	defer civic.Wrap(&err, "auth.AuditLog(%s)", communityID)
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	at, id := int64(math.MaxInt64), ""
	if before != "" {
		ms, rest, ok := strings.Cut(before, ".")
		n, perr := strconv.ParseInt(ms, 10, 64)
		if !ok || perr != nil {
			return nil, civic.Errorf(civic.Invalid, "auth.bad_cursor", "cannot read the page cursor %q", before)
		}
		at, id = n, rest
	}
	rows, err := s.DB.Query(ctx, `SELECT community_id, id, actor_id, actor_name, action, subject_kind, subject_id, reason, at
		FROM audit_log WHERE community_id = $1 AND (at < $2 OR (at = $2 AND id < $3))
		ORDER BY at DESC, id DESC LIMIT $4`, communityID, at, id, limit)
	return db.Collect(rows, err, scanAuditEntry)
}

func scanAuditEntry(row db.Scanner) (e AuditEntry, err error) {
	var at int64
	err = row.Scan(&e.CommunityID, &e.ID, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectKind, &e.SubjectID, &e.Reason, &at)
	e.At = db.FromMillis(at)
	return e, err
}
