package registry

import (
	"context"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// VisitPageSize is how many visits one page of a visit history shows.
const VisitPageSize = 50

// VisitPage lists the visits of a resident, or of a household when
// residentID is empty, newest first, by keyset cursor ("date_id" of the last
// visit of the previous page; "" for the first). Red-group care is left out
// for viewers without the red grant. The read is audited.
func (s *Service) VisitPage(ctx context.Context, actor civic.Actor, communityID, residentID, householdID, cursor string, limit int) (out []Visit, next string, err error) {
	defer civic.Wrap(&err, "registry.VisitPage(%s%s)", residentID, householdID)
	v := viewerOf(actor, communityID)
	if out, next, err = s.visitsFor(ctx, v, residentID, householdID, cursor, limit); err != nil {
		return nil, "", err
	}
	sh := shown{action: "registry.read_visits", kind: "resident", subject: residentID, residents: 1, fields: []string{fieldVisits}}
	if residentID == "" {
		sh.kind, sh.subject, sh.residents = "household", householdID, residentsIn(out)
	}
	return out, next, s.disclose(ctx, v, sh)
}

// residentsIn counts the residents a list of visits names.
func residentsIn(vs []Visit) int {
	seen := map[string]bool{}
	for _, v := range vs {
		seen[v.ResidentID] = true
	}
	return len(seen)
}

func (s *Service) visitsFor(ctx context.Context, v viewer, residentID, householdID, cursor string, limit int) (out []Visit, next string, err error) {
	if err := v.mustSee(); err != nil {
		return nil, "", err
	}
	col, key := "v.resident_id", residentID
	if residentID == "" {
		col, key = "v.household_id", householdID
	}
	cd, cid := "", ""
	if cursor != "" {
		var ok bool
		if cd, cid, ok = strings.Cut(cursor, "_"); !ok || len(cd) != len(dateLayout) {
			return nil, "", badCursor()
		}
	}
	limit = clampLimit(limit)
	rows, err := s.DB.Query(ctx, `SELECT v.id, v.resident_id, r.name, v.household_id, v.visit_date, v.visitor_name, v.method, v.notes, v.follow_up
		FROM visits v JOIN residents r ON r.community_id = v.community_id AND r.id = v.resident_id
		WHERE v.community_id = $1 AND `+col+` = $2 AND `+v.visitsSeen()+`
		AND ($3 = '' OR v.visit_date < $3 OR (v.visit_date = $3 AND v.id < $4))
		ORDER BY v.visit_date DESC, v.id DESC LIMIT $5`,
		v.communityID, key, cd, cid, limit+1)
	if out, err = db.Collect(rows, err, scanVisit); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Date + "_" + out[limit-1].ID
	}
	return out, next, nil
}

func scanVisit(row db.Scanner) (v Visit, err error) {
	var f int64
	err = row.Scan(&v.ID, &v.ResidentID, &v.ResidentName, &v.HouseholdID, &v.Date, &v.VisitorName, &v.Method, &v.Notes, &f)
	v.FollowUp = f != 0
	return v, err
}

// HouseholdOf returns the household a resident lives in, for the resident's
// own page: a resident may ask only about themselves (and is not shown the
// tenure or the disability flag), a worker about anyone of their community
// (audited).
func (s *Service) HouseholdOf(ctx context.Context, actor civic.Actor, communityID, residentID string) (h Household, err error) {
	defer civic.Wrap(&err, "registry.HouseholdOf(%s)", residentID)
	v := viewerOf(actor, communityID)
	if !v.sensitive && (actor.CommunityID != communityID || actor.ResidentID != residentID) {
		return h, civic.Errorf(civic.Forbidden, "registry.not_your_household", "you may see only your own household")
	}
	st, err := s.readResident(ctx, communityID, residentID)
	if err != nil {
		return h, err
	}
	if h, err = s.household(ctx, communityID, st.r.HouseholdID); err != nil {
		return h, err
	}
	return v.household(h), s.disclose(ctx, v, shown{action: "registry.read_household", kind: "household", subject: h.ID,
		fields: []string{fieldTenure, fieldDisability}})
}
