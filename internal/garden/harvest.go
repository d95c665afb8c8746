package garden

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Harvest is one picking, weighed.
type Harvest struct {
	ID        string    `json:"id"`
	Adoption  string    `json:"adoption"`
	WeightG   int64     `json:"weight_g"`
	PickedBy  Party     `json:"picked_by"`
	PickedOn  string    `json:"picked_on"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// HarvestRequest records a picking: by the family (weighed at the gate, or
// entered by the family itself) or by the steward where the mode lets the
// farm pick for the family. Final closes the adoption as harvested.
type HarvestRequest struct {
	Operator string `json:"operator"`
	Adoption string `json:"adoption"`
	WeightG  int64  `json:"weight_g"`
	PickedBy Party  `json:"picked_by"`
	Note     string `json:"note"`
	Final    bool   `json:"final"`
}

// RecordHarvest records a picking. The operator and stewards record for any
// adoption, a family for its own and as its own picking; MayPick decides
// whether the steward may have picked. The first picking closes the harvest
// task.
func (s *Service) RecordHarvest(ctx context.Context, by civic.Actor, key idem.Key, r HarvestRequest) (h Harvest, err error) {
	defer civic.Wrap(&err, "garden.RecordHarvest(%s)", r.Adoption)
	if by.Role == civic.RoleGardenAdopter {
		r.PickedBy = Adopter
	} else if err := staff(by, r.Operator, true); err != nil {
		return h, err
	}
	if r.WeightG < 1 || r.WeightG > MaxWeightG {
		return h, civic.Errorf(civic.Invalid, "garden.bad_weight", "the weight must be 1 g to %d kg", MaxWeightG/1000)
	}
	if r.PickedBy != Adopter && r.PickedBy != Steward {
		return h, civic.Errorf(civic.Invalid, "garden.bad_terms", "the terms of a mode name an unknown party")
	}
	if r.Note, err = text(r.Note, civic.MaxReason, false, "note"); err != nil {
		return h, err
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.record_harvest", r), func(tx *db.Tx) (Harvest, error) {
		return s.harvestTx(ctx, tx, by, r)
	})
}

func (s *Service) harvestTx(ctx context.Context, tx *db.Tx, by civic.Actor, r HarvestRequest) (h Harvest, err error) {
	a, err := getAdoption(ctx, tx, r.Operator, r.Adoption)
	switch {
	case err != nil:
		return h, err
	case by.Role == civic.RoleGardenAdopter && a.Adopter != by.UserID:
		return h, notFound("adoption", r.Adoption)
	case a.Status != Active:
		return h, civic.Errorf(civic.Conflict, "garden.not_active", "this adoption is %s, not growing", a.Status)
	case !a.Terms.MayPick(r.PickedBy):
		return h, civic.Errorf(civic.Forbidden, "garden.pick_family", "under this mode only the family picks its crop")
	}
	h = Harvest{ID: civic.NewID(), Adoption: a.ID, WeightG: r.WeightG, PickedBy: r.PickedBy, PickedOn: Today(tx.Now()), Note: r.Note, CreatedAt: tx.Now()}
	if _, err := tx.Exec(ctx, `INSERT INTO garden_harvests (operator_id, id, adoption_id, crop_id, weight_g, picked_by, picked_on, recorded_by, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.Operator, h.ID, a.ID, a.Crop, h.WeightG, string(h.PickedBy), h.PickedOn,
		by.UserID, h.Note, db.Millis(h.CreatedAt)); err != nil {
		return h, err
	}
	late := h.PickedOn > a.LastDay()
	res, err := tx.Exec(ctx, `UPDATE garden_tasks SET status = 'done', done_at = $3, done_by = $4, done_by_name = $5, late = $6
		WHERE operator_id = $1 AND adoption_id = $2 AND kind = 'harvest' AND status = 'pending'`,
		a.Operator, a.ID, db.Millis(tx.Now()), by.UserID, by.Name, boolInt(late))
	if err != nil {
		return h, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		if err := bump(ctx, tx, a.Operator, a.Season, statTasksDone, string(TaskHarvest), n); err != nil {
			return h, err
		}
		if late {
			if err := bump(ctx, tx, a.Operator, a.Season, statTasksLate, string(TaskHarvest), n); err != nil {
				return h, err
			}
		}
	}
	if err := bump(ctx, tx, a.Operator, a.Season, statHarvestG, a.Crop, h.WeightG); err != nil {
		return h, err
	}
	if r.Final {
		if _, err := tx.Exec(ctx, "UPDATE garden_adoptions SET status = $3 WHERE operator_id = $1 AND id = $2", a.Operator, a.ID, Harvested); err != nil {
			return h, err
		}
		return h, closeOut(ctx, tx, a)
	}
	return h, nil
}

// Harvests lists an adoption's pickings, newest first.
func (s *Service) Harvests(ctx context.Context, operatorID, adoptionID string) (_ []Harvest, err error) {
	defer civic.Wrap(&err, "garden.Harvests(%s)", adoptionID)
	rows, err := s.DB.Query(ctx, `SELECT id, adoption_id, weight_g, picked_by, picked_on, note, created_at FROM garden_harvests
		WHERE operator_id = $1 AND adoption_id = $2 ORDER BY created_at DESC LIMIT 100`, operatorID, adoptionID)
	return db.Collect(rows, err, func(r db.Scanner) (h Harvest, err error) {
		var at int64
		err = r.Scan(&h.ID, &h.Adoption, &h.WeightG, &h.PickedBy, &h.PickedOn, &h.Note, &at)
		h.CreatedAt = db.FromMillis(at)
		return h, err
	})
}

// Booking is a family's picking time: a day of the harvest window, morning
// or afternoon.
type Booking struct {
	Adoption string `json:"adoption"`
	Day      string `json:"day"`
	Slot     string `json:"slot"` // am or pm
}

// BookRequest books (or moves) an adoption's picking time.
type BookRequest struct {
	Operator string `json:"operator"`
	Adoption string `json:"adoption"`
	Day      string `json:"day"`
	Slot     string `json:"slot"`
}

// Book gives the family a picking time in the harvest window, within the
// slot's capacity; booking again moves it. Only the family may.
func (s *Service) Book(ctx context.Context, by civic.Actor, key idem.Key, r BookRequest) (b Booking, err error) {
	defer civic.Wrap(&err, "garden.Book(%s)", r.Adoption)
	if by.Role != civic.RoleGardenAdopter {
		return b, civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
	}
	d, err := ParseDay(r.Day)
	if err != nil {
		return b, err
	}
	if r.Day = d.Format(dayLayout); r.Slot != "am" && r.Slot != "pm" {
		return b, civic.Errorf(civic.Invalid, "garden.bad_slot", "choose the morning or the afternoon")
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.book", r), func(tx *db.Tx) (Booking, error) {
		return s.bookTx(ctx, tx, by, r)
	})
}

func (s *Service) bookTx(ctx context.Context, tx *db.Tx, by civic.Actor, r BookRequest) (b Booking, err error) {
	a, err := getAdoption(ctx, tx, r.Operator, r.Adoption)
	switch {
	case err != nil:
		return b, err
	case a.Adopter != by.UserID:
		return b, notFound("adoption", r.Adoption)
	case a.Status != Active:
		return b, civic.Errorf(civic.Conflict, "garden.not_active", "this adoption is %s, not growing", a.Status)
	case r.Day < a.RipeOn || r.Day > a.LastDay() || r.Day < Today(tx.Now()):
		return b, civic.Errorf(civic.Invalid, "garden.day_outside", "pick a day from %s to %s, not in the past", max(a.RipeOn, Today(tx.Now())), a.LastDay())
	}
	o, err := scanOperator(tx.QueryRow(ctx, "SELECT "+operatorCols+" FROM garden_operators WHERE operator_id = $1", a.Operator))
	if err != nil {
		return b, err
	}
	var oldDay, oldSlot string
	err = tx.QueryRow(ctx, "SELECT day, slot FROM garden_pick_bookings WHERE operator_id = $1 AND adoption_id = $2", a.Operator, a.ID).Scan(&oldDay, &oldSlot)
	if err != nil && !noRows(err) {
		return b, err
	}
	if oldDay == r.Day && oldSlot == r.Slot {
		return Booking{Adoption: a.ID, Day: r.Day, Slot: r.Slot}, nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO garden_pick_slots (operator_id, garden_id, day, slot, taken) VALUES ($1, $2, $3, $4, 0)
		ON CONFLICT (operator_id, garden_id, day, slot) DO NOTHING`, a.Operator, a.Garden, r.Day, r.Slot); err != nil {
		return b, err
	}
	res, err := tx.Exec(ctx, `UPDATE garden_pick_slots SET taken = taken + 1
		WHERE operator_id = $1 AND garden_id = $2 AND day = $3 AND slot = $4 AND taken < $5`, a.Operator, a.Garden, r.Day, r.Slot, o.PickCapacity)
	if err != nil {
		return b, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return b, civic.Errorf(civic.Conflict, "garden.slot_full", "that time is fully booked: choose another")
	}
	if oldDay != "" {
		if _, err := tx.Exec(ctx, `UPDATE garden_pick_slots SET taken = taken - 1 WHERE operator_id = $1 AND garden_id = $2 AND day = $3 AND slot = $4`,
			a.Operator, a.Garden, oldDay, oldSlot); err != nil {
			return b, err
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO garden_pick_bookings (operator_id, adoption_id, garden_id, day, slot, created_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (operator_id, adoption_id) DO UPDATE SET day = excluded.day, slot = excluded.slot, created_at = excluded.created_at`,
		a.Operator, a.ID, a.Garden, r.Day, r.Slot, db.Millis(tx.Now()))
	return Booking{Adoption: a.ID, Day: r.Day, Slot: r.Slot}, err
}

// BookingOf reads an adoption's picking time (zero when none).
func (s *Service) BookingOf(ctx context.Context, operatorID, adoptionID string) (b Booking, err error) {
	defer civic.Wrap(&err, "garden.BookingOf(%s)", adoptionID)
	err = s.DB.QueryRow(ctx, "SELECT adoption_id, day, slot FROM garden_pick_bookings WHERE operator_id = $1 AND adoption_id = $2",
		operatorID, adoptionID).Scan(&b.Adoption, &b.Day, &b.Slot)
	if noRows(err) {
		return Booking{}, nil
	}
	return b, err
}

// Bookings lists the picking times booked for a day, by slot (for the
// operator's gate list).
func (s *Service) Bookings(ctx context.Context, operatorID, day string) (_ []Booking, err error) {
	defer civic.Wrap(&err, "garden.Bookings(%s)", day)
	rows, err := s.DB.Query(ctx, `SELECT adoption_id, day, slot FROM garden_pick_bookings WHERE operator_id = $1 AND day = $2
		ORDER BY slot, adoption_id LIMIT 500`, operatorID, day)
	return db.Collect(rows, err, func(r db.Scanner) (b Booking, err error) { err = r.Scan(&b.Adoption, &b.Day, &b.Slot); return b, err })
}
