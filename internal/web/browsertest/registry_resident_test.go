package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// colourWords are what a colour looks like on a page, in both languages.
var colourWords = []string{"红色", "紫色", "黄色", "绿色", "蓝色", "白色", "重点人群", "残疾户", "出租户", "未成年人", "老年人",
	"Red ·", "Purple ·", "Yellow ·", "Green ·", "Blue ·", "White ·", "key persons", "rental", "chip-"}

// noColours fails when the page's text or markup carries a colour.
func noColours(t *testing.T, tab context.Context, page string) {
	t.Helper()
	html := Get(t, tab, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	for _, w := range colourWords {
		if strings.Contains(html, w) {
			t.Errorf("%s shows %q to a resident", page, w)
		}
	}
}

func TestResidentSeesHouseholdAndCodeWithoutColours(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	tab := NewTab(t)
	srv.Login(t, tab, "household")
	noColours(t, tab, "the home page")
	Do(t, tab, chromedp.Navigate(srv.URL+"/resident/household"), chromedp.WaitVisible(chromedp.CSS("#members")))
	members := Text(t, tab, "#members")
	if !strings.Contains(members, "毛小波") || !strings.Contains(members, "毛小雨") || strings.Contains(members, "张伟") {
		t.Errorf("members: %q", members)
	}
	if got := Text(t, tab, "#household-address"); got != "3-2-301" {
		t.Errorf("address %q", got)
	}
	noColours(t, tab, "my household")
	Do(t, tab, chromedp.Navigate(srv.URL+"/resident/code"), chromedp.WaitVisible(chromedp.CSS("#qr svg")))
	noColours(t, tab, "my code")
	if !strings.Contains(Text(t, tab, "#card-note"), "打印") {
		t.Errorf("no note about the printed card")
	}
	// English is complete on these pages too.
	Do(t, tab, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #qr svg`)))
	if got := Get(t, tab, chromedp.Title()); !strings.HasPrefix(got, "My code") {
		t.Errorf("English title %q", got)
	}
	noColours(t, tab, "my code in English")
	Do(t, tab, chromedp.Navigate(srv.URL+"/resident/household"), chromedp.WaitVisible(chromedp.CSS("#members")))
	noColours(t, tab, "my household in English")
	// A resident cannot reach the worker's registry.
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry/residents/"+srv.Mao), chromedp.WaitVisible(chromedp.CSS("#error")))
	noColours(t, tab, "the refused worker page")
}

func TestWorkerPrintsAndRevokesACard(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	tab := NewTab(t)
	srv.Login(t, tab, "worker")
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry/residents/"+srv.Mao), chromedp.WaitVisible(chromedp.CSS("#card-link")),
		chromedp.Click(chromedp.CSS("#card-link")), chromedp.WaitVisible(chromedp.CSS("#issue-form")),
		chromedp.Click(chromedp.CSS("#issue")), chromedp.WaitVisible(chromedp.CSS("#card-qr svg")))
	if got := Text(t, tab, "#card-name"); got != "毛*波" {
		t.Errorf("card name %q", got)
	}
	if !Get(t, tab, chromedp.Evaluate[bool](`!document.getElementById("print-card").hidden`)) {
		t.Errorf("print button hidden with JavaScript on")
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#revoke-reason"), "遗失"))
	ClickAndLoad(t, tab, "#revoke", "#flash")
	if got := Text(t, tab, "#flash"); got != "该居民的卡已全部作废" {
		t.Errorf("flash %q", got)
	}
}

// Every registry page fits a 360 px phone.
func TestRegistryPagesFitA360PixelPhone(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	fits := `document.documentElement.scrollWidth <= window.innerWidth`
	for _, tt := range []struct {
		user  string
		paths []string
	}{
		{"worker", []string{"/worker/registry", "/worker/registry/estates/" + srv.Garden, "/worker/registry/residents/" + srv.Mao,
			"/worker/registry/residents/" + srv.Mao + "/card", "/worker/visits", "/worker/import", "/worker/export"}},
		{"household", []string{"/resident/household", "/resident/code"}},
	} {
		t.Run(tt.user, func(t *testing.T) {
			tab := NewTab(t)
			Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
			srv.Login(t, tab, tt.user)
			for _, p := range tt.paths {
				Do(t, tab, chromedp.Navigate(srv.URL+p), chromedp.WaitVisible(chromedp.CSS("main h1")))
				if !Get(t, tab, chromedp.Evaluate[bool](fits)) {
					t.Errorf("%s is wider than 360 px", p)
				}
			}
		})
	}
}
