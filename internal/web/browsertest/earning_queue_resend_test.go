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

// sendThrice sends a form three times (two at once, as a double click, then
// the click itself) and returns the flash and the error of the page the
// click loads.
func sendThrice(t *testing.T, tab context.Context, form, button string) (flash, errText string) {
	t.Helper()
	resend(t, tab, form)
	ClickAndLoad(t, tab, button, "h1")
	read := func(css string) string {
		return strings.TrimSpace(Get(t, tab, chromedp.Evaluate[string](`(document.querySelector("`+css+`") || {}).innerText || ""`)))
	}
	return read("#flash"), read("#error")
}

// queued finds the pending claim of a kind for a resident.
func queued(t *testing.T, srv *Server, kind, rid string) earning.Claim {
	t.Helper()
	q, err := srv.App.Earning.Queue(context.Background(), srv.CommunityID, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range q {
		if c.Kind == kind && c.ResidentID == rid {
			return c
		}
	}
	t.Fatalf("no pending %s claim for %s in %+v", kind, rid, q)
	return earning.Claim{}
}

// claimStatus is a claim's status and points after the queue decided it.
func claimStatus(t *testing.T, srv *Server, rid, id string) (string, int64) {
	t.Helper()
	claims, err := srv.App.Earning.ClaimsOf(context.Background(), srv.CommunityID, rid)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range claims {
		if c.ID == id {
			return c.Status, c.Points
		}
	}
	t.Fatalf("no claim %s for %s", id, rid)
	return "", 0
}

// Closing an activity, and approving and rejecting forgotten check-outs and
// self-reported hours, each sent three times: every answer is the first
// answer (never "already decided") and points are awarded once.
func TestQueueDecisionsResentDecideOnce(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	clock := fixedEarning(srv)
	ctx := context.Background()
	c := srv.CommunityID
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: c}
	act, err := srv.App.Earning.Publish(ctx, w, earningKey(), earning.PublishRequest{Community: c, Activity: earning.Activity{Title: "江滨步道清洁", Indicator: earning.VolunteerHours,
		Place: "江滨公园", Start: clock.Now().Add(time.Hour), End: clock.Now().Add(2 * time.Hour), Capacity: 5}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{rid, "r-other"} {
		if _, err := srv.App.Earning.SignUp(ctx, w, earningKey(), earning.SignUpRequest{Community: c, Activity: act.ID, Resident: id}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Hour)
	for _, id := range []string{rid, "r-other"} {
		if _, err := srv.App.Earning.CheckIn(ctx, w, earningKey(), earning.AttendRequest{Community: c, Activity: act.ID, Method: earning.Tick, Resident: id}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Hour) // the end; nobody checked out
	tab := phoneTab(t, srv, "worker")

	open(t, tab, srv.URL+"/worker/activities/"+act.ID, "#close-form")
	if flash, e := sendThrice(t, tab, "#close-form", "#close-activity"); !strings.Contains(flash, "活动已结束") || e != "" {
		t.Errorf("after closing (sent three times): flash %q, error %q", flash, e)
	}
	if q, err := srv.App.Earning.Queue(ctx, c, 100); err != nil || len(q) != 2 {
		t.Fatalf("queue after one close sent three times: %+v, %v", q, err)
	}

	mine, other := queued(t, srv, "checkout", rid), queued(t, srv, "checkout", "r-other")
	open(t, tab, srv.URL+"/worker/queue", "#claim-"+mine.ID)
	if flash, e := sendThrice(t, tab, "#claim-"+mine.ID+" form.approve-form", "#claim-"+mine.ID+" button.approve"); !strings.Contains(flash, "已通过") || e != "" {
		t.Errorf("after approving a check-out (sent three times): flash %q, error %q", flash, e)
	}
	if st, p := claimStatus(t, srv, rid, mine.ID); st != "approved" || p != 1 {
		t.Errorf("check-out claim %s with %d points, want approved with 1", st, p)
	}
	if b, n := balance(t, srv, rid), len(transfers(t, srv, rid)); b != 1 || n != 1 {
		t.Errorf("after one approval sent three times: balance %d in %d transfers, want 1 in 1", b, n)
	}

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#reason-"+other.ID), "未见签到记录"))
	if flash, e := sendThrice(t, tab, "#claim-"+other.ID+" form.reject-form", "#claim-"+other.ID+" button.reject"); !strings.Contains(flash, "已驳回") || e != "" {
		t.Errorf("after rejecting a check-out (sent three times): flash %q, error %q", flash, e)
	}
	if st, _ := claimStatus(t, srv, "r-other", other.ID); st != "rejected" {
		t.Errorf("rejected check-out is %s", st)
	}

	me := civic.Actor{UserID: "r", Role: civic.RoleResident, CommunityID: c, ResidentID: rid}
	day := earning.Day(clock.Now())
	for _, ev := range []string{"在社区图书室整理图书，李社工可证明", "帮邻居搬家"} {
		if _, err := srv.App.Earning.ReportHours(ctx, me, earningKey(), earning.HoursRequest{Community: c, Resident: rid, Indicator: earning.VolunteerHours, Minutes: 90, Day: day, Evidence: ev}); err != nil {
			t.Fatal(err)
		}
	}
	q, err := srv.App.Earning.Queue(ctx, c, 100)
	if err != nil || len(q) != 2 {
		t.Fatalf("queue with two reports: %+v, %v", q, err)
	}
	approve, reject := q[0], q[1]
	open(t, tab, srv.URL+"/worker/queue", "#claim-"+approve.ID)
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#minutes-"+approve.ID), "120")) // corrected by the worker
	if flash, e := sendThrice(t, tab, "#claim-"+approve.ID+" form.approve-form", "#claim-"+approve.ID+" button.approve"); !strings.Contains(flash, "已通过") || e != "" {
		t.Errorf("after approving hours (sent three times): flash %q, error %q", flash, e)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#reason-"+reject.ID), "没有证明人"))
	if flash, e := sendThrice(t, tab, "#claim-"+reject.ID+" form.reject-form", "#claim-"+reject.ID+" button.reject"); !strings.Contains(flash, "已驳回") || e != "" {
		t.Errorf("after rejecting hours (sent three times): flash %q, error %q", flash, e)
	}
	if st, p := claimStatus(t, srv, rid, approve.ID); st != "approved" || p != 2 {
		t.Errorf("approved hours: %s with %d points, want approved with 2", st, p)
	}
	if st, _ := claimStatus(t, srv, rid, reject.ID); st != "rejected" {
		t.Errorf("rejected hours: %s", st)
	}
	if b, n := balance(t, srv, rid), len(transfers(t, srv, rid)); b != 3 || n != 2 {
		t.Errorf("after two approvals each sent three times: balance %d in %d transfers, want 3 in 2", b, n)
	}
	if !Get(t, tab, chromedp.Evaluate[bool](`!!document.querySelector("#no-claims")`)) {
		t.Errorf("the queue still lists claims after every one was decided")
	}
}

// Adopting, marking implemented with a bonus, and not adopting, each sent
// three times, answer as the first did and award once.
func TestSuggestionReviewsResentDecideOnce(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	ctx := context.Background()
	me := civic.Actor{UserID: "r", Role: civic.RoleResident, CommunityID: srv.CommunityID, ResidentID: rid}
	good, err := srv.App.Earning.Submit(ctx, me, earningKey(), earning.SubmitRequest{Community: srv.CommunityID, Resident: rid, Title: "江滨健身步道增设无障碍通道", Body: "轮椅上不了步道，建议修一段缓坡。"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := srv.App.Earning.Submit(ctx, me, earningKey(), earning.SubmitRequest{Community: srv.CommunityID, Resident: rid, Title: "小区里养孔雀", Body: "增加观赏性。"})
	if err != nil {
		t.Fatal(err)
	}
	status := func(id string) earning.Suggestion {
		g, err := srv.App.Earning.Suggestion(ctx, srv.CommunityID, id)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	tab := phoneTab(t, srv, "worker")

	open(t, tab, srv.URL+"/worker/queue", "#suggestion-"+good.ID)
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#points-"+good.ID), "50"), chromedp.SetValue(chromedp.CSS("#adopt-reason-"+good.ID), "方便老人和残障居民"))
	if flash, e := sendThrice(t, tab, "#suggestion-"+good.ID+" form.adopt-form", "#suggestion-"+good.ID+" button.adopt"); !strings.Contains(flash, "已采纳") || e != "" {
		t.Errorf("after adopting (sent three times): flash %q, error %q", flash, e)
	}
	if b := balance(t, srv, rid); b != 50 {
		t.Errorf("balance %d after one adoption sent three times, want 50", b)
	}

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#bonus-"+good.ID), "10"), chromedp.SetValue(chromedp.CSS("#impl-reason-"+good.ID), "缓坡已建成"))
	if flash, e := sendThrice(t, tab, "#adopted-"+good.ID+" form.implemented-form", "#adopted-"+good.ID+" button.implemented"); !strings.Contains(flash, "落地实施") || e != "" {
		t.Errorf("after marking implemented (sent three times): flash %q, error %q", flash, e)
	}
	if g := status(good.ID); g.Status != "implemented" || g.Bonus != 10 {
		t.Errorf("implemented suggestion: %s with a bonus of %d", g.Status, g.Bonus)
	}

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#refuse-reason-"+other.ID), "不符合小区管理规定"))
	if flash, e := sendThrice(t, tab, "#suggestion-"+other.ID+" form.refuse-form", "#suggestion-"+other.ID+" button.refuse"); !strings.Contains(flash, "不采纳") || e != "" {
		t.Errorf("after not adopting (sent three times): flash %q, error %q", flash, e)
	}
	if g := status(other.ID); g.Status != "not_adopted" || g.Reason != "不符合小区管理规定" {
		t.Errorf("refused suggestion: %s, %q", g.Status, g.Reason)
	}
	if b, n := balance(t, srv, rid), len(transfers(t, srv, rid)); b != 60 || n != 2 {
		t.Errorf("after reviews each sent three times: balance %d in %d transfers, want 60 in 2", b, n)
	}
}
