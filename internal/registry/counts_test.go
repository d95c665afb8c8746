package registry

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// requireExact fails unless the kept counts equal a recount, and the pages'
// readers (Estates, ColourCounts) show them.
func requireExact(t *testing.T, f fixture, step string) {
	t.Helper()
	ctx := context.Background()
	rep, err := CheckCounts(ctx, f.d, f.c)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if !rep.OK {
		t.Fatalf("%s: counts differ from a recount:\n%s", step, strings.Join(rep.Problems, "\n"))
	}
	counts, err := f.s.ColourCounts(ctx, f.red, f.c)
	if err != nil {
		t.Fatal(err)
	}
	estates, err := f.s.Estates(ctx, f.c)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range estates {
		var want Estate
		var white int
		err := f.d.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM households WHERE community_id = $1 AND estate_id = $2),
			(SELECT COUNT(*) FROM residents WHERE community_id = $1 AND estate_id = $2 AND moved_out IS NULL),
			(SELECT COUNT(*) FROM residents WHERE community_id = $1 AND estate_id = $2 AND moved_out IS NULL AND colours = 0)`,
			f.c, e.ID).Scan(&want.Households, &want.Residents, &white)
		if err != nil {
			t.Fatal(err)
		}
		if e.Households != want.Households || e.Residents != want.Residents || counts[e.ID][White] != white {
			t.Errorf("%s: estate %s: %d households, %d residents, %d white; want %d, %d, %d", step, e.Name,
				e.Households, e.Residents, counts[e.ID][White], want.Households, want.Residents, white)
		}
	}
}

func TestCountsFollowEveryChange(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		clock := civic.NewFixedClock(testNow)
		f := setup(t, d)
		f.s.Clock = clock
		requireExact(t, f, "households created")

		rows := SyntheticRows(5, []string{"春江花园", "江滨苑"}, 120, 300, testNow)
		if _, err := f.apply(ctx, rows, true, nil); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "import")
		if _, err := f.apply(ctx, rows, true, nil); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "the same import again")

		// Turns 18 tomorrow (green → white), turns 60 tomorrow (→ blue), and a white adult.
		if _, err := f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.home.ID, Name: "毛小青", Gender: "女", BirthDate: "2007-06-02"}}); err != nil {
			t.Fatal(err)
		}
		elder, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.home.ID, Name: "毛老伯", IDNumber: makeID("1965-06-02", 21)}}))
		if err != nil {
			t.Fatal(err)
		}
		adult, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.rented.ID, Name: "毛大军", Gender: "男", BirthDate: "1990-01-01"}}))
		if err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "residents created")

		if _, err := f.s.SetRed(ctx, f.red, newKey(), SetRedRequest{Community: f.c, Resident: adult, Red: true, Reason: "重点关注"}); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "red set")
		if _, err := f.s.UpdateHousehold(ctx, f.worker, newKey(), UpdateHouseholdRequest{Community: f.c, Household: f.home.ID, Tenure: TenureRental, Disability: true, Reason: "租出，残疾户"}); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "household tenure and disability")

		other, err := f.s.EstateByName(ctx, f.c, "江滨苑")
		if err != nil {
			t.Fatal(err)
		}
		away, err := f.s.CreateHousehold(ctx, f.worker, newKey(), CreateHouseholdRequest{Community: f.c, Estate: other.ID, Building: "9", Room: "901"})
		if err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "household created")
		if _, err := f.s.MoveResident(ctx, f.worker, newKey(), MoveResidentRequest{Community: f.c, Resident: elder, ToHousehold: away.ID, Reason: "搬家"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.MoveResident(ctx, f.worker, newKey(), MoveResidentRequest{Community: f.c, Resident: adult, ToHousehold: f.home.ID, Reason: "换房"}); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "moves, across estates and within one")

		if _, err := f.s.SetRed(ctx, f.red, newKey(), SetRedRequest{Community: f.c, Resident: adult, Red: false, Reason: "解除"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.LeaveResident(ctx, f.worker, newKey(), LeaveResidentRequest{Community: f.c, Resident: adult, Reason: "迁出"}); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "red cleared, resident left")

		before, err := f.s.ColourCounts(ctx, f.red, f.c)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour)
		after, err := f.s.ColourCounts(ctx, f.red, f.c) // runs the day's age refresh
		if err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "age refresh")
		if after[f.estate.ID][Green] >= before[f.estate.ID][Green] || after[other.ID][Blue] <= before[other.ID][Blue] {
			t.Errorf("age refresh: green %d → %d here, blue %d → %d there", before[f.estate.ID][Green], after[f.estate.ID][Green],
				before[other.ID][Blue], after[other.ID][Blue])
		}

		// A difference is reported, and Recount repairs it.
		if _, err := d.Exec(ctx, "UPDATE registry_counts SET n = n + 1 WHERE community_id = $1 AND estate_id = $2 AND colour = 'white'", f.c, f.estate.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, "DELETE FROM registry_counts WHERE community_id = $1 AND estate_id = $2 AND colour = 'all'", f.c, other.ID); err != nil {
			t.Fatal(err)
		}
		rep, err := CheckCounts(ctx, d, f.c)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK || len(rep.Problems) != 2 {
			t.Fatalf("check after tampering: %+v", rep)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return Recount(ctx, tx, f.c) }); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "recount")
	})
}

// Concurrent changes to one estate's counts lose nothing: on PostgreSQL the
// transactions run at once and meet on the same count rows.
func TestCountsConcurrent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		other, err := f.s.CreateEstate(ctx, f.worker, newKey(), CreateEstateRequest{Community: f.c, Name: "江滨苑"})
		if err != nil {
			t.Fatal(err)
		}
		there, err := f.s.CreateHousehold(ctx, f.worker, newKey(), CreateHouseholdRequest{Community: f.c, Estate: other.ID, Building: "1", Room: "101"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 24
		ids := make([]string, n)
		var wg sync.WaitGroup
		errs := make(chan error, 3*n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				home := []string{f.home.ID, f.rented.ID}[i%2]
				id, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: home, Name: fmt.Sprintf("并发%02d", i), Gender: "男",
					BirthDate: fmt.Sprintf("%d-01-01", 1940+i*3)}}))
				ids[i] = id
				errs <- err
			}()
		}
		wg.Wait()
		requireExact(t, f, "concurrent creates")
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch i % 3 {
				case 0:
					errs <- errOf(f.s.MoveResident(ctx, f.worker, newKey(), MoveResidentRequest{Community: f.c, Resident: ids[i], ToHousehold: there.ID, Reason: "搬家"}))
				case 1:
					errs <- errOf(f.s.LeaveResident(ctx, f.worker, newKey(), LeaveResidentRequest{Community: f.c, Resident: ids[i], Reason: "迁出"}))
				default:
					errs <- errOf(f.s.SetRed(ctx, f.red, newKey(), SetRedRequest{Community: f.c, Resident: ids[i], Red: true, Reason: "重点关注"}))
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- errOf(f.s.UpdateHousehold(ctx, f.worker, newKey(), UpdateHouseholdRequest{Community: f.c, Household: f.rented.ID, Tenure: TenureOwner, Disability: true, Reason: "改为自有"}))
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		requireExact(t, f, "concurrent moves, leaves, colour changes")
	})
}

func TestCountsSeedDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d)
		if _, err := SeedDemo(context.Background(), f.s, f.c); err != nil {
			t.Fatal(err)
		}
		requireExact(t, f, "demo")
	})
}
