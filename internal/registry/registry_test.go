package registry

import (
	"context"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// makeID builds a valid 18-character ID number for a birth date and sequence.
func makeID(birth string, seq int) string {
	body := "330802" + strings.ReplaceAll(birth, "-", "") + string(rune('0'+seq/100%10)) + string(rune('0'+seq/10%10)) + string(rune('0'+seq%10))
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return body + string(idCheckChars[sum%11])
}

var testNow = time.Date(2025, 6, 1, 4, 0, 0, 0, time.UTC)

// newKey is a fresh idempotency key: each call in a test is a new request.
func newKey() idem.Key { return idem.Key("test-" + civic.NewID()) }

// idOf is the id a command's answer names.
func idOf(ch Change, err error) (string, error) { return ch.ID, err }

// apply imports rows under a new key, reporting progress to progress.
func (f fixture) apply(ctx context.Context, rows []ImportRow, validOnly bool, progress func(done, total int)) (ImportResult, error) {
	ctx = WithImportWatch(ctx, ImportWatch{Progress: progress})
	return f.s.ApplyImport(ctx, f.worker, newKey(), ApplyImportRequest{Community: f.c, Rows: rows, ValidOnly: validOnly})
}

// errOf drops a command's answer.
func errOf(_ Change, err error) error { return err }

type fixture struct {
	s      *Service
	d      *db.DB
	c      string
	worker civic.Actor
	red    civic.Actor
	estate Estate
	home   Household
	rented Household
}

func setup(t *testing.T, d *db.DB) fixture {
	t.Helper()
	ctx := context.Background()
	f := fixture{d: d, s: New(d, civic.NewFixedClock(testNow), nil, strings.Repeat("k", 32))}
	f.c = dbtest.Community(t, d, "c"+strings.ToLower(civic.NewID()[20:]))
	f.worker = civic.Actor{UserID: "w1", Name: "worker", Role: civic.RoleWorker, CommunityID: f.c}
	f.red = f.worker
	f.red.Grants = []string{GrantRed}
	var err error
	if f.estate, err = f.s.CreateEstate(ctx, f.worker, newKey(), CreateEstateRequest{Community: f.c, Name: "春江花园"}); err != nil {
		t.Fatal(err)
	}
	if f.home, err = f.s.CreateHousehold(ctx, f.worker, newKey(), CreateHouseholdRequest{Community: f.c, Estate: f.estate.ID, Building: "3", Unit: "2", Room: "301"}); err != nil {
		t.Fatal(err)
	}
	if f.rented, err = f.s.CreateHousehold(ctx, f.worker, newKey(), CreateHouseholdRequest{Community: f.c, Estate: f.estate.ID, Building: "5幢", Unit: "1单元", Room: "102室", Tenure: TenureRental}); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestResidentLifecycle(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		id, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.home.ID, Name: "毛小波", IDNumber: makeID("1950-03-15", 11), Phone: "13812345678", Relation: "户主"}}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ledger.GetAccount(ctx, d, f.c, id); err != nil {
			t.Fatalf("no points account: %v", err)
		}
		r, err := f.s.Resident(ctx, f.worker, f.c, id)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.Colours.List(), []Colour{Blue}; len(got) != 1 || got[0] != want[0] {
			t.Errorf("colours = %v, want %v", got, want)
		}
		if r.IDMasked != "3308**********"+makeID("1950-03-15", 11)[14:] || r.PhoneMasked != "138****5678" || r.Gender != "M" {
			t.Errorf("masked = %q %q %q", r.IDMasked, r.PhoneMasked, r.Gender)
		}
		full, err := f.s.OpenRecord(ctx, f.worker, f.c, id, "care visit")
		if err != nil || full.IDNumber != makeID("1950-03-15", 11) || full.Phone != "13812345678" {
			t.Fatalf("OpenRecord = %q %q, %v", full.IDNumber, full.Phone, err)
		}
		// Duplicate ID names the existing record, masked.
		_, err = f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.rented.ID, Name: "张三", IDNumber: makeID("1950-03-15", 11)}})
		if e := civic.AsError(err); e == nil || e.Key != "registry.id_duplicate" || !strings.Contains(e.Message, "毛*波") {
			t.Fatalf("duplicate: %v", err)
		}
		items, next, err := f.s.ListResidents(ctx, f.c, "", 10)
		if err != nil || len(items) != 1 || next != "" || items[0].NameMasked != "毛*波" || items[0].Estate != "春江花园" {
			t.Fatalf("ListResidents = %+v %q %v", items, next, err)
		}
		if _, err := f.s.MoveResident(ctx, f.worker, newKey(), MoveResidentRequest{Community: f.c, Resident: id, ToHousehold: f.rented.ID, Reason: "moved"}); err != nil {
			t.Fatal(err)
		}
		r, _ = f.s.Resident(ctx, f.worker, f.c, id)
		if r.Primary != Yellow || !r.Colours.Has(Blue) {
			t.Errorf("after move: %v", r.Colours.List())
		}
		if err := f.s.ResidentActive(ctx, f.c, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.LeaveResident(ctx, f.worker, newKey(), LeaveResidentRequest{Community: f.c, Resident: id, Date: "2025-05-30", Reason: "moved away"}); err != nil {
			t.Fatal(err)
		}
		if e := civic.AsError(f.s.ResidentActive(ctx, f.c, id)); e == nil || e.Key != "registry.resident_left" {
			t.Fatalf("ResidentActive after leave = %v", e)
		}
		if code := civic.ErrorCode(f.s.ResidentActive(ctx, f.c, "nope")); code != civic.NotFound {
			t.Fatalf("unknown resident: %s", code)
		}
		if a, _ := ledger.GetAccount(ctx, d, f.c, id); a.Active {
			t.Error("account still active after leaving")
		}
		if items, _, _ := f.s.ListResidents(ctx, f.c, "", 10); len(items) != 0 {
			t.Errorf("left resident still listed")
		}
	})
}

func TestListResidentsPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		for i := 0; i < 7; i++ {
			if _, err := f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.home.ID, Name: "居民甲", Gender: "女", BirthDate: "1990-01-0" + string(rune('1'+i))}}); err != nil {
				t.Fatal(err)
			}
		}
		seen, cursor := 0, ""
		for pages := 0; ; pages++ {
			items, next, err := f.s.ListResidents(ctx, f.c, cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			seen += len(items)
			if next == "" {
				break
			}
			cursor = next
		}
		if seen != 7 {
			t.Errorf("paged through %d residents, want 7", seen)
		}
	})
}

func TestSeedDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		first, err := SeedDemo(ctx, f.s, f.c)
		if err != nil {
			t.Fatal(err)
		}
		again, err := SeedDemo(ctx, f.s, f.c)
		if err != nil || again != first {
			t.Fatalf("second seed: %s %v", again, err)
		}
		var n int
		d.QueryRow(ctx, "SELECT COUNT(*) FROM residents WHERE community_id = $1", f.c).Scan(&n)
		if n != DemoResidents {
			t.Errorf("residents = %d, want %d", n, DemoResidents)
		}
		due, _, err := f.s.DueVisits(ctx, f.red, f.c, []string{}, "", 20)
		if err != nil || len(due) == 0 {
			t.Fatalf("due visits: %d %v", len(due), err)
		}
		counts, err := f.s.ColourCounts(ctx, f.worker, f.c)
		if err != nil || len(counts) < 6 {
			t.Fatalf("counts: %v %v", counts, err)
		}
		got, _, err := f.s.Search(ctx, f.worker, f.c, Filter{Colour: Blue}, "", 5)
		if err != nil || len(got) != 5 || !got[0].Colours.Has(Blue) {
			t.Fatalf("search blue: %d %v", len(got), err)
		}
	})
}
