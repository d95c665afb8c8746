package registry

import (
	"context"
	"time"

	"civicpoints/internal/db"
)

// A resident's visit dates are kept twice (migration 0205): the real ones,
// which workers holding the red grant see, and the shadow ones, which are
// what the registry would hold had the resident never been red: the primary
// colour without red, the last visit that was not red-group care, and the
// next visit that follows from those. Every change that moves one writes
// both here, in its own transaction, so a worker without the grant reads
// the shadow dates and lists without any rule of their own (see viewer).

// dueDate is when the next visit falls: cadence days after the last visit, or
// at registration for someone never visited; nil when the class has no visits.
func dueDate(st Settings, primary Colour, lastVisit, created string) any {
	days := st.Cadence(primary)
	if days == 0 {
		return nil
	}
	if lastVisit == "" {
		return created
	}
	t, err := time.Parse(dateLayout, lastVisit)
	if err != nil {
		return created
	}
	return t.AddDate(0, 0, days).Format(dateLayout)
}

// writeCare stores a resident's last visit and next visit date for the
// colours set and the last visits in cur: the real ones, and the shadow ones
// too when the change is seen, that is when it is one a worker without the
// grant sees happen (anything but a change of red or red-group care). A
// change unseen must leave the shadow as it was, not even recompute it: a
// recomputation with settings changed since would move the dates of a red
// resident and not those of anyone else.
func writeCare(ctx context.Context, tx *db.Tx, st Settings, communityID, residentID string, set Set, cur state, seen bool) error {
	if !seen {
		_, err := tx.Exec(ctx, "UPDATE residents SET last_visit = $3, visit_due = $4 WHERE community_id = $1 AND id = $2",
			communityID, residentID, nullIfEmpty(cur.lastVisit), dueDate(st, set.Primary(), cur.lastVisit, cur.created))
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE residents SET last_visit = $3, shadow_last_visit = $4, visit_due = $5, shadow_due = $6
		WHERE community_id = $1 AND id = $2`, communityID, residentID, nullIfEmpty(cur.lastVisit), nullIfEmpty(cur.shadowLast),
		dueDate(st, set.Primary(), cur.lastVisit, cur.created), dueDate(st, set.Without(Red).Primary(), cur.shadowLast, cur.created))
	return err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
