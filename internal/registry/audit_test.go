package registry

import (
	"context"
	"net/url"
	"reflect"
	"testing"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// sensitiveTypes are what hands a resident's sensitive fields out.
var sensitiveTypes = []reflect.Type{
	reflect.TypeFor[Resident](), reflect.TypeFor[[]Resident](), reflect.TypeFor[Record](), reflect.TypeFor[HouseholdRecord](),
	reflect.TypeFor[Household](), reflect.TypeFor[[]Household](), reflect.TypeFor[[]Visit](), reflect.TypeFor[[]ColourChange](),
	reflect.TypeFor[[]DueVisit](),
}

// notReads return sensitive types without reading them: what the caller
// wrote itself.
var notReads = map[string]bool{"CreateHousehold": true}

func auditCount(t *testing.T, d *db.DB, c string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE community_id = $1", c).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Every read that hands a worker sensitive fields writes exactly one audit
// entry naming the worker, the page and what it showed; the same reads by a
// resident of the household, who is shown no sensitive field, write none.
// A new exported read that returns sensitive fields fails here until it is
// in the table (and so audits).
func TestEverySensitiveReadAuditsOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d)
		clock := civic.NewFixedClock(testNow)
		f.s.Clock = clock
		ctx := auth.WithPage(context.Background(), "GET /test/page")
		id, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.rented.ID, Name: "毛小波", Gender: "男", BirthDate: "1950-03-15"}}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.RecordVisit(ctx, f.worker, newKey(), RecordVisitRequest{Community: f.c, NewVisit: NewVisit{ResidentID: id, Method: "door"}}); err != nil {
			t.Fatal(err)
		}
		reads := map[string]func(a civic.Actor) error{
			"Resident":       func(a civic.Actor) error { _, err := f.s.Resident(ctx, a, f.c, id); return err },
			"ResidentRecord": func(a civic.Actor) error { _, err := f.s.ResidentRecord(ctx, a, f.c, id, ""); return err },
			"OpenRecord":     func(a civic.Actor) error { _, err := f.s.OpenRecord(ctx, a, f.c, id, "核对电话"); return err },
			"ColourHistory":  func(a civic.Actor) error { _, err := f.s.ColourHistory(ctx, a, f.c, id); return err },
			"VisitPage": func(a civic.Actor) error {
				_, _, err := f.s.VisitPage(ctx, a, f.c, "", f.rented.ID, "", 10)
				return err
			},
			"Members":         func(a civic.Actor) error { _, err := f.s.Members(ctx, a, f.c, f.rented.ID); return err },
			"HouseholdOf":     func(a civic.Actor) error { _, err := f.s.HouseholdOf(ctx, a, f.c, id); return err },
			"HouseholdRecord": func(a civic.Actor) error { _, err := f.s.HouseholdRecord(ctx, a, f.c, f.rented.ID, ""); return err },
			"Households": func(a civic.Actor) error {
				_, _, err := f.s.Households(ctx, a, f.c, f.estate.ID, "5", "", 10)
				return err
			},
			"Search": func(a civic.Actor) error {
				_, _, err := f.s.Search(ctx, a, f.c, Filter{Colour: Yellow, Overdue: true}, "", 10)
				return err
			},
			"DueVisits": func(a civic.Actor) error {
				_, _, err := f.s.DueVisits(ctx, a, f.c, []string{f.estate.ID}, "", 10)
				return err
			},
			"Export": func(a civic.Actor) error {
				_, err := f.s.Export(ctx, a, f.c, Filter{EstateID: f.estate.ID})
				return err
			},
		}
		st := reflect.TypeFor[*Service]()
		for i := range st.NumMethod() {
			m := st.Method(i)
			for o := range m.Type.NumOut() {
				for _, s := range sensitiveTypes {
					if m.Type.Out(o) == s && reads[m.Name] == nil && !notReads[m.Name] {
						t.Errorf("%s returns %s but is not among the audited reads", m.Name, s)
					}
				}
			}
		}
		for name, read := range reads {
			clock.Advance(time.Second) // the newest entry comes first
			before := auditCount(t, d, f.c)
			if err := read(f.worker); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := auditCount(t, d, f.c) - before; got != 1 {
				t.Errorf("%s wrote %d audit entries, want 1", name, got)
				continue
			}
			log, err := auth.New(d, f.s.Clock).AuditLog(ctx, f.c, "", 1)
			if err != nil {
				t.Fatal(err)
			}
			e := log[0]
			detail, _ := url.ParseQuery(e.Detail)
			if e.ActorID != f.worker.UserID || e.Page != "GET /test/page" || detail.Get("shown") == "" ||
				detail.Get("residents") == "" && detail.Get("households") == "" {
				t.Errorf("%s: audit entry %+v lacks the viewer, the page or what was shown", name, e)
			}
			if (name == "Search" || name == "DueVisits" || name == "Export" || name == "Households") && detail.Get("filter") == "" {
				t.Errorf("%s: the list's entry names no filter: %q", name, e.Detail)
			}
		}
		// A resident of the household sees it without a sensitive field.
		resident := civic.Actor{UserID: "u-res", Role: civic.RoleResident, CommunityID: f.c, ResidentID: id}
		before := auditCount(t, d, f.c)
		for _, name := range []string{"Resident", "Members", "HouseholdOf"} {
			if err := reads[name](resident); err != nil {
				t.Fatalf("%s by the resident: %v", name, err)
			}
		}
		if got := auditCount(t, d, f.c) - before; got != 0 {
			t.Errorf("a resident's reads wrote %d audit entries, want none", got)
		}
	})
}
