package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A clerk who types a stock-take of 2⁶³−1 or a 61-character name is told the
// bound on the page and nothing changes; the worker's station report still
// opens afterwards.
func TestStationRefusesFiguresBeyondBounds(t *testing.T) {
	t.Parallel()
	srv, _, _, _ := stationServer(t)
	tab := NewTab(t)
	srv.Login(t, tab, "clerk")
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/stock"), chromedp.WaitVisible(chromedp.CSS("#count-form")),
		chromedp.SetValue(chromedp.CSS("#ct-counted"), "9223372036854775807"), chromedp.SetValue(chromedp.CSS("#ct-reason"), "盘点"))
	submit(t, tab, "#count")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "1000000") {
		t.Errorf("stock-take of 2⁶³−1: %q, want the bound 1000000 named", got)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#g-name"), strings.Repeat("米", 61)), chromedp.SetValue(chromedp.CSS("#g-points"), "10"))
	submit(t, tab, "#add-good")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "60") {
		t.Errorf("61-character name: %q, want the bound 60 named", got)
	}
	if got := Text(t, tab, "#stock"); strings.Contains(got, "9223372036854775807") || strings.Contains(got, strings.Repeat("米", 61)) {
		t.Errorf("a refused figure reached the stock list: %q", got)
	}
	worker := NewTab(t)
	srv.Login(t, worker, "worker")
	Do(t, worker, chromedp.Navigate(srv.URL+"/worker/station"), chromedp.WaitVisible(chromedp.CSS("#cover")))
	if got := Text(t, worker, "#cover-stock"); got != "230" { // rice 5 × 40 + oil 1 × 30
		t.Errorf("shelf value %q, want 230", got)
	}
}
