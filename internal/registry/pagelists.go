package registry

import (
	"context"
	"strings"

	"civicpoints/internal/civic"
)

// VisitPage lists the visits of a resident, or of a household when
// residentID is empty, newest first, by keyset cursor ("date_id" of the last
// visit of the previous page; "" for the first). Red residents' visits are
// left out for viewers without the red grant.
func (s *Service) VisitPage(ctx context.Context, actor civic.Actor, communityID, residentID, householdID, cursor string, limit int) (out []Visit, next string, err error) {
	defer civic.Wrap(&err, "registry.VisitPage(%s%s)", residentID, householdID)
	if !SeesSensitive(actor, communityID) {
		return nil, "", civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
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
		WHERE v.community_id = $1 AND `+col+` = $2 AND ($3 OR r.red = 0)
		AND ($4 = '' OR v.visit_date < $4 OR (v.visit_date = $4 AND v.id < $5))
		ORDER BY v.visit_date DESC, v.id DESC LIMIT $6`,
		communityID, key, SeesRed(actor, communityID), cd, cid, limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var v Visit
		var f int64
		if err := rows.Scan(&v.ID, &v.ResidentID, &v.ResidentName, &v.HouseholdID, &v.Date, &v.VisitorName, &v.Method, &v.Notes, &f); err != nil {
			return nil, "", err
		}
		v.FollowUp = f != 0
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Date + "_" + out[limit-1].ID
	}
	return out, next, nil
}

// HouseholdOf returns the household a resident lives in, for the resident's
// own page: a resident may ask only about themselves, a worker about anyone
// of their community.
func (s *Service) HouseholdOf(ctx context.Context, viewer civic.Actor, communityID, residentID string) (h Household, err error) {
	defer civic.Wrap(&err, "registry.HouseholdOf(%s)", residentID)
	if !SeesSensitive(viewer, communityID) && (viewer.CommunityID != communityID || viewer.ResidentID != residentID) {
		return h, civic.Errorf(civic.Forbidden, "registry.not_your_household", "you may see only your own household")
	}
	r, _, err := s.readResident(ctx, communityID, residentID)
	if err != nil {
		return h, err
	}
	h, err = s.Household(ctx, communityID, r.HouseholdID)
	if err != nil {
		return h, err
	}
	if !SeesSensitive(viewer, communityID) {
		// Tenure and the disability flag drive the colours: residents never see them.
		h.Tenure, h.Disability = "", false
	}
	return h, nil
}
