package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// A reason earning composes ("社区义诊 · 170 分钟") is kept as what it is made
// of and shown in the reader's language; a reason typed by a worker shows as
// typed, in both.
func TestPointsHistoryReasonInReadersLanguage(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	ctx := context.Background()
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	start := clock.Now().Add(time.Hour)
	a, err := srv.App.Earning.Publish(ctx, w, earningKey(), earning.PublishRequest{Community: srv.CommunityID, Activity: earning.Activity{Title: "社区义诊", Indicator: earning.VolunteerHours,
		Place: "春江社区服务中心", Start: start, End: start.Add(3 * time.Hour), Deadline: start.Add(-10 * time.Minute), Capacity: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Earning.SignUp(ctx, civic.Actor{UserID: "r", Role: civic.RoleResident, CommunityID: srv.CommunityID, ResidentID: rid}, earningKey(), earning.SignUpRequest{Community: srv.CommunityID, Activity: a.ID, Resident: rid}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if _, err := srv.App.Earning.CheckIn(ctx, w, earningKey(), earning.AttendRequest{Community: srv.CommunityID, Activity: a.ID, Method: earning.Tick, Resident: rid}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(170 * time.Minute)
	if u, err := srv.App.Earning.CheckOut(ctx, w, earningKey(), earning.AttendRequest{Community: srv.CommunityID, Activity: a.ID, Method: earning.Tick, Resident: rid}); err != nil || u.Points != 2 {
		t.Fatalf("check-out: %+v %v", u, err)
	}
	if _, err := srv.App.Earning.Award(ctx, w, idem.Key("k1"), earning.AwardRequest{Community: srv.CommunityID, Resident: rid, Indicator: earning.MediationHelp, Points: 5, Reason: "调解邻里纠纷"}); err != nil {
		t.Fatal(err)
	}

	tab := phoneTab(t, srv, "resident")
	open(t, tab, srv.URL+"/resident/points", "#history")
	if got := Text(t, tab, "#history"); !strings.Contains(got, "社区义诊 · 170 分钟") || !strings.Contains(got, "调解邻里纠纷") {
		t.Errorf("history in Chinese:\n%s", got)
	}
	ClickAndLoad(t, tab, "#lang-switch", `html[lang="en"] #history`)
	got := Text(t, tab, "#history")
	if !strings.Contains(got, "社区义诊 · 170 minutes") || strings.Contains(got, "分钟") {
		t.Errorf("history in English says the minutes in Chinese:\n%s", got)
	}
	if !strings.Contains(got, "调解邻里纠纷") {
		t.Errorf("a typed reason is lost in English:\n%s", got)
	}
}
