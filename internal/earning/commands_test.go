package earning_test

import (
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
)

// roleCase is one actor a command is tried as, and whether it may.
type roleCase struct {
	name  string
	actor civic.Actor
	ok    bool
}

// everyRole is the community's residents and staff, the district's and the
// platform's people, and a worker of another community. Only the worker of
// the community may move points through earning's commands; the resident
// case is the resident the command is about (they still may not).
func everyRole(c, other, rid string) []roleCase {
	return []roleCase{
		{"resident", resident(c, rid), false},
		{"clerk", civic.Actor{UserID: "c1", Role: civic.RoleClerk, CommunityID: c}, false},
		{"merchant", civic.Actor{UserID: "m1", Role: civic.RoleMerchant}, false},
		{"district", civic.Actor{UserID: "d1", Role: civic.RoleDistrict}, false},
		{"admin", civic.Actor{UserID: "a1", Role: civic.RoleAdmin}, false},
		{"worker of another community", civic.Actor{UserID: "w2", Role: civic.RoleWorker, CommunityID: other}, false},
		{"worker", worker(c), true}, // last: the commands below succeed once
	}
}

// tryRoles sends a command as every role and checks that the refused are
// refused as forbidden with nothing moved, and the worker is let through.
func tryRoles(t *testing.T, f fixture, cases []roleCase, watch string, send func(by civic.Actor) error) {
	t.Helper()
	for _, c := range cases {
		before := f.balance(t, watch)
		err := send(c.actor)
		switch {
		case c.ok && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case !c.ok && civic.ErrorCode(err) != civic.Forbidden:
			t.Errorf("%s: %v, want forbidden", c.name, err)
		case !c.ok && f.balance(t, watch) != before:
			t.Errorf("%s: refused, yet the balance moved from %d to %d", c.name, before, f.balance(t, watch))
		}
	}
	if f.balance(t, watch) == 0 {
		t.Errorf("the worker's command moved no points")
	}
}

func TestAwardRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		rid := f.ids[0]
		tryRoles(t, f, everyRole(f.c, dbtest.Community(t, d, "other"), rid), rid, func(by civic.Actor) error {
			_, err := f.s.Award(ctx, by, newKey(), earning.AwardRequest{Community: f.c, Resident: rid,
				Indicator: earning.MediationHelp, Points: 5, Reason: "调解邻里纠纷"})
			return err
		})
	})
}

func TestBulkAwardRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 2)
		tryRoles(t, f, everyRole(f.c, dbtest.Community(t, d, "other"), f.ids[0]), f.ids[0], func(by civic.Actor) error {
			_, err := f.s.BulkAward(ctx, by, newKey(), earning.BulkAwardRequest{Community: f.c, Residents: f.ids,
				Indicator: earning.CommunityActivities, Points: 2, Reason: "重阳节活动"})
			return err
		})
	})
}

func TestApproveClaimRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		rid := f.ids[0]
		c, err := f.s.ReportHours(ctx, resident(f.c, rid), newKey(), earning.HoursRequest{Community: f.c, Resident: rid,
			Indicator: earning.VolunteerHours, Minutes: 90, Day: "2024-05-14", Evidence: "帮独居老人买菜"})
		if err != nil {
			t.Fatal(err)
		}
		tryRoles(t, f, everyRole(f.c, dbtest.Community(t, d, "other"), rid), rid, func(by civic.Actor) error {
			_, err := f.s.Decide(ctx, by, newKey(), earning.DecideRequest{Community: f.c, Claim: c.ID, Approve: true})
			return err
		})
	})
}

func TestAdoptSuggestionRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		rid := f.ids[0]
		g, err := f.s.Submit(ctx, resident(f.c, rid), newKey(), earning.SubmitRequest{Community: f.c, Resident: rid,
			Title: "无障碍通道", Body: "在江滨健身步道增设无障碍通道"})
		if err != nil {
			t.Fatal(err)
		}
		tryRoles(t, f, everyRole(f.c, dbtest.Community(t, d, "other"), rid), rid, func(by civic.Actor) error {
			_, err := f.s.Review(ctx, by, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g.ID, Decision: "adopted",
				Points: 50, Reason: "方便轮椅"})
			return err
		})
	})
}

// Attendance on the roster (ticking a resident out, which awards the
// minutes) is a worker's; the activity code is the resident's own, typed
// for themself: no one else may use it, not even a worker.
func TestAttendanceRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 2)
		other := dbtest.Community(t, d, "other")
		ticked, typed := f.ids[0], f.ids[1]
		a := f.publish(t, earning.NeighbourhoodUpkeep, 10, 0)
		for _, id := range f.ids {
			if _, err := f.s.SignUp(ctx, resident(f.c, id), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: id}); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Advance(23 * time.Hour) // 09:00, the start
		tick := earning.AttendRequest{Community: f.c, Activity: a.ID, Method: earning.Tick, Resident: ticked}
		if _, err := f.s.CheckIn(ctx, worker(f.c), newKey(), tick); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
		tryRoles(t, f, everyRole(f.c, other, ticked), ticked, func(by civic.Actor) error {
			_, err := f.s.CheckOut(ctx, by, newKey(), tick)
			return err
		})

		code, _, err := f.s.ActivityCode(ctx, worker(f.c), f.c, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		byCode := earning.AttendRequest{Community: f.c, Activity: a.ID, Method: earning.Code, Resident: typed, Code: code}
		cases := everyRole(f.c, other, typed)[1:] // everyone but the resident, the worker too
		for i := range cases {
			cases[i].ok = false
		}
		cases = append(cases, roleCase{"another resident", resident(f.c, ticked), false}, roleCase{"the resident", resident(f.c, typed), true})
		for _, c := range cases {
			_, err := f.s.CheckIn(ctx, c.actor, newKey(), byCode)
			switch {
			case c.ok && err != nil:
				t.Errorf("code typed by %s: refused: %v", c.name, err)
			case !c.ok && civic.ErrorCode(err) != civic.Forbidden:
				t.Errorf("code typed by %s: %v, want forbidden", c.name, err)
			}
		}
	})
}
