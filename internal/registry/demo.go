package registry

import (
	"context"
	"math/rand/v2"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// DemoEstates are the synthetic estates of the demo community.
var DemoEstates = []string{"春江花园", "江滨苑", "府山新村", "衢江公寓", "百汇家园", "柳岸小区"}

// Chunjiang's own figures (DESIGN.md §1).
const (
	DemoHouseholds = 2481
	DemoResidents  = 6028
)

// SeedDemo fills a community with the demo registry: 6 estates, 2,481
// households and 6,028 synthetic residents with a realistic mix of colours,
// ages and tenures, a few red-group residents and a visit history. Running it
// again changes nothing. It returns the first resident (the head of
// household at 春江花园 1-1-101), for a demo resident login.
func SeedDemo(ctx context.Context, s *Service, communityID string) (firstResidentID string, err error) {
	defer civic.Wrap(&err, "registry.SeedDemo(%s)", communityID)
	today := Today(s.Clock.Now())
	rows := SyntheticRows(2022, DemoEstates, DemoHouseholds, DemoResidents, today)
	// One command, its key derived from the rows: seeding again the same
	// day replays it. (Rows follow the day's date, so a later day checks
	// them again: residents matched by ID number are left as they are.)
	_, err = s.ApplyImport(ctx, civic.System, ImportKey("demo", rows, true), ApplyImportRequest{Community: communityID, Rows: rows, ValidOnly: true})
	if err != nil {
		return "", err
	}
	err = s.DB.QueryRow(ctx, `SELECT r.id FROM residents r JOIN households h ON h.community_id = r.community_id AND h.id = r.household_id
		JOIN estates e ON e.community_id = r.community_id AND e.id = r.estate_id
		WHERE r.community_id = $1 AND e.name = $2 AND h.building = '1' AND h.unit = '1' AND h.room = '101' AND r.relation = '户主'`,
		communityID, DemoEstates[0]).Scan(&firstResidentID)
	if err != nil {
		return "", err
	}
	var visits int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM visits WHERE community_id = $1", communityID).Scan(&visits); err != nil {
		return "", err
	}
	if visits > 0 {
		return firstResidentID, nil
	}
	return firstResidentID, s.DB.WithTx(ctx, func(tx *db.Tx) error { return s.seedCare(ctx, tx, communityID) })
}

// seedCare marks a few residents red and records past visits for most of
// those with a visit cadence, leaving some overdue. It writes them in bulk,
// in one transaction, beside the commands rather than through them: the
// history of a few thousand visits dated over a year is no one's request,
// and a command per visit (each with its key) would be absurd. It keeps the
// commands' rules itself: red through recolour, the shadow dates of red-group
// care untouched (see care.go).
func (s *Service) seedCare(ctx context.Context, tx *db.Tx, communityID string) error {
	r := rand.New(rand.NewPCG(7, 11))
	type res struct{ id, household, primary string }
	rows, err := tx.Query(ctx, "SELECT id, household_id, primary_colour FROM residents WHERE community_id = $1 AND moved_out IS NULL ORDER BY id", communityID)
	all, err := db.Collect(rows, err, func(row db.Scanner) (x res, err error) {
		err = row.Scan(&x.id, &x.household, &x.primary)
		return x, err
	})
	if err != nil {
		return err
	}
	worker := civic.Actor{UserID: "demo-worker", Name: "网格员", Role: civic.RoleWorker, CommunityID: communityID}
	cnt := counts{}
	for i := range all {
		if r.IntN(1000) < 6 { // about 0.6% key persons
			if _, err := tx.Exec(ctx, "UPDATE residents SET red = 1 WHERE community_id = $1 AND id = $2", communityID, all[i].id); err != nil {
				return err
			}
			if err := s.recolour(ctx, tx, cnt, worker, communityID, all[i].id, "重点关注对象（演示数据）", false); err != nil {
				return err
			}
			all[i].primary = string(Red)
		}
	}
	if err := cnt.apply(ctx, tx, communityID); err != nil {
		return err
	}
	st, err := settingsTx(ctx, tx, communityID)
	if err != nil {
		return err
	}
	today := Today(s.Clock.Now())
	now := db.Millis(s.Clock.Now())
	visits, err := newBatch(ctx, tx, "visits", "community_id, id, resident_id, household_id, visit_date, visitor_id, visitor_name, method, notes, follow_up, created_at, red_care")
	if err != nil {
		return err
	}
	defer visits.close()
	methods := []string{"door", "door", "phone", "other"}
	notes := []string{"身体状况良好", "了解生活需求", "提醒防诈骗", "协助办理医保", "邻里反映情况良好", ""}
	for _, x := range all {
		days := st.Cadence(Colour(x.primary))
		if days == 0 || r.IntN(100) < 10 { // one in ten never visited yet
			continue
		}
		// A red resident's visits are red-group care: the shadow dates
		// (see care.go) stay those of someone never visited.
		red := x.primary == string(Red)
		last := ""
		for k := 3; k >= 0; k-- {
			d := today.AddDate(0, 0, -k*days-r.IntN(days/2+1)-r.IntN(12))
			date := d.Format(dateLayout)
			if err := visits.add(ctx, communityID, civic.NewID(), x.id, x.household, date, worker.UserID, worker.Name,
				methods[r.IntN(len(methods))], notes[r.IntN(len(notes))], boolInt(r.IntN(20) == 0), now, boolInt(red)); err != nil {
				return err
			}
			if date > last {
				last = date
			}
		}
		q := "UPDATE residents SET last_visit = $3, visit_due = $4, shadow_last_visit = $3, shadow_due = $4 WHERE community_id = $1 AND id = $2"
		if red {
			q = "UPDATE residents SET last_visit = $3, visit_due = $4 WHERE community_id = $1 AND id = $2"
		}
		if _, err := tx.Exec(ctx, q, communityID, x.id, last, dueDate(st, Colour(x.primary), last, "")); err != nil {
			return err
		}
	}
	return visits.finish(ctx)
}
