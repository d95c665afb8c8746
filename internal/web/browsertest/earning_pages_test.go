package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/ledger"
)

// fixedEarning gives the earning service (and so the earning pages) a clock
// the test moves, leaving sessions on the real one.
func fixedEarning(srv *Server) *civic.FixedClock {
	c := civic.NewFixedClock(time.Now())
	srv.App.Earning.Clock = c
	return c
}

// leftResidents stands in for the registry: everyone is registered except
// the residents listed, who have left.
type leftResidents map[string]bool

func (l leftResidents) ResidentActive(_ context.Context, _, id string) error {
	if l[id] {
		return civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", id)
	}
	return nil
}

func phoneTab(t *testing.T, srv *Server, user string) context.Context {
	t.Helper()
	tab := NewTab(t)
	Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	srv.Login(t, tab, user)
	return tab
}

// open navigates to a page and checks it fits a 360 px phone.
func open(t *testing.T, tab context.Context, url, visible string) {
	t.Helper()
	Do(t, tab, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(visible)))
	if !Get(t, tab, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)) {
		t.Errorf("%s is wider than 360 px", url)
	}
}

func balance(t *testing.T, srv *Server, rid string) int64 {
	t.Helper()
	acct, err := ledger.GetAccount(context.Background(), srv.App.DB, srv.CommunityID, rid)
	if err != nil {
		t.Fatal(err)
	}
	return acct.Balance
}

func local(t time.Time) string { return t.In(civic.Shanghai).Format("2006-01-02T15:04") }

// The whole flow through the pages: a worker publishes an activity, the
// resident signs up, checks in and out by typing the activity code (a stale
// code is refused), the worker closes it and the points arrive.
func TestActivityFromPublishToPoints(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	t0 := clock.Now()
	worker, resident := phoneTab(t, srv, "worker"), phoneTab(t, srv, "resident")

	open(t, worker, srv.URL+"/worker/activities", "#publish")
	Do(t, worker, chromedp.Click(chromedp.CSS("#publish summary")), chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#title"), "江滨步道清洁"),
		chromedp.SetValue(chromedp.CSS("#indicator"), earning.NeighbourhoodUpkeep),
		chromedp.SetValue(chromedp.CSS("#place"), "江滨公园"),
		chromedp.SetValue(chromedp.CSS("#start"), local(t0.Add(time.Hour))),
		chromedp.SetValue(chromedp.CSS("#end"), local(t0.Add(3*time.Hour))),
		chromedp.SetValue(chromedp.CSS("#deadline"), local(t0.Add(50*time.Minute))),
		chromedp.SetValue(chromedp.CSS("#capacity"), "1"))
	submit(t, worker, "#publish-submit")
	if got := shown(t, worker, "#flash"); !strings.Contains(got, "活动已发布") {
		t.Fatalf("after publishing: %q", got)
	}
	loc := Get(t, worker, chromedp.Location())
	id := loc[strings.LastIndex(loc, "/")+1 : strings.Index(loc, "?")]

	open(t, resident, srv.URL+"/resident/activities", "#activity-"+id)
	submit(t, resident, "#activity-"+id+" button.signup")
	if got := shown(t, resident, "#flash"); !strings.Contains(got, "报名成功") {
		t.Fatalf("after signing up: %q", got)
	}
	if got := Text(t, resident, "#my-signups"); !strings.Contains(got, "江滨步道清洁") || !strings.Contains(got, "已报名") {
		t.Errorf("my sign-ups: %q", got)
	}

	clock.Advance(time.Hour) // the start
	open(t, worker, srv.URL+"/worker/activities/"+id+"/code", "#activity-code")
	code := Text(t, worker, "#activity-code")
	open(t, resident, srv.URL+"/resident/checkin", "#checkin-form")
	Do(t, resident, chromedp.SetValue(chromedp.CSS("#code"), code))
	submit(t, resident, "#check-in")
	if got := shown(t, resident, "#flash"); !strings.Contains(got, "签到成功") {
		t.Fatalf("after checking in: %q", got)
	}

	clock.Advance(10 * time.Minute) // the code shown at the start has expired
	Do(t, resident, chromedp.SetValue(chromedp.CSS("#code"), code))
	submit(t, resident, "#check-out")
	if got := shown(t, resident, "#error"); !strings.Contains(got, "已过期") {
		t.Errorf("a stale code: %q", got)
	}
	if b := balance(t, srv, rid); b != 0 {
		t.Errorf("a refused check-out moved points: balance %d", b)
	}

	clock.Advance(110 * time.Minute) // two hours after checking in: the end
	open(t, worker, srv.URL+"/worker/activities/"+id+"/code", "#activity-code")
	code = Text(t, worker, "#activity-code")
	open(t, resident, srv.URL+"/resident/checkin", "#checkin-form")
	Do(t, resident, chromedp.SetValue(chromedp.CSS("#code"), code))
	submit(t, resident, "#check-out")
	if got := shown(t, resident, "#flash"); !strings.Contains(got, "120 分钟") || !strings.Contains(got, "获得 2 分") {
		t.Errorf("after checking out: %q", got)
	}

	open(t, worker, srv.URL+"/worker/activities/"+id, "#roster")
	if got := Text(t, worker, "#roster"); !strings.Contains(got, "已签退") || !strings.Contains(got, "+2") {
		t.Errorf("roster after check-out: %q", got)
	}
	submit(t, worker, "#close-activity")
	if got := shown(t, worker, "#flash"); !strings.Contains(got, "活动已结束") {
		t.Errorf("after closing: %q", got)
	}
	if got := Text(t, worker, "#activity-status"); got != "已结束" {
		t.Errorf("status after closing: %q", got)
	}

	open(t, resident, srv.URL+"/resident/points", "#history")
	if got := Text(t, resident, "#balance"); got != "2" {
		t.Errorf("balance on my points: %q, want 2", got)
	}
	if got := Text(t, resident, "#history"); !strings.Contains(got, "江滨步道清洁") {
		t.Errorf("history lacks the activity: %q", got)
	}
}

// Sign-up beyond capacity or after the deadline is refused on the page and
// writes nothing; a full activity offers the waiting list by choice.
func TestSignUpRefusals(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	ctx := context.Background()
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	act, err := srv.App.Earning.Publish(ctx, w, earningKey(), earning.PublishRequest{Community: srv.CommunityID, Activity: earning.Activity{Title: "义诊", Indicator: earning.ServiceEvents,
		Place: "社区卫生站", Start: clock.Now().Add(2 * time.Hour), End: clock.Now().Add(4 * time.Hour),
		Deadline: clock.Now().Add(time.Hour), Capacity: 1}})
	if err != nil {
		t.Fatal(err)
	}
	tab := phoneTab(t, srv, "resident")
	open(t, tab, srv.URL+"/resident/activities", "#activity-"+act.ID+" button.signup")
	// Someone else takes the last place while the page is open.
	if _, err := srv.App.Earning.SignUp(ctx, w, earningKey(), earning.SignUpRequest{Community: srv.CommunityID, Activity: act.ID, Resident: "r-other"}); err != nil {
		t.Fatal(err)
	}
	submit(t, tab, "#activity-"+act.ID+" button.signup")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "名额已满") {
		t.Errorf("beyond capacity: %q", got)
	}
	if mine, _ := srv.App.Earning.SignUpsOf(ctx, srv.CommunityID, rid, 10); len(mine) != 0 {
		t.Errorf("a refused sign-up wrote %+v", mine)
	}
	// The page now offers the waiting list instead.
	if got := Text(t, tab, "#activity-"+act.ID+" button.wait"); got != "加入候补名单" {
		t.Errorf("full activity offers %q", got)
	}
	clock.Advance(61 * time.Minute) // past the deadline, with the page still open
	submit(t, tab, "#activity-"+act.ID+" button.wait")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "报名已于") || !strings.Contains(got, "截止") {
		t.Errorf("after the deadline: %q", got)
	}
	if mine, _ := srv.App.Earning.SignUpsOf(ctx, srv.CommunityID, rid, 10); len(mine) != 0 {
		t.Errorf("a late sign-up wrote %+v", mine)
	}
}
