package auth

import (
	"context"
	"math"
	"net/url"
	"sort"
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
	// Page is the page or API route the entry was written for, such as
	// "GET /worker/registry/households/{id}"; Audit takes it from the
	// request's context (WithPage) when it is empty.
	Page string
	// Detail says what a response showed: key=value pairs, URL-encoded
	// (url.Values.Encode), such as residents=3&filter=colour%3Dblue.
	Detail string
}

type pageKey struct{}

// WithPage returns ctx naming the page or API route that serves the
// request, for the audit entries written while serving it. The web pages
// and the API set it once for every request, so no capability has to pass
// it down.
func WithPage(ctx context.Context, page string) context.Context {
	return context.WithValue(ctx, pageKey{}, page)
}

// PageFrom returns the page set by WithPage, or "".
func PageFrom(ctx context.Context) string {
	p, _ := ctx.Value(pageKey{}).(string)
	return p
}

// Details returns the pairs of Detail in key order; nil when it has none or
// cannot be read.
func (e AuditEntry) Details() []DetailPair {
	v, err := url.ParseQuery(e.Detail)
	if err != nil || len(v) == 0 {
		return nil
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]DetailPair, 0, len(keys))
	for _, k := range keys {
		out = append(out, DetailPair{Key: k, Value: strings.Join(v[k], ", ")})
	}
	return out
}

// DetailPair is one key and value of an entry's Detail.
type DetailPair struct{ Key, Value string }

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
	if e.Page == "" {
		e.Page = PageFrom(ctx)
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (community_id, id, actor_id, actor_name, action, subject_kind, subject_id, reason, at, page, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.CommunityID, e.ID, e.ActorID, e.ActorName, e.Action, e.SubjectKind, e.SubjectID, e.Reason, db.Millis(e.At), e.Page, e.Detail)
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
	rows, err := s.DB.Query(ctx, `SELECT community_id, id, actor_id, actor_name, action, subject_kind, subject_id, reason, at, page, detail
		FROM audit_log WHERE community_id = $1 AND (at < $2 OR (at = $2 AND id < $3))
		ORDER BY at DESC, id DESC LIMIT $4`, communityID, at, id, limit)
	return db.Collect(rows, err, scanAuditEntry)
}

func scanAuditEntry(row db.Scanner) (e AuditEntry, err error) {
	var at int64
	err = row.Scan(&e.CommunityID, &e.ID, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectKind, &e.SubjectID, &e.Reason, &at, &e.Page, &e.Detail)
	e.At = db.FromMillis(at)
	return e, err
}
