package browsertest

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// userID finds a user created through the pages.
func userID(t *testing.T, srv *Server, username string) string {
	t.Helper()
	u, err := srv.App.Auth.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// auditActions lists the actions of a community's audit log, newest first.
func auditActions(t *testing.T, srv *Server, communityID string) []string {
	t.Helper()
	es, err := srv.App.Auth.AuditLog(context.Background(), communityID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

func fillNewUser(t *testing.T, tab context.Context, username, name, role, community, password string) {
	t.Helper()
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#new-username"), username), chromedp.SetValue(chromedp.CSS("#new-name"), name),
		chromedp.SetValue(chromedp.CSS("#new-role"), role), chromedp.SetValue(chromedp.CSS("#new-community"), community))
	if password == "" {
		Do(t, tab, chromedp.Click(chromedp.CSS("#pw-generate")))
	} else {
		Do(t, tab, chromedp.Click(chromedp.CSS("#pw-set")), chromedp.SetValue(chromedp.CSS("#password"), password))
	}
}

// An admin creates a worker with a generated password (shown once, not again
// on a resend), the worker logs in with it; bad input is refused with a
// translated message and writes nothing; a reset password works and the old
// one stops; a disabled user cannot log in; all of it is in the audit log.
func TestAdminUsers(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	tab := phoneTab(t, srv, "admin")
	open(t, tab, srv.URL+"/admin", "#whoami")
	ClickAndLoad(t, tab, `nav a[href="/admin/users"]`, "#create-user")
	open(t, tab, srv.URL+"/admin/users?community=chunjiang&role=worker", "#users")
	if got := Text(t, tab, "#users"); !strings.Contains(got, "worker2") || strings.Contains(got, "clerk") {
		t.Errorf("workers of chunjiang: %q", got)
	}

	refusals := []struct{ username, role, community, password, want string }{
		{"worker", "worker", "chunjiang", "", "已被使用"},
		{"lihua", "worker", "chunjiang", "short1", "密码太短"},
		{"lihua", "worker", "chunjiang", "12345678", "太容易被猜到"},
		{"lihua", "clerk", "", "", "必须属于一个社区"},
		{"lihua", "resident", "chunjiang", "", "必须关联一位居民"},
	}
	for _, c := range refusals {
		open(t, tab, srv.URL+"/admin/users", "#create-user")
		fillNewUser(t, tab, c.username, "李华", c.role, c.community, c.password)
		submit(t, tab, "#create-submit")
		if got := shown(t, tab, "#error"); !strings.Contains(got, c.want) {
			t.Errorf("create %s as %s: %q, want %q", c.username, c.role, got, c.want)
		}
	}
	// An unknown community (a stale form) is refused too.
	Do(t, tab, chromedp.Evaluate[chromedp.Void](`document.querySelector("#new-community").add(new Option("x", "nowhere"))`))
	fillNewUser(t, tab, "lihua", "李华", "worker", "nowhere", "")
	submit(t, tab, "#create-submit")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "没有社区") {
		t.Errorf("unknown community: %q", got)
	}
	if _, err := srv.App.Auth.UserByUsername(context.Background(), "lihua"); err == nil {
		t.Fatal("a refused form created the user")
	}

	open(t, tab, srv.URL+"/admin/users", "#create-user")
	fillNewUser(t, tab, "lihua", "李华", "worker", "chunjiang", "")
	Do(t, tab, chromedp.Click(chromedp.CSS("#new-red")), chromedp.SetValue(chromedp.CSS("#new-reason"), "新入职"))
	resend(t, tab, "#create-user") // a double submit: the user is made once
	ClickAndLoad(t, tab, "#create-submit", "#user-title")
	if _, err := srv.App.Auth.UserByUsername(context.Background(), "lihua"); err != nil {
		t.Fatal(err)
	}
	// The resends went first, so this page is a replay: no password to show.
	if got := shown(t, tab, "#replayed"); !strings.Contains(got, "已提交过") {
		t.Errorf("replayed creation: %q", got)
	}

	open(t, tab, srv.URL+"/admin/users", "#create-user")
	fillNewUser(t, tab, "wangfang", "王芳", "clerk", "chunjiang", "")
	ClickAndLoad(t, tab, "#create-submit", "#new-password")
	password := Text(t, tab, "#new-password")
	if len(password) != 12 || !strings.Contains(Text(t, tab, "#shown-once"), "无法再次显示") {
		t.Fatalf("generated password %q, page %q", password, Text(t, tab, "#shown-once"))
	}
	other := NewTab(t)
	srv.SubmitLogin(t, other, "wangfang", password)
	Do(t, other, chromedp.WaitVisible(chromedp.CSS("#whoami")))

	// Reset with a typed password: the old one stops working.
	open(t, tab, srv.URL+"/admin/users/"+userID(t, srv, "wangfang"), "#reset-form")
	Do(t, tab, chromedp.Click(chromedp.CSS("#reset-form #pw-set")), chromedp.SetValue(chromedp.CSS("#reset-form #password"), "Station-2025"),
		chromedp.SetValue(chromedp.CSS("#reset-reason"), "忘记密码"))
	ClickAndLoad(t, tab, "#reset-submit", "#flash")
	srv.SubmitLogin(t, other, "wangfang", password)
	Do(t, other, chromedp.WaitVisible(chromedp.CSS("#error")))
	srv.SubmitLogin(t, other, "wangfang", "Station-2025")
	Do(t, other, chromedp.WaitVisible(chromedp.CSS("#whoami")))

	// Disable needs a reason; then login is refused.
	open(t, tab, srv.URL+"/admin/users/"+userID(t, srv, "wangfang"), "#access-form")
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#access-reason"), "离职"))
	ClickAndLoad(t, tab, "#access-submit", "#flash")
	if got := Text(t, tab, "#user-state"); got != "已停用" {
		t.Errorf("state after disabling: %q", got)
	}
	srv.SubmitLogin(t, other, "wangfang", "Station-2025")
	if got := shown(t, other, "#error"); !strings.Contains(got, "用户名或密码错误") {
		t.Errorf("disabled login: %q", got)
	}

	open(t, tab, srv.URL+"/admin/audit?community=chunjiang", "#audit")
	log := Text(t, tab, "#audit")
	for _, want := range []string{"创建用户", "重置密码", "停用用户", "忘记密码", "离职", "新入职", "演示管理员"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q:\n%s", want, log)
		}
	}
	got := auditActions(t, srv, srv.CommunityID)
	want := []string{"auth.user_disable", "auth.password_reset", "auth.user_create", "auth.user_create"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit actions %v, want %v (one creation per form)", got, want)
	}
}

// A token's secret is shown once; the API takes it until it is revoked;
// both are in the audit log.
func TestAdminTokens(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	tab := phoneTab(t, srv, "admin")
	open(t, tab, srv.URL+"/admin/tokens?community=chunjiang", "#create-token")
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#token-name"), "政务数据平台"), chromedp.SetValue(chromedp.CSS("#token-community"), "chunjiang"),
		chromedp.SetValue(chromedp.CSS("#token-role"), "worker"), chromedp.SetValue(chromedp.CSS("#token-reason"), "数据对接"))
	ClickAndLoad(t, tab, "#token-submit", "#token-created")
	secret := Text(t, tab, "#token-secret")
	if !strings.HasPrefix(secret, "cp_") || !strings.Contains(Text(t, tab, "#secret-warning"), "无法再次显示") {
		t.Fatalf("secret %q", secret)
	}
	api := func() int {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/communities/chunjiang/goods", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := api(); code != http.StatusOK {
		t.Fatalf("API with the new token: %d", code)
	}
	open(t, tab, srv.URL+"/admin/tokens?community=chunjiang", "#tokens")
	if strings.Contains(Text(t, tab, "main"), secret) {
		t.Fatal("the list shows the secret")
	}
	Do(t, tab, chromedp.Click(chromedp.CSS(".token-row summary")), chromedp.SetValue(chromedp.CSS(".revoke-form input[name=reason]"), "对接结束"))
	ClickAndLoad(t, tab, ".revoke-submit", "#flash")
	if got := Text(t, tab, ".token-row .revoked"); !strings.Contains(got, "吊销") {
		t.Errorf("revoked token row: %q", got)
	}
	if code := api(); code != http.StatusUnauthorized {
		t.Errorf("API with the revoked token: %d, want 401", code)
	}
	open(t, tab, srv.URL+"/admin/audit?community=chunjiang", "#audit")
	for _, want := range []string{"创建 API 令牌", "吊销 API 令牌", "对接结束", "数据对接"} {
		if !strings.Contains(Text(t, tab, "#audit"), want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// Only the admin opens the admin pages; the pages are complete in English.
func TestAdminPagesGuardAndEnglish(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	for _, who := range []string{"worker", "district", "resident"} {
		tab := phoneTab(t, srv, who)
		for _, p := range []string{"/admin/users", "/admin/tokens", "/admin/audit", "/admin/users/" + userID(t, srv, "admin")} {
			Do(t, tab, chromedp.Navigate(srv.URL+p), chromedp.WaitVisible(chromedp.CSS("#error")))
			if got := Text(t, tab, "h1"); !strings.Contains(got, "403") {
				t.Errorf("%s opened %s: %q", who, p, got)
			}
		}
		// A POST from another role is refused too, and writes nothing.
		js := `fetch("/admin/users", {method: "POST", body: new URLSearchParams({key: "k1", username: "x1", name: "x", role: "admin", password_mode: "generate"})}).then(r => r.status)`
		if code := Get(t, tab, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise)); code != http.StatusForbidden {
			t.Errorf("%s POST /admin/users: %d", who, code)
		}
	}
	if _, err := srv.App.Auth.UserByUsername(context.Background(), "x1"); err == nil {
		t.Error("a refused POST created a user")
	}

	tab := phoneTab(t, srv, "admin")
	open(t, tab, srv.URL+"/", "#lang-switch")
	ClickAndLoad(t, tab, "#lang-switch", `html[lang="en"] #whoami`)
	pages := map[string]string{"/admin/users": "Users", "/admin/tokens": "API tokens", "/admin/audit": "Audit log",
		"/admin/users/" + userID(t, srv, "worker"): "worker"}
	for p, h1 := range pages {
		open(t, tab, srv.URL+p, "h1")
		if got := Text(t, tab, "h1"); got != h1 {
			t.Errorf("%s: h1 %q, want %q", p, got, h1)
		}
		// Data keeps its language (the community's and the demo users' names).
		body := seedData.ReplaceAllString(Text(t, tab, "main"), "")
		if han.MatchString(body) || rawKey.MatchString(body) || strings.Contains(body, "admin.") {
			t.Errorf("%s is not all English:\n%s", p, body)
		}
	}
}

var (
	han      = regexp.MustCompile(`\p{Han}`)
	seedData = regexp.MustCompile(`演示\S*|春江社区`)
)
