package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/registry"
)

// A failed scan at the counter shows the credit service's own message, clean,
// and leaves the code field empty and focused, so the scanner's next code is
// read alone and not appended to the last one.
func TestCounterFailedScanClearsTheField(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := NewServer(t)
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	reg := srv.App.Registry
	e, err := reg.CreateEstate(ctx, w, newKey(), registry.CreateEstateRequest{Community: srv.CommunityID, Name: "春江花园"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := reg.CreateHousehold(ctx, w, newKey(), registry.CreateHouseholdRequest{Community: srv.CommunityID, Estate: e.ID, Building: "1", Room: "101"})
	if err != nil {
		t.Fatal(err)
	}
	rid, err := idOf(reg.CreateResident(ctx, w, newKey(), registry.CreateResidentRequest{Community: srv.CommunityID, NewResident: registry.NewResident{HouseholdID: h.ID, Name: "毛小波", Gender: "男", BirthDate: "1950-01-01"}}))
	if err != nil {
		t.Fatal(err)
	}
	good, _, err := srv.App.Codes.Rotating(ctx, srv.CommunityID, rid)
	if err != nil {
		t.Fatal(err)
	}
	// The same key, an hour ago: a code that has expired.
	past := credit.NewCodes(srv.App.DB, civic.NewFixedClock(time.Now().Add(-time.Hour)), reg)
	expired, _, err := past.Rotating(ctx, srv.CommunityID, rid)
	if err != nil {
		t.Fatal(err)
	}

	tab := NewTab(t)
	srv.Login(t, tab, "clerk")
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/counter"), chromedp.WaitVisible(chromedp.CSS("#code")))
	field := `[document.getElementById("code").value, document.activeElement && document.activeElement.id].join("|")`
	for _, c := range []struct{ code, want string }{{expired, "居民码已过期，请居民刷新后再出示"}, {"garbage", "这不是居民码"}} {
		// The scanner types into whatever has the focus, then presses Enter.
		Get(t, tab, chromedp.Evaluate[bool](`window.__oldPage = true; true`))
		Do(t, tab, chromedp.KeyEvent(c.code+kb.Enter))
		waitNewPage(t, tab, "#error")
		if got := Text(t, tab, "#error"); got != c.want {
			t.Errorf("scan %.12s…: error %q, want %q", c.code, got, c.want)
		}
		if got := Get(t, tab, chromedp.Evaluate[string](field)); got != "|code" {
			t.Errorf("after a failed scan the field (value|focus) is %q, want it empty and focused", got)
		}
	}
	Do(t, tab, chromedp.KeyEvent(good+kb.Enter))
	if got := Text(t, tab, "#balance"); got != "0" {
		t.Errorf("the good code after two failures: balance %q, want the resident's 0", got)
	}
	if strings.Contains(Get(t, tab, chromedp.Evaluate[string](`document.body.innerText`)), "%!") {
		t.Errorf("the counter prints Go format junk")
	}
}

// waitNewPage waits until the page marked with window.__oldPage is replaced
// by one that shows css.
func waitNewPage(t *testing.T, tab context.Context, css string) {
	t.Helper()
	deadline := time.Now().Add(ActionTimeout)
	check := `!window.__oldPage && document.readyState === "complete" && !!document.querySelector("` + css + `")`
	for time.Now().Before(deadline) {
		c, cancel := context.WithTimeout(tab, time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool](check))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no new page showed %s", css)
}
