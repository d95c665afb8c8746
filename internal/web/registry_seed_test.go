package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/registry"
)

// seedRegistry fills one new community with n residents by bulk SQL (a
// recursive series, portable to both engines), consistent with what the
// registry would have written: colour bits and labels, primary colour,
// visit due dates (a third overdue), ID-tail hashes, ages refreshed for
// benchNow, and the estate counts (registry.Recount). It returns the community, its estates and a resident id
// from the middle.
func seedRegistry(b *testing.B, d *db.DB, n int) (communityID string, estates []string, sample string) {
	b.Helper()
	ctx := context.Background()
	reg := registry.New(d, civic.NewFixedClock(benchNow), slog.New(slog.DiscardHandler), "bench-secret-key-0123456789abcdef0123")
	k, err := reg.Keys(ctx)
	if err != nil {
		b.Fatal(err)
	}
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		c, err := registry.CreateCommunity(ctx, tx, registry.Community{Slug: "bench", Name: "压测社区", District: "衢江区", PointsName: "分", CreatedAt: benchNow})
		communityID = c.ID
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	w := civic.Actor{UserID: "seed", Name: "seed", Role: civic.RoleWorker, CommunityID: communityID}
	for _, name := range registry.DemoEstates {
		e, err := reg.CreateEstate(ctx, w, newKey(), registry.CreateEstateRequest{Community: communityID, Name: name})
		if err != nil {
			b.Fatal(err)
		}
		estates = append(estates, e.ID)
	}
	series := func(count int) string {
		return fmt.Sprintf("WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < %d) ", count-1)
	}
	ms := db.Millis(benchNow)
	steps := []struct {
		q    string
		args []any
	}{
		{"CREATE TABLE bench_tails (k INTEGER PRIMARY KEY, h TEXT NOT NULL)", nil},
		{"CREATE TABLE bench_estates (k INTEGER PRIMARY KEY, id TEXT NOT NULL)", nil},
	}
	for i := 0; i < 10000; i++ {
		steps = append(steps, struct {
			q    string
			args []any
		}{"INSERT INTO bench_tails (k, h) VALUES ($1, $2)", []any{i, k.Hash(fmt.Sprintf("idtail:%04d", i))}})
	}
	for i, e := range estates {
		steps = append(steps, struct {
			q    string
			args []any
		}{"INSERT INTO bench_estates (k, id) VALUES ($1, $2)", []any{i, e}})
	}
	households := (n + 1) / 2
	// Households: estate h % 6, building 1..40, unit 1..4, room 101..; one in
	// five rents, one in fifty is a disabled household.
	steps = append(steps, struct {
		q    string
		args []any
	}{series(households) + `INSERT INTO households (community_id, id, estate_id, building, unit, room, tenure, disability, created_at)
		SELECT $1, 'h' || CAST(1000000 + n AS TEXT), (SELECT id FROM bench_estates WHERE k = n % 6),
		CAST(1 + (n / 6) % 40 AS TEXT), CAST(1 + (n / 240) % 4 AS TEXT), CAST(101 + n / 960 AS TEXT),
		CASE WHEN n % 5 = 0 THEN 'rental' ELSE 'owner' END, CASE WHEN n % 50 = 7 THEN 1 ELSE 0 END, $2 FROM s`, []any{communityID, ms}})
	// Residents: two per household, born 1940..2019, red one in 500.
	steps = append(steps, struct {
		q    string
		args []any
	}{series(n) + `, p AS (SELECT n, n / 2 AS h, 1940 + (n * 7) % 80 AS y FROM s),
		q AS (SELECT n, h, y, CASE WHEN n % 500 = 3 THEN 1 ELSE 0 END AS red,
			CASE WHEN h % 50 = 7 THEN 2 ELSE 0 END + CASE WHEN h % 5 = 0 THEN 4 ELSE 0 END +
			CASE WHEN y >= 2008 THEN 8 ELSE 0 END + CASE WHEN y <= 1964 THEN 16 ELSE 0 END AS bits FROM p)
		INSERT INTO residents (community_id, id, household_id, estate_id, name, gender, birth_date, id_tail_hash, id_masked, relation,
			code_ref, moved_in, red, colours, primary_colour, visit_due, created_at, updated_at, shadow_primary, shadow_due)
		SELECT $1, 'r' || CAST(1000000 + n AS TEXT), 'h' || CAST(1000000 + h AS TEXT), (SELECT id FROM bench_estates WHERE k = h % 6),
			SUBSTR('王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗', 1 + n % 20, 1) || SUBSTR('小建国明华丽芳伟强军', 1 + (n / 20) % 10, 1) || SUBSTR('波红平安生英兰杰文云', 1 + (n / 200) % 10, 1),
			CASE WHEN n % 2 = 0 THEN 'M' ELSE 'F' END, CAST(y AS TEXT) || '-06-15', (SELECT h FROM bench_tails WHERE k = n % 10000),
			'3308**********' || SUBSTR(CAST(10000 + n % 10000 AS TEXT), 2, 4), CASE WHEN n % 2 = 0 THEN '户主' ELSE '配偶' END,
			'ref' || CAST(n AS TEXT), '2022-09-01', red, red + bits,
			CASE WHEN red = 1 THEN 'red' WHEN bits >= 2 AND bits % 4 >= 2 THEN 'purple' WHEN bits % 8 >= 4 THEN 'yellow'
				WHEN bits % 16 >= 8 THEN 'green' WHEN bits >= 16 THEN 'blue' ELSE 'white' END,
			CASE WHEN red + bits = 0 THEN NULL WHEN n % 3 = 0 THEN '2025-05-' || CAST(10 + n % 19 AS TEXT)
				ELSE '2025-0' || CAST(6 + n % 3 AS TEXT) || '-' || CAST(10 + n % 19 AS TEXT) END, $2, $2,
			CASE WHEN bits >= 2 AND bits % 4 >= 2 THEN 'purple' WHEN bits % 8 >= 4 THEN 'yellow'
				WHEN bits % 16 >= 8 THEN 'green' WHEN bits >= 16 THEN 'blue' ELSE 'white' END,
			CASE WHEN bits = 0 THEN NULL WHEN n % 3 = 0 THEN '2025-05-' || CAST(10 + n % 19 AS TEXT)
				ELSE '2025-0' || CAST(6 + n % 3 AS TEXT) || '-' || CAST(10 + n % 19 AS TEXT) END FROM q`, []any{communityID, ms}})
	for bit, colour := range map[int]string{1: "red", 2: "purple", 4: "yellow", 8: "green", 16: "blue"} {
		steps = append(steps, struct {
			q    string
			args []any
		}{`INSERT INTO resident_colours (community_id, resident_id, colour, estate_id, since)
			SELECT community_id, id, $2, estate_id, $3 FROM residents WHERE community_id = $1 AND (colours & $4) <> 0`, []any{communityID, colour, ms, bit}})
	}
	steps = append(steps,
		struct {
			q    string
			args []any
		}{`INSERT INTO registry_settings (community_id, elderly_age, priority_days, regular_days, ages_refreshed, updated_at)
			VALUES ($1, 60, 14, 90, '2025-06-01', $2)`, []any{communityID, ms}},
		struct {
			q    string
			args []any
		}{"DROP TABLE bench_tails", nil},
		struct {
			q    string
			args []any
		}{"DROP TABLE bench_estates", nil})
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		for _, st := range steps {
			if _, err := tx.Exec(ctx, st.q, st.args...); err != nil {
				return fmt.Errorf("%.60s…: %w", st.q, err)
			}
		}
		// The rows above bypass the service, which keeps the estate counts.
		return registry.Recount(ctx, tx, communityID)
	})
	if err != nil {
		b.Fatal(err)
	}
	return communityID, estates, fmt.Sprintf("r%d", 1000000+n/2)
}
