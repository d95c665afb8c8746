package registry

import (
	"context"
	"fmt"
	"sort"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// The keys of registry_counts besides the six colours: every active
// resident of an estate, and its households.
const (
	countAll        = "all"
	countHouseholds = "households"
	// countShadowWhite counts the active residents holding no label but
	// perhaps red: white as a worker without the red grant sees it, which
	// does not move when someone is made red (migration 0205).
	countShadowWhite = "shadow_white"
)

type countKey struct{ estate, key string }

// counts collects the differences one transaction makes to registry_counts
// (migration 0204). Every change that moves a count adds to it, and the
// operation applies it once, just before it commits, so the count rows are
// always locked in one order (no deadlock between two transactions) and
// each is written at most once per transaction.
type counts map[countKey]int64

// resident adds n residents of an estate holding set: under each label, or
// white when none, shadow white when none but red, and under all.
func (c counts) resident(estate string, set Set, n int64) {
	for _, col := range set.List() {
		c[countKey{estate, string(col)}] += n
	}
	if set.Without(Red).Primary() == White {
		c[countKey{estate, countShadowWhite}] += n
	}
	c[countKey{estate, countAll}] += n
}

// recoloured moves one resident of an estate from old colours to new.
func (c counts) recoloured(estate string, old, new Set) {
	if old == new {
		return
	}
	c.resident(estate, old, -1)
	c.resident(estate, new, 1)
}

// households adds n households to an estate.
func (c counts) households(estate string, n int64) { c[countKey{estate, countHouseholds}] += n }

// apply adds the differences in key order with n = n + delta, never by
// reading and writing back, so concurrent transactions lose nothing (on
// PostgreSQL the second waits for the first's row lock, then adds to what
// it committed).
func (c counts) apply(ctx context.Context, tx *db.Tx, communityID string) error {
	keys := make([]countKey, 0, len(c))
	for k, d := range c {
		if d != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].estate != keys[j].estate {
			return keys[i].estate < keys[j].estate
		}
		return keys[i].key < keys[j].key
	})
	for _, k := range keys {
		if err := addCount(ctx, tx, communityID, k, c[k]); err != nil {
			return fmt.Errorf("registry counts %s/%s %+d: %w", k.estate, k.key, c[k], err)
		}
	}
	clear(c)
	return nil
}

// addCount adds d to one count. A count goes up by an upsert (the first
// resident of a colour in an estate creates its row), down by an UPDATE: the
// CHECK (n >= 0) is checked on the row an upsert proposes, so a negative
// delta cannot go through one. A count that would go below zero, or a row
// missing when one is taken away, means the counts were already wrong: the
// change fails rather than hide it (CheckCounts says where, Recount repairs).
func addCount(ctx context.Context, tx *db.Tx, communityID string, k countKey, d int64) error {
	if d > 0 {
		_, err := tx.Exec(ctx, `INSERT INTO registry_counts (community_id, estate_id, colour, n) VALUES ($1, $2, $3, $4)
			ON CONFLICT (community_id, estate_id, colour) DO UPDATE SET n = registry_counts.n + excluded.n`,
			communityID, k.estate, k.key, d)
		return err
	}
	res, err := tx.Exec(ctx, "UPDATE registry_counts SET n = n + $4 WHERE community_id = $1 AND estate_id = $2 AND colour = $3",
		communityID, k.estate, k.key, d)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("no count kept (rows %d, %v): run civicpoints check", n, err)
	}
	return nil
}

// recountQuery counts what registry_counts keeps, from the registry itself.
const recountQuery = `SELECT estate_id, colour, COUNT(*) AS n FROM resident_colours WHERE community_id = $1 GROUP BY estate_id, colour
	UNION ALL SELECT estate_id, 'white', COUNT(*) FROM residents WHERE community_id = $1 AND primary_colour = 'white' AND moved_out IS NULL GROUP BY estate_id
	UNION ALL SELECT estate_id, 'shadow_white', COUNT(*) FROM residents WHERE community_id = $1 AND shadow_primary = 'white' AND moved_out IS NULL GROUP BY estate_id
	UNION ALL SELECT estate_id, 'all', COUNT(*) FROM residents WHERE community_id = $1 AND moved_out IS NULL GROUP BY estate_id
	UNION ALL SELECT estate_id, 'households', COUNT(*) FROM households WHERE community_id = $1 GROUP BY estate_id`

// CheckCounts recounts a community's estate counts from the registry and
// reports every count that differs from the one kept in registry_counts,
// for `civicpoints check`. Kept and recounted figures come from one
// statement, so one snapshot: a change committing meanwhile is not reported
// as a difference.
func CheckCounts(ctx context.Context, d *db.DB, communityID string) (r ledger.Report, err error) {
	defer civic.Wrap(&err, "registry.CheckCounts(%s)", communityID)
	rows, err := d.Query(ctx, `SELECT 1, estate_id, colour, n FROM registry_counts WHERE community_id = $1
		UNION ALL SELECT 0, estate_id, colour, n FROM (`+recountQuery+`) x`, communityID)
	type count struct {
		kept bool
		k    countKey
		n    int64
	}
	all, err := db.Collect(rows, err, func(row db.Scanner) (c count, err error) {
		var isKept int
		err = row.Scan(&isKept, &c.k.estate, &c.k.key, &c.n)
		c.kept = isKept == 1
		return c, err
	})
	if err != nil {
		return r, err
	}
	kept, want := map[countKey]int64{}, map[countKey]int64{}
	for _, c := range all {
		if c.kept {
			kept[c.k] = c.n
		} else {
			want[c.k] += c.n
		}
	}
	var diff []countKey
	for k, n := range kept {
		if want[k] != n {
			diff = append(diff, k)
		}
	}
	for k, n := range want {
		if _, ok := kept[k]; !ok && n != 0 {
			diff = append(diff, k)
		}
	}
	sort.Slice(diff, func(i, j int) bool {
		return diff[i].estate < diff[j].estate || diff[i].estate == diff[j].estate && diff[i].key < diff[j].key
	})
	for _, k := range diff {
		r.Problems = append(r.Problems, fmt.Sprintf("registry counts: estate %s, %s: kept %d, the registry holds %d", k.estate, k.key, kept[k], want[k]))
	}
	r.OK = len(r.Problems) == 0
	return r, nil
}

// Recount rebuilds a community's estate counts from the registry, for data
// written around the service (bulk loads in benchmarks) or a repair after
// CheckCounts reported a difference. Run it with the registry's writers
// stopped: a change committing meanwhile could be counted twice or not at all.
func Recount(ctx context.Context, tx *db.Tx, communityID string) (err error) {
	defer civic.Wrap(&err, "registry.Recount(%s)", communityID)
	if _, err := tx.Exec(ctx, "DELETE FROM registry_counts WHERE community_id = $1", communityID); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "INSERT INTO registry_counts (community_id, estate_id, colour, n) SELECT $1, estate_id, colour, COUNT(*) FROM ("+
		`SELECT estate_id, colour FROM resident_colours WHERE community_id = $1
		UNION ALL SELECT estate_id, 'white' FROM residents WHERE community_id = $1 AND primary_colour = 'white' AND moved_out IS NULL
		UNION ALL SELECT estate_id, 'shadow_white' FROM residents WHERE community_id = $1 AND shadow_primary = 'white' AND moved_out IS NULL
		UNION ALL SELECT estate_id, 'all' FROM residents WHERE community_id = $1 AND moved_out IS NULL
		UNION ALL SELECT estate_id, 'households' FROM households WHERE community_id = $1) x GROUP BY estate_id, colour`, communityID)
	return err
}

// estateCounts reads the kept counts of a community: estate → key → n.
func (s *Service) estateCounts(ctx context.Context, communityID string) (map[string]map[string]int, error) {
	type count struct {
		estate, key string
		n           int
	}
	rows, err := s.DB.Query(ctx, "SELECT estate_id, colour, n FROM registry_counts WHERE community_id = $1", communityID)
	all, err := db.Collect(rows, err, func(row db.Scanner) (c count, err error) {
		err = row.Scan(&c.estate, &c.key, &c.n)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]int{}
	for _, c := range all {
		if out[c.estate] == nil {
			out[c.estate] = map[string]int{}
		}
		out[c.estate][c.key] = c.n
	}
	return out, nil
}
