package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/station"

	"github.com/chromedp/chromedp"
)

// Anyone can read the station's thank-you list without logging in.
func TestPublicThanks(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	if err := station.SeedDemo(context.Background(), srv.App.DB, srv.CommunityID, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	tab := NewTab(t)
	Do(t, tab, chromedp.Navigate(srv.URL+"/c/chunjiang/thanks"), chromedp.WaitVisible(chromedp.CSS("#thanks")))
	rows := Get(t, tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("tr.donor td:first-child")).map(e => e.textContent)`))
	if len(rows) != 3 {
		t.Fatalf("donors listed %v, want the 3 demo donors", rows)
	}
	Do(t, tab, chromedp.Navigate(srv.URL+"/c/nowhere/thanks"), chromedp.WaitVisible(chromedp.CSS("body")))
	if body := Text(t, tab, "body"); !strings.Contains(body, "未找到") && !strings.Contains(body, "不存在") && !strings.Contains(body, "没有") {
		t.Errorf("unknown community page says %q, want a not-found message", body)
	}
}
