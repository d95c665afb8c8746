package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/earning"
	"civicpoints/internal/ledger"
)

// resend posts the form twice more with the very same fields (its hidden
// idempotency key included), as a double click or a retried POST would.
func resend(t *testing.T, tab context.Context, form string) {
	t.Helper()
	js := `(async () => { const f = document.querySelector("` + form + `"); const b = new URLSearchParams(new FormData(f));
		await Promise.all([fetch(f.action, {method: "POST", body: b}), fetch(f.action, {method: "POST", body: b})]); return true })()`
	Get(t, tab, chromedp.Evaluate[bool](js, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
}

// sendForm is submit that also drops the previous results, so the results
// read next belong to the answer.
func sendForm(t *testing.T, tab context.Context, css string) {
	t.Helper()
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelectorAll("#results").forEach(e => e.remove()); true`))
	submit(t, tab, css)
}

func fillAward(t *testing.T, tab context.Context, resident, indicator, points, reason string) {
	t.Helper()
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#resident"), resident), chromedp.SetValue(chromedp.CSS("#indicator"), indicator),
		chromedp.SetValue(chromedp.CSS("#points"), points), chromedp.SetValue(chromedp.CSS("#reason"), reason))
}

func transfers(t *testing.T, srv *Server, rid string) []ledger.HistoryEntry {
	t.Helper()
	h, _, err := ledger.History(context.Background(), srv.App.DB, srv.CommunityID, rid, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// The award form refuses points outside the range, above the cap and for a
// resident who has left, writing nothing; a resent form awards once; a bulk
// award shows a result per resident; a reversal (resent too) undoes once.
func TestAwardFormAndReversal(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	srv.App.Earning.Residents = leftResidents{"r-left": true}
	tab := phoneTab(t, srv, "worker")
	open(t, tab, srv.URL+"/worker/award", "#award-form")

	refusals := []struct{ resident, indicator, points, want string }{
		{rid, earning.MediationHelp, "11", "超出此指标的范围"},
		{rid, earning.VolunteerHours, "9", "超出上限"},
		{"r-left", earning.MediationHelp, "5", "已迁出"},
	}
	for _, r := range refusals {
		fillAward(t, tab, r.resident, r.indicator, r.points, "调解邻里纠纷")
		submit(t, tab, "#award-submit")
		if got := shown(t, tab, "#error"); !strings.Contains(got, r.want) {
			t.Errorf("award %s×%s to %s: %q, want %q", r.points, r.indicator, r.resident, got, r.want)
		}
	}
	if n := len(transfers(t, srv, rid)); n != 0 {
		t.Fatalf("refused awards wrote %d transfers", n)
	}

	fillAward(t, tab, rid, earning.MediationHelp, "5", "调解邻里纠纷")
	resend(t, tab, "#award-form")
	sendForm(t, tab, "#award-submit")
	if got := shown(t, tab, "#results"); !strings.Contains(got, "+5 分，余额 5") {
		t.Errorf("result: %q", got)
	}
	if b, n := balance(t, srv, rid), len(transfers(t, srv, rid)); b != 5 || n != 1 {
		t.Errorf("after three sends of one form: balance %d in %d transfers, want 5 in 1", b, n)
	}

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#list"), rid+"\nr-left"),
		chromedp.SetValue(chromedp.CSS("#bulk-indicator"), earning.CommunityActivities),
		chromedp.SetValue(chromedp.CSS("#bulk-points"), "2"), chromedp.SetValue(chromedp.CSS("#bulk-reason"), "重阳节敬老活动"))
	resend(t, tab, "#bulk-form")
	sendForm(t, tab, "#bulk-submit")
	got := shown(t, tab, "#results")
	if !strings.Contains(got, "余额 7") || !strings.Contains(got, "已迁出") {
		t.Errorf("bulk results: %q", got)
	}
	if n := Get(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#results tr.result").length`)); n != 2 {
		t.Errorf("%d result rows, want one per resident", n)
	}
	if b := balance(t, srv, rid); b != 7 {
		t.Errorf("after the bulk award (sent three times): balance %d, want 7", b)
	}

	// Reverse the bulk award from its result row.
	Do(t, tab, chromedp.Click(chromedp.CSS("#results tr.awarded a.reverse-link")), chromedp.WaitVisible(chromedp.CSS("#reverse-form")))
	if got := Text(t, tab, "#transfer"); !strings.Contains(got, "重阳节敬老活动") {
		t.Errorf("transfer shown: %q", got)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#reverse-reason"), "重复发放"))
	resend(t, tab, "#reverse-form")
	submit(t, tab, "#reverse-submit")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "已撤销") {
		t.Errorf("after reversing: %q", got)
	}
	if b, n := balance(t, srv, rid), len(transfers(t, srv, rid)); b != 5 || n != 3 {
		t.Errorf("after reversing (sent three times): balance %d in %d transfers, want 5 in 3", b, n)
	}
}

// Changing a rule in the catalogue makes a new version, listed with the old;
// an incoherent rule is refused with a translated error.
func TestCatalogueEditorVersionsRules(t *testing.T) {
	t.Parallel()
	srv, _ := earningServer(t)
	tab := phoneTab(t, srv, "worker")
	open(t, tab, srv.URL+"/worker/catalogue", "#indicator-"+earning.MediationHelp)
	Do(t, tab, chromedp.Click(chromedp.CSS("#indicator-"+earning.MediationHelp+" a.edit")), chromedp.WaitVisible(chromedp.CSS("#indicator-form")))
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#max"), "20"))
	submit(t, tab, "#save-indicator")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "第 2 版") {
		t.Errorf("after saving: %q", got)
	}
	if got := Text(t, tab, "#indicator-"+earning.MediationHelp); !strings.Contains(got, "1–20 分") {
		t.Errorf("catalogue shows %q", got)
	}
	open(t, tab, srv.URL+"/worker/catalogue/"+earning.MediationHelp, "#versions")
	if got := Text(t, tab, "#versions"); !strings.Contains(got, "第 2 版") || !strings.Contains(got, "第 1 版") || !strings.Contains(got, "1–10 分") {
		t.Errorf("versions: %q", got)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#kind"), "hourly"), chromedp.SetValue(chromedp.CSS("#points"), "7"))
	submit(t, tab, "#save-indicator")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "整除 60") {
		t.Errorf("an hourly rule of 7: %q", got)
	}
	in, err := srv.App.Earning.Indicator(context.Background(), srv.CommunityID, earning.MediationHelp)
	if err != nil || in.Version != 2 || in.Kind != earning.Range {
		t.Errorf("after a refused change: %+v, %v", in, err)
	}
}
