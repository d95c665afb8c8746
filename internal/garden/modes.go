package garden

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// ModeCode names one of the three hosting modes.
type ModeCode string

const (
	SelfManaged ModeCode = "self" // 自理: the family works the plot and bears all risk
	HalfHosted  ModeCode = "half" // 半托管: a steward cares for it; maturity reminder
	FullyHosted ModeCode = "full" // 全托管: the farm bears the risk and reminds the family to pick
)

// ModeCodes lists the modes in display order.
var ModeCodes = []ModeCode{SelfManaged, HalfHosted, FullyHosted}

func (m ModeCode) valid() bool { return m == SelfManaged || m == HalfHosted || m == FullyHosted }

// Terms are what a mode promises, copied into each adoption when it is made,
// so an operator's later edit changes no contract already agreed.
type Terms struct {
	CareBy           Party `json:"care_by"`    // Adopter or Steward: watering, weeding, feeding, pest control
	HarvestBy        Party `json:"harvest_by"` // Adopter, or Either (the steward may pick for the family)
	Risk             Party `json:"risk"`       // Adopter or Farm: who bears a failed crop
	MaturityReminder bool  `json:"maturity_reminder"`
	PickReminder     bool  `json:"pick_reminder"` // the harvest window is closing
}

// Mode is a hosting mode as an operator offers it.
type Mode struct {
	Code   ModeCode `json:"code"`
	FeeFen int64    `json:"fee_fen"` // recorded, not charged: paid outside, by cash or the village's channel
	Terms
	Text string `json:"terms"` // the operator's own words for the contract
}

// DefaultModes are the three modes as an operator first gets them, to edit.
func DefaultModes() []Mode {
	return []Mode{
		{Code: SelfManaged, FeeFen: 19800, Terms: Terms{CareBy: Adopter, HarvestBy: Adopter, Risk: Adopter}},
		{Code: HalfHosted, FeeFen: 39800, Terms: Terms{CareBy: Steward, HarvestBy: Adopter, Risk: Adopter, MaturityReminder: true}},
		{Code: FullyHosted, FeeFen: 69800, Terms: Terms{CareBy: Steward, HarvestBy: Either, Risk: Farm, MaturityReminder: true, PickReminder: true}},
	}
}

// Assignee is who a task of kind goes to under the terms: care to whoever
// the mode says; the harvest to the family, or to the steward when the farm
// may pick for them (the family may still come and pick first).
func (t Terms) Assignee(kind TaskKind) Party {
	if kind == TaskHarvest {
		if t.HarvestBy == Either {
			return Steward
		}
		return Adopter
	}
	return t.CareBy
}

// MayPick says whether p may pick the crop: the family always; the
// steward only where the farm picks for the family.
func (t Terms) MayPick(p Party) bool {
	return p == Adopter || (p == Steward && t.HarvestBy == Either)
}

// BearsLoss is who bears a failed crop: under the farm's risk the fee is
// recorded as owed back to the family.
func (t Terms) BearsLoss() Party { return t.Risk }

// RemindsTasks says whether the family is reminded of its own tasks: where
// it does the care itself.
func (t Terms) RemindsTasks() bool { return t.CareBy == Adopter }

func (m Mode) validate() error {
	switch {
	case !m.Code.valid():
		return civic.Errorf(civic.Invalid, "garden.bad_mode", "unknown mode %q: use self, half or full", string(m.Code))
	case m.FeeFen < 0 || m.FeeFen > civic.MaxFen:
		return civic.Errorf(civic.Invalid, "garden.bad_fee", "the fee must be ¥0 to ¥%d", civic.MaxFen/100)
	case m.CareBy != Adopter && m.CareBy != Steward:
		return civic.Errorf(civic.Invalid, "garden.bad_terms", "the terms of a mode name an unknown party")
	case m.HarvestBy != Adopter && m.HarvestBy != Either:
		return civic.Errorf(civic.Invalid, "garden.bad_terms", "the terms of a mode name an unknown party")
	case m.Risk != Adopter && m.Risk != Farm:
		return civic.Errorf(civic.Invalid, "garden.bad_terms", "the terms of a mode name an unknown party")
	case m.HarvestBy == Either && m.CareBy != Steward:
		return civic.Errorf(civic.Invalid, "garden.pick_needs_steward", "the steward can pick only where the steward cares for the plot")
	}
	_, err := text(m.Text, civic.MaxText, false, "terms")
	return err
}

const modeCols = "code, fee_fen, care_by, harvest_by, risk, maturity_reminder, pick_reminder, terms"

func scanMode(r db.Scanner) (m Mode, err error) {
	var mr, pr int64
	err = r.Scan(&m.Code, &m.FeeFen, &m.CareBy, &m.HarvestBy, &m.Risk, &mr, &pr, &m.Text)
	m.MaturityReminder, m.PickReminder = mr != 0, pr != 0
	return m, err
}

// Modes lists the operator's modes in display order.
func (s *Service) Modes(ctx context.Context, operatorID string) (_ []Mode, err error) {
	defer civic.Wrap(&err, "garden.Modes(%s)", operatorID)
	rows, err := s.DB.Query(ctx, "SELECT "+modeCols+` FROM garden_modes WHERE operator_id = $1
		ORDER BY CASE code WHEN 'self' THEN 1 WHEN 'half' THEN 2 ELSE 3 END`, operatorID)
	return db.Collect(rows, err, scanMode)
}

func getMode(ctx context.Context, q db.Querier, operatorID string, code ModeCode) (Mode, error) {
	m, err := scanMode(q.QueryRow(ctx, "SELECT "+modeCols+" FROM garden_modes WHERE operator_id = $1 AND code = $2", operatorID, string(code)))
	if noRows(err) {
		return m, civic.Errorf(civic.Invalid, "garden.bad_mode", "unknown mode %q: use self, half or full", string(code))
	}
	return m, err
}

func putMode(ctx context.Context, tx *db.Tx, operatorID string, m Mode) error {
	_, err := tx.Exec(ctx, "INSERT INTO garden_modes (operator_id, "+modeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (operator_id, code) DO UPDATE SET fee_fen = excluded.fee_fen, care_by = excluded.care_by,
		harvest_by = excluded.harvest_by, risk = excluded.risk, maturity_reminder = excluded.maturity_reminder,
		pick_reminder = excluded.pick_reminder, terms = excluded.terms`,
		operatorID, string(m.Code), m.FeeFen, string(m.CareBy), string(m.HarvestBy), string(m.Risk),
		boolInt(m.MaturityReminder), boolInt(m.PickReminder), m.Text)
	return err
}

// SetModeRequest edits one mode's fee and terms. Adoptions already made keep
// the terms they were made under.
type SetModeRequest struct {
	Operator string `json:"operator"`
	Mode     Mode   `json:"mode"`
}

// SetMode edits a mode. Only the operator may.
func (s *Service) SetMode(ctx context.Context, by civic.Actor, key idem.Key, r SetModeRequest) (m Mode, err error) {
	defer civic.Wrap(&err, "garden.SetMode(%s)", string(r.Mode.Code))
	if err := staff(by, r.Operator, false); err != nil {
		return m, err
	}
	if r.Mode.Text, err = text(r.Mode.Text, civic.MaxText, false, "terms"); err != nil {
		return m, err
	}
	if err := r.Mode.validate(); err != nil {
		return m, err
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.set_mode", r), func(tx *db.Tx) (Mode, error) {
		return r.Mode, putMode(ctx, tx, r.Operator, r.Mode)
	})
}
