package registry

import (
	"context"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

// roleActors are one actor of every role, for the fixture's community; the
// worker of another community last.
func roleActors(f fixture) map[string]civic.Actor {
	return map[string]civic.Actor{
		"resident":        {UserID: "u-res", Role: civic.RoleResident, CommunityID: f.c, ResidentID: "r1"},
		"worker":          f.worker,
		"worker+red":      f.red,
		"clerk":           {UserID: "u-clerk", Role: civic.RoleClerk, CommunityID: f.c},
		"merchant":        {UserID: "u-merchant", Role: civic.RoleMerchant},
		"district":        {UserID: "u-district", Role: civic.RoleDistrict},
		"admin":           {UserID: "u-admin", Role: civic.RoleAdmin},
		"other community": {UserID: "u-other", Role: civic.RoleWorker, CommunityID: "another", Grants: []string{GrantRed}},
	}
}

func keyStored(t *testing.T, f fixture, key idem.Key) bool {
	t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), "SELECT COUNT(*) FROM idem_keys WHERE community_id = $1 AND key = $2", f.c, string(key)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// Each command, called as every role: the community's workers may (red
// only with the grant); a resident, a clerk, a merchant, the district, an
// admin and a worker of another community are refused with forbidden and
// change nothing, not even their key.
func TestCommandsRefuseWhoMayNot(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		id, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c,
			NewResident: NewResident{HouseholdID: f.home.ID, Name: "毛小波", Gender: "男", BirthDate: "1950-03-15"}}))
		if err != nil {
			t.Fatal(err)
		}
		homes := []string{f.rented.ID, f.home.ID}
		moves, reds, imports := 0, 0, 0
		commands := map[string]struct {
			allowed []string
			run     func(by civic.Actor, key idem.Key) error
		}{
			"SetRed": {[]string{"worker+red"}, func(by civic.Actor, key idem.Key) error {
				return errOf(f.s.SetRed(ctx, by, key, SetRedRequest{Community: f.c, Resident: id, Red: reds%2 == 0, Reason: "重点关注"}))
			}},
			"RecordVisit": {[]string{"worker", "worker+red"}, func(by civic.Actor, key idem.Key) error {
				return errOf(f.s.RecordVisit(ctx, by, key, RecordVisitRequest{Community: f.c, NewVisit: NewVisit{ResidentID: id, Method: "door"}}))
			}},
			"MoveResident": {[]string{"worker", "worker+red"}, func(by civic.Actor, key idem.Key) error {
				return errOf(f.s.MoveResident(ctx, by, key, MoveResidentRequest{Community: f.c, Resident: id, ToHousehold: homes[moves%2], Reason: "搬家"}))
			}},
			"ApplyImport": {[]string{"worker", "worker+red"}, func(by civic.Actor, key idem.Key) error {
				rows := SyntheticRows(uint64(100+imports), []string{"春江花园"}, 2, 3, testNow)
				_, err := f.s.ApplyImport(ctx, by, key, ApplyImportRequest{Community: f.c, Rows: rows})
				return err
			}},
			"StageImport": {[]string{"worker", "worker+red"}, func(by civic.Actor, key idem.Key) error {
				_, err := f.s.StageImport(ctx, by, key, StageImportRequest{Community: f.c, FileName: "a.csv", Rows: SyntheticRows(9, []string{"春江花园"}, 1, 1, testNow)})
				return err
			}},
		}
		for name, cmd := range commands {
			for role, by := range roleActors(f) {
				key := newKey()
				err := cmd.run(by, key)
				allowed := false
				for _, a := range cmd.allowed {
					allowed = allowed || a == role
				}
				switch {
				case allowed && err != nil:
					t.Errorf("%s as %s: %v, want it done", name, role, err)
				case !allowed && civic.ErrorCode(err) != civic.Forbidden:
					t.Errorf("%s as %s: %v, want forbidden", name, role, err)
				case !allowed && keyStored(t, f, key):
					t.Errorf("%s as %s was refused but stored its key", name, role)
				}
				if allowed && err == nil {
					switch name {
					case "SetRed":
						reds++
					case "MoveResident":
						moves++
					case "ApplyImport":
						imports++
					}
				}
			}
		}
		var visits int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM visits WHERE community_id = $1", f.c).Scan(&visits); err != nil || visits != 2 {
			t.Errorf("visits = %d (%v), want the 2 the workers recorded", visits, err)
		}
	})
}

// The same command sent again with its key (a resent form, a retried call)
// answers the first answer and changes nothing; another request under the
// key is refused.
func TestResentCommandChangesNothingTwice(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		count := func(q string) int {
			t.Helper()
			var n int
			if err := d.QueryRow(ctx, q, f.c).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		create := CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.home.ID, Name: "毛小波", Gender: "男", BirthDate: "1950-03-15"}}
		key := newKey()
		first, err := f.s.CreateResident(ctx, f.worker, key, create)
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.s.CreateResident(ctx, f.worker, key, create)
		if err != nil || again != first || count("SELECT COUNT(*) FROM residents WHERE community_id = $1") != 1 {
			t.Fatalf("resent create: %+v %v, first %+v", again, err, first)
		}
		id := first.ID

		visit := RecordVisitRequest{Community: f.c, NewVisit: NewVisit{ResidentID: id, Method: "phone", Notes: "电话询问"}}
		key = newKey()
		v1, err1 := f.s.RecordVisit(ctx, f.worker, key, visit)
		v2, err2 := f.s.RecordVisit(ctx, f.worker, key, visit)
		if err1 != nil || err2 != nil || v1 != v2 || count("SELECT COUNT(*) FROM visits WHERE community_id = $1") != 1 {
			t.Fatalf("resent visit: %+v %v / %+v %v", v1, err1, v2, err2)
		}

		// Moving twice to the same household would be refused: the resent
		// move is answered, not run.
		move := MoveResidentRequest{Community: f.c, Resident: id, ToHousehold: f.rented.ID, Reason: "搬家"}
		key = newKey()
		for i := range 2 {
			if _, err := f.s.MoveResident(ctx, f.worker, key, move); err != nil {
				t.Fatalf("move %d: %v", i+1, err)
			}
		}
		if n := count("SELECT COUNT(*) FROM resident_moves WHERE community_id = $1 AND kind = 'move'"); n != 1 {
			t.Errorf("moves recorded = %d, want 1", n)
		}

		red := SetRedRequest{Community: f.c, Resident: id, Red: true, Reason: "重点关注"}
		key = newKey()
		for range 2 {
			if _, err := f.s.SetRed(ctx, f.red, key, red); err != nil {
				t.Fatal(err)
			}
		}
		if n := count("SELECT COUNT(*) FROM colour_changes WHERE community_id = $1 AND colour = 'red'"); n != 1 {
			t.Errorf("red changes = %d, want 1", n)
		}
		red.Red, red.Reason = false, "解除"
		if _, err := f.s.SetRed(ctx, f.red, key, red); civic.ErrorCode(err) != civic.IdempotencyConflict {
			t.Errorf("another request under the key: %v, want idempotency_conflict", err)
		}
		// A key is one command's: the same key for another command conflicts.
		if _, err := f.s.RecordVisit(ctx, f.red, key, visit); civic.ErrorCode(err) != civic.IdempotencyConflict {
			t.Errorf("the key of a red change reused for a visit: %v, want idempotency_conflict", err)
		}

		rows := SyntheticRows(11, []string{"江滨苑"}, 4, 9, testNow)
		key = newKey()
		r1, err1 := f.s.ApplyImport(ctx, f.worker, key, ApplyImportRequest{Community: f.c, Rows: rows})
		r2, err2 := f.s.ApplyImport(ctx, f.worker, key, ApplyImportRequest{Community: f.c, Rows: rows})
		if err1 != nil || err2 != nil || r1 != r2 || r1.Added != 9 || count("SELECT COUNT(*) FROM residents WHERE community_id = $1") != 10 {
			t.Fatalf("resent import: %+v %v / %+v %v", r1, err1, r2, err2)
		}
		rows[0].Name = "别人"
		if _, err := f.s.ApplyImport(ctx, f.worker, key, ApplyImportRequest{Community: f.c, Rows: rows}); civic.ErrorCode(err) != civic.IdempotencyConflict {
			t.Errorf("another file under the import's key: %v, want idempotency_conflict", err)
		}
	})
}
