package registry

import (
	"context"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Filter narrows a resident list. Empty fields do not filter.
type Filter struct {
	EstateID    string
	HouseholdID string
	Colour      Colour // a label the resident holds; white: those with none
	Name        string // name prefix
	IDTail      string // last four characters of the ID number
	Overdue     bool   // visit overdue
	IncludeLeft bool
}

// Search lists residents of a community as viewer may see them, by id keyset
// cursor. Only workers of the community may search; the list is audited.
func (s *Service) Search(ctx context.Context, viewer civic.Actor, communityID string, f Filter, cursor string, limit int) (out []Resident, next string, err error) {
	defer civic.Wrap(&err, "registry.Search(%s)", communityID)
	v := viewerOf(viewer, communityID)
	if out, next, err = s.searchFor(ctx, v, f, cursor, limit); err != nil {
		return nil, "", err
	}
	return out, next, s.disclose(ctx, v, shown{action: "registry.list_residents", list: true, filter: f.String(), residents: len(out), fields: residentFields})
}

func (s *Service) searchFor(ctx context.Context, v viewer, f Filter, cursor string, limit int) (out []Resident, next string, err error) {
	if err := v.mustSee(); err != nil {
		return nil, "", err
	}
	if f.Colour == Red && !v.red {
		return nil, "", civic.Errorf(civic.Forbidden, "registry.red_filter_forbidden", "only workers holding the red-group permission may filter by the red group")
	}
	if err := s.Refresh(ctx, v.communityID); err != nil {
		return nil, "", err
	}
	q, args, err := s.searchQuery(ctx, v, f, cursor, clampLimit(limit)+1)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.DB.Query(ctx, q, args...)
	if out, err = db.Collect(rows, err, s.seeing(v)); err != nil {
		return nil, "", err
	}
	if n := clampLimit(limit); len(out) > n {
		out = out[:n]
		next = out[n-1].ID
	}
	return out, next, nil
}

// String describes a filter for the audit log (no names or ID digits).
func (f Filter) String() string {
	var parts []string
	if f.EstateID != "" {
		parts = append(parts, "estate="+f.EstateID)
	}
	if f.HouseholdID != "" {
		parts = append(parts, "household="+f.HouseholdID)
	}
	if f.Colour != "" {
		parts = append(parts, "colour="+string(f.Colour))
	}
	if f.Name != "" {
		parts = append(parts, "name")
	}
	if f.IDTail != "" {
		parts = append(parts, "id_tail")
	}
	if f.Overdue {
		parts = append(parts, "overdue")
	}
	return strings.Join(parts, " ")
}

// ColourCounts gives the active residents per estate and colour (a resident
// with several labels counts under each; white counts those with none), as
// kept exact in registry_counts by every change. Red is counted only for
// viewers with the red grant, and for the others white counts the residents
// holding no label but red: no count they see moves when someone is made red.
func (s *Service) ColourCounts(ctx context.Context, viewer civic.Actor, communityID string) (counts map[string]map[Colour]int, err error) {
	defer civic.Wrap(&err, "registry.ColourCounts(%s)", communityID)
	if err := viewerOf(viewer, communityID).mustSee(); err != nil {
		return nil, err
	}
	// The day's age refresh changes green and blue: apply it first.
	if err := s.Refresh(ctx, communityID); err != nil {
		return nil, err
	}
	kept, err := s.estateCounts(ctx, communityID)
	if err != nil {
		return nil, err
	}
	v := viewerOf(viewer, communityID)
	counts = map[string]map[Colour]int{}
	for e, m := range kept {
		counts[e] = map[Colour]int{}
		for _, c := range Colours {
			if c == Red && !v.red {
				continue
			}
			if n := m[v.countKey(c)]; n != 0 {
				counts[e][c] = n
			}
		}
	}
	return counts, nil
}
