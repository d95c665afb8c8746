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

// resendMultipart is resend for a multipart form (one with a file input).
func resendMultipart(t *testing.T, tab context.Context, form string) {
	t.Helper()
	js := `(async () => { const f = document.querySelector("` + form + `"); const b = () => new FormData(f);
		await Promise.all([fetch(f.action, {method: "POST", body: b()}), fetch(f.action, {method: "POST", body: b()})]); return true })()`
	Get(t, tab, chromedp.Evaluate[bool](js, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
}

// resendAs is resend for a form sent by one of its buttons (name="action"),
// whose value the browser adds to what it sends.
func resendAs(t *testing.T, tab context.Context, form, action string) {
	t.Helper()
	add := `document.querySelector("` + form + `").insertAdjacentHTML("beforeend", '<input type="hidden" name="action" value="` + action + `" id="resend-action">'); true`
	Get(t, tab, chromedp.Evaluate[bool](add))
	resend(t, tab, form)
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelector("#resend-action").remove(); true`))
}

// Every earning form that writes is sent three times (two at once, as a
// double click, then the click itself): each answers as the first did and
// writes once — publishing, signing up, the worker adding a resident, checking
// in and out, cancelling.
func TestActivityFormsResentWriteOnce(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	t0 := clock.Now()
	ctx := context.Background()
	worker, resident := phoneTab(t, srv, "worker"), phoneTab(t, srv, "resident")
	count := func() int {
		list, _, err := srv.App.Earning.Activities(ctx, srv.CommunityID, t0, false, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	open(t, worker, srv.URL+"/worker/activities", "#publish")
	Do(t, worker, chromedp.Click(chromedp.CSS("#publish summary")), chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SetValue(chromedp.CSS("#title"), "江滨步道清洁"),
		chromedp.SetValue(chromedp.CSS("#indicator"), earning.NeighbourhoodUpkeep),
		chromedp.SetValue(chromedp.CSS("#place"), "江滨公园"),
		chromedp.SetValue(chromedp.CSS("#start"), local(t0.Add(time.Hour))),
		chromedp.SetValue(chromedp.CSS("#end"), local(t0.Add(3*time.Hour))),
		chromedp.SetValue(chromedp.CSS("#deadline"), local(t0.Add(50*time.Minute))),
		chromedp.SetValue(chromedp.CSS("#capacity"), "1"))
	resend(t, worker, "#publish-form")
	submit(t, worker, "#publish-submit")
	if got := shown(t, worker, "#flash"); !strings.Contains(got, "活动已发布") {
		t.Fatalf("after publishing: %q", got)
	}
	if n := count(); n != 1 {
		t.Fatalf("one form sent three times published %d activities", n)
	}
	loc := Get(t, worker, chromedp.Location())
	id := loc[strings.LastIndex(loc, "/")+1 : strings.Index(loc, "?")]
	taken := func() int {
		a, err := srv.App.Earning.Activity(ctx, srv.CommunityID, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Taken
	}

	open(t, resident, srv.URL+"/resident/activities", "#activity-"+id+" button.signup")
	resend(t, resident, "#activity-"+id+" form")
	submit(t, resident, "#activity-"+id+" button.signup")
	if got := shown(t, resident, "#flash"); !strings.Contains(got, "报名成功") {
		t.Errorf("after signing up (sent three times): %q", got)
	}
	if n := taken(); n != 1 {
		t.Errorf("%d places taken after one sign-up sent three times", n)
	}

	// The worker puts another resident on the waiting list.
	open(t, worker, srv.URL+"/worker/activities/"+id, "#add-form")
	Do(t, worker, chromedp.SetValue(chromedp.CSS("#add-resident"), "r-other"), chromedp.Click(chromedp.CSS("#add-form input[name=wait]")))
	resend(t, worker, "#add-form")
	submit(t, worker, "#add-form button[type=submit]")
	if got := shown(t, worker, "#flash"); got == "" {
		t.Errorf("after adding: nothing shown")
	}
	roster, err := srv.App.Earning.Roster(ctx, srv.CommunityID, id)
	if err != nil || len(roster) != 2 || roster[1].Status != "waitlisted" {
		t.Fatalf("roster after adding (sent three times): %+v, %v", roster, err)
	}

	clock.Advance(time.Hour) // the start
	open(t, worker, srv.URL+"/worker/activities/"+id+"/code", "#activity-code")
	code := Text(t, worker, "#activity-code")
	open(t, resident, srv.URL+"/resident/checkin", "#checkin-form")
	Do(t, resident, chromedp.SetValue(chromedp.CSS("#code"), code))
	resendAs(t, resident, "#checkin-form", "in")
	submit(t, resident, "#check-in")
	if got := shown(t, resident, "#flash"); !strings.Contains(got, "签到成功") {
		t.Errorf("after checking in (sent three times): %q", got)
	}

	clock.Advance(2 * time.Hour) // the end
	open(t, worker, srv.URL+"/worker/activities/"+id+"/code", "#activity-code")
	code = Text(t, worker, "#activity-code")
	open(t, resident, srv.URL+"/resident/checkin", "#checkin-form")
	Do(t, resident, chromedp.SetValue(chromedp.CSS("#code"), code))
	resendAs(t, resident, "#checkin-form", "out")
	submit(t, resident, "#check-out")
	if got := shown(t, resident, "#flash"); !strings.Contains(got, "120 分钟") || !strings.Contains(got, "获得 2 分") {
		t.Errorf("after checking out (sent three times): %q", got)
	}
	if b, n := balance(t, srv, rid), len(transfers(t, srv, rid)); b != 2 || n != 1 {
		t.Errorf("after one check-out sent three times: balance %d in %d transfers, want 2 in 1", b, n)
	}
}

// Cancelling, sent three times, frees one place, which the first resident
// waiting takes.
func TestCancelResentFreesOnePlace(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	ctx := context.Background()
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	act, err := srv.App.Earning.Publish(ctx, w, earningKey(), earning.PublishRequest{Community: srv.CommunityID, Activity: earning.Activity{Title: "义诊", Indicator: earning.ServiceEvents,
		Place: "社区卫生站", Start: clock.Now().Add(2 * time.Hour), End: clock.Now().Add(4 * time.Hour), Capacity: 2}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		id   string
		wait bool
	}{{rid, false}, {"r-a", false}, {"r-b", true}, {"r-c", true}} {
		if _, err := srv.App.Earning.SignUp(ctx, w, earningKey(), earning.SignUpRequest{Community: srv.CommunityID, Activity: act.ID, Resident: r.id, Wait: r.wait}); err != nil {
			t.Fatal(err)
		}
	}
	tab := phoneTab(t, srv, "resident")
	open(t, tab, srv.URL+"/resident/activities", "#activity-"+act.ID+" button.cancel")
	resend(t, tab, "#activity-"+act.ID+" form")
	submit(t, tab, "#activity-"+act.ID+" button.cancel")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "已取消报名") {
		t.Errorf("after cancelling (sent three times): %q", got)
	}
	roster, err := srv.App.Earning.Roster(ctx, srv.CommunityID, act.ID)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, u := range roster {
		status[u.ResidentID] = u.Status
	}
	want := map[string]string{rid: "cancelled", "r-a": "registered", "r-b": "registered", "r-c": "waitlisted"}
	for id, st := range want {
		if status[id] != st {
			t.Errorf("%s is %q, want %q (roster %v)", id, status[id], st, status)
		}
	}
}

// Self-reported hours and a suggestion with a photo, each sent three times,
// are recorded once and answered as the first was.
func TestHoursAndSuggestionResentRecordedOnce(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	ctx := context.Background()
	tab := phoneTab(t, srv, "resident")

	open(t, tab, srv.URL+"/resident/hours", "#hours-form")
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#indicator"), earning.VolunteerHours), chromedp.SetValue(chromedp.CSS("#hours"), "2"),
		chromedp.SetValue(chromedp.CSS("#evidence"), "在社区图书室整理图书，李社工可证明"))
	resend(t, tab, "#hours-form")
	submit(t, tab, "#report-hours")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "申报已提交") {
		t.Errorf("after reporting hours (sent three times): %q", got)
	}
	if claims, err := srv.App.Earning.ClaimsOf(ctx, srv.CommunityID, rid); err != nil || len(claims) != 1 {
		t.Errorf("claims after one report sent three times: %d, %v", len(claims), err)
	}

	open(t, tab, srv.URL+"/resident/suggestions", "#suggestion-form")
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#title"), "江滨健身步道增设无障碍通道"),
		chromedp.SetValue(chromedp.CSS("#body"), "轮椅和婴儿车上不了步道，建议在入口处修一段缓坡。"))
	resendMultipart(t, tab, "#suggestion-form")
	submit(t, tab, "#submit-suggestion")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "建议已提交") {
		t.Errorf("after suggesting (sent three times): %q", got)
	}
	if list, err := srv.App.Earning.SuggestionsOf(ctx, srv.CommunityID, rid); err != nil || len(list) != 1 {
		t.Errorf("suggestions after one sent three times: %d, %v", len(list), err)
	}
}
