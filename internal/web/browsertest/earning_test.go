package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// everyoneActive stands in for the registry: the browser test's demo
// resident has a login and a points account but no registry record.
type everyoneActive struct{}

func (everyoneActive) ResidentActive(context.Context, string, string) error { return nil }

// earningKey is a fresh idempotency key for a command a test sends directly.
func earningKey() idem.Key { return idem.Key(civic.NewID()) }

// earningServer is a server whose demo resident has an account and the
// default catalogue.
func earningServer(t *testing.T) (*Server, string) {
	t.Helper()
	ctx := context.Background()
	srv := NewServer(t)
	rid := srv.RegisterResident(t)
	srv.App.Earning.Residents = everyoneActive{}
	if err := srv.App.DB.WithTx(ctx, func(tx *db.Tx) error { return ledger.OpenAccount(ctx, tx, srv.CommunityID, rid) }); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Earning.SeedDefaults(ctx, srv.CommunityID); err != nil {
		t.Fatal(err)
	}
	return srv, rid
}

func TestResidentSeesPointsAndReversalReason(t *testing.T) {
	t.Parallel()
	srv, rid := earningServer(t)
	ctx := context.Background()
	w := civic.Actor{UserID: "w", Name: "王社工", Role: civic.RoleWorker, CommunityID: srv.CommunityID}
	res, err := srv.App.Earning.Award(ctx, w, idem.Key("k1"), earning.AwardRequest{Community: srv.CommunityID, Resident: rid, Indicator: earning.SuggestionAdopted, Points: 50, Reason: "江滨健身步道增设无障碍通道"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Earning.Award(ctx, w, idem.Key("k2"), earning.AwardRequest{Community: srv.CommunityID, Resident: rid, Indicator: earning.MediationHelp, Points: 5, Reason: "调解邻里纠纷"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Ledger.ReverseTransfer(ctx, w, "rev-1", ledger.ReverseRequest{Community: srv.CommunityID, Transfer: res.TransferID,
		Reason: "录入错误，应为另一位居民"}); err != nil {
		t.Fatal(err)
	}
	tab := NewTab(t)
	srv.Login(t, tab, "resident")
	Do(t, tab, chromedp.EmulateViewport(360, 740), chromedp.Navigate(srv.URL+"/resident/points"), chromedp.WaitVisible(chromedp.CSS("#history")))
	if got := Text(t, tab, "#balance"); got != "5" {
		t.Errorf("balance shown %q, want 5", got)
	}
	hist := Text(t, tab, "#history")
	for _, want := range []string{"录入错误，应为另一位居民", "江滨健身步道增设无障碍通道", "金点子被采纳", "撤销", "已撤销"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q:\n%s", want, hist)
		}
	}
	if month := Text(t, tab, "#month"); !strings.Contains(month, "社区活动") {
		t.Errorf("month by category = %q", month)
	}
}
