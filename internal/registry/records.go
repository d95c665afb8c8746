package registry

import (
	"context"
	"strings"

	"civicpoints/internal/civic"
)

// The worker's pages each read what they show through one call here, so
// that each response writes one audit entry saying what it showed.

// Record is a resident's page: the resident as the viewer may see them,
// their colour history and one page of their visits.
type Record struct {
	Resident
	History    []ColourChange
	Visits     []Visit
	NextVisits string // cursor of the next page of visits; "" on the last
}

// recordFields are what a resident's page shows a worker.
var recordFields = append(append([]string{}, residentFields...), fieldHistory, fieldVisits)

// ResidentRecord reads a resident's page (masked ID and phone) for a worker
// of the community, visits from visitCursor on; the read is audited.
func (s *Service) ResidentRecord(ctx context.Context, viewer civic.Actor, communityID, residentID, visitCursor string) (rec Record, err error) {
	defer civic.Wrap(&err, "registry.ResidentRecord(%s)", residentID)
	v := viewerOf(viewer, communityID)
	if rec, err = s.recordFor(ctx, v, residentID, visitCursor); err != nil {
		return rec, err
	}
	return rec, s.disclose(ctx, v, shown{action: "registry.read_resident", kind: "resident", subject: residentID, residents: 1, fields: recordFields})
}

func (s *Service) recordFor(ctx context.Context, v viewer, residentID, visitCursor string) (rec Record, err error) {
	if err := v.mustSee(); err != nil {
		return rec, err
	}
	if rec.Resident, err = s.residentFor(ctx, v, residentID); err != nil {
		return rec, err
	}
	if rec.History, err = s.historyFor(ctx, v, residentID); err != nil {
		return rec, err
	}
	rec.Visits, rec.NextVisits, err = s.visitsFor(ctx, v, residentID, "", visitCursor, VisitPageSize)
	return rec, err
}

// OpenRecord reads a resident's page with the full ID number and phone
// decrypted. Only workers of the community may, giving why; the read is
// audited with the reason.
func (s *Service) OpenRecord(ctx context.Context, viewer civic.Actor, communityID, residentID, why string) (rec Record, err error) {
	defer civic.Wrap(&err, "registry.OpenRecord(%s)", residentID)
	v := viewerOf(viewer, communityID)
	if err := v.mustSee(); err != nil {
		return rec, err
	}
	why = strings.TrimSpace(why)
	if why == "" || len([]rune(why)) > 500 {
		return rec, civic.Errorf(civic.Invalid, "registry.why_required", "say why you open this record (up to 500 characters)")
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return rec, err
	}
	st, err := s.readResident(ctx, communityID, residentID)
	if err != nil {
		return rec, err
	}
	if rec, err = s.recordFor(ctx, v, residentID, ""); err != nil {
		return rec, err
	}
	if rec.IDNumber, err = k.Open(st.enc[0]); err != nil {
		return rec, err
	}
	if rec.Phone, err = k.Open(st.enc[1]); err != nil {
		return rec, err
	}
	return rec, s.disclose(ctx, v, shown{action: "registry.read_sensitive", kind: "resident", subject: residentID, reason: why, residents: 1,
		fields: append(append([]string{}, recordFields...), fieldIDNumber, fieldPhone)})
}

// HouseholdRecord is a household's page: the household with its tenure and
// disability flag, its members as the viewer may see them and one page of
// its visits.
type HouseholdRecord struct {
	Household
	Members    []Resident
	Visits     []Visit
	NextVisits string
}

// HouseholdRecord reads a household's page for a worker of the community,
// visits from visitCursor on; the read is audited.
func (s *Service) HouseholdRecord(ctx context.Context, viewer civic.Actor, communityID, householdID, visitCursor string) (rec HouseholdRecord, err error) {
	defer civic.Wrap(&err, "registry.HouseholdRecord(%s)", householdID)
	v := viewerOf(viewer, communityID)
	if err := v.mustSee(); err != nil {
		return rec, err
	}
	h, err := s.household(ctx, communityID, householdID)
	if err != nil {
		return rec, err
	}
	rec.Household = v.household(h)
	if rec.Members, err = s.membersFor(ctx, v, householdID); err != nil {
		return rec, err
	}
	if rec.Visits, rec.NextVisits, err = s.visitsFor(ctx, v, "", householdID, visitCursor, VisitPageSize); err != nil {
		return rec, err
	}
	return rec, s.disclose(ctx, v, shown{action: "registry.read_household", kind: "household", subject: householdID, residents: len(rec.Members),
		fields: []string{fieldColours, fieldTenure, fieldDisability, fieldVisits}})
}

// Export reads every resident a filter matches, as the viewer may see them,
// for a spreadsheet; one audit entry records how many and the filter.
func (s *Service) Export(ctx context.Context, viewer civic.Actor, communityID string, f Filter) (out []Resident, err error) {
	defer civic.Wrap(&err, "registry.Export(%s)", communityID)
	v := viewerOf(viewer, communityID)
	cursor := ""
	for {
		page, next, err := s.searchFor(ctx, v, f, cursor, exportPage)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	return out, s.disclose(ctx, v, shown{action: "registry.export", list: true, filter: f.String(), residents: len(out), fields: residentFields})
}

// exportPage is how many residents each search of an export reads.
const exportPage = 500
