package earning_test

import (
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/ledger"
)

// publish an activity tomorrow 09:00–11:00 Shanghai.
func (f fixture) publish(t *testing.T, indicator string, capacity int, points int64) earning.Activity {
	t.Helper()
	day := f.clock.Now().In(civic.Shanghai).AddDate(0, 0, 1)
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, civic.Shanghai)
	a, err := f.s.Publish(ctx, worker(f.c), newKey(), earning.PublishRequest{Community: f.c, Activity: earning.Activity{Title: "河边清洁", Indicator: indicator, Place: "江滨公园",
		Start: start, End: start.Add(2 * time.Hour), Deadline: start.Add(-time.Hour), Capacity: capacity, Points: points}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSignUpsCapacityWaitingListDeadline(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 4)
		a := f.publish(t, earning.NeighbourhoodUpkeep, 2, 0)
		r := f.ids
		for _, id := range r[:2] {
			if _, err := f.s.SignUp(ctx, resident(f.c, id), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: id}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := f.s.SignUp(ctx, resident(f.c, r[2]), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: r[2]})
		wantKey(t, err, "earning.full")
		_, err = f.s.SignUp(ctx, resident(f.c, r[0]), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: r[0]})
		wantKey(t, err, "earning.already_signed_up")
		_, err = f.s.SignUp(ctx, resident(f.c, r[3]), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: r[2]})
		wantKey(t, err, "earning.not_yours")
		u, err := f.s.SignUp(ctx, resident(f.c, r[2]), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: r[2], Wait: true})
		if err != nil || u.Status != "waitlisted" {
			t.Fatalf("wait: %+v %v", u, err)
		}
		if err := f.cancel(resident(f.c, r[0]), f.c, a.ID, r[0]); err != nil {
			t.Fatal(err)
		}
		roster, _ := f.s.Roster(ctx, f.c, a.ID)
		got := map[string]string{}
		for _, u := range roster {
			got[u.ResidentID] = u.Status
		}
		if got[r[0]] != "cancelled" || got[r[1]] != "registered" || got[r[2]] != "registered" {
			t.Fatalf("roster after cancel = %v", got)
		}
		if a2, _ := f.s.Activity(ctx, f.c, a.ID); a2.Taken != 2 {
			t.Fatalf("taken = %d, want 2", a2.Taken)
		}
		f.clock.Advance(24 * time.Hour) // past the deadline (08:00 tomorrow)
		_, err = f.s.SignUp(ctx, resident(f.c, r[3]), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: r[3], Wait: true})
		wantKey(t, err, "earning.signup_closed")
		err = f.cancel(resident(f.c, r[1]), f.c, a.ID, r[1])
		wantKey(t, err, "earning.cancel_closed")
		other := dbtest.Community(t, d, "other")
		_, err = f.s.SignUp(ctx, civic.Actor{Role: civic.RoleResident, CommunityID: other, ResidentID: r[3]}, newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: r[3]})
		wantKey(t, err, "earning.other_community")
	})
}

func TestAttendanceMinutesCarryAndClose(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 4)
		r := f.ids
		a := f.publish(t, earning.NeighbourhoodUpkeep, 10, 0)
		for _, id := range r[:3] {
			if _, err := f.s.SignUp(ctx, resident(f.c, id), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: id}); err != nil {
				t.Fatal(err)
			}
		}
		w := worker(f.c)
		f.clock.Advance(22 * time.Hour) // 08:00, an hour before the start
		_, err := f.s.CheckIn(ctx, w, newKey(), attend(w, f.c, a.ID, earning.Tick, r[0]))
		wantKey(t, err, "earning.not_open")
		f.clock.Advance(time.Hour) // 09:00
		if _, err := f.s.CheckIn(ctx, w, newKey(), attend(w, f.c, a.ID, earning.Scan, "CODE:"+r[0])); err != nil {
			t.Fatal(err)
		}
		code, _, err := f.s.ActivityCode(ctx, w, f.c, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CheckIn(ctx, resident(f.c, r[1]), newKey(), attend(resident(f.c, r[1]), f.c, a.ID, earning.Code, code)); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CheckIn(ctx, resident(f.c, r[2]), newKey(), attend(resident(f.c, r[2]), f.c, a.ID, earning.Code, "000000x"))
		wantKey(t, err, "earning.code_wrong")
		f.clock.Advance(10 * time.Minute)
		_, err = f.s.CheckIn(ctx, resident(f.c, r[2]), newKey(), attend(resident(f.c, r[2]), f.c, a.ID, earning.Code, code))
		wantKey(t, err, "earning.code_expired")
		_, err = f.s.CheckIn(ctx, w, newKey(), attend(w, f.c, a.ID, earning.Tick, r[1]))
		wantKey(t, err, "earning.already_in")
		other := dbtest.Community(t, d, "other")
		_, err = f.s.CheckIn(ctx, civic.Actor{Role: civic.RoleWorker, CommunityID: other}, newKey(), attend(civic.Actor{Role: civic.RoleWorker, CommunityID: other}, f.c, a.ID, earning.Tick, r[2]))
		wantKey(t, err, "earning.other_community")
		_, err = f.s.CheckIn(ctx, civic.Actor{Role: civic.RoleWorker, CommunityID: other}, newKey(), attend(civic.Actor{Role: civic.RoleWorker, CommunityID: other}, other, a.ID, earning.Tick, r[2]))
		wantKey(t, err, "earning.no_activity")
		// r0 leaves after 90 minutes: 1 point, 30 minutes carried.
		f.clock.Advance(80 * time.Minute) // 10:30
		u, err := f.s.CheckOut(ctx, w, newKey(), attend(w, f.c, a.ID, earning.Tick, r[0]))
		if err != nil || u.Minutes != 90 || u.Points != 1 || u.Award != "awarded" {
			t.Fatalf("check-out: %+v %v", u, err)
		}
		if c, _ := f.s.Carry(ctx, f.c, r[0], earning.NeighbourhoodUpkeep); c != 30 {
			t.Fatalf("carry = %d, want 30", c)
		}
		// r1 forgets to check out: closed at the end, queued for confirmation.
		f.clock.Advance(time.Hour) // 11:30
		if n, err := f.s.CloseDue(ctx, f.c); err != nil || n != 1 {
			t.Fatalf("CloseDue = %d, %v", n, err)
		}
		roster, _ := f.s.Roster(ctx, f.c, a.ID)
		states := map[string]earning.SignUp{}
		for _, u := range roster {
			states[u.ResidentID] = u
		}
		if s := states[r[1]]; !s.AutoClosed || s.Award != "pending" || s.Minutes != 120 {
			t.Fatalf("forgotten check-out = %+v", s)
		}
		if s := states[r[2]]; s.Attendance != "no_show" {
			t.Fatalf("no-show = %+v", s)
		}
		q, _ := f.s.Queue(ctx, f.c, 10)
		if len(q) != 1 || q[0].Kind != "checkout" {
			t.Fatalf("queue = %+v", q)
		}
		c, err := f.s.Decide(ctx, w, newKey(), earning.DecideRequest{Community: f.c, Claim: q[0].ID, Approve: true})
		if err != nil || c.Points != 2 {
			t.Fatalf("confirm: %+v %v", c, err)
		}
		_, err = f.s.Decide(ctx, w, newKey(), earning.DecideRequest{Community: f.c, Claim: q[0].ID, Approve: true})
		wantKey(t, err, "earning.claim_decided")
		// A second activity: r0's 30 carried minutes + 30 more = 1 point.
		b := f.publish(t, earning.NeighbourhoodUpkeep, 10, 0)
		f.clock.Advance(21*time.Hour + 30*time.Minute) // 09:00 next day
		if _, err := f.s.CheckIn(ctx, w, newKey(), attend(w, f.c, b.ID, earning.Tick, r[0])); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(30 * time.Minute)
		u, err = f.s.CheckOut(ctx, w, newKey(), attend(w, f.c, b.ID, earning.Tick, r[0]))
		if err != nil || u.Points != 1 {
			t.Fatalf("90+30 minutes: %+v %v", u, err)
		}
		if got := f.balance(t, r[0]); got != 2 {
			t.Fatalf("balance = %d, want 2", got)
		}
		h, _, _ := ledger.History(ctx, d, f.c, r[0], "", 10)
		if len(h) != 2 || h[0].Source.Kind != "activity" || h[0].Source.ID != b.ID || h[0].Indicator != earning.NeighbourhoodUpkeep {
			t.Fatalf("history = %+v", h)
		}
	})
}

func TestSelfReportedHours(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 2)
		r := f.ids[0]
		me := resident(f.c, r)
		_, err := f.s.ReportHours(ctx, me, newKey(), earning.HoursRequest{Community: f.c, Resident: r, Indicator: earning.VolunteerHours, Minutes: 90, Day: "2024-05-14", Evidence: ""})
		wantKey(t, err, "earning.evidence_required")
		_, err = f.s.ReportHours(ctx, me, newKey(), earning.HoursRequest{Community: f.c, Resident: r, Indicator: earning.VolunteerHours, Minutes: 90, Day: "2024-05-16", Evidence: "帮独居老人买菜"})
		wantKey(t, err, "earning.bad_service_day")
		_, err = f.s.ReportHours(ctx, me, newKey(), earning.HoursRequest{Community: f.c, Resident: r, Indicator: earning.SuggestionAdopted, Minutes: 90, Day: "2024-05-14", Evidence: "帮独居老人买菜"})
		wantKey(t, err, "earning.not_hourly")
		c, err := f.s.ReportHours(ctx, me, newKey(), earning.HoursRequest{Community: f.c, Resident: r, Indicator: earning.VolunteerHours, Minutes: 90, Day: "2024-05-14", Evidence: "帮独居老人买菜"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Decide(ctx, me, newKey(), earning.DecideRequest{Community: f.c, Claim: c.ID, Approve: true})
		wantKey(t, err, "earning.worker_only")
		_, err = f.s.Decide(ctx, worker(f.c), newKey(), earning.DecideRequest{Community: f.c, Claim: c.ID})
		wantKey(t, err, "earning.reason_required")
		got, err := f.s.Decide(ctx, worker(f.c), newKey(), earning.DecideRequest{Community: f.c, Claim: c.ID, Approve: true})
		if err != nil || got.Points != 1 || got.Status != "approved" {
			t.Fatalf("approve: %+v %v", got, err)
		}
		c2, _ := f.s.ReportHours(ctx, me, newKey(), earning.HoursRequest{Community: f.c, Resident: r, Indicator: earning.VolunteerHours, Minutes: 60, Day: "2024-05-13", Evidence: "社区图书角值班"})
		got, err = f.s.Decide(ctx, worker(f.c), newKey(), earning.DecideRequest{Community: f.c, Claim: c2.ID, Reason: "当天没有排班记录"})
		if err != nil || got.Status != "rejected" {
			t.Fatalf("reject: %+v %v", got, err)
		}
		mine, _ := f.s.ClaimsOf(ctx, f.c, r)
		if len(mine) != 2 || mine[0].Reason != "当天没有排班记录" {
			t.Fatalf("claims = %+v", mine)
		}
	})
}
