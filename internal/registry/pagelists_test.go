package registry

import (
	"context"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func TestVisitPageAndHouseholdOf(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		id, err := idOf(f.s.CreateResident(ctx, f.worker, newKey(), CreateResidentRequest{Community: f.c, NewResident: NewResident{HouseholdID: f.rented.ID, Name: "毛小波", Gender: "男", BirthDate: "1950-03-15"}}))
		if err != nil {
			t.Fatal(err)
		}
		dates := []string{"2025-05-01", "2025-05-01", "2025-05-03", "2025-04-20", "2025-05-30"}
		for _, day := range dates {
			if _, err := f.s.RecordVisit(ctx, f.worker, newKey(), RecordVisitRequest{Community: f.c, NewVisit: NewVisit{ResidentID: id, Date: day, Method: "door"}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct{ resident, household string }{{id, ""}, {"", f.rented.ID}} {
			var got []string
			seen := map[string]bool{}
			cursor := ""
			for pages := 0; ; pages++ {
				items, next, err := f.s.VisitPage(ctx, f.worker, f.c, tt.resident, tt.household, cursor, 2)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range items {
					if seen[v.ID] {
						t.Fatalf("visit %s listed twice", v.ID)
					}
					seen[v.ID] = true
					got = append(got, v.Date)
				}
				if next == "" {
					break
				}
				if pages > 5 {
					t.Fatal("pages never end")
				}
				cursor = next
			}
			want := []string{"2025-05-30", "2025-05-03", "2025-05-01", "2025-05-01", "2025-04-20"}
			if len(got) != len(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("visit %d = %s, want %s", i, got[i], want[i])
				}
			}
		}
		if _, _, err := f.s.VisitPage(ctx, f.worker, f.c, id, "", "garbage", 2); civic.ErrorCode(err) != civic.Invalid {
			t.Errorf("bad cursor: %v", err)
		}
		resident := civic.Actor{UserID: "u", Role: civic.RoleResident, CommunityID: f.c, ResidentID: id}
		if _, _, err := f.s.VisitPage(ctx, resident, f.c, id, "", "", 2); civic.ErrorCode(err) != civic.Forbidden {
			t.Errorf("resident reads visits: %v", err)
		}
		h, err := f.s.HouseholdOf(ctx, resident, f.c, id)
		if err != nil || h.ID != f.rented.ID || h.Tenure != "" || h.Members != 1 {
			t.Errorf("HouseholdOf(resident) = %+v, %v", h, err)
		}
		if h, err := f.s.HouseholdOf(ctx, f.worker, f.c, id); err != nil || h.Tenure != TenureRental {
			t.Errorf("HouseholdOf(worker) = %+v, %v", h, err)
		}
		other := resident
		other.ResidentID = "someone-else"
		if _, err := f.s.HouseholdOf(ctx, other, f.c, id); civic.ErrorCode(err) != civic.Forbidden {
			t.Errorf("another resident's household: %v", err)
		}
	})
}
