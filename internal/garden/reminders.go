package garden

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Reminder is something a family is told: in the app on its own page once
// due, and through an outbox to an SMS or WeChat gateway outside this system.
type Reminder struct {
	Operator string       `json:"operator"`
	ID       string       `json:"id"`
	Adoption string       `json:"adoption"`
	Adopter  string       `json:"adopter"`
	Kind     ReminderKind `json:"kind"`
	DueAt    time.Time    `json:"due_at"`
	ArgDate  string       `json:"arg_date"`
	ArgDays  int          `json:"arg_days"`
	ArgText  string       `json:"arg_text"` // the crop, the task's kind or the event's title
	Subject  string       `json:"subject"`  // the task or event reminded of
	SentAt   time.Time    `json:"sent_at"`
	ReadAt   time.Time    `json:"read_at"`
}

// ReminderSource is the seam where an outbox (the district integration's
// internal/outbox, not built yet) picks reminders up: it asks for the due
// ones not yet sent, hands each to its gateway as an event carrying ids and
// dates (never a phone number: the gateway asks for that with its own right),
// and marks each sent under a key derived from the reminder's id, so a retry
// after a crash sends once. *Service implements it; until an outbox is wired
// reminders are shown in the app only.
type ReminderSource interface {
	DueReminders(ctx context.Context, now time.Time, limit int) ([]Reminder, error)
	MarkSent(ctx context.Context, by civic.Actor, key idem.Key, r MarkSentRequest) (Reminder, error)
}

var _ ReminderSource = (*Service)(nil)

func addReminder(ctx context.Context, tx *db.Tx, r Reminder) error {
	_, err := tx.Exec(ctx, `INSERT INTO garden_reminders (operator_id, id, adoption_id, adopter_id, kind, due_at, arg_date, arg_days, arg_text, subject_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, r.Operator, civic.NewID(), r.Adoption, r.Adopter, string(r.Kind),
		db.Millis(r.DueAt), r.ArgDate, r.ArgDays, r.ArgText, r.Subject, db.Millis(tx.Now()))
	return err
}

const reminderCols = "operator_id, id, adoption_id, adopter_id, kind, due_at, arg_date, arg_days, arg_text, subject_id, sent_at, read_at"

func scanReminder(r db.Scanner) (m Reminder, err error) {
	var due, sent, read int64
	err = r.Scan(&m.Operator, &m.ID, &m.Adoption, &m.Adopter, &m.Kind, &due, &m.ArgDate, &m.ArgDays, &m.ArgText, &m.Subject, &sent, &read)
	m.DueAt = db.FromMillis(due)
	if sent > 0 {
		m.SentAt = db.FromMillis(sent)
	}
	if read > 0 {
		m.ReadAt = db.FromMillis(read)
	}
	return m, err
}

// RemindersOf lists a family's reminders due by now, newest first (the 30
// most recent: older ones are history on each adoption's page).
func (s *Service) RemindersOf(ctx context.Context, adopterID string, now time.Time) (_ []Reminder, err error) {
	defer civic.Wrap(&err, "garden.RemindersOf(%s)", adopterID)
	rows, err := s.DB.Query(ctx, "SELECT "+reminderCols+` FROM garden_reminders WHERE adopter_id = $1 AND due_at <= $2
		ORDER BY due_at DESC, id DESC LIMIT 30`, adopterID, db.Millis(now))
	return db.Collect(rows, err, scanReminder)
}

// AdoptionReminders lists an adoption's reminders, due or coming, by time.
func (s *Service) AdoptionReminders(ctx context.Context, operatorID, adoptionID string) (_ []Reminder, err error) {
	defer civic.Wrap(&err, "garden.AdoptionReminders(%s)", adoptionID)
	rows, err := s.DB.Query(ctx, "SELECT "+reminderCols+` FROM garden_reminders WHERE operator_id = $1 AND adoption_id = $2
		ORDER BY due_at, id LIMIT 200`, operatorID, adoptionID)
	return db.Collect(rows, err, scanReminder)
}

// DueReminders lists reminders due by now that no outbox has sent, oldest
// first: the outbox's side of ReminderSource.
func (s *Service) DueReminders(ctx context.Context, now time.Time, limit int) (_ []Reminder, err error) {
	defer civic.Wrap(&err, "garden.DueReminders")
	rows, err := s.DB.Query(ctx, "SELECT "+reminderCols+` FROM garden_reminders WHERE sent_at = 0 AND due_at <= $1
		ORDER BY due_at, operator_id, id LIMIT $2`, db.Millis(now), min(max(limit, 1), 1000))
	return db.Collect(rows, err, scanReminder)
}

// MarkSentRequest names a reminder an outbox has handed to its gateway.
type MarkSentRequest struct {
	Operator string `json:"operator"`
	Reminder string `json:"reminder"`
}

// MarkSent records that a reminder went out. Only the platform (the outbox,
// as civic.System) may.
func (s *Service) MarkSent(ctx context.Context, by civic.Actor, key idem.Key, r MarkSentRequest) (m Reminder, err error) {
	defer civic.Wrap(&err, "garden.MarkSent(%s)", r.Reminder)
	if !isSystem(by) {
		return m, civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.mark_sent", r), func(tx *db.Tx) (Reminder, error) {
		if _, err := tx.Exec(ctx, "UPDATE garden_reminders SET sent_at = $3 WHERE operator_id = $1 AND id = $2 AND sent_at = 0",
			r.Operator, r.Reminder, db.Millis(tx.Now())); err != nil {
			return m, err
		}
		return getReminder(ctx, tx, r.Operator, r.Reminder)
	})
}

func getReminder(ctx context.Context, q db.Querier, operatorID, id string) (Reminder, error) {
	m, err := scanReminder(q.QueryRow(ctx, "SELECT "+reminderCols+" FROM garden_reminders WHERE operator_id = $1 AND id = $2", operatorID, id))
	if noRows(err) {
		return m, notFound("reminder", id)
	}
	return m, err
}

// ReadRequest marks a family's due reminders of one adoption read.
type ReadRequest struct {
	Operator string `json:"operator"`
	Adoption string `json:"adoption"`
	Until    int64  `json:"until"` // the newest due time the family saw (Unix ms)
}

// MarkRead marks reminders read once the family has seen them on the
// adoption's page. Only the family may.
func (s *Service) MarkRead(ctx context.Context, by civic.Actor, key idem.Key, r ReadRequest) (n int64, err error) {
	defer civic.Wrap(&err, "garden.MarkRead(%s)", r.Adoption)
	if by.Role != civic.RoleGardenAdopter {
		return 0, civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.mark_read", r), func(tx *db.Tx) (int64, error) {
		res, err := tx.Exec(ctx, `UPDATE garden_reminders SET read_at = $5 WHERE operator_id = $1 AND adoption_id = $2 AND adopter_id = $3
			AND due_at <= $4 AND read_at = 0`, r.Operator, r.Adoption, by.UserID, min(r.Until, db.Millis(tx.Now())), db.Millis(tx.Now()))
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	})
}
