package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Visit is one care visit (走访).
type Visit struct {
	ID, ResidentID, ResidentName, HouseholdID string
	Date, VisitorName, Method, Notes          string
	FollowUp                                  bool
}

// NewVisit is what a worker records.
type NewVisit struct {
	ResidentID string `json:"resident"`
	Date       string `json:"date"`   // YYYY-MM-DD; today when empty
	Method     string `json:"method"` // door, phone or other
	Notes      string `json:"notes"`
	FollowUp   bool   `json:"follow_up"`
}

// RecordVisitRequest is a visit to a resident of the community.
type RecordVisitRequest struct {
	Community string `json:"community"`
	NewVisit
}

// RecordVisit records a visit by the actor and moves the resident's next
// due date. The answer names the visit.
func (s *Service) RecordVisit(ctx context.Context, by civic.Actor, key idem.Key, r RecordVisitRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.RecordVisit(%s)", r.ResidentID)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	switch r.Method {
	case "door", "phone", "other":
	default:
		return ch, civic.Errorf(civic.Invalid, "registry.visit_method", "the visit method %q must be door, phone or other", r.Method)
	}
	if len([]rune(r.Notes)) > 2000 {
		return ch, civic.Errorf(civic.Invalid, "registry.visit_notes", "the notes are too long (2,000 characters at most)")
	}
	now := s.Clock.Now()
	date, err := optionalDate(r.Date, now)
	if err != nil {
		return ch, err
	}
	if date > Today(now).Format(dateLayout) {
		return ch, civic.Errorf(civic.Invalid, "registry.visit_future", "a visit cannot be recorded in the future (%s)", date)
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.record_visit", r), func(tx *db.Tx) (Change, error) {
		return s.visitTx(ctx, tx, by, r, date)
	})
}

func (s *Service) visitTx(ctx context.Context, tx *db.Tx, by civic.Actor, r RecordVisitRequest, date string) (Change, error) {
	c := r.Community
	cur, err := residentState(ctx, tx, c, r.ResidentID)
	if err != nil {
		return Change{}, err
	}
	if cur.movedOut {
		return Change{}, civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", r.ResidentID)
	}
	// A visit by a worker holding the grant to a red resident is red-group
	// care: workers without the grant never see it, so it moves only the
	// real dates. Any other visit moves both: a worker without the grant
	// visits a red resident as anyone else.
	redCare := cur.red && SeesRed(by, c)
	ch := Change{ID: civic.NewID(), At: s.Clock.Now()}
	if _, err := tx.Exec(ctx, `INSERT INTO visits (community_id, id, resident_id, household_id, visit_date, visitor_id, visitor_name, method, notes, follow_up, created_at, red_care)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		c, ch.ID, r.ResidentID, cur.householdID, date, by.UserID, by.Name, r.Method, strings.TrimSpace(r.Notes), boolInt(r.FollowUp), db.Millis(ch.At), boolInt(redCare)); err != nil {
		return Change{}, err
	}
	cur.lastVisit = max(cur.lastVisit, date)
	if !redCare {
		cur.shadowLast = max(cur.shadowLast, date)
	}
	st, err := settingsTx(ctx, tx, c)
	if err != nil {
		return Change{}, err
	}
	return ch, writeCare(ctx, tx, st, c, r.ResidentID, cur.colours, cur, !redCare)
}

// AssignEstatesRequest sets a worker's grid: the estates whose visits they keep.
type AssignEstatesRequest struct {
	Community string   `json:"community"`
	Worker    string   `json:"worker"` // the worker's user id
	Estates   []string `json:"estates"`
}

// AssignEstates sets a worker's grid, replacing the estates they had.
func (s *Service) AssignEstates(ctx context.Context, by civic.Actor, key idem.Key, r AssignEstatesRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.AssignEstates(%s)", r.Worker)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.assign_estates", r), func(tx *db.Tx) (Change, error) {
		if _, err := tx.Exec(ctx, "DELETE FROM worker_estates WHERE community_id = $1 AND worker_id = $2", r.Community, r.Worker); err != nil {
			return Change{}, err
		}
		for _, e := range r.Estates {
			if _, err := tx.Exec(ctx, "INSERT INTO worker_estates (community_id, worker_id, estate_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", r.Community, r.Worker, e); err != nil {
				if db.ErrorIs(err, db.ErrForeignKey) {
					return Change{}, notFound("estate", e)
				}
				return Change{}, err
			}
		}
		return Change{ID: r.Worker, At: s.Clock.Now()}, nil
	})
}

// WorkerEstates lists the estates assigned to a worker.
func (s *Service) WorkerEstates(ctx context.Context, communityID, workerID string) (ids []string, err error) {
	defer civic.Wrap(&err, "registry.WorkerEstates(%s)", workerID)
	rows, err := s.DB.Query(ctx, "SELECT estate_id FROM worker_estates WHERE community_id = $1 AND worker_id = $2 ORDER BY estate_id", communityID, workerID)
	return db.Collect(rows, err, db.ScanString)
}

// DueVisit is a resident whose visit is due within a week or overdue.
type DueVisit struct {
	Resident
	DaysLate int // > 0 when overdue
}

// DueWindow is how far ahead the due list looks.
const DueWindow = 7 * 24 * time.Hour

// DueVisits lists residents due for a visit in the given estates (nil: the
// actor's own grid, or every estate when they have none), soonest first, by
// keyset cursor.
func (s *Service) DueVisits(ctx context.Context, actor civic.Actor, communityID string, estateIDs []string, cursor string, limit int) (out []DueVisit, next string, err error) {
	defer civic.Wrap(&err, "registry.DueVisits(%s)", communityID)
	v := viewerOf(actor, communityID)
	if err := v.mustSee(); err != nil {
		return nil, "", err
	}
	if err := s.Refresh(ctx, communityID); err != nil {
		return nil, "", err
	}
	if estateIDs == nil {
		if estateIDs, err = s.WorkerEstates(ctx, communityID, actor.UserID); err != nil {
			return nil, "", err
		}
	}
	limit = clampLimit(limit)
	today := Today(s.Clock.Now())
	cd, cid := "", ""
	if cursor != "" {
		var ok bool
		if cd, cid, ok = strings.Cut(cursor, "_"); !ok {
			return nil, "", badCursor()
		}
	}
	// A worker without the red grant pages the shadow due dates (see
	// viewer): a red resident stands where they would if never red.
	due, byEstate, across := v.dueColumn()
	args := []any{communityID, today.Add(DueWindow).Format(dateLayout), limit + 1}
	where := ""
	if cursor != "" {
		// A bound the index can seek to, not only a filter.
		where = fmt.Sprintf(" AND %s >= $%d AND (%s > $%d OR r.id > $%d)", due, len(args)+1, due, len(args)+1, len(args)+2)
		args = append(args, cd, cid)
	}
	if len(estateIDs) > 0 {
		ph := make([]string, len(estateIDs))
		for i, e := range estateIDs {
			args = append(args, e)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		where += " AND r.estate_id IN (" + strings.Join(ph, ", ") + ")"
	}
	// One estate pages from the index by (estate, due date); several from
	// the one by due date, skipping the other estates' rows, so no list
	// sorts every due resident. Pinned on SQLite (see searchQuery).
	index := across
	if len(estateIDs) == 1 {
		index = byEstate
	}
	rows, err := s.DB.Query(ctx, "SELECT "+residentCols+` FROM residents r`+s.indexedBy(index)+`
		CROSS JOIN households h CROSS JOIN estates e
		WHERE r.community_id = $1 AND r.moved_out IS NULL AND `+due+` IS NOT NULL AND `+due+` <= $2`+where+`
		AND h.community_id = r.community_id AND h.id = r.household_id AND e.community_id = r.community_id AND e.id = r.estate_id
		ORDER BY `+due+`, r.id LIMIT $3`, args...)
	seen, err := db.Collect(rows, err, s.seeing(v))
	if err != nil {
		return nil, "", err
	}
	for _, r := range seen {
		d := DueVisit{Resident: r}
		if due, err := time.Parse(dateLayout, r.VisitDue); err == nil && due.Before(today) {
			d.DaysLate = int(today.Sub(due).Hours() / 24)
		}
		out = append(out, d)
	}
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].VisitDue + "_" + out[limit-1].ID
	}
	return out, next, s.disclose(ctx, v, shown{action: "registry.list_due", list: true, filter: "estates=" + strings.Join(estateIDs, ","),
		residents: len(out), fields: residentFields})
}
