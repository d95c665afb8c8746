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

// A resident's suggestion and self-reported hours go through the worker's
// queue: adoption outside the range is refused, then 50 points with a
// reason; 90 minutes approved give 1 point with 30 carried; the resident
// sees statuses, reasons and the points.
func TestSuggestionAndHoursThroughTheQueue(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	resident, worker := phoneTab(t, srv, "resident"), phoneTab(t, srv, "worker")

	open(t, resident, srv.URL+"/resident/suggestions", "#suggestion-form")
	Do(t, resident, chromedp.SetValue(chromedp.CSS("#title"), "江滨健身步道增设无障碍通道"),
		chromedp.SetValue(chromedp.CSS("#body"), "轮椅和婴儿车上不了步道，建议在入口加坡道。"))
	submit(t, resident, "#submit-suggestion")
	if got := shown(t, resident, "#my-suggestions"); !strings.Contains(got, "待审核") {
		t.Errorf("my suggestions: %q", got)
	}
	open(t, resident, srv.URL+"/resident/hours", "#hours-form")
	Do(t, resident, chromedp.SetValue(chromedp.CSS("#indicator"), earning.VolunteerHours),
		chromedp.SetValue(chromedp.CSS("#hours"), "1"), chromedp.SetValue(chromedp.CSS("#minutes"), "30"),
		chromedp.SetValue(chromedp.CSS("#evidence"), "周六上午在社区图书室整理图书，李阿姨可以证明"))
	submit(t, resident, "#report-hours")
	if got := shown(t, resident, "#flash"); !strings.Contains(got, "等待社工审核") {
		t.Errorf("after reporting hours: %q", got)
	}

	open(t, worker, srv.URL+"/worker/queue", "#claims")
	if got := Text(t, worker, "#claims"); !strings.Contains(got, "李阿姨可以证明") || !strings.Contains(got, "90 分钟") {
		t.Errorf("queue claims: %q", got)
	}
	submit(t, worker, "#claims button.approve")
	if got := shown(t, worker, "#flash"); !strings.Contains(got, "已通过") {
		t.Errorf("after approving: %q", got)
	}
	Do(t, worker, chromedp.SetValue(chromedp.CSS("#submitted input[name=points]"), "101"),
		chromedp.SetValue(chromedp.CSS("#submitted input[name=reason]"), "方便老人和残障居民"))
	Get(t, worker, chromedp.Evaluate[bool](`document.querySelectorAll("input[name=points]").forEach(e => e.removeAttribute("max")); true`))
	submit(t, worker, "#submitted button.adopt")
	if got := shown(t, worker, "#error"); !strings.Contains(got, "超出此指标的范围") {
		t.Errorf("adopting for 101 points: %q", got)
	}
	if b := balance(t, srv, rid); b != 1 {
		t.Errorf("balance %d after a refused adoption, want 1", b)
	}
	Do(t, worker, chromedp.SetValue(chromedp.CSS("#submitted input[name=points]"), "50"),
		chromedp.SetValue(chromedp.CSS("#submitted input[name=reason]"), "方便老人和残障居民"))
	resend(t, worker, "#submitted form.adopt-form")
	submit(t, worker, "#submitted button.adopt")
	if got := shown(t, worker, "#flash"); !strings.Contains(got, "已采纳") {
		t.Errorf("after adopting: %q", got)
	}
	if b := balance(t, srv, rid); b != 51 {
		t.Errorf("balance %d after adopting (form sent three times), want 51", b)
	}

	open(t, resident, srv.URL+"/resident/suggestions", "#my-suggestions")
	if got := Text(t, resident, "#my-suggestions"); !strings.Contains(got, "已采纳") || !strings.Contains(got, "+50") || !strings.Contains(got, "方便老人和残障居民") {
		t.Errorf("my suggestions after adoption: %q", got)
	}
	open(t, resident, srv.URL+"/resident/hours", "#my-claims")
	if got := Text(t, resident, "#my-claims"); !strings.Contains(got, "已通过") || !strings.Contains(got, "+1") {
		t.Errorf("my reports: %q", got)
	}
	if c, _ := srv.App.Earning.Carry(context.Background(), srv.CommunityID, rid, earning.VolunteerHours); c != 30 {
		t.Errorf("carried %d minutes, want 30", c)
	}
}

// A worker ticks residents in and out on the roster; in English the pages
// read in English.
func TestWorkerTicksAttendanceInEnglish(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	ctx := context.Background()
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	act, err := srv.App.Earning.Publish(ctx, w, earningKey(), earning.PublishRequest{Community: srv.CommunityID, Activity: earning.Activity{Title: "Free haircuts", Indicator: earning.CommunityActivities,
		Place: "Hall", Start: clock.Now().Add(time.Hour), End: clock.Now().Add(2 * time.Hour), Capacity: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Earning.SignUp(ctx, w, earningKey(), earning.SignUpRequest{Community: srv.CommunityID, Activity: act.ID, Resident: rid}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	tab := phoneTab(t, srv, "worker")
	Do(t, tab, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #whoami`)))
	open(t, tab, srv.URL+"/worker/activities/"+act.ID, "#roster")
	submit(t, tab, "#roster-"+rid+" button.tick-in")
	if got := shown(t, tab, "#flash"); got != "Checked in." {
		t.Errorf("after ticking in: %q", got)
	}
	clock.Advance(30 * time.Minute)
	submit(t, tab, "#roster-"+rid+" button.tick-out")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "Checked out") {
		t.Errorf("after ticking out: %q", got)
	}
	if got := Text(t, tab, "#roster-"+rid); !strings.Contains(got, "Checked out") || !strings.Contains(got, "+2") {
		t.Errorf("roster row: %q", got)
	}
	for _, p := range []string{"/worker/activities", "/worker/queue", "/worker/award", "/worker/catalogue"} {
		open(t, tab, srv.URL+p, "h1")
		if got := Text(t, tab, "main"); strings.Contains(got, "earning_pages.") {
			t.Errorf("%s shows an untranslated key: %q", p, got)
		}
	}
	open(t, tab, srv.URL+"/worker/activities/"+act.ID+"/code", "#activity-code")
	if got := Text(t, tab, "#code-card"); !strings.Contains(got, "Residents type this") {
		t.Errorf("code page: %q", got)
	}
}

// The resident's earning pages are complete in English and fit a phone.
func TestResidentEarningPagesInEnglish(t *testing.T) {
	t.Parallel()
	srv, _ := earningServer(t)
	tab := phoneTab(t, srv, "resident")
	Do(t, tab, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #whoami`)))
	for _, p := range []string{"/resident/activities", "/resident/checkin", "/resident/suggestions", "/resident/hours"} {
		open(t, tab, srv.URL+p, "h1")
		if got := Text(t, tab, "main"); strings.Contains(got, "earning_pages.") || strings.ContainsAny(got, "报名签到建议申报") {
			t.Errorf("%s is not all English: %q", p, got)
		}
	}
}

// A worker checks a resident in by scanning their real code (the credit
// service's check, as at the counter); a code that does not verify is refused.
func TestWorkerScansResidentCode(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	act, err := srv.App.Earning.Publish(context.Background(), w, earningKey(), earning.PublishRequest{Community: srv.CommunityID, Activity: earning.Activity{Title: "议事会", Indicator: earning.Consultation,
		Place: "会议室", Start: clock.Now().Add(time.Hour), End: clock.Now().Add(2 * time.Hour), Capacity: 5}})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	tab := phoneTab(t, srv, "worker")
	open(t, tab, srv.URL+"/worker/activities/"+act.ID, "#scan-form")
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#scan-value"), "forged"))
	submit(t, tab, `#scan-form button[value="in"]`)
	if got := shown(t, tab, "#error"); got == "" {
		t.Errorf("a forged code was not refused")
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#scan-value"), srv.Code(t, rid)))
	submit(t, tab, `#scan-form button[value="in"]`)
	if got := shown(t, tab, "#flash"); got != "已签到。" {
		t.Errorf("after scanning: %q", got)
	}
	if got := Text(t, tab, "#roster-"+rid); !strings.Contains(got, "已签到") {
		t.Errorf("roster row: %q", got)
	}
}
