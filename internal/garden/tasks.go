package garden

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Task is one piece of work on an adopted plot.
type Task struct {
	ID         string    `json:"id"`
	Adoption   string    `json:"adoption"`
	Kind       TaskKind  `json:"kind"`
	DueOn      string    `json:"due_on"`
	Assignee   Party     `json:"assignee"`
	Status     string    `json:"status"` // pending, done, abandoned
	DoneAt     time.Time `json:"done_at"`
	DoneBy     string    `json:"done_by"`
	DoneByName string    `json:"done_by_name"`
	Note       string    `json:"note"`
	PhotoID    string    `json:"photo_id"`
	Late       bool      `json:"late"`
	// Plot and family, for the steward's queue.
	PlotLabel  string `json:"plot_label,omitempty"`
	GardenName string `json:"garden_name,omitempty"`
	FamilyName string `json:"family_name,omitempty"`
}

const taskCols = "t.id, t.adoption_id, t.kind, t.due_on, t.assignee, t.status, t.done_at, t.done_by, t.done_by_name, t.note, t.photo_id, t.late"

func scanTask(r db.Scanner) (t Task, err error) {
	var done, late int64
	err = r.Scan(&t.ID, &t.Adoption, &t.Kind, &t.DueOn, &t.Assignee, &t.Status, &done, &t.DoneBy, &t.DoneByName, &t.Note, &t.PhotoID, &late)
	if done > 0 {
		t.DoneAt = db.FromMillis(done)
	}
	t.Late = late != 0
	return t, err
}

func scanQueued(r db.Scanner) (t Task, err error) {
	var done, late int64
	err = r.Scan(&t.ID, &t.Adoption, &t.Kind, &t.DueOn, &t.Assignee, &t.Status, &done, &t.DoneBy, &t.DoneByName, &t.Note, &t.PhotoID, &late,
		&t.PlotLabel, &t.GardenName, &t.FamilyName)
	return t, err
}

// Queue lists the steward's pending tasks due on or before until, oldest
// first, after the cursor (the last task's "due_on|id"), at most limit.
func (s *Service) Queue(ctx context.Context, by civic.Actor, until, cursorDue, cursorID string, limit int) (_ []Task, err error) {
	defer civic.Wrap(&err, "garden.Queue(%s)", by.CommunityID)
	if err := staff(by, by.CommunityID, true); err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), 100)
	rows, err := s.DB.Query(ctx, "SELECT "+taskCols+`, p.label, g.name, a.family_name FROM garden_tasks t
		JOIN garden_adoptions a ON a.operator_id = t.operator_id AND a.id = t.adoption_id
		JOIN garden_plots p ON p.operator_id = a.operator_id AND p.id = a.plot_id
		JOIN garden_gardens g ON g.operator_id = a.operator_id AND g.id = a.garden_id
		WHERE t.operator_id = $1 AND t.assignee = 'steward' AND t.status = 'pending' AND t.due_on <= $2
		AND (t.due_on > $3 OR (t.due_on = $3 AND t.id > $4))
		ORDER BY t.due_on, t.id LIMIT $5`, by.CommunityID, until, cursorDue, cursorID, limit)
	return db.Collect(rows, err, scanQueued)
}

// Log lists an adoption's tasks by due day (a season is some dozens).
func (s *Service) Log(ctx context.Context, operatorID, adoptionID string) (_ []Task, err error) {
	defer civic.Wrap(&err, "garden.Log(%s)", adoptionID)
	rows, err := s.DB.Query(ctx, "SELECT "+taskCols+` FROM garden_tasks t WHERE t.operator_id = $1 AND t.adoption_id = $2
		ORDER BY t.due_on, t.id LIMIT 500`, operatorID, adoptionID)
	return db.Collect(rows, err, scanTask)
}

func getTask(ctx context.Context, q db.Querier, operatorID, id string) (Task, error) {
	t, err := scanTask(q.QueryRow(ctx, "SELECT "+taskCols+" FROM garden_tasks t WHERE t.operator_id = $1 AND t.id = $2", operatorID, id))
	if noRows(err) {
		return t, notFound("task", id)
	}
	return t, err
}

// CompleteRequest marks a task done with a note and, as evidence the family
// sees, a photo.
type CompleteRequest struct {
	Operator string `json:"operator"`
	Task     string `json:"task"`
	Note     string `json:"note"`
	Photo    []byte `json:"photo,omitempty"`
}

// MayDo says whether an actor's party may do a task: a steward (or the
// operator) a task given to the steward; the family a task given to it, on
// its own adoption.
func MayDo(by civic.Actor, t Task, a Adoption) error {
	switch by.Role {
	case civic.RoleGardenSteward, civic.RoleGardenOperator:
		if t.Assignee != Steward {
			return civic.Errorf(civic.Forbidden, "garden.task_family", "this plot is self-managed: its family does this task")
		}
	case civic.RoleGardenAdopter:
		if a.Adopter != by.UserID {
			return notFound("task", t.ID)
		}
		if t.Assignee != Adopter {
			return civic.Errorf(civic.Forbidden, "garden.task_steward", "the farm's steward does this task under your mode")
		}
	default:
		if !isSystem(by) {
			return civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
		}
	}
	return nil
}

// Complete marks a task done. Who may is MayDo's rule; a task done after
// its day is counted late for the report.
func (s *Service) Complete(ctx context.Context, by civic.Actor, key idem.Key, r CompleteRequest) (t Task, err error) {
	defer civic.Wrap(&err, "garden.Complete(%s)", r.Task)
	if by.Role != civic.RoleGardenAdopter {
		if err := staff(by, r.Operator, true); err != nil {
			return t, err
		}
	}
	if r.Note, err = text(r.Note, civic.MaxReason, false, "note"); err != nil {
		return t, err
	}
	var ph Photo
	o := op(r.Operator, key, "garden.complete", r)
	o.Check = func(ctx context.Context) (err error) { ph, err = PreparePhoto(r.Photo); return err }
	return idem.Run(ctx, s.Idem, o, func(tx *db.Tx) (Task, error) { return s.completeTx(ctx, tx, by, r, ph) })
}

func (s *Service) completeTx(ctx context.Context, tx *db.Tx, by civic.Actor, r CompleteRequest, ph Photo) (t Task, err error) {
	if t, err = getTask(ctx, tx, r.Operator, r.Task); err != nil {
		return t, err
	}
	a, err := getAdoption(ctx, tx, r.Operator, t.Adoption)
	if err != nil {
		return t, err
	}
	if err := MayDo(by, t, a); err != nil {
		return t, err
	}
	if t.Status != "pending" || a.Status != Active {
		return t, civic.Errorf(civic.Conflict, "garden.task_closed", "this task is %s already", t.Status)
	}
	if len(ph.Data) > 0 {
		if t.PhotoID, err = putPhoto(ctx, tx, r.Operator, ph); err != nil {
			return t, err
		}
	}
	t.Status, t.DoneAt, t.DoneBy, t.DoneByName, t.Note = "done", tx.Now(), by.UserID, by.Name, r.Note
	t.Late = Today(tx.Now()) > t.DueOn
	if _, err := tx.Exec(ctx, `UPDATE garden_tasks SET status = 'done', done_at = $3, done_by = $4, done_by_name = $5, note = $6,
		photo_id = $7, late = $8 WHERE operator_id = $1 AND id = $2`, r.Operator, t.ID, db.Millis(t.DoneAt), t.DoneBy, t.DoneByName,
		t.Note, t.PhotoID, boolInt(t.Late)); err != nil {
		return t, err
	}
	if err := bump(ctx, tx, a.Operator, a.Season, statTasksDone, string(t.Kind), 1); err != nil {
		return t, err
	}
	if t.Late {
		return t, bump(ctx, tx, a.Operator, a.Season, statTasksLate, string(t.Kind), 1)
	}
	return t, nil
}

// closeOut abandons an adoption's pending tasks and drops its reminders not
// yet due (the crop is gone or picked: nothing is left to remind of).
func closeOut(ctx context.Context, tx *db.Tx, a Adoption) error {
	if _, err := tx.Exec(ctx, `UPDATE garden_tasks SET status = 'abandoned' WHERE operator_id = $1 AND adoption_id = $2 AND status = 'pending'`,
		a.Operator, a.ID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM garden_reminders WHERE operator_id = $1 AND adoption_id = $2 AND sent_at = 0 AND due_at > $3`,
		a.Operator, a.ID, db.Millis(tx.Now()))
	return err
}

// FailRequest records that an adoption's crop failed (frost, disease…).
type FailRequest struct {
	Operator string `json:"operator"`
	Adoption string `json:"adoption"`
	Reason   string `json:"reason"`
}

// Fail records a failed crop. Who bears it is the adoption's terms: under
// the farm's risk the whole fee is recorded as owed back to the family (paid
// back outside, as the fee was paid); under the family's it is not. Only the
// operator may.
func (s *Service) Fail(ctx context.Context, by civic.Actor, key idem.Key, r FailRequest) (a Adoption, err error) {
	defer civic.Wrap(&err, "garden.Fail(%s)", r.Adoption)
	if err := staff(by, r.Operator, false); err != nil {
		return a, err
	}
	if r.Reason, err = text(r.Reason, civic.MaxReason, true, "reason"); err != nil {
		return a, err
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.fail", r), func(tx *db.Tx) (Adoption, error) {
		a, err := getAdoption(ctx, tx, r.Operator, r.Adoption)
		if err != nil {
			return a, err
		}
		if a.Status != Active {
			return a, civic.Errorf(civic.Conflict, "garden.not_active", "this adoption is %s, not growing", a.Status)
		}
		a.Status, a.LossBy, a.FailReason = Failed, a.Terms.BearsLoss(), r.Reason
		if a.LossBy == Farm {
			a.RefundFen = a.FeeFen
		}
		if _, err := tx.Exec(ctx, `UPDATE garden_adoptions SET status = $3, loss_by = $4, refund_fen = $5, fail_reason = $6
			WHERE operator_id = $1 AND id = $2`, a.Operator, a.ID, a.Status, string(a.LossBy), a.RefundFen, a.FailReason); err != nil {
			return a, err
		}
		if err := closeOut(ctx, tx, a); err != nil {
			return a, err
		}
		if err := bump(ctx, tx, a.Operator, a.Season, statFailed, string(a.Mode), 1); err != nil {
			return a, err
		}
		return a, bump(ctx, tx, a.Operator, a.Season, statRefund, string(a.Mode), a.RefundFen)
	})
}
