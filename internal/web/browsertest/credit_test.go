package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/demo"

	"github.com/chromedp/chromedp"
)

// demoServer serves the full demo (district qujiang, three communities, the
// demo resident at 良好 with consent given).
func demoServer(t *testing.T) *Server {
	t.Helper()
	cfg := &config.Config{Lang: "zh-CN", SessionTTL: time.Hour, SecretKey: "browsertest-secret-key-0123456789abcdef"}
	a := app.New(cfg, dbtest.SQLite(t), civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	st, err := demo.Run(context.Background(), a, demo.Steps, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler())
	t.Cleanup(hs.Close)
	return &Server{URL: hs.URL, App: a, CommunityID: st.CommunityID}
}

// shoot saves the page at 360 and 1280 px when CIVICPOINTS_SHOTS names a
// folder, and checks at 360 px that nothing is wider than the phone.
func shoot(t *testing.T, tab context.Context, url, name string) {
	t.Helper()
	dir := os.Getenv("CIVICPOINTS_SHOTS")
	for _, w := range []int64{360, 1280} {
		Do(t, tab, chromedp.EmulateViewport(w, 800), chromedp.Navigate(url), chromedp.WaitReady("body"))
		if w == 360 {
			if wide := Get(t, tab, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > 362`)); wide {
				t.Errorf("%s is wider than a 360 px phone", url)
			}
		}
		if dir != "" {
			_ = os.MkdirAll(dir, 0o755)
			Screenshot(t, tab, filepath.Join(dir, name+"_"+map[int64]string{360: "360", 1280: "1280"}[w]+".png"))
		}
	}
}

func contains(t *testing.T, tab context.Context, css string, want ...string) {
	t.Helper()
	got := Text(t, tab, css)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s = %q, want it to contain %q", css, got, w)
		}
	}
}

// The resident's credit, in both languages: the card on the home and
// points pages, why the level is what it is, and consent withdrawn and
// given again.
func TestResidentCreditPages(t *testing.T) {
	t.Parallel()
	srv := demoServer(t)
	tab := NewTab(t)
	srv.Login(t, tab, "resident")
	// 111 春江分 earned: 5 credit points, 良好; 优秀 at 15 (300 earned).
	contains(t, tab, "#credit-card", "春江分", "良好", "再获得 189 春江分升至 优秀", "九五折")
	shoot(t, tab, srv.URL+"/resident", "credit_resident_home_zh")
	shoot(t, tab, srv.URL+"/resident/points", "credit_resident_points_zh")
	contains(t, tab, "#cc-level", "良好")
	shoot(t, tab, srv.URL+"/resident/credit", "credit_resident_why_zh")
	contains(t, tab, "#events", "基础 → 良好", "因一笔积分奖励")
	contains(t, tab, "#months", "金点子落地实施奖励")
	contains(t, tab, "#ladder", "模范")
	shoot(t, tab, srv.URL+"/resident/consent", "credit_resident_consent_zh")
	contains(t, tab, "#state-merchants", "已授权")
	ClickAndLoad(t, tab, "#withdraw-merchants", "#flash")
	contains(t, tab, "#state-merchants", "未授权")
	contains(t, tab, "#consent-history", "撤回")
	Do(t, tab, chromedp.Navigate(srv.URL+"/resident"), chromedp.WaitVisible(chromedp.CSS("#credit-card")))
	contains(t, tab, "#cc-consent-note", "尚未授权商户")
	Do(t, tab, chromedp.Navigate(srv.URL+"/resident/consent"), chromedp.WaitVisible(chromedp.CSS("#grant-merchants")))
	ClickAndLoad(t, tab, "#grant-merchants", "#flash")
	contains(t, tab, "#state-merchants", "已授权")

	ClickAndLoad(t, tab, "#lang-switch", `html[lang="en"] main`)
	shoot(t, tab, srv.URL+"/resident", "credit_resident_home_en")
	contains(t, tab, "#credit-card", "Good", "Earn 189 more 春江分 to reach Excellent")
	shoot(t, tab, srv.URL+"/resident/credit", "credit_resident_why_en")
	contains(t, tab, "#events", "Basic → Good", "After an award of points")
	shoot(t, tab, srv.URL+"/resident/consent", "credit_resident_consent_en")
	contains(t, tab, "#state-reports", "Authorised")
}

// A worker records a consent given on paper, with a reason.
func TestWorkerRecordsPaperConsent(t *testing.T) {
	t.Parallel()
	srv := demoServer(t)
	list, _, err := srv.App.Registry.ListResidents(context.Background(), srv.CommunityID, "", 80)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, r := range list[1:] { // an adult other than the demo resident
		if age, err := srv.App.Registry.AgeOf(context.Background(), srv.CommunityID, r.ID, time.Now()); err == nil && age >= 18 {
			id = r.ID
			break
		}
	}
	tab := NewTab(t)
	srv.Login(t, tab, "worker2")
	url := srv.URL + "/worker/registry/residents/" + id + "/consent"
	shoot(t, tab, url, "credit_worker_consent_zh")
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#reason-reports"), "本人在窗口签署授权书"))
	ClickAndLoad(t, tab, "#grant-reports", "#flash")
	contains(t, tab, "#state-reports", "已授权")
	contains(t, tab, "#consent-history", "书面", "本人在窗口签署授权书")
	ClickAndLoad(t, tab, "#lang-switch", `html[lang="en"] main`)
	shoot(t, tab, url, "credit_worker_consent_en")
}

// The district office lists its communities, makes one with its first
// worker login (the password shown once, and it logs in), and saves a new
// version of its credit rules, which the history shows.
func TestDistrictOfficePages(t *testing.T) {
	t.Parallel()
	srv := demoServer(t)
	tab := NewTab(t)
	srv.Login(t, tab, "district")
	shoot(t, tab, srv.URL+"/district", "credit_district_home_zh")
	shoot(t, tab, srv.URL+"/district/communities", "credit_district_communities_zh")
	contains(t, tab, "#communities", "春江社区", "江滨社区", "府山社区", "江滨分")
	Do(t, tab,
		chromedp.SetValue(chromedp.CSS("#slug"), "shuangqiao"),
		chromedp.SetValue(chromedp.CSS("#name"), "双桥社区"),
		chromedp.SetValue(chromedp.CSS("#points_name"), "双桥分"),
		chromedp.SetValue(chromedp.CSS("#username"), "sq-worker"),
		chromedp.SetValue(chromedp.CSS("#worker_name"), "双桥社工"))
	ClickAndLoad(t, tab, "#create-community", "#created")
	password := Text(t, tab, "#worker-password")
	contains(t, tab, "#communities", "双桥社区", "双桥分")
	if len(password) < 12 {
		t.Fatalf("worker password %q", password)
	}
	shoot(t, tab, srv.URL+"/district/rules", "credit_district_rules_zh")
	contains(t, tab, "#in-force", "第 1 版", "每 20 积分计 1 信用分")
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#rate"), "25"), chromedp.SetValue(chromedp.CSS("#note"), "上调门槛"))
	ClickAndLoad(t, tab, "#save-rules", "#flash")
	contains(t, tab, "#in-force", "第 2 版", "每 25 积分计 1 信用分")
	contains(t, tab, "#history", "第 2 版", "现行", "上调门槛", "第 1 版", "已被替代", "默认规则")
	// A ladder of two levels is refused, saying why, and nothing changes.
	Do(t, tab, chromedp.Navigate(srv.URL+"/district/rules"), chromedp.WaitVisible(chromedp.CSS("#rules-form")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("code3").value = ""; document.getElementById("code4").value = ""`))
	ClickAndLoad(t, tab, "#save-rules", "#error")
	contains(t, tab, "#error", "等级须有 3 到 10 级")
	contains(t, tab, "#in-force", "第 2 版")

	ClickAndLoad(t, tab, "#lang-switch", `html[lang="en"] main`)
	shoot(t, tab, srv.URL+"/district/communities", "credit_district_communities_en")
	shoot(t, tab, srv.URL+"/district/rules", "credit_district_rules_en")
	contains(t, tab, "#history", "Version 2", "in force", "superseded")

	worker := NewTab(t)
	srv.SubmitLogin(t, worker, "sq-worker", password)
	Do(t, worker, chromedp.WaitVisible(chromedp.CSS("#whoami")))
	contains(t, worker, "#whoami", "双桥社区")
}
