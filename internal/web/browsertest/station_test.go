package browsertest

import (
	"civicpoints/internal/credit"
	"civicpoints/internal/registry"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// stationServer is a server whose demo resident holds 200 points, a station
// with rice (5 bags) and oil (1 bottle), and a code check that knows three
// codes: the resident's, an expired one and one from another community
// (the real check is credit's Verify; these are its errors).
func stationServer(t *testing.T) (srv *Server, rid string, rice, oil station.Good) {
	t.Helper()
	ctx := context.Background()
	srv = NewServer(t)
	rid = srv.RegisterResident(t)
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	err := srv.App.DB.WithTx(ctx, func(tx *db.Tx) (err error) {
		if err = ledger.OpenAccount(ctx, tx, srv.CommunityID, rid); err != nil {
			return err
		}
		_, err = ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: srv.CommunityID, ResidentID: rid, Points: 200, Reason: "志愿服务", Actor: w})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if rice, err = srv.App.Station.CreateGood(ctx, w, "seed-rice", station.CreateGoodRequest{Community: srv.CommunityID, Name: "五常大米 5kg", Unit: "袋",
		Category: "grain", Points: 40, Stock: 5}); err != nil {
		t.Fatal(err)
	}
	if oil, err = srv.App.Station.CreateGood(ctx, w, "seed-oil", station.CreateGoodRequest{Community: srv.CommunityID, Name: "菜籽油 1.8L", Unit: "桶",
		Category: "oil", Points: 30, Stock: 1}); err != nil {
		t.Fatal(err)
	}
	return srv, rid, rice, oil
}

func scanCode(t *testing.T, tab context.Context, srv *Server, code string) {
	t.Helper()
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/counter"), chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), code+kb.Enter)) // a hardware scanner types, then presses Enter
}

// submit clicks a submit button after dropping the page's error and flash,
// so that whatever shows next belongs to the answer.
func submit(t *testing.T, tab context.Context, css string) {
	t.Helper()
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelectorAll("#error, #flash").forEach(e => e.remove()); true`))
	Do(t, tab, chromedp.Click(chromedp.CSS(css)))
}

// shown waits for the next page's element (riding out the navigation) and
// returns its text.
func shown(t *testing.T, tab context.Context, css string) string {
	t.Helper()
	deadline := time.Now().Add(ActionTimeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tab, 2*time.Second)
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("`+css+`") || {}).innerText || ""`))
		cancel()
		if err == nil && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing shown in %s", css)
	return ""
}

func setQty(t *testing.T, tab context.Context, g station.Good, v string) {
	t.Helper()
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#qty-"+g.ID), v))
}

// A full counter redemption, after every kind of bad input has been refused
// with its own message and nothing done.
func TestCounterRedemption(t *testing.T) {
	t.Parallel()
	srv, rid, rice, oil := stationServer(t)
	ctx := context.Background()
	tab := NewTab(t)
	Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	srv.Login(t, tab, "clerk")

	expired, other := expiredCode(t, srv, rid), otherCommunityCode(t, srv)
	for code, want := range map[string]string{expired: "已过期", other: "其他社区", "garbage": "CP1"} {
		scanCode(t, tab, srv, code)
		got := Text(t, tab, "#error")
		if want == "CP1" {
			want = "" // malformed: any message will do, as long as there is one
		}
		if !strings.Contains(got, want) || got == "" {
			t.Errorf("code %s: error %q, want it to mention %q", code, got, want)
		}
	}
	scanCode(t, tab, srv, srv.Code(t, rid))
	if got := Text(t, tab, "#balance"); got != "200" {
		t.Fatalf("balance shown %q, want 200", got)
	}
	fits := `document.documentElement.scrollWidth <= window.innerWidth`
	if !Get(t, tab, chromedp.Evaluate[bool](fits)) {
		t.Errorf("the counter is wider than 360 px")
	}
	bad := []struct {
		rice, oil, want string
	}{
		{"0", "", "数量必须"},
		{"-1", "", "数量必须"},
		{"", "", "清单是空的"},
		{"5", "1", "积分不足"}, // 230 > 200
		{"6", "", "库存不足"},
	}
	for _, b := range bad {
		setQty(t, tab, rice, b.rice)
		setQty(t, tab, oil, b.oil)
		submit(t, tab, "#confirm")
		if got := shown(t, tab, "#error"); !strings.Contains(got, b.want) {
			t.Errorf("rice %q oil %q: error %q, want %q", b.rice, b.oil, got, b.want)
		}
	}
	// The last bottle of oil goes while the basket is open.
	setQty(t, tab, rice, "2")
	setQty(t, tab, oil, "1")
	if _, err := srv.App.Station.WriteOff(ctx, civic.System, "leak", station.WriteOffRequest{Community: srv.CommunityID, Good: oil.ID,
		Quantity: 1, Reason: "漏油"}); err != nil {
		t.Fatal(err)
	}
	submit(t, tab, "#confirm")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "菜籽油") || !strings.Contains(got, "库存不足") {
		t.Errorf("stock gone meanwhile: error %q", got)
	}
	if a, _ := ledger.GetAccount(ctx, srv.App.DB, srv.CommunityID, rid); a.Balance != 200 {
		t.Fatalf("bad baskets moved points: balance %d", a.Balance)
	}
	setQty(t, tab, rice, "2")
	setQty(t, tab, oil, "")
	form := Get(t, tab, chromedp.Evaluate[string](`new URLSearchParams(new FormData(document.getElementById("basket-form"))).toString()`))
	Do(t, tab, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#receipt")))
	first := Get(t, tab, chromedp.Location())
	if got := Text(t, tab, "#receipt-number"); !regexp.MustCompile(`^\d{8}-[0-9A-F]{8}$`).MatchString(got) {
		t.Errorf("receipt number %q", got)
	}
	if got := Text(t, tab, "#receipt-total"); got != "80" {
		t.Errorf("receipt total %q, want 80", got)
	}
	if got := Text(t, tab, "#receipt-balance"); got != "120" {
		t.Errorf("receipt balance %q, want 120", got)
	}
	if !Get(t, tab, chromedp.Evaluate[bool](fits)) {
		t.Errorf("the receipt is wider than 360 px")
	}
	// The same basket sent again (a double click, a resent form) replays the
	// first answer: the same receipt, no second charge.
	again := Get(t, tab, chromedp.Evaluate[string](`fetch("/clerk/counter/confirm", {method: "POST", body: "`+form+`",
		headers: {"Content-Type": "application/x-www-form-urlencoded"}}).then(r => r.url)`, chromedp.EvalAwaitPromise))
	if again != first {
		t.Errorf("resent basket went to %s, want the first receipt %s", again, first)
	}
	if a, _ := ledger.GetAccount(ctx, srv.App.DB, srv.CommunityID, rid); a.Balance != 120 {
		t.Errorf("resending the basket charged again: balance %d, want 120", a.Balance)
	}
	if g, _ := station.GetGood(ctx, srv.App.DB, srv.CommunityID, rice.ID); g.Stock != 3 {
		t.Errorf("rice stock %d, want 3", g.Stock)
	}
}

// A full online order: the resident orders, points and stock are held, the
// clerk scans the pickup code, a second scan is refused; an order nobody
// collects is released and the resident is told.
func TestOnlineOrderToPickup(t *testing.T) {
	t.Parallel()
	srv, rid, rice, _ := stationServer(t)
	ctx := context.Background()
	res := NewTab(t)
	Do(t, res, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	srv.Login(t, res, "resident")
	Do(t, res, chromedp.Navigate(srv.URL+"/resident/shop"), chromedp.WaitVisible(chromedp.CSS("#shop-form")))
	if got := Text(t, res, "#balance"); got != "200" {
		t.Fatalf("shop balance %q", got)
	}
	if !Get(t, res, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)) {
		t.Errorf("the shop is wider than 360 px")
	}
	setQty(t, res, rice, "2")
	Do(t, res, chromedp.Click(chromedp.CSS("#place-order")), chromedp.WaitVisible(chromedp.CSS(".pickup-code")))
	code := Text(t, res, ".pickup-code")
	if a, _ := ledger.GetAccount(ctx, srv.App.DB, srv.CommunityID, rid); a.Balance != 120 {
		t.Errorf("points not held: balance %d", a.Balance)
	}

	clerk := NewTab(t)
	srv.Login(t, clerk, "clerk")
	Do(t, clerk, chromedp.Navigate(srv.URL+"/clerk/orders"), chromedp.WaitVisible(chromedp.CSS("#reserved")))
	Do(t, clerk, chromedp.SendKeys(chromedp.CSS("#order-code"), strings.ToLower(code)+kb.Enter), chromedp.WaitVisible(chromedp.CSS("#handed-over")))
	if got := Text(t, clerk, "#flash"); !strings.Contains(got, "已核销") {
		t.Errorf("flash %q", got)
	}
	Do(t, clerk, chromedp.SendKeys(chromedp.CSS("#order-code"), code+kb.Enter))
	if got := Text(t, clerk, "#error"); !strings.Contains(got, "已于") || !strings.Contains(got, "不能重复领取") {
		t.Errorf("second scan: %q", got)
	}

	// An order placed nine days ago (through a second connection to the
	// database whose clock says so) and never collected.
	past, err := db.Open(ctx, srv.App.DB.Source)
	if err != nil {
		t.Fatal(err)
	}
	defer past.Close()
	then := civic.NewFixedClock(time.Now().Add(-9 * 24 * time.Hour))
	past.Clock = then
	resident := civic.Actor{UserID: "u", Role: civic.RoleResident, CommunityID: srv.CommunityID, ResidentID: rid}
	if _, err := station.New(past, idem.New(past, nil, then), ledger.New(past, idem.New(past, nil, then)), then, nil).Redeem(ctx, resident, "forgotten",
		station.RedeemRequest{Community: srv.CommunityID, Resident: rid, Channel: station.ChannelOnline, Items: []station.Item{{GoodID: rice.ID, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	srv.App.RunJobsOnce(ctx) // the background job that serve runs every minute
	Do(t, res, chromedp.Navigate(srv.URL+"/resident/orders"), chromedp.WaitVisible(chromedp.CSS("#released-notice")))
	if got := Get(t, res, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("[data-status]")).map(e => e.dataset.status)`)); strings.Join(got, ",") != "fulfilled,released" {
		t.Errorf("order statuses %v, want fulfilled,released", got)
	}
	if a, _ := ledger.GetAccount(ctx, srv.App.DB, srv.CommunityID, rid); a.Balance != 120 {
		t.Errorf("release did not return the points: balance %d, want 120", a.Balance)
	}
	if g, _ := station.GetGood(ctx, srv.App.DB, srv.CommunityID, rice.ID); g.Stock != 3 {
		t.Errorf("rice stock %d, want 3", g.Stock)
	}
}

// The clerk records a donation and a write-off; the worker's report shows
// cover, the months, goods and donors, and exports xlsx.
func TestStationStockDonationsReport(t *testing.T) {
	t.Parallel()
	srv, _, _, _ := stationServer(t)
	tab := NewTab(t)
	Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	srv.Login(t, tab, "clerk")
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/donations"), chromedp.WaitVisible(chromedp.CSS("#donor-form")),
		chromedp.SetValue(chromedp.CSS("#dn-name"), "衢江区慈善协会"))
	submit(t, tab, "#add-donor")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "捐赠方已添加") {
		t.Fatalf("add donor: %q", got)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#dg-qty"), "10"))
	submit(t, tab, "#donate-goods")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "捐赠已登记") {
		t.Fatalf("donate goods: %q", got)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#df-yuan"), "abc"))
	submit(t, tab, "#donate-funds")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "不是有效的金额") {
		t.Errorf("bad yuan: %q", got)
	}
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/stock"), chromedp.WaitVisible(chromedp.CSS("#writeoff-form")),
		chromedp.SetValue(chromedp.CSS("#wo-qty"), "1"))
	submit(t, tab, "#writeoff")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "原因") {
		t.Errorf("write-off without reason: %q", got)
	}
	if !Get(t, tab, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)) {
		t.Errorf("the stock page is wider than 360 px")
	}
	worker := NewTab(t)
	srv.Login(t, worker, "worker")
	Do(t, worker, chromedp.Navigate(srv.URL+"/worker/station"), chromedp.WaitVisible(chromedp.CSS("#cover")))
	if got := Text(t, worker, "#by-donor"); !strings.Contains(got, "衢江区慈善协会") {
		t.Errorf("report by donor: %q", got)
	}
	if got := Text(t, worker, "#cover-outstanding"); got != "200" {
		t.Errorf("outstanding %q, want 200", got)
	}
	size := Get(t, worker, chromedp.Evaluate[int](`fetch("/worker/station/report.xlsx").then(r => r.ok && r.headers.get("Content-Type").includes("spreadsheet") ? r.arrayBuffer() : new ArrayBuffer(0)).then(b => b.byteLength)`, chromedp.EvalAwaitPromise))
	if size < 1000 {
		t.Errorf("xlsx export: %d bytes", size)
	}
}

// A write-off form sent three times (two at once, then the click) takes the
// goods off the shelf once.
func TestStockFormsWriteOnce(t *testing.T) {
	t.Parallel()
	srv, _, _, _ := stationServer(t)
	tab := NewTab(t)
	srv.Login(t, tab, "clerk")
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/stock"), chromedp.WaitVisible(chromedp.CSS("#writeoff-form")))
	goodID := Get(t, tab, chromedp.Evaluate[string](`document.querySelector("#wo-good").value`))
	before, err := station.GetGood(context.Background(), srv.App.DB, srv.CommunityID, goodID)
	if err != nil {
		t.Fatal(err)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#wo-qty"), "1"), chromedp.SetValue(chromedp.CSS("#wo-reason"), "受潮"))
	resend(t, tab, "#writeoff-form")
	ClickAndLoad(t, tab, "#writeoff", "#flash")
	after, _ := station.GetGood(context.Background(), srv.App.DB, srv.CommunityID, goodID)
	if after.Stock != before.Stock-1 {
		t.Fatalf("stock %d → %d after one write-off sent three times, want %d", before.Stock, after.Stock, before.Stock-1)
	}
}

// A clerk changes a good's price and takes it off offer; the shop no longer
// lists it, and a bad price is refused with nothing changed.
func TestClerkEditsAGood(t *testing.T) {
	t.Parallel()
	srv, _, _, _ := stationServer(t)
	tab := NewTab(t)
	srv.Login(t, tab, "clerk")
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/stock"), chromedp.WaitVisible(chromedp.CSS("#writeoff-form")))
	goodID := Get(t, tab, chromedp.Evaluate[string](`document.querySelector("#wo-good").value`))
	Do(t, tab, chromedp.Navigate(srv.URL+"/clerk/stock/"+goodID), chromedp.WaitVisible(chromedp.CSS("#edit-form")),
		chromedp.SetValue(chromedp.CSS("#e-points"), "0"))
	// The browser would stop a zero itself; the server must refuse it too.
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelector("#edit-form").noValidate = true`))
	ClickAndLoad(t, tab, "#save-good", "#error")
	g, _ := station.GetGood(context.Background(), srv.App.DB, srv.CommunityID, goodID)
	if g.Points == 0 || !g.Active {
		t.Fatalf("a zero price was saved: %+v", g)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#e-points"), "99"), chromedp.Click(chromedp.CSS("#e-active")))
	ClickAndLoad(t, tab, "#save-good", "#flash")
	if g, _ = station.GetGood(context.Background(), srv.App.DB, srv.CommunityID, goodID); g.Points != 99 || g.Active {
		t.Fatalf("after saving: %+v, want 99 points and off offer", g)
	}
	goods, _ := station.ListGoods(context.Background(), srv.App.DB, srv.CommunityID)
	for _, og := range goods {
		if og.ID == goodID {
			t.Fatalf("a good off offer is still listed in the shop")
		}
	}
}

// expiredCode is a real code of the resident, issued an hour ago.
func expiredCode(t *testing.T, srv *Server, rid string) string {
	t.Helper()
	past := credit.NewCodes(srv.App.DB, civic.NewFixedClock(time.Now().Add(-time.Hour)), srv.App.Registry)
	code, _, err := past.Rotating(context.Background(), srv.CommunityID, rid)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// otherCommunityCode is a real, current code of a resident of another
// community of the installation.
func otherCommunityCode(t *testing.T, srv *Server) string {
	t.Helper()
	ctx := context.Background()
	var other string
	err := srv.App.DB.WithTx(ctx, func(tx *db.Tx) error {
		c, err := registry.CreateCommunity(ctx, tx, registry.Community{Slug: "qita", Name: "其他社区", District: "衢江区", PointsName: "其他分", CreatedAt: time.Now()})
		other = c.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rid := demoResident(t, srv.App, other)
	code, _, err := srv.App.Codes.Rotating(ctx, other, rid)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
