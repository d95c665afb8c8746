package registry

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// shadowRow is what migration 0205 fills in for one resident.
type shadowRow struct {
	ID, Primary, Last, Due string
	Hidden                 int
}

func shadowRows(t *testing.T, d *db.DB, c string) []shadowRow {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT r.id, r.shadow_primary, COALESCE(r.shadow_last_visit, ''), COALESCE(r.shadow_due, ''),
		(SELECT COUNT(*) FROM visits v WHERE v.community_id = r.community_id AND v.resident_id = r.id AND v.red_care = 1)
		FROM residents r WHERE r.community_id = $1 ORDER BY r.id`, c)
	out, err := db.Collect(rows, err, func(row db.Scanner) (s shadowRow, err error) {
		err = row.Scan(&s.ID, &s.Primary, &s.Last, &s.Due, &s.Hidden)
		return s, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Migration 0205 fills the shadow columns of an existing registry as the
// service would have kept them: a red resident's visits (all red-group
// care) hidden, due from registration; everyone else as they are; and the
// shadow white counts.
func TestShadowMigrationBackfills(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		add := func(h Household, name, birth string) string {
			id, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: h.ID, Name: name, Gender: "女", BirthDate: birth}}))
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		elder, rentedRed, whiteRed, white := add(f.home, "甲", "1950-01-01"), add(f.rented, "乙", "1980-01-01"), add(f.home, "丙", "1985-01-01"), add(f.home, "丁", "1990-01-01")
		for _, id := range []string{rentedRed, whiteRed} {
			if _, err := f.s.SetRed(ctx, f.red, newKey(), SetRedRequest{Community: f.c, Resident: id, Red: true, Reason: "重点"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range []struct{ id, day string }{{elder, "2025-05-01"}, {rentedRed, "2025-05-20"}, {whiteRed, "2025-05-21"}, {white, "2025-05-02"}} {
			if _, err := f.s.RecordVisit(ctx, f.red, newKey(), RecordVisitRequest{Community: f.c, NewVisit: NewVisit{ResidentID: v.id, Date: v.day, Method: "door"}}); err != nil {
				t.Fatal(err)
			}
		}
		want := shadowRows(t, d, f.c)
		// Back to how the registry stood before 0205, then its backfill.
		for _, q := range []string{
			"UPDATE residents SET shadow_primary = 'white', shadow_last_visit = NULL, shadow_due = NULL WHERE community_id = $1",
			"UPDATE visits SET red_care = 0 WHERE community_id = $1",
			"DELETE FROM registry_counts WHERE community_id = $1 AND colour = 'shadow_white'",
		} {
			if _, err := d.Exec(ctx, q, f.c); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := d.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Version != 205 {
				continue
			}
			for _, st := range strings.Split(m.SQL, ";") {
				body := strings.TrimSpace(stripComments(st))
				if strings.HasPrefix(body, "UPDATE") || strings.HasPrefix(body, "INSERT INTO registry_counts ") {
					if _, err := d.Exec(ctx, body); err != nil {
						t.Fatalf("%s: %v", body, err)
					}
				}
			}
		}
		if got := shadowRows(t, d, f.c); !reflect.DeepEqual(got, want) {
			t.Errorf("after the backfill:\n%+v\nthe service keeps:\n%+v", got, want)
		}
		if rep, err := CheckCounts(ctx, d, f.c); err != nil || !rep.OK {
			t.Errorf("counts after the backfill: %v %v", err, rep.Problems)
		}
	})
}

func stripComments(sql string) string {
	var keep []string
	for _, l := range strings.Split(sql, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
