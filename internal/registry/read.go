package registry

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// ResidentSummary is what the JSON API lists: no sensitive field.
type ResidentSummary struct {
	ID, NameMasked, Estate string
}

// ListResidents lists a community's active residents by id, masked, by keyset
// cursor (the last id of the previous page; "" for the first).
func (s *Service) ListResidents(ctx context.Context, communityID, cursor string, limit int) (items []ResidentSummary, next string, err error) {
	defer civic.Wrap(&err, "registry.ListResidents(%s)", communityID)
	limit = clampLimit(limit)
	rows, err := s.DB.Query(ctx, `SELECT r.id, r.name, e.name FROM residents r
		JOIN estates e ON e.community_id = r.community_id AND e.id = r.estate_id
		WHERE r.community_id = $1 AND r.moved_out IS NULL AND r.id > $2 ORDER BY r.id LIMIT $3`, communityID, cursor, limit+1)
	items, err = db.Collect(rows, err, func(row db.Scanner) (it ResidentSummary, err error) {
		err = row.Scan(&it.ID, &it.NameMasked, &it.Estate)
		it.NameMasked = MaskName(it.NameMasked)
		return it, err
	})
	if err != nil {
		return nil, "", err
	}
	if len(items) > limit {
		items = items[:limit]
		next = items[limit-1].ID
	}
	return items, next, nil
}

// ResidentActive is nil when the resident is registered in the community and
// has not left; not_found when unknown there; invalid (registry.resident_left)
// when they left.
func (s *Service) ResidentActive(ctx context.Context, communityID, residentID string) (err error) {
	defer civic.Wrap(&err, "registry.ResidentActive(%s)", residentID)
	var out sql.NullString
	err = s.DB.QueryRow(ctx, "SELECT moved_out FROM residents WHERE community_id = $1 AND id = $2", communityID, residentID).Scan(&out)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("resident", residentID)
	}
	if err != nil {
		return err
	}
	if out.Valid {
		return civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", residentID)
	}
	return nil
}

// Resident is one resident as a viewer may see them. Sensitive fields are
// empty unless the viewer is a worker of the community: colours (red only
// with the red grant), disability; IDNumber and Phone only from OpenRecord.
type Resident struct {
	ID, HouseholdID, EstateID, EstateName, Address string
	Name, NameMasked, Gender, Relation             string
	BirthDate                                      time.Time
	Age                                            int
	MovedIn, MovedOut                              string
	IDMasked, PhoneMasked                          string
	IDNumber, Phone                                string
	Colours                                        Set
	Primary                                        Colour
	Tenure                                         Tenure
	Disability                                     bool
	LastVisit, VisitDue                            string
	CodeRef                                        string
}

// Left reports whether the resident has left the community.
func (r Resident) Left() bool { return r.MovedOut != "" }

const residentCols = `r.id, r.household_id, r.estate_id, e.name, h.building, h.unit, h.room, r.name, r.gender, r.relation,
	r.birth_date, r.moved_in, COALESCE(r.moved_out, ''), r.id_masked, r.phone_masked, r.colours, h.tenure, h.disability,
	COALESCE(r.last_visit, ''), COALESCE(r.visit_due, ''), COALESCE(r.shadow_last_visit, ''), COALESCE(r.shadow_due, ''),
	r.code_ref, r.id_enc, r.phone_enc`

const residentFrom = ` FROM residents r
	JOIN households h ON h.community_id = r.community_id AND h.id = r.household_id
	JOIN estates e ON e.community_id = r.community_id AND e.id = r.estate_id `

type scanner = db.Scanner

// scanResident reads residentCols as the registry keeps them; viewer.see
// turns the result into what someone may see.
func scanResident(row scanner, today time.Time) (st stored, err error) {
	var b, u, room, birth string
	var dis int64
	r := &st.r
	err = row.Scan(&r.ID, &r.HouseholdID, &r.EstateID, &r.EstateName, &b, &u, &room, &r.Name, &r.Gender, &r.Relation,
		&birth, &r.MovedIn, &r.MovedOut, &r.IDMasked, &r.PhoneMasked, &r.Colours, &r.Tenure, &dis,
		&r.LastVisit, &r.VisitDue, &st.shadowLast, &st.shadowDue, &r.CodeRef, &st.enc[0], &st.enc[1])
	if err != nil {
		return st, err
	}
	r.Address = Household{Building: b, Unit: u, Room: room}.Address()
	r.BirthDate, _ = time.Parse(dateLayout, birth)
	r.Age = ageOn(r.BirthDate, today)
	r.NameMasked = MaskName(r.Name)
	r.Disability = dis != 0
	r.Primary = r.Colours.Primary()
	return st, nil
}

// Resident reads a resident as viewer may see them (masked ID and phone).
// A worker's read is written to the audit log.
func (s *Service) Resident(ctx context.Context, viewer civic.Actor, communityID, residentID string) (r Resident, err error) {
	defer civic.Wrap(&err, "registry.Resident(%s)", residentID)
	v := viewerOf(viewer, communityID)
	if r, err = s.residentFor(ctx, v, residentID); err != nil {
		return r, err
	}
	return r, s.disclose(ctx, v, shown{action: "registry.read_colours", kind: "resident", subject: residentID, residents: 1, fields: residentFields})
}

// residentFor reads a resident as v may see them; a resident may see only
// the members of their own household.
func (s *Service) residentFor(ctx context.Context, v viewer, residentID string) (Resident, error) {
	st, err := s.readResident(ctx, v.communityID, residentID)
	if err != nil {
		return Resident{}, err
	}
	if v.actor.Role == civic.RoleResident && !s.sameHousehold(ctx, v.actor, v.communityID, st.r.HouseholdID) {
		return Resident{}, notFound("resident", residentID)
	}
	return v.see(st), nil
}

func (s *Service) readResident(ctx context.Context, communityID, residentID string) (stored, error) {
	row := s.DB.QueryRow(ctx, "SELECT "+residentCols+residentFrom+"WHERE r.community_id = $1 AND r.id = $2", communityID, residentID)
	st, err := scanResident(row, Today(s.Clock.Now()))
	if errors.Is(err, sql.ErrNoRows) {
		return st, notFound("resident", residentID)
	}
	return st, err
}

func (s *Service) sameHousehold(ctx context.Context, viewer civic.Actor, communityID, householdID string) bool {
	if viewer.CommunityID != communityID || viewer.ResidentID == "" {
		return false
	}
	var h string
	err := s.DB.QueryRow(ctx, "SELECT household_id FROM residents WHERE community_id = $1 AND id = $2", communityID, viewer.ResidentID).Scan(&h)
	return err == nil && h == householdID
}

// Members lists the active members of a household as viewer may see them
// (a resident sees their own household, never colours). A worker's read is
// audited.
func (s *Service) Members(ctx context.Context, viewer civic.Actor, communityID, householdID string) (out []Resident, err error) {
	defer civic.Wrap(&err, "registry.Members(%s)", householdID)
	v := viewerOf(viewer, communityID)
	if out, err = s.membersFor(ctx, v, householdID); err != nil {
		return nil, err
	}
	return out, s.disclose(ctx, v, shown{action: "registry.read_household", kind: "household", subject: householdID, residents: len(out), fields: residentFields})
}

func (s *Service) membersFor(ctx context.Context, v viewer, householdID string) ([]Resident, error) {
	if !v.sensitive && !s.sameHousehold(ctx, v.actor, v.communityID, householdID) {
		return nil, civic.Errorf(civic.Forbidden, "registry.not_your_household", "you may see only your own household")
	}
	rows, err := s.DB.Query(ctx, "SELECT "+residentCols+residentFrom+
		"WHERE r.community_id = $1 AND r.household_id = $2 AND r.moved_out IS NULL ORDER BY r.birth_date, r.id LIMIT 100", v.communityID, householdID)
	return db.Collect(rows, err, s.seeing(v))
}

// seeing is a scan function that reads a resident row as v may see it.
func (s *Service) seeing(v viewer) func(db.Scanner) (Resident, error) {
	today := Today(s.Clock.Now())
	return func(row db.Scanner) (Resident, error) {
		st, err := scanResident(row, today)
		return v.see(st), err
	}
}

// ResidentByRef finds the resident behind a code's pseudonymous reference.
func (s *Service) ResidentByRef(ctx context.Context, communityID, ref string) (id string, err error) {
	defer civic.Wrap(&err, "registry.ResidentByRef")
	err = s.DB.QueryRow(ctx, "SELECT id FROM residents WHERE community_id = $1 AND code_ref = $2", communityID, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("resident", "(code)")
	}
	return id, err
}
