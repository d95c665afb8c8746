package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Visit is one care visit (走访).
type Visit struct {
	ID, ResidentID, ResidentName, HouseholdID string
	Date, VisitorName, Method, Notes          string
	FollowUp                                  bool
}

// NewVisit is what a worker records.
type NewVisit struct {
	ResidentID string
	Date       string // YYYY-MM-DD; today when empty
	Method     string // door, phone or other
	Notes      string
	FollowUp   bool
}

// RecordVisit records a visit by actor and moves the resident's next due date.
func (s *Service) RecordVisit(ctx context.Context, actor civic.Actor, communityID string, v NewVisit) (id string, err error) {
	defer civic.Wrap(&err, "registry.RecordVisit(%s)", v.ResidentID)
	if err := requireWorker(actor, communityID); err != nil {
		return "", err
	}
	switch v.Method {
	case "door", "phone", "other":
	default:
		return "", civic.Errorf(civic.Invalid, "registry.visit_method", "the visit method %q must be door, phone or other", v.Method)
	}
	if len([]rune(v.Notes)) > 2000 {
		return "", civic.Errorf(civic.Invalid, "registry.visit_notes", "the notes are too long (2,000 characters at most)")
	}
	date, err := optionalDate(v.Date, s.Clock.Now())
	if err != nil {
		return "", err
	}
	if date > Today(s.Clock.Now()).Format(dateLayout) {
		return "", civic.Errorf(civic.Invalid, "registry.visit_future", "a visit cannot be recorded in the future (%s)", date)
	}
	id = civic.NewID()
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		cur, err := residentState(ctx, tx, communityID, v.ResidentID)
		if err != nil {
			return err
		}
		if cur.movedOut {
			return civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", v.ResidentID)
		}
		if cur.red && !SeesRed(actor, communityID) {
			return notFound("resident", v.ResidentID)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO visits (community_id, id, resident_id, household_id, visit_date, visitor_id, visitor_name, method, notes, follow_up, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			communityID, id, v.ResidentID, cur.householdID, date, actor.UserID, actor.Name, v.Method, strings.TrimSpace(v.Notes), boolInt(v.FollowUp), db.Millis(s.Clock.Now())); err != nil {
			return err
		}
		last := date
		if cur.lastVisit > last {
			last = cur.lastVisit
		}
		st, err := settingsTx(ctx, tx, communityID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE residents SET last_visit = $3, visit_due = $4 WHERE community_id = $1 AND id = $2",
			communityID, v.ResidentID, last, dueDate(st, cur.colours.Primary(), last, cur.created))
		return err
	})
	return id, err
}

// Visits lists the visits of a resident, or of a household when residentID
// is empty, newest first.
func (s *Service) Visits(ctx context.Context, actor civic.Actor, communityID, residentID, householdID string, limit int) (out []Visit, err error) {
	defer civic.Wrap(&err, "registry.Visits(%s%s)", residentID, householdID)
	if !SeesSensitive(actor, communityID) {
		return nil, civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
	}
	col, key := "v.resident_id", residentID
	if residentID == "" {
		col, key = "v.household_id", householdID
	}
	rows, err := s.DB.Query(ctx, `SELECT v.id, v.resident_id, r.name, v.household_id, v.visit_date, v.visitor_name, v.method, v.notes, v.follow_up
		FROM visits v JOIN residents r ON r.community_id = v.community_id AND r.id = v.resident_id
		WHERE v.community_id = $1 AND `+col+` = $2 AND ($3 OR r.red = 0) ORDER BY v.visit_date DESC, v.id DESC LIMIT $4`,
		communityID, key, SeesRed(actor, communityID), clampLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v Visit
		var f int64
		if err := rows.Scan(&v.ID, &v.ResidentID, &v.ResidentName, &v.HouseholdID, &v.Date, &v.VisitorName, &v.Method, &v.Notes, &f); err != nil {
			return nil, err
		}
		v.FollowUp = f != 0
		out = append(out, v)
	}
	return out, rows.Err()
}

// AssignEstates sets a worker's grid: the estates whose visits they keep.
func (s *Service) AssignEstates(ctx context.Context, actor civic.Actor, communityID, workerID string, estateIDs []string) (err error) {
	defer civic.Wrap(&err, "registry.AssignEstates(%s)", workerID)
	if err := requireWorker(actor, communityID); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM worker_estates WHERE community_id = $1 AND worker_id = $2", communityID, workerID); err != nil {
			return err
		}
		for _, e := range estateIDs {
			if _, err := tx.Exec(ctx, "INSERT INTO worker_estates (community_id, worker_id, estate_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", communityID, workerID, e); err != nil {
				if db.ErrorIs(err, db.ErrForeignKey) {
					return notFound("estate", e)
				}
				return err
			}
		}
		return nil
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
	if !SeesSensitive(actor, communityID) {
		return nil, "", civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
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
	args := []any{communityID, today.Add(DueWindow).Format(dateLayout), SeesRed(actor, communityID), limit + 1}
	where := ""
	if cursor != "" {
		// A bound the index can seek to, not only a filter.
		where = fmt.Sprintf(" AND r.visit_due >= $%d AND (r.visit_due > $%d OR r.id > $%d)", len(args)+1, len(args)+1, len(args)+2)
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
	// One estate pages from residents_due (estate, due date); several from
	// residents_due_all (due date), skipping the other estates' rows, so no
	// list sorts every due resident. Pinned on SQLite (see searchQuery).
	index := "residents_due_all"
	if len(estateIDs) == 1 {
		index = "residents_due"
	}
	rows, err := s.DB.Query(ctx, "SELECT "+residentCols+` FROM residents r`+s.indexedBy(index)+`
		CROSS JOIN households h CROSS JOIN estates e
		WHERE r.community_id = $1 AND r.moved_out IS NULL AND r.visit_due IS NOT NULL AND r.visit_due <= $2 AND ($3 OR r.red = 0)`+where+`
		AND h.community_id = r.community_id AND h.id = r.household_id AND e.community_id = r.community_id AND e.id = r.estate_id
		ORDER BY r.visit_due, r.id LIMIT $4`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		r, _, err := scanResident(rows, today)
		if err != nil {
			return nil, "", err
		}
		d := DueVisit{Resident: redact(actor, communityID, r)}
		if due, err := time.Parse(dateLayout, r.VisitDue); err == nil && due.Before(today) {
			d.DaysLate = int(today.Sub(due).Hours() / 24)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].VisitDue + "_" + out[limit-1].ID
	}
	return out, next, nil
}
