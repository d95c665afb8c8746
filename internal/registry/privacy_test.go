package registry

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"

	"pgregory.net/rapid"
)

// twinView is everything a worker's pages, lists, counts and exports show
// of one resident, with the ordinary fields that tell two residents apart
// (ids, address, code) taken out.
type twinView struct {
	Record    Resident
	History   []ColourChange
	Visits    []Visit
	Household Household
	Members   []Resident
	HomeVisit []Visit
	Due       *DueVisit
	InSearch  map[string]bool // filter → listed
	Exported  Resident
	Listed    ResidentSummary
}

// ordinary blanks what differs between two residents with the same data.
func ordinary(r Resident) Resident {
	r.ID, r.HouseholdID, r.Address, r.CodeRef, r.IDMasked, r.PhoneMasked = "", "", "", "", "", ""
	return r
}

func ordinaryVisits(vs []Visit) []Visit {
	out := []Visit{}
	for _, v := range vs {
		v.ID, v.ResidentID, v.HouseholdID = "", "", ""
		out = append(out, v)
	}
	return out
}

// ordinaryHistory blanks the times and orders changes made in the same
// instant by colour (their ids, which order them, are random).
func ordinaryHistory(hs []ColourChange) []ColourChange {
	hs = slices.Clone(hs)
	sort.SliceStable(hs, func(i, j int) bool {
		return hs[i].At.After(hs[j].At) || hs[i].At.Equal(hs[j].At) && hs[i].Colour < hs[j].Colour
	})
	out := []ColourChange{}
	for _, h := range hs {
		h.At = time.Time{}
		out = append(out, h)
	}
	return out
}

// filters are the searches a worker without the grant may run over one
// estate.
func filters(estate string) map[string]Filter {
	out := map[string]Filter{
		"estate":  {EstateID: estate},
		"overdue": {EstateID: estate, Overdue: true},
		"name":    {Name: "双胞"},
	}
	for _, c := range Colours[1:] {
		out["colour="+string(c)] = Filter{EstateID: estate, Colour: c}
		out["overdue colour="+string(c)] = Filter{EstateID: estate, Colour: c, Overdue: true}
	}
	return out
}

// look gathers what viewer is shown of resident id, living in householdID
// of estate.
func look(ctx context.Context, s *Service, viewer civic.Actor, c, estate, householdID, id string) (v twinView, err error) {
	rec, err := s.ResidentRecord(ctx, viewer, c, id, "")
	if err != nil {
		return v, err
	}
	v.Record, v.History, v.Visits = ordinary(rec.Resident), ordinaryHistory(rec.History), ordinaryVisits(rec.Visits)
	home, err := s.HouseholdRecord(ctx, viewer, c, householdID, "")
	if err != nil {
		return v, err
	}
	v.Household = home.Household
	v.Household.ID, v.Household.Building, v.Household.Room = "", "", ""
	for _, m := range home.Members {
		v.Members = append(v.Members, ordinary(m))
	}
	v.HomeVisit = ordinaryVisits(home.Visits)
	due, _, err := s.DueVisits(ctx, viewer, c, []string{estate}, "", 500)
	if err != nil {
		return v, err
	}
	for _, d := range due {
		if d.ID == id {
			d.Resident = ordinary(d.Resident)
			v.Due = &d
		}
	}
	v.InSearch = map[string]bool{}
	for name, f := range filters(estate) {
		list, _, err := s.Search(ctx, viewer, c, f, "", 500)
		if err != nil {
			return v, fmt.Errorf("search %s: %w", name, err)
		}
		for _, r := range list {
			if r.ID == id {
				v.InSearch[name] = true
			}
		}
	}
	rows, err := s.Export(ctx, viewer, c, Filter{EstateID: estate})
	if err != nil {
		return v, err
	}
	for _, r := range rows {
		if r.ID == id {
			v.Exported = ordinary(r)
		}
	}
	items, _, err := s.ListResidents(ctx, c, "", 500)
	if err != nil {
		return v, err
	}
	for _, it := range items {
		if it.ID == id {
			it.ID = ""
			v.Listed = it
		}
	}
	return v, nil
}

// A worker without the red grant cannot tell a red resident from a twin
// with the same ordinary data who was never red: not on the resident's page,
// the household page, the visit lists, the due and overdue lists, a search,
// the counts, an export or the API list. The twin is visited by workers
// without the grant exactly as the red resident is; the red resident also
// gets red-group care visits from a worker holding the grant, is made red
// and perhaps red again no longer.
func TestWorkerWithoutGrantCannotTellRed(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel() // each engine owns its database; the longest test of the package
		ctx := context.Background()
		f := setup(t, d)
		clock := civic.NewFixedClock(testNow)
		f.s.Clock = clock
		n := 0
		rapid.Check(t, func(rt *rapid.T) {
			n++
			e, err := f.s.CreateEstate(ctx, f.worker, newKey(), CreateEstateRequest{Community: f.c, Name: fmt.Sprintf("双胞小区%d", n)})
			if err != nil {
				rt.Fatal(err)
			}
			tenure := rapid.SampledFrom([]Tenure{TenureOwner, TenureRental, TenureOther}).Draw(rt, "tenure")
			disabled := rapid.Bool().Draw(rt, "disability")
			birth := rapid.SampledFrom([]string{"2012-04-01", "1985-07-20", "1950-03-15", "1965-06-02"}).Draw(rt, "birth")
			var homes [2]Household
			var ids [2]string
			for i := range 2 {
				if homes[i], err = f.s.CreateHousehold(ctx, f.worker, newKey(), CreateHouseholdRequest{Community: f.c, Estate: e.ID, Building: fmt.Sprint(i + 1), Room: "101", Tenure: tenure, Disability: disabled}); err != nil {
					rt.Fatal(err)
				}
				if ids[i], err = idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: homes[i].ID, Name: "双胞", Gender: "女", BirthDate: birth, Relation: "户主"}})); err != nil {
					rt.Fatal(err)
				}
			}
			red, twin := ids[0], ids[1]
			isRed, visits := false, 0
			steps := rapid.IntRange(1, 6).Draw(rt, "steps")
			for step := range steps {
				clock.Advance(time.Second) // so the colour history has an order
				op := rapid.SampledFrom([]string{"visit", "red", "red care", "household", "cadence"}).Draw(rt, fmt.Sprintf("op%d", step))
				switch op {
				case "visit": // by a worker without the grant, to both
					day := testNow.AddDate(0, 0, -rapid.IntRange(0, 200).Draw(rt, "ago")).Format(dateLayout)
					for _, id := range ids {
						if _, err := f.s.RecordVisit(ctx, f.worker, newKey(), RecordVisitRequest{Community: f.c, NewVisit: NewVisit{ResidentID: id, Date: day, Method: "door", Notes: "例行"}}); err != nil {
							rt.Fatalf("visit %s: %v", id, err)
						}
					}
					visits++
				case "red":
					isRed = !isRed
					if _, err := f.s.SetRed(ctx, f.red, newKey(), SetRedRequest{Community: f.c, Resident: red, Red: isRed, Reason: "重点关注"}); err != nil {
						rt.Fatal(err)
					}
				case "red care": // by a worker holding the grant, to the red one only
					if !isRed {
						continue
					}
					day := testNow.AddDate(0, 0, -rapid.IntRange(0, 30).Draw(rt, "care ago")).Format(dateLayout)
					if _, err := f.s.RecordVisit(ctx, f.red, newKey(), RecordVisitRequest{Community: f.c, NewVisit: NewVisit{ResidentID: red, Date: day, Method: "phone", Notes: "重点关爱"}}); err != nil {
						rt.Fatal(err)
					}
					visits++
				case "cadence": // the community's visit cadences change
					st := Settings{ElderlyAge: 60, PriorityDays: rapid.IntRange(7, 30).Draw(rt, "priority"), RegularDays: rapid.IntRange(30, 120).Draw(rt, "regular")}
					if _, err := f.s.SetSettings(ctx, f.worker, newKey(), SettingsRequest{Community: f.c, Settings: st}); err != nil {
						rt.Fatal(err)
					}
				case "household":
					tenure = rapid.SampledFrom([]Tenure{TenureOwner, TenureRental}).Draw(rt, "new tenure")
					disabled = rapid.Bool().Draw(rt, "new disability")
					for _, h := range homes {
						if _, err := f.s.UpdateHousehold(ctx, f.worker, newKey(), UpdateHouseholdRequest{Community: f.c, Household: h.ID, Tenure: tenure, Disability: disabled, Reason: "核实"}); err != nil {
							rt.Fatal(err)
						}
					}
				}
				a, err := look(ctx, f.s, f.worker, f.c, e.ID, homes[0].ID, red)
				if err != nil {
					rt.Fatal(err)
				}
				b, err := look(ctx, f.s, f.worker, f.c, e.ID, homes[1].ID, twin)
				if err != nil {
					rt.Fatal(err)
				}
				if !reflect.DeepEqual(a, b) {
					rt.Fatalf("after %s (red %v), a worker without the grant tells them apart:\nred:  %+v\ntwin: %+v", op, isRed, a, b)
				}
				// The counts are those of two twins: none moves when one is red.
				counts, err := f.s.ColourCounts(ctx, f.worker, f.c)
				if err != nil {
					rt.Fatal(err)
				}
				for _, c := range Colours[1:] {
					want := 0
					if b.Record.Colours.List()[0] == c || (c != White && b.Record.Colours.Has(c)) {
						want = 2
					}
					if got := counts[e.ID][c]; got != want {
						rt.Fatalf("after %s (red %v): %s counted %d, want %d (twin %v)", op, isRed, c, got, want, b.Record.Colours.List())
					}
				}
				if rep, err := CheckCounts(ctx, f.d, f.c); err != nil || !rep.OK {
					rt.Fatalf("check: %v %s", err, strings.Join(rep.Problems, "; "))
				}
				// A worker holding the grant sees the red label and the care.
				rec, err := f.s.ResidentRecord(ctx, f.red, f.c, red, "")
				if err != nil || rec.Colours.Has(Red) != isRed || len(rec.Visits) != visits {
					rt.Fatalf("a worker with the grant sees %v and %d visits (want red %v, %d visits), %v", rec.Colours.List(), len(rec.Visits), isRed, visits, err)
				}
			}
		})
	})
}
