package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/earning"
)

// A worker finds a resident for the award form by name: the list shows
// masked names with estate and address (never the full name), picking one
// fills the form and names them, and the award reaches that resident.
func TestAwardFormFindsResidentByName(t *testing.T) {
	t.Parallel()
	world := newRegistryWorld(t)
	srv := world.Server
	if err := srv.App.Earning.SeedDefaults(context.Background(), srv.CommunityID); err != nil {
		t.Fatal(err)
	}
	tab := phoneTab(t, srv, "worker")
	open(t, tab, srv.URL+"/worker/award", "#find-form")

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#find"), "王"))
	submit(t, tab, "#find-submit")
	if got := shown(t, tab, "#found"); !strings.Contains(got, "没有找到") {
		t.Errorf("a name nobody has: %q", got)
	}

	Do(t, tab, chromedp.SetValue(chromedp.CSS("#find"), "毛"))
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelector("#found").remove(); true`)) // the answer's list, not this one
	submit(t, tab, "#find-submit")
	found := shown(t, tab, "#found")
	if !strings.Contains(found, "毛*波") || !strings.Contains(found, "春江花园") || strings.Contains(found, "张") {
		t.Errorf("found for 毛: %q", found)
	}
	if page := Text(t, tab, "main"); strings.Contains(page, "毛小波") || strings.Contains(page, "毛小雨") {
		t.Errorf("the search shows a full name: %q", page)
	}
	if n := Get(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#found li.found").length`)); n != 2 {
		t.Errorf("%d residents found for 毛, want 2", n)
	}

	Do(t, tab, chromedp.Click(chromedp.CSS(`#found a.choose[href$="`+world.Mao+`"]`)), chromedp.WaitVisible(chromedp.CSS("#chosen")))
	if got := Text(t, tab, "#chosen"); !strings.Contains(got, "毛*波") {
		t.Errorf("chosen: %q", got)
	}
	if got := Get(t, tab, chromedp.Evaluate[string](`document.querySelector("#resident").value`)); got != world.Mao {
		t.Errorf("the form's resident is %q, want %s", got, world.Mao)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#indicator"), earning.MediationHelp),
		chromedp.SetValue(chromedp.CSS("#points"), "5"), chromedp.SetValue(chromedp.CSS("#reason"), "调解邻里纠纷"))
	sendForm(t, tab, "#award-submit")
	if got := shown(t, tab, "#results"); !strings.Contains(got, "毛*波") || !strings.Contains(got, "+5 分，余额 5") {
		t.Errorf("result: %q", got)
	}
	if b := balance(t, srv, world.Mao); b != 5 {
		t.Errorf("毛小波's balance %d, want 5", b)
	}
}
