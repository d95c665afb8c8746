package garden

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Detail is an adoption with what its pages show beside it.
type Detail struct {
	Adoption
	Operator   Operator
	Garden     Garden
	Plot       Plot
	Crop       Crop
	Season     Season
	Mode       Mode // the mode's current wording; the contract is Adoption.Terms
	DaysToRipe int
	// Family is shown to the operator and stewards: a name and a masked phone.
	FamilyContact string
	PhoneMasked   string
}

// mayView: the family sees its own adoptions; the operator's staff see
// theirs; nobody else.
func mayView(by civic.Actor, a Adoption) error {
	switch {
	case by.Role == civic.RoleGardenAdopter && a.Adopter == by.UserID:
		return nil
	case (by.Role == civic.RoleGardenOperator || by.Role == civic.RoleGardenSteward) && by.CommunityID == a.Operator:
		return nil
	case isSystem(by):
		return nil
	}
	return notFound("adoption", a.ID)
}

// Detail reads an adoption for a page its viewer may see.
func (s *Service) Detail(ctx context.Context, by civic.Actor, operatorID, id string) (d Detail, err error) {
	defer civic.Wrap(&err, "garden.Detail(%s)", id)
	if d.Adoption, err = getAdoption(ctx, s.DB, operatorID, id); err != nil {
		return d, err
	}
	if err := mayView(by, d.Adoption); err != nil {
		return d, err
	}
	return d, s.fill(ctx, &d)
}

func (s *Service) fill(ctx context.Context, d *Detail) (err error) {
	a := d.Adoption
	if d.Operator, err = s.Operator(ctx, a.Operator); err != nil {
		return err
	}
	if d.Garden, err = getGarden(ctx, s.DB, a.Operator, a.Garden); err != nil {
		return err
	}
	if d.Plot, err = getPlot(ctx, s.DB, a.Operator, a.Plot, a.Season); err != nil {
		return err
	}
	if d.Crop, err = getCrop(ctx, s.DB, a.Operator, a.Crop); err != nil {
		return err
	}
	if d.Season, err = getSeason(ctx, s.DB, a.Operator, a.Season); err != nil {
		return err
	}
	if d.Mode, err = getMode(ctx, s.DB, a.Operator, a.Mode); err != nil {
		return err
	}
	d.DaysToRipe = DaysToRipe(a.RipeOn, s.Clock.Now())
	err = s.DB.QueryRow(ctx, "SELECT name, phone_masked FROM garden_adopters WHERE user_id = $1", a.Adopter).Scan(&d.FamilyContact, &d.PhoneMasked)
	if noRows(err) {
		err = nil
	}
	return err
}

// AdoptionsOf lists a family's adoptions, newest first (a family adopts a
// few a season; bounded by listLimit).
func (s *Service) AdoptionsOf(ctx context.Context, by civic.Actor) (out []Detail, err error) {
	defer civic.Wrap(&err, "garden.AdoptionsOf(%s)", by.UserID)
	rows, err := s.DB.Query(ctx, "SELECT "+adoptionCols+" FROM garden_adoptions WHERE adopter_id = $1 ORDER BY created_at DESC LIMIT $2", by.UserID, listLimit)
	list, err := db.Collect(rows, err, scanAdoption)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		d := Detail{Adoption: a}
		if err := s.fill(ctx, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Adoptions lists the operator's adoptions of a status, newest first, after
// the cursor (the last row's created_at and id), at most limit.
func (s *Service) Adoptions(ctx context.Context, by civic.Actor, status string, beforeAt time.Time, beforeID string, limit int) (out []Detail, err error) {
	defer civic.Wrap(&err, "garden.Adoptions(%s)", status)
	if err := staff(by, by.CommunityID, true); err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), 100)
	before := int64(1) << 62
	if !beforeAt.IsZero() {
		before = db.Millis(beforeAt)
	}
	rows, err := s.DB.Query(ctx, "SELECT "+adoptionCols+` FROM garden_adoptions WHERE operator_id = $1 AND status = $2
		AND (created_at < $3 OR (created_at = $3 AND id < $4)) ORDER BY created_at DESC, id DESC LIMIT $5`,
		by.CommunityID, status, before, beforeID, limit)
	list, err := db.Collect(rows, err, scanAdoption)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		d := Detail{Adoption: a}
		if err := s.fill(ctx, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Plate is what a printed name plate (and the public plot page) shows.
// A child's nickname and photo appear only while the guardian's consent
// stands; otherwise the family's chosen name, and no photo. Nothing else of
// the family (no phone, no contact name) is ever on it.
type Plate struct {
	Name      string // the nickname (with consent) or the family's chosen name
	Nickname  bool   // Name is a child's nickname
	PhotoID   string // a consented photo, "" otherwise
	Crop      string
	Variety   string
	Date      string // the planting day, or the day of adoption before it
	PlotLabel string
	Garden    string
	Operator  string
	Mode      ModeCode
	PlotID    string
	RipeOn    string
}

// PlateOf builds the plate of an adoption, with privacy by construction.
func PlateOf(d Detail) Plate {
	p := Plate{Name: d.FamilyName, Crop: d.Crop.Name, Variety: d.Plot.Variety, Date: d.PlantedOn, PlotLabel: d.Plot.Label,
		Garden: d.Garden.Name, Operator: d.Operator.Name, Mode: d.Mode.Code, PlotID: d.Plot.ID, RipeOn: d.RipeOn}
	if d.ChildNickname != "" && d.NicknameConsent {
		p.Name, p.Nickname = d.ChildNickname, true
	}
	if d.PhotoID != "" && d.PhotoConsent {
		p.PhotoID = d.PhotoID
	}
	if p.Date == "" {
		p.Date = Today(d.CreatedAt)
	}
	return p
}

// PublicPlot is a plot's public page (the plate's QR code opens it): the
// plate and what grows, never the family.
type PublicPlot struct {
	Plot       Plot
	Garden     Garden
	Operator   Operator
	Plate      *Plate // nil when the plot is free
	DaysToRipe int
	Status     string
}

// Public reads a plot's public page for the season holding it now (the
// latest adoption not cancelled).
func (s *Service) Public(ctx context.Context, operatorID, plotID string) (pp PublicPlot, err error) {
	defer civic.Wrap(&err, "garden.Public(%s)", plotID)
	if pp.Operator, err = s.Operator(ctx, operatorID); err != nil {
		return pp, err
	}
	if pp.Plot, err = getPlot(ctx, s.DB, operatorID, plotID, ""); err != nil {
		return pp, err
	}
	if pp.Garden, err = getGarden(ctx, s.DB, operatorID, pp.Plot.GardenID); err != nil {
		return pp, err
	}
	a, err := scanAdoption(s.DB.QueryRow(ctx, "SELECT "+adoptionCols+` FROM garden_adoptions a WHERE operator_id = $1 AND plot_id = $2
		AND status <> 'cancelled' ORDER BY created_at DESC LIMIT 1`, operatorID, plotID))
	if noRows(err) {
		return pp, nil
	}
	if err != nil {
		return pp, err
	}
	d := Detail{Adoption: a}
	if err := s.fill(ctx, &d); err != nil {
		return pp, err
	}
	plate := PlateOf(d)
	pp.Plate, pp.DaysToRipe, pp.Status = &plate, d.DaysToRipe, a.Status
	return pp, nil
}

// PhotoFor returns a photo if by may see it: a plot's photo and a consented
// plate photo are public; a steward's evidence is the family's and the
// operator's.
func (s *Service) PhotoFor(ctx context.Context, by civic.Actor, operatorID, id string) (data []byte, ctype string, err error) {
	defer civic.Wrap(&err, "garden.PhotoFor(%s)", id)
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM garden_plots WHERE operator_id = $1 AND photo_id = $2) +
		(SELECT COUNT(*) FROM garden_adoptions WHERE operator_id = $1 AND photo_id = $2 AND photo_consent = 1)`, operatorID, id).Scan(&n); err != nil {
		return nil, "", err
	}
	if n == 0 {
		var adoptionID string
		err := s.DB.QueryRow(ctx, "SELECT adoption_id FROM garden_tasks WHERE operator_id = $1 AND photo_id = $2", operatorID, id).Scan(&adoptionID)
		if noRows(err) {
			return nil, "", civic.Errorf(civic.NotFound, "garden.no_photo", "no such photo")
		}
		if err != nil {
			return nil, "", err
		}
		a, err := getAdoption(ctx, s.DB, operatorID, adoptionID)
		if err != nil {
			return nil, "", err
		}
		if mayView(by, a) != nil {
			return nil, "", civic.Errorf(civic.NotFound, "garden.no_photo", "no such photo")
		}
	}
	return s.photoData(ctx, operatorID, id)
}
