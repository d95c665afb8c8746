package garden

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Adoption statuses.
const (
	Pending   = "pending"   // asked for; the operator confirms once the fee is settled
	Active    = "active"    // confirmed and planted: tasks and reminders run
	Cancelled = "cancelled" // the plot is free again
	Failed    = "failed"    // the crop failed; LossBy bears it
	Harvested = "harvested" // the last picking is recorded
)

// Adoption is one family's plot (or seedling) for one season, under the
// terms of its mode as they stood when it was made.
type Adoption struct {
	Operator          string    `json:"operator"`
	ID                string    `json:"id"`
	Season            string    `json:"season"`
	Garden            string    `json:"garden"`
	Plot              string    `json:"plot"`
	Adopter           string    `json:"adopter"`
	Mode              ModeCode  `json:"mode"`
	Crop              string    `json:"crop"`
	FeeFen            int64     `json:"fee_fen"`
	Terms             Terms     `json:"terms"`
	Status            string    `json:"status"`
	FamilyName        string    `json:"family_name"`
	ChildNickname     string    `json:"child_nickname"`
	NicknameConsent   bool      `json:"nickname_consent"`
	PhotoID           string    `json:"photo_id"`
	PhotoConsent      bool      `json:"photo_consent"`
	PlantedOn         string    `json:"planted_on"`
	RipeOn            string    `json:"ripe_on"`
	WindowDays        int       `json:"window_days"`
	LossBy            Party     `json:"loss_by"`
	FailReason        string    `json:"fail_reason"`
	RefundFen         int64     `json:"refund_fen"`
	LinkCode          string    `json:"-"` // the family's own: never in a stored answer
	ResidentCommunity string    `json:"resident_community"`
	ResidentID        string    `json:"resident_id"`
	CreatedAt         time.Time `json:"created_at"`
}

// LastDay is the last day of the harvest window ("" until planted).
func (a Adoption) LastDay() string {
	if a.RipeOn == "" {
		return ""
	}
	return addDays(a.RipeOn, a.WindowDays-1)
}

const adoptionCols = `operator_id, id, season_id, garden_id, plot_id, adopter_id, mode, crop_id, fee_fen, care_by, harvest_by, risk,
	maturity_reminder, pick_reminder, status, family_name, child_nickname, nickname_consent, photo_id, photo_consent,
	planted_on, ripe_on, window_days, loss_by, fail_reason, refund_fen, link_code, resident_community, resident_id, created_at`

func scanAdoption(r db.Scanner) (a Adoption, err error) {
	var mr, pr, nc, pc, created int64
	err = r.Scan(&a.Operator, &a.ID, &a.Season, &a.Garden, &a.Plot, &a.Adopter, &a.Mode, &a.Crop, &a.FeeFen,
		&a.Terms.CareBy, &a.Terms.HarvestBy, &a.Terms.Risk, &mr, &pr, &a.Status, &a.FamilyName, &a.ChildNickname, &nc,
		&a.PhotoID, &pc, &a.PlantedOn, &a.RipeOn, &a.WindowDays, &a.LossBy, &a.FailReason, &a.RefundFen, &a.LinkCode,
		&a.ResidentCommunity, &a.ResidentID, &created)
	a.Terms.MaturityReminder, a.Terms.PickReminder, a.NicknameConsent, a.PhotoConsent = mr != 0, pr != 0, nc != 0, pc != 0
	a.CreatedAt = db.FromMillis(created)
	return a, err
}

func getAdoption(ctx context.Context, q db.Querier, operatorID, id string) (Adoption, error) {
	a, err := scanAdoption(q.QueryRow(ctx, "SELECT "+adoptionCols+" FROM garden_adoptions WHERE operator_id = $1 AND id = $2", operatorID, id))
	if noRows(err) {
		return a, notFound("adoption", id)
	}
	return a, err
}

// AdoptRequest is a family asking for a plot or seedling for a season.
// A child's nickname or photo on the plate needs the guardian's consent
// (the family adopting is the guardian); no child's full name is asked for.
type AdoptRequest struct {
	Operator        string   `json:"operator"`
	Adopter         string   `json:"adopter"`
	Season          string   `json:"season"`
	Plot            string   `json:"plot"`
	Mode            ModeCode `json:"mode"`
	Crop            string   `json:"crop"`
	FamilyName      string   `json:"family_name"`
	ChildNickname   string   `json:"child_nickname"`
	NicknameConsent bool     `json:"nickname_consent"`
	Photo           []byte   `json:"photo,omitempty"`
	PhotoConsent    bool     `json:"photo_consent"`
}

func (r *AdoptRequest) validate() (err error) {
	if r.FamilyName, err = text(r.FamilyName, MaxFamilyName, true, "plate"); err != nil {
		return err
	}
	if r.ChildNickname, err = text(r.ChildNickname, MaxNickname, false, "nickname"); err != nil {
		return err
	}
	switch {
	case !r.Mode.valid():
		return civic.Errorf(civic.Invalid, "garden.bad_mode", "unknown mode %q: use self, half or full", string(r.Mode))
	case r.ChildNickname != "" && !r.NicknameConsent:
		return civic.Errorf(civic.Invalid, "garden.consent_nickname", "a child's nickname goes on the plate only with the guardian's consent: tick it or leave the nickname out")
	case len(r.Photo) > 0 && !r.PhotoConsent:
		return civic.Errorf(civic.Invalid, "garden.consent_photo", "a child's photo goes on the plate only with the guardian's consent: tick it or leave the photo out")
	}
	return nil
}

// Adopt reserves a free plot for the family under a mode's terms; the
// operator confirms it once the fee is settled. A family adopts for itself
// only. Of two families asking for the last free plot at once, exactly one
// gets it (garden_adoptions_plot); the other is told it is taken.
func (s *Service) Adopt(ctx context.Context, by civic.Actor, key idem.Key, r AdoptRequest) (a Adoption, err error) {
	defer civic.Wrap(&err, "garden.Adopt(%s)", r.Plot)
	if err := adopter(by); err != nil {
		return a, err
	}
	if !isSystem(by) && r.Adopter != by.UserID {
		return a, civic.Errorf(civic.Forbidden, "garden.adopt_self", "a family adopts for itself only")
	}
	if err := r.validate(); err != nil {
		return a, err
	}
	var ph Photo
	o := op(r.Operator, key, "garden.adopt", r)
	o.Check = func(ctx context.Context) (err error) { ph, err = PreparePhoto(r.Photo); return err }
	return idem.Run(ctx, s.Idem, o, func(tx *db.Tx) (Adoption, error) { return s.adoptTx(ctx, tx, r, ph) })
}

func (s *Service) adoptTx(ctx context.Context, tx *db.Tx, r AdoptRequest, ph Photo) (a Adoption, err error) {
	se, err := getSeason(ctx, tx, r.Operator, r.Season)
	if err != nil {
		return a, err
	}
	if se.EndsOn < Today(tx.Now()) {
		return a, civic.Errorf(civic.Invalid, "garden.season_over", "the season %s is over", se.Name)
	}
	p, err := getPlot(ctx, tx, r.Operator, r.Plot, r.Season)
	if err != nil {
		return a, err
	}
	if p.Taken != "" {
		return a, plotTaken(p.Label)
	}
	m, err := getMode(ctx, tx, r.Operator, r.Mode)
	if err != nil {
		return a, err
	}
	c, err := getCrop(ctx, tx, r.Operator, r.Crop)
	if err != nil {
		return a, err
	}
	a = Adoption{Operator: r.Operator, ID: civic.NewID(), Season: se.ID, Garden: p.GardenID, Plot: p.ID, Adopter: r.Adopter,
		Mode: m.Code, Crop: c.ID, FeeFen: m.FeeFen, Terms: m.Terms, Status: Pending, FamilyName: r.FamilyName,
		ChildNickname: r.ChildNickname, NicknameConsent: r.NicknameConsent, PhotoConsent: r.PhotoConsent,
		WindowDays: c.WindowDays, LinkCode: newLinkCode(), CreatedAt: tx.Now()}
	if len(ph.Data) > 0 {
		if a.PhotoID, err = putPhoto(ctx, tx, r.Operator, ph); err != nil {
			return a, err
		}
	}
	err = tx.Savepoint(ctx, func() error {
		_, err := tx.Exec(ctx, "INSERT INTO garden_adoptions ("+adoptionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
			$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)`,
			a.Operator, a.ID, a.Season, a.Garden, a.Plot, a.Adopter, string(a.Mode), a.Crop, a.FeeFen, string(a.Terms.CareBy),
			string(a.Terms.HarvestBy), string(a.Terms.Risk), boolInt(a.Terms.MaturityReminder), boolInt(a.Terms.PickReminder),
			a.Status, a.FamilyName, a.ChildNickname, boolInt(a.NicknameConsent), a.PhotoID, boolInt(a.PhotoConsent),
			"", "", a.WindowDays, "", "", 0, a.LinkCode, "", "", db.Millis(a.CreatedAt))
		return err
	})
	if db.ErrorIs(err, db.ErrUnique) {
		return a, plotTaken(p.Label) // a family that asked at the same moment got it first
	}
	if err != nil {
		return a, err
	}
	return a, bump(ctx, tx, a.Operator, a.Season, statTaken, a.Garden, 1)
}

func plotTaken(label string) error {
	return civic.Errorf(civic.Conflict, "garden.plot_taken", "plot %s is taken for this season: choose another", label)
}

// ConfirmRequest confirms an adoption once its fee is settled and records
// the planting day, from which tasks and reminders are planned.
type ConfirmRequest struct {
	Operator  string `json:"operator"`
	Adoption  string `json:"adoption"`
	PlantedOn string `json:"planted_on"`
}

// Confirm makes a pending adoption active, plans its tasks and reminders in
// the same transaction and counts its fee. Only the operator may.
func (s *Service) Confirm(ctx context.Context, by civic.Actor, key idem.Key, r ConfirmRequest) (a Adoption, err error) {
	defer civic.Wrap(&err, "garden.Confirm(%s)", r.Adoption)
	if err := staff(by, r.Operator, false); err != nil {
		return a, err
	}
	d, err := ParseDay(r.PlantedOn)
	if err != nil {
		return a, err
	}
	r.PlantedOn = d.Format(dayLayout)
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.confirm", r), func(tx *db.Tx) (Adoption, error) {
		return s.confirmTx(ctx, tx, r)
	})
}

func (s *Service) confirmTx(ctx context.Context, tx *db.Tx, r ConfirmRequest) (a Adoption, err error) {
	if a, err = getAdoption(ctx, tx, r.Operator, r.Adoption); err != nil {
		return a, err
	}
	if a.Status != Pending {
		return a, civic.Errorf(civic.Conflict, "garden.not_pending", "this adoption is %s, not waiting for confirmation", a.Status)
	}
	c, err := getCrop(ctx, tx, r.Operator, a.Crop)
	if err != nil {
		return a, err
	}
	if daysBetween(Today(tx.Now()), r.PlantedOn) > 60 || daysBetween(r.PlantedOn, Today(tx.Now())) > c.MaturityDays {
		return a, civic.Errorf(civic.Invalid, "garden.bad_planted", "the planting day must be within the crop's %d days before today and 60 days after", c.MaturityDays)
	}
	plan := Schedule(c, r.PlantedOn, a.Terms, tx.Now())
	a.Status, a.PlantedOn, a.RipeOn, a.WindowDays = Active, r.PlantedOn, plan.RipeOn, c.WindowDays
	if _, err := tx.Exec(ctx, `UPDATE garden_adoptions SET status = $3, planted_on = $4, ripe_on = $5, window_days = $6, confirmed_at = $7
		WHERE operator_id = $1 AND id = $2`, a.Operator, a.ID, a.Status, a.PlantedOn, a.RipeOn, a.WindowDays, db.Millis(tx.Now())); err != nil {
		return a, err
	}
	if err := writePlan(ctx, tx, a, c, plan); err != nil {
		return a, err
	}
	for _, st := range []struct {
		metric, dim string
		v           int64
	}{{statAdoptions, string(a.Mode), 1}, {statFee, string(a.Mode), a.FeeFen}} {
		if err := bump(ctx, tx, a.Operator, a.Season, st.metric, st.dim, st.v); err != nil {
			return a, err
		}
	}
	return a, nil
}

// writePlan writes the plan's tasks and reminders (multi-row inserts: a
// season of watering is dozens of rows).
func writePlan(ctx context.Context, tx *db.Tx, a Adoption, c Crop, p Plan) error {
	ids := make([]string, len(p.Tasks))
	for i, t := range p.Tasks {
		ids[i] = civic.NewID()
		if _, err := tx.Exec(ctx, `INSERT INTO garden_tasks (operator_id, id, adoption_id, kind, due_on, assignee, status)
			VALUES ($1, $2, $3, $4, $5, $6, 'pending')`, a.Operator, ids[i], a.ID, string(t.Kind), t.DueOn, string(t.Assignee)); err != nil {
			return err
		}
	}
	for _, rm := range p.Remind {
		subject, arg := "", c.Name
		if rm.Task >= 0 {
			subject, arg = ids[rm.Task], string(p.Tasks[rm.Task].Kind)
		}
		if err := addReminder(ctx, tx, Reminder{Operator: a.Operator, Adoption: a.ID, Adopter: a.Adopter, Kind: rm.Kind,
			DueAt: rm.DueAt, ArgDate: rm.ArgDate, ArgDays: rm.ArgDays, ArgText: arg, Subject: subject}); err != nil {
			return err
		}
	}
	return nil
}

// CancelRequest gives a pending adoption's plot back: the operator when the
// fee never came, or the family changing its mind before confirmation.
type CancelRequest struct {
	Operator string `json:"operator"`
	Adoption string `json:"adoption"`
}

// Cancel frees a pending adoption's plot. The operator, or the family of
// the adoption, may.
func (s *Service) Cancel(ctx context.Context, by civic.Actor, key idem.Key, r CancelRequest) (a Adoption, err error) {
	defer civic.Wrap(&err, "garden.Cancel(%s)", r.Adoption)
	if by.Role != civic.RoleGardenAdopter {
		if err := staff(by, r.Operator, false); err != nil {
			return a, err
		}
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.cancel", r), func(tx *db.Tx) (Adoption, error) {
		a, err := getAdoption(ctx, tx, r.Operator, r.Adoption)
		switch {
		case err != nil:
			return a, err
		case by.Role == civic.RoleGardenAdopter && a.Adopter != by.UserID:
			return a, notFound("adoption", r.Adoption)
		case a.Status != Pending:
			return a, civic.Errorf(civic.Conflict, "garden.not_pending", "this adoption is %s, not waiting for confirmation", a.Status)
		}
		a.Status = Cancelled
		if _, err := tx.Exec(ctx, "UPDATE garden_adoptions SET status = $3 WHERE operator_id = $1 AND id = $2", a.Operator, a.ID, a.Status); err != nil {
			return a, err
		}
		return a, bump(ctx, tx, a.Operator, a.Season, statTaken, a.Garden, -1)
	})
}
