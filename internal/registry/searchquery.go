package registry

import (
	"context"
	"fmt"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// searchQuery builds Search's query in two steps: an inner query that finds
// one page of resident ids from a single driving index chosen here from the
// filter, and an outer query that joins the households and estates of those
// ids only. The driving index is chosen by the code, not left to the planner:
// after ANALYZE, SQLite drove the old single query from the six-row estates
// table and sorted every resident (1.5 s per page at 400,000). On SQLite the
// choice is pinned with INDEXED BY (which also fails loudly if a migration
// ever drops the index); PostgreSQL plans the same query from its statistics
// (see BENCHMARKS.md, "Registry pages", for both plans).
//
// The drivers, most selective first: the last four of the ID number, the
// household, the name prefix (its matches are sorted by id), a colour label
// (resident_colours, by estate when one is chosen), white in an estate, the
// estate, and the active residents by id.
//
// What a viewer without the red grant sees as white and as overdue comes
// from the shadow columns (see viewer), through indexes of the same shape.
func (s *Service) searchQuery(ctx context.Context, v viewer, f Filter, cursor string, limit int) (string, []any, error) {
	args := []any{v.communityID, cursor}
	add := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var where []string
	if !f.IncludeLeft {
		where = append(where, "r.moved_out IS NULL")
	}
	colour := ""
	switch f.Colour {
	case "", White:
	default:
		if _, err := ParseColour(string(f.Colour)); err != nil {
			return "", nil, err
		}
		colour = string(f.Colour)
	}
	tailHash := ""
	if tail := strings.ToUpper(strings.TrimSpace(f.IDTail)); tail != "" {
		if len(tail) != 4 {
			return "", nil, civic.Errorf(civic.Invalid, "registry.id_tail", "search by the last four characters of the ID number")
		}
		k, err := s.Keys(ctx)
		if err != nil {
			return "", nil, err
		}
		tailHash = k.Hash("idtail:" + tail)
	}
	name := strings.TrimSpace(f.Name)

	from, key, index := "residents r", "r.id", ""
	estateOnLabel := false
	switch {
	case tailHash != "":
		index = "residents_id_tail"
	case f.HouseholdID != "":
		index = "residents_household"
	case name != "":
		index = "residents_name"
	case colour != "":
		// Labels exist only for active residents; the join checks the rest.
		li := "resident_colours_by_colour"
		if f.EstateID != "" {
			li, estateOnLabel = "resident_colours_list", true
		}
		from, key = "resident_colours rc"+s.indexedBy(li)+" CROSS JOIN residents r", "rc.resident_id"
		where = append(where, "rc.community_id = $1", "rc.colour = "+add(colour), "r.community_id = rc.community_id", "r.id = rc.resident_id")
		if estateOnLabel {
			where = append(where, "rc.estate_id = "+add(f.EstateID))
		}
		colour = "" // the driver is the filter
	case f.Colour == White && f.EstateID != "":
		_, index = v.primaryColumn()
	case f.EstateID != "":
		index = "residents_estate"
	case !f.IncludeLeft:
		index = "residents_active"
	}
	if index != "" {
		from += s.indexedBy(index)
	}
	if f.EstateID != "" && !estateOnLabel {
		where = append(where, "r.estate_id = "+add(f.EstateID))
	}
	if f.HouseholdID != "" {
		where = append(where, "r.household_id = "+add(f.HouseholdID))
	}
	if f.Colour == White {
		col, _ := v.primaryColumn()
		where = append(where, col+" = 'white'")
	}
	if colour != "" {
		where = append(where, "EXISTS (SELECT 1 FROM resident_colours rc WHERE rc.community_id = r.community_id AND rc.resident_id = r.id AND rc.colour = "+add(colour)+")")
	}
	if name != "" {
		where = append(where, "r.name >= "+add(name)+" AND r.name < "+add(name+"\uffff"))
	}
	if tailHash != "" {
		where = append(where, "r.id_tail_hash = "+add(tailHash))
	}
	if f.Overdue {
		col, _, _ := v.dueColumn()
		where = append(where, col+" < "+add(Today(s.Clock.Now()).Format(dateLayout)))
	}
	inner := "SELECT " + key + " AS id FROM " + from + " WHERE r.community_id = $1 AND " + key + " > $2"
	for _, w := range where {
		inner += " AND " + w
	}
	inner += " ORDER BY " + key + " LIMIT " + add(limit)
	// The page's ids come first (CROSS JOIN keeps that order on SQLite), then
	// each one's household and estate by primary key.
	q := "SELECT " + residentCols + ` FROM (` + inner + `) k
		CROSS JOIN residents r CROSS JOIN households h CROSS JOIN estates e
		WHERE r.community_id = $1 AND r.id = k.id AND h.community_id = r.community_id AND h.id = r.household_id
		AND e.community_id = r.community_id AND e.id = r.estate_id ORDER BY r.id`
	return q, args, nil
}

// indexedBy pins a table's index on SQLite (" INDEXED BY name"); PostgreSQL
// has no such clause and plans from its statistics.
func (s *Service) indexedBy(index string) string {
	if s.DB.Dialect != db.SQLite {
		return ""
	}
	return " INDEXED BY " + index
}
