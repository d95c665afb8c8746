package registry

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/auth"
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
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var it ResidentSummary
		var name string
		if err := rows.Scan(&it.ID, &name, &it.Estate); err != nil {
			return nil, "", err
		}
		it.NameMasked = MaskName(name)
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
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
	COALESCE(r.last_visit, ''), COALESCE(r.visit_due, ''), r.code_ref, r.id_enc, r.phone_enc`

const residentFrom = ` FROM residents r
	JOIN households h ON h.community_id = r.community_id AND h.id = r.household_id
	JOIN estates e ON e.community_id = r.community_id AND e.id = r.estate_id `

type scanner = db.Scanner

// scanResident reads residentCols; enc holds the sealed ID number and phone.
func scanResident(row scanner, today time.Time) (r Resident, enc [2]string, err error) {
	var b, u, room, birth string
	var dis int64
	err = row.Scan(&r.ID, &r.HouseholdID, &r.EstateID, &r.EstateName, &b, &u, &room, &r.Name, &r.Gender, &r.Relation,
		&birth, &r.MovedIn, &r.MovedOut, &r.IDMasked, &r.PhoneMasked, &r.Colours, &r.Tenure, &dis,
		&r.LastVisit, &r.VisitDue, &r.CodeRef, &enc[0], &enc[1])
	if err != nil {
		return r, enc, err
	}
	r.Address = Household{Building: b, Unit: u, Room: room}.Address()
	r.BirthDate, _ = time.Parse(dateLayout, birth)
	r.Age = ageOn(r.BirthDate, today)
	r.NameMasked = MaskName(r.Name)
	r.Disability = dis != 0
	return r, enc, nil
}

// redact keeps only what viewer may see.
func redact(viewer civic.Actor, communityID string, r Resident) Resident {
	if !SeesRed(viewer, communityID) {
		r.Colours = r.Colours.Without(Red)
	}
	r.Primary = r.Colours.Primary()
	if !SeesSensitive(viewer, communityID) {
		r.Colours, r.Primary, r.Disability = 0, "", false
		r.IDMasked, r.LastVisit, r.VisitDue = "", "", ""
		if viewer.Role != civic.RoleResident || viewer.CommunityID != communityID {
			r.Name, r.PhoneMasked, r.BirthDate, r.Age = r.NameMasked, "", time.Time{}, 0
		}
	}
	return r
}

// Resident reads a resident as viewer may see them (masked ID and phone).
// A worker's read of colours is written to the audit log.
func (s *Service) Resident(ctx context.Context, viewer civic.Actor, communityID, residentID string) (r Resident, err error) {
	defer civic.Wrap(&err, "registry.Resident(%s)", residentID)
	r, _, err = s.readResident(ctx, communityID, residentID)
	if err != nil {
		return r, err
	}
	if viewer.Role == civic.RoleResident && !s.sameHousehold(ctx, viewer, communityID, r.HouseholdID) {
		return r, notFound("resident", residentID)
	}
	if SeesSensitive(viewer, communityID) {
		if err := s.audit(ctx, viewer, communityID, "registry.read_colours", "resident", residentID, ""); err != nil {
			return r, err
		}
	}
	return redact(viewer, communityID, r), nil
}

func (s *Service) readResident(ctx context.Context, communityID, residentID string) (Resident, [2]string, error) {
	row := s.DB.QueryRow(ctx, "SELECT "+residentCols+residentFrom+"WHERE r.community_id = $1 AND r.id = $2", communityID, residentID)
	r, enc, err := scanResident(row, Today(s.Clock.Now()))
	if errors.Is(err, sql.ErrNoRows) {
		return r, enc, notFound("resident", residentID)
	}
	return r, enc, err
}

func (s *Service) sameHousehold(ctx context.Context, viewer civic.Actor, communityID, householdID string) bool {
	if viewer.CommunityID != communityID || viewer.ResidentID == "" {
		return false
	}
	var h string
	err := s.DB.QueryRow(ctx, "SELECT household_id FROM residents WHERE community_id = $1 AND id = $2", communityID, viewer.ResidentID).Scan(&h)
	return err == nil && h == householdID
}

// OpenRecord reads a resident with the full ID number and phone decrypted.
// Only workers of the community may, giving why; the read is audited.
func (s *Service) OpenRecord(ctx context.Context, viewer civic.Actor, communityID, residentID, why string) (r Resident, err error) {
	defer civic.Wrap(&err, "registry.OpenRecord(%s)", residentID)
	if !SeesSensitive(viewer, communityID) {
		return r, civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
	}
	why = strings.TrimSpace(why)
	if why == "" || len([]rune(why)) > 500 {
		return r, civic.Errorf(civic.Invalid, "registry.why_required", "say why you open this record (up to 500 characters)")
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return r, err
	}
	r, enc, err := s.readResident(ctx, communityID, residentID)
	if err != nil {
		return r, err
	}
	if r.IDNumber, err = k.Open(enc[0]); err != nil {
		return r, err
	}
	if r.Phone, err = k.Open(enc[1]); err != nil {
		return r, err
	}
	if err := s.audit(ctx, viewer, communityID, "registry.read_sensitive", "resident", residentID, why); err != nil {
		return r, err
	}
	return redact(viewer, communityID, r), nil
}

// audit writes one audit entry in its own transaction.
func (s *Service) audit(ctx context.Context, a civic.Actor, communityID, action, kind, subject, reason string) error {
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		e := auth.EntryFor(a, action, kind, subject, reason, s.Clock.Now())
		e.CommunityID = communityID
		return auth.Audit(ctx, tx, e)
	})
}

// Members lists the active members of a household as viewer may see them
// (a resident sees their own household, never colours).
func (s *Service) Members(ctx context.Context, viewer civic.Actor, communityID, householdID string) (out []Resident, err error) {
	defer civic.Wrap(&err, "registry.Members(%s)", householdID)
	if !SeesSensitive(viewer, communityID) && !s.sameHousehold(ctx, viewer, communityID, householdID) {
		return nil, civic.Errorf(civic.Forbidden, "registry.not_your_household", "you may see only your own household")
	}
	rows, err := s.DB.Query(ctx, "SELECT "+residentCols+residentFrom+
		"WHERE r.community_id = $1 AND r.household_id = $2 AND r.moved_out IS NULL ORDER BY r.birth_date, r.id LIMIT 100", communityID, householdID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := Today(s.Clock.Now())
	for rows.Next() {
		r, _, err := scanResident(rows, today)
		if err != nil {
			return nil, err
		}
		out = append(out, redact(viewer, communityID, r))
	}
	return out, rows.Err()
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
