package garden

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Events in the garden: DIY in the greenhouse, study visits, picking days.
//
// Why not earning's activities: an activity belongs to a community, is
// scored by one of its catalogue's indicators, and takes sign-ups from the
// community's registered residents (checked against the registry), with
// attendance that awards points. A garden's families are not residents of
// any community and earn nothing here. What is shared is the rule, written
// the same way: places are taken by one guarded update (taken + people ≤
// capacity), so a full event refuses under concurrency. A community that
// wants its residents to earn points for helping at a garden event publishes
// an ordinary activity in its own catalogue.

// Event is a garden event with places.
type Event struct {
	Operator string    `json:"operator"`
	ID       string    `json:"id"`
	Kind     string    `json:"kind"` // diy, study, picking
	Title    string    `json:"title"`
	Place    string    `json:"place"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Capacity int       `json:"capacity"` // people
	Taken    int       `json:"taken"`
	// Mine is the family's places (0 when not signed up), for its own list.
	Mine int `json:"mine,omitempty"`
}

// EventRequest is an event an operator publishes.
type EventRequest struct {
	Operator string    `json:"operator"`
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`
	Place    string    `json:"place"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Capacity int       `json:"capacity"`
}

// AddEvent publishes an event. Only the operator may.
func (s *Service) AddEvent(ctx context.Context, by civic.Actor, key idem.Key, r EventRequest) (e Event, err error) {
	defer civic.Wrap(&err, "garden.AddEvent(%s)", r.Title)
	if err := staff(by, r.Operator, false); err != nil {
		return e, err
	}
	if r.Title, err = text(r.Title, civic.MaxName, true, "title"); err != nil {
		return e, err
	}
	if r.Place, err = text(r.Place, civic.MaxName, true, "place"); err != nil {
		return e, err
	}
	switch {
	case r.Kind != "diy" && r.Kind != "study" && r.Kind != "picking":
		return e, civic.Errorf(civic.Invalid, "garden.bad_event_kind", "an event is a DIY, a study visit or a picking day")
	case !r.End.After(r.Start) || r.End.Sub(r.Start) > 24*time.Hour:
		return e, civic.Errorf(civic.Invalid, "garden.bad_event_time", "an event ends after it starts, within 24 hours")
	case r.Capacity < 1 || r.Capacity > MaxCapacity:
		return e, civic.Errorf(civic.Invalid, "garden.bad_capacity", "an event has 1 to %d places", MaxCapacity)
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.add_event", r), func(tx *db.Tx) (Event, error) {
		if !r.Start.After(tx.Now()) {
			return e, civic.Errorf(civic.Invalid, "garden.event_past", "an event starts in the future")
		}
		e := Event{Operator: r.Operator, ID: civic.NewID(), Kind: r.Kind, Title: r.Title, Place: r.Place, Start: r.Start.UTC(), End: r.End.UTC(), Capacity: r.Capacity}
		_, err := tx.Exec(ctx, `INSERT INTO garden_events (operator_id, id, kind, title, place, starts_at, ends_at, capacity, taken, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)`, e.Operator, e.ID, e.Kind, e.Title, e.Place, db.Millis(e.Start),
			db.Millis(e.End), e.Capacity, db.Millis(tx.Now()))
		return e, err
	})
}

const eventCols = "e.operator_id, e.id, e.kind, e.title, e.place, e.starts_at, e.ends_at, e.capacity, e.taken"

func scanEvent(r db.Scanner) (e Event, err error) {
	var start, end int64
	err = r.Scan(&e.Operator, &e.ID, &e.Kind, &e.Title, &e.Place, &start, &end, &e.Capacity, &e.Taken, &e.Mine)
	e.Start, e.End = db.FromMillis(start), db.FromMillis(end)
	return e, err
}

// Events lists events not yet ended, soonest first, with the family's own
// places when adopterID is set; operatorID "" lists every operator's.
func (s *Service) Events(ctx context.Context, operatorID, adopterID string, now time.Time) (_ []Event, err error) {
	defer civic.Wrap(&err, "garden.Events(%s)", operatorID)
	rows, err := s.DB.Query(ctx, "SELECT "+eventCols+`, COALESCE(u.people, 0) FROM garden_events e
		LEFT JOIN garden_event_signups u ON u.operator_id = e.operator_id AND u.event_id = e.id AND u.adopter_id = $2 AND u.status = 'registered'
		WHERE e.starts_at >= $3 AND ($1 = '' OR e.operator_id = $1) ORDER BY e.starts_at, e.id LIMIT $4`,
		operatorID, adopterID, db.Millis(now.Add(-24*time.Hour)), listLimit)
	return db.Collect(rows, err, scanEvent)
}

// Event reads one event.
func (s *Service) Event(ctx context.Context, operatorID, id string) (e Event, err error) {
	defer civic.Wrap(&err, "garden.Event(%s)", id)
	e, err = scanEvent(s.DB.QueryRow(ctx, "SELECT "+eventCols+", 0 FROM garden_events e WHERE e.operator_id = $1 AND e.id = $2", operatorID, id))
	if noRows(err) {
		return e, notFound("event", id)
	}
	return e, err
}

// SignUpRequest asks for a family's places at an event (People ≥ 1; 0
// cancels the family's places).
type SignUpRequest struct {
	Operator string `json:"operator"`
	Event    string `json:"event"`
	Adopter  string `json:"adopter"`
	People   int    `json:"people"`
}

// SignUp gives a family places at an event, or changes or cancels them,
// while the event has not started and places remain. Only the family may.
func (s *Service) SignUp(ctx context.Context, by civic.Actor, key idem.Key, r SignUpRequest) (e Event, err error) {
	defer civic.Wrap(&err, "garden.SignUp(%s)", r.Event)
	if err := adopter(by); err != nil {
		return e, err
	}
	if !isSystem(by) && r.Adopter != by.UserID {
		return e, civic.Errorf(civic.Forbidden, "garden.adopt_self", "a family adopts for itself only")
	}
	if r.People < 0 || r.People > MaxPeople {
		return e, civic.Errorf(civic.Invalid, "garden.bad_people", "a family takes 1 to %d places", MaxPeople)
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.sign_up", r), func(tx *db.Tx) (Event, error) {
		return s.signUpTx(ctx, tx, r)
	})
}

func (s *Service) signUpTx(ctx context.Context, tx *db.Tx, r SignUpRequest) (e Event, err error) {
	e, err = scanEvent(tx.QueryRow(ctx, "SELECT "+eventCols+`, COALESCE(u.people, 0) FROM garden_events e
		LEFT JOIN garden_event_signups u ON u.operator_id = e.operator_id AND u.event_id = e.id AND u.adopter_id = $3 AND u.status = 'registered'
		WHERE e.operator_id = $1 AND e.id = $2`, r.Operator, r.Event, r.Adopter))
	if noRows(err) {
		return e, notFound("event", r.Event)
	}
	if err != nil {
		return e, err
	}
	if !tx.Now().Before(e.Start) {
		return e, civic.Errorf(civic.Invalid, "garden.event_started", "the event has started: sign-up is closed")
	}
	delta := r.People - e.Mine
	if delta != 0 {
		res, err := tx.Exec(ctx, `UPDATE garden_events SET taken = taken + $3 WHERE operator_id = $1 AND id = $2 AND taken + $3 <= capacity`,
			r.Operator, r.Event, delta)
		if err != nil {
			return e, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return e, civic.Errorf(civic.Conflict, "garden.event_full", "only %d places are left", max(0, e.Capacity-e.Taken))
		}
	}
	status := "registered"
	if r.People == 0 {
		status = "cancelled"
	}
	if _, err := tx.Exec(ctx, `INSERT INTO garden_event_signups (operator_id, event_id, adopter_id, people, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (operator_id, event_id, adopter_id) DO UPDATE SET people = excluded.people, status = excluded.status`,
		r.Operator, r.Event, r.Adopter, r.People, status, db.Millis(tx.Now())); err != nil {
		return e, err
	}
	if e.Mine == 0 && r.People > 0 {
		// The day before, at the event's own time: enough to plan the trip.
		if err := addReminder(ctx, tx, Reminder{Operator: r.Operator, Adopter: r.Adopter, Kind: RemindEvent,
			DueAt: maxTime(tx.Now(), e.Start.Add(-24*time.Hour)), ArgDate: Today(e.Start), ArgText: e.Title, Subject: e.ID}); err != nil {
			return e, err
		}
	}
	e.Taken, e.Mine = e.Taken+delta, r.People
	return e, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Attendee is a family signed up for an event, as the operator sees it.
type Attendee struct {
	Name        string
	PhoneMasked string
	People      int
}

// Attendees lists an event's families with masked phones. Only the
// operator may.
func (s *Service) Attendees(ctx context.Context, by civic.Actor, operatorID, eventID string) (_ []Attendee, err error) {
	defer civic.Wrap(&err, "garden.Attendees(%s)", eventID)
	if err := staff(by, operatorID, true); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT a.name, a.phone_masked, u.people FROM garden_event_signups u
		JOIN garden_adopters a ON a.user_id = u.adopter_id
		WHERE u.operator_id = $1 AND u.event_id = $2 AND u.status = 'registered' ORDER BY u.created_at LIMIT $3`, operatorID, eventID, MaxCapacity)
	return db.Collect(rows, err, func(r db.Scanner) (x Attendee, err error) {
		err = r.Scan(&x.Name, &x.PhoneMasked, &x.People)
		return x, err
	})
}
