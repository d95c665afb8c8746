package browsertest

import (
	"civicpoints/internal/idem"
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/station"
)

// A resident's order sent three times (a double click, then the click) is
// placed once; the same form stripped of its hidden key is refused with the
// reload message and places nothing, and the page shown again carries a
// fresh key, so the resident's next click places the order.
func TestShopOrderResentOnceAndKeylessRefused(t *testing.T) {
	t.Parallel()
	srv, rid, rice, _ := stationServer(t)
	ctx := context.Background()
	orders := func() int {
		list, err := station.ResidentOrders(ctx, srv.App.DB, srv.CommunityID, rid, 1<<62, 50)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	tab := NewTab(t)
	Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	srv.Login(t, tab, "resident")
	open(t, tab, srv.URL+"/resident/shop", "#shop-form")
	setQty(t, tab, rice, "1")
	resend(t, tab, "#shop-form")
	ClickAndLoad(t, tab, "#place-order", ".pickup-code")
	if n, b := orders(), balance(t, srv, rid); n != 1 || b != 160 {
		t.Fatalf("one order sent three times: %d orders, balance %d; want 1 and 160", n, b)
	}

	open(t, tab, srv.URL+"/resident/shop", "#shop-form")
	setQty(t, tab, rice, "1")
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelector('#shop-form input[name="key"]').remove(); true`))
	resend(t, tab, "#shop-form")
	submit(t, tab, "#place-order")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "防重复提交") || !strings.Contains(got, "刷新页面") {
		t.Fatalf("a keyless order: %q", got)
	}
	if n, b := orders(), balance(t, srv, rid); n != 1 || b != 160 {
		t.Fatalf("keyless orders were placed: %d orders, balance %d", n, b)
	}
	if v := Get(t, tab, chromedp.Evaluate[string](`document.querySelector('#shop-form input[name="key"]').value`)); idem.Judge(v) != idem.KeyOK {
		t.Fatalf("the page shown again carries key %q", v)
	}
	ClickAndLoad(t, tab, "#place-order", ".pickup-code")
	if n := orders(); n != 2 {
		t.Fatalf("after reloading the key: %d orders, want 2", n)
	}
}
