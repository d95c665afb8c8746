package registry

import (
	"context"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// ColourChange is one entry of a resident's colour history.
type ColourChange struct {
	Colour    Colour
	Added     bool
	Reason    string // free text, or an i18n key (registry.reason_…) for changes the system made
	ActorName string
	At        time.Time
}

// writeColours moves a resident's labels from old to new, recording each
// change, and stores the new set and primary colour.
func writeColours(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID, residentID, estateID string, old, new Set, reason string, now int64) error {
	for _, c := range Colours[:5] {
		var err error
		switch {
		case new.Has(c) && !old.Has(c):
			_, err = tx.Exec(ctx, "INSERT INTO resident_colours (community_id, resident_id, colour, estate_id, since) VALUES ($1, $2, $3, $4, $5)",
				communityID, residentID, string(c), estateID, now)
		case old.Has(c) && !new.Has(c):
			_, err = tx.Exec(ctx, "DELETE FROM resident_colours WHERE community_id = $1 AND resident_id = $2 AND colour = $3",
				communityID, residentID, string(c))
		default:
			continue
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO colour_changes (community_id, id, resident_id, colour, added, reason, actor_id, actor_name, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			communityID, civic.NewID(), residentID, string(c), boolInt(new.Has(c)), reason, actor.UserID, actor.Name, now); err != nil {
			return err
		}
	}
	if old == new {
		return nil
	}
	_, err := tx.Exec(ctx, "UPDATE residents SET colours = $3, primary_colour = $4, shadow_primary = $5 WHERE community_id = $1 AND id = $2",
		communityID, residentID, int(new), string(new.Primary()), string(new.Without(Red).Primary()))
	return err
}

// recolour derives a resident's colours again from their data and stores any
// change with reason, then their next visit dates (the shadow ones only when
// the change is seen by workers without the grant: see writeCare). The change to the estate's
// counts goes to cnt, which the caller applies before it commits.
func (s *Service) recolour(ctx context.Context, tx *db.Tx, cnt counts, actor civic.Actor, communityID, residentID, reason string, seen bool) error {
	cur, err := residentState(ctx, tx, communityID, residentID)
	if err != nil {
		return err
	}
	if cur.movedOut {
		return nil
	}
	h, err := householdTx(ctx, tx, communityID, cur.householdID)
	if err != nil {
		return err
	}
	st, err := settingsTx(ctx, tx, communityID)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	set := derive(cur.birth, Today(now), st.ElderlyAge, h.Tenure, h.Disability, cur.red)
	if err := writeColours(ctx, tx, actor, communityID, residentID, cur.estateID, cur.colours, set, reason, db.Millis(now)); err != nil {
		return err
	}
	cnt.recoloured(cur.estateID, cur.colours, set)
	return writeCare(ctx, tx, st, communityID, residentID, set, cur, seen)
}

// SetRedRequest puts a resident in the red group (key persons) or takes
// them out, with a reason.
type SetRedRequest struct {
	Community string `json:"community"`
	Resident  string `json:"resident"`
	Red       bool   `json:"red"`
	Reason    string `json:"reason"`
}

// SetRed puts a resident in the red group or takes them out. Only a worker
// of the community holding the red_group grant may, with a reason.
func (s *Service) SetRed(ctx context.Context, by civic.Actor, key idem.Key, r SetRedRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.SetRed(%s)", r.Resident)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	if !SeesRed(by, r.Community) {
		return ch, civic.Errorf(civic.Forbidden, "registry.red_forbidden", "only workers holding the red-group permission may set the red label")
	}
	reason := strings.TrimSpace(r.Reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return ch, civic.Errorf(civic.Invalid, "registry.reason_required", "give a reason (up to 500 characters)")
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.set_red", r), func(tx *db.Tx) (Change, error) {
		cur, err := residentState(ctx, tx, r.Community, r.Resident)
		if err != nil {
			return Change{}, err
		}
		if cur.movedOut {
			return Change{}, civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", r.Resident)
		}
		at := s.Clock.Now()
		if _, err := tx.Exec(ctx, "UPDATE residents SET red = $3, updated_at = $4 WHERE community_id = $1 AND id = $2",
			r.Community, r.Resident, boolInt(r.Red), db.Millis(at)); err != nil {
			return Change{}, err
		}
		cnt := counts{}
		if err := s.recolour(ctx, tx, cnt, by, r.Community, r.Resident, reason, false); err != nil {
			return Change{}, err
		}
		return Change{ID: r.Resident, At: at}, cnt.apply(ctx, tx, r.Community)
	})
}

// UpdateHouseholdRequest changes a household's tenure and disability flag.
type UpdateHouseholdRequest struct {
	Community  string `json:"community"`
	Household  string `json:"household"`
	Tenure     Tenure `json:"tenure"`
	Disability bool   `json:"disability"`
	Reason     string `json:"reason"`
}

// UpdateHousehold changes a household's tenure and disability flag; the
// yellow and purple labels of its members follow, recorded with the reason.
func (s *Service) UpdateHousehold(ctx context.Context, by civic.Actor, key idem.Key, r UpdateHouseholdRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.UpdateHousehold(%s)", r.Household)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	if _, err := ParseTenure(string(r.Tenure)); err != nil {
		return ch, err
	}
	if strings.TrimSpace(r.Reason) == "" {
		return ch, civic.Errorf(civic.Invalid, "registry.reason_required", "give a reason (up to 500 characters)")
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.update_household", r), func(tx *db.Tx) (Change, error) {
		c := r.Community
		if _, err := householdTx(ctx, tx, c, r.Household); err != nil {
			return Change{}, err
		}
		if _, err := tx.Exec(ctx, "UPDATE households SET tenure = $3, disability = $4 WHERE community_id = $1 AND id = $2",
			c, r.Household, string(r.Tenure), boolInt(r.Disability)); err != nil {
			return Change{}, err
		}
		rows, err := tx.Query(ctx, "SELECT id FROM residents WHERE community_id = $1 AND household_id = $2 AND moved_out IS NULL ORDER BY id", c, r.Household)
		ids, err := db.Collect(rows, err, db.ScanString)
		if err != nil {
			return Change{}, err
		}
		cnt := counts{}
		for _, id := range ids {
			if err := s.recolour(ctx, tx, cnt, by, c, id, r.Reason, true); err != nil {
				return Change{}, err
			}
		}
		return Change{ID: r.Household, At: s.Clock.Now()}, cnt.apply(ctx, tx, c)
	})
}

// Refresh recomputes the colours that follow age (green, blue) once per
// Asia/Shanghai day, so people change group as they age. Pages that show
// colours call it; it costs one indexed query when there is nothing to do.
func (s *Service) Refresh(ctx context.Context, communityID string) (err error) {
	defer civic.Wrap(&err, "registry.Refresh(%s)", communityID)
	now := s.Clock.Now()
	today := Today(now)
	var done string
	_ = s.DB.QueryRow(ctx, "SELECT ages_refreshed FROM registry_settings WHERE community_id = $1", communityID).Scan(&done)
	if done == today.Format(dateLayout) {
		return nil
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		st, err := settingsTx(ctx, tx, communityID)
		if err != nil {
			return err
		}
		minor := today.AddDate(-18, 0, 0).Format(dateLayout)            // born after this: under 18
		elder := today.AddDate(-st.ElderlyAge, 0, 0).Format(dateLayout) // born on or before: elderly
		green, blue := Green.bit(), Blue.bit()
		rows, err := tx.Query(ctx, `SELECT id FROM residents WHERE community_id = $1 AND moved_out IS NULL AND (
			((colours & $2) <> 0 AND birth_date <= $4) OR ((colours & $2) = 0 AND birth_date > $4) OR
			((colours & $3) <> 0 AND birth_date > $5) OR ((colours & $3) = 0 AND birth_date <= $5))`,
			communityID, green, blue, minor, elder)
		ids, err := db.Collect(rows, err, db.ScanString)
		if err != nil {
			return err
		}
		cnt := counts{}
		for _, id := range ids {
			if err := s.recolour(ctx, tx, cnt, civic.System, communityID, id, "registry.reason_aged", true); err != nil {
				return err
			}
		}
		if err := cnt.apply(ctx, tx, communityID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO registry_settings (community_id, elderly_age, priority_days, regular_days, ages_refreshed, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community_id) DO UPDATE SET ages_refreshed = $5`,
			communityID, st.ElderlyAge, st.PriorityDays, st.RegularDays, today.Format(dateLayout), db.Millis(now))
		return err
	})
}

// ColourHistory lists a resident's colour changes, newest first. Red entries
// are left out for viewers without the red grant. The read is audited.
func (s *Service) ColourHistory(ctx context.Context, actor civic.Actor, communityID, residentID string) (out []ColourChange, err error) {
	defer civic.Wrap(&err, "registry.ColourHistory(%s)", residentID)
	v := viewerOf(actor, communityID)
	if out, err = s.historyFor(ctx, v, residentID); err != nil {
		return nil, err
	}
	return out, s.disclose(ctx, v, shown{action: "registry.read_colours", kind: "resident", subject: residentID, residents: 1, fields: []string{fieldHistory}})
}

func (s *Service) historyFor(ctx context.Context, v viewer, residentID string) ([]ColourChange, error) {
	if err := v.mustSee(); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT colour, added, reason, actor_name, at FROM colour_changes
		WHERE community_id = $1 AND resident_id = $2 AND ($3 OR colour <> 'red') ORDER BY at DESC, id DESC LIMIT 200`,
		v.communityID, residentID, v.red)
	return db.Collect(rows, err, func(row db.Scanner) (c ColourChange, err error) {
		var added, at int64
		err = row.Scan(&c.Colour, &added, &c.Reason, &c.ActorName, &at)
		c.Added, c.At = added != 0, db.FromMillis(at)
		return c, err
	})
}
