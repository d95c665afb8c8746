package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
)

// A worker signs a resident up for an activity after finding them by name,
// as on the award form: masked names with estate and address, picking one
// fills the form and names them, and the sign-up reaches that resident.
func TestActivityAddFindsResidentByName(t *testing.T) {
	t.Parallel()
	world := newRegistryWorld(t)
	srv := world.Server
	ctx := context.Background()
	if err := srv.App.Earning.SeedDefaults(ctx, srv.CommunityID); err != nil {
		t.Fatal(err)
	}
	clock := fixedEarning(srv)
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	act, err := srv.App.Earning.Publish(ctx, w, earningKey(), earning.PublishRequest{Community: srv.CommunityID, Activity: earning.Activity{Title: "义诊", Indicator: earning.ServiceEvents,
		Place: "社区卫生站", Start: clock.Now().Add(2 * time.Hour), End: clock.Now().Add(4 * time.Hour), Capacity: 5}})
	if err != nil {
		t.Fatal(err)
	}
	tab := phoneTab(t, srv, "worker")
	open(t, tab, srv.URL+"/worker/activities/"+act.ID, "#find-form")

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#find"), "王"))
	ClickAndLoad(t, tab, "#find-submit", "#found")
	if got := Text(t, tab, "#found"); !strings.Contains(got, "没有找到") {
		t.Errorf("a name nobody has: %q", got)
	}

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#find"), "毛"))
	ClickAndLoad(t, tab, "#find-submit", "#found")
	found := Text(t, tab, "#found")
	if !strings.Contains(found, "毛*波") || !strings.Contains(found, "春江花园") || strings.Contains(found, "张") {
		t.Errorf("found for 毛: %q", found)
	}
	if page := Text(t, tab, "main"); strings.Contains(page, "毛小波") || strings.Contains(page, "毛小雨") {
		t.Errorf("the search shows a full name: %q", page)
	}
	if n := Get(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#found li.found").length`)); n != 2 {
		t.Errorf("%d residents found for 毛, want 2", n)
	}

	ClickAndLoad(t, tab, `#found a.choose[href$="`+world.Mao+`"]`, "#chosen")
	if got := Text(t, tab, "#chosen"); !strings.Contains(got, "毛*波") {
		t.Errorf("chosen: %q", got)
	}
	if got := Get(t, tab, chromedp.Evaluate[string](`document.querySelector("#add-resident").value`)); got != world.Mao {
		t.Errorf("the form's resident is %q, want %s", got, world.Mao)
	}
	ClickAndLoad(t, tab, "#add-submit", "#flash")
	if got := Text(t, tab, "#flash"); !strings.Contains(got, "已代居民报名") {
		t.Errorf("after adding: %q", got)
	}
	if got := Text(t, tab, "#roster-"+world.Mao); !strings.Contains(got, "毛*波") {
		t.Errorf("roster row: %q", got)
	}
	roster, err := srv.App.Earning.Roster(ctx, srv.CommunityID, act.ID)
	if err != nil || len(roster) != 1 || roster[0].ResidentID != world.Mao || roster[0].Status != "registered" {
		t.Errorf("roster: %+v, %v", roster, err)
	}
}
