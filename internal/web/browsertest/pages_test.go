package browsertest

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestEachRoleSeesItsHome(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	tests := []struct{ user, path, title, role string }{
		{"resident", "/resident", "居民首页", "居民"},
		{"worker", "/worker", "社区工作者首页", "社区工作者"},
		{"worker2", "/worker", "社区工作者首页", "社区工作者"},
		{"clerk", "/clerk", "诚信驿站首页", "驿站管理员"},
		{"merchant", "/merchant", "商户首页", "商户"},
		{"district", "/district", "区信用办首页", "区信用办"},
		{"admin", "/admin", "系统管理首页", "系统管理员"},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			tab := NewTab(t)
			srv.Login(t, tab, tt.user)
			loc, title := Get(t, tab, chromedp.Location()), Get(t, tab, chromedp.Title())
			if !strings.HasSuffix(loc, tt.path) || !strings.HasPrefix(title, tt.title) {
				t.Errorf("landed on %s titled %q, want %s titled %q", loc, title, tt.path, tt.title)
			}
			if got := Text(t, tab, "#role"); got != tt.role {
				t.Errorf("role shown %q, want %q", got, tt.role)
			}
			if !strings.Contains(Text(t, tab, "#whoami h1"), "演示") {
				t.Errorf("home does not greet the user by name")
			}
			if tt.path != "/district" && tt.path != "/admin" {
				if got := Text(t, tab, "#community"); got != "春江社区" {
					t.Errorf("community shown %q", got)
				}
			}
		})
	}
}

func TestLanguageSwitchIsRemembered(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	tab := NewTab(t)
	srv.Login(t, tab, "worker")
	if got := Text(t, tab, "#lang-switch"); got != "English" {
		t.Fatalf("switch reads %q, want English", got)
	}
	Do(t, tab, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #whoami`)))
	if got := Text(t, tab, "#role"); got != "Community worker" {
		t.Errorf("after switching, role reads %q", got)
	}
	Do(t, tab, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#whoami")))
	if got := Text(t, tab, "#role"); got != "Community worker" {
		t.Errorf("after reload, role reads %q, want English", got)
	}
	// Log out: the login page says so, still in English.
	Do(t, tab, chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	if got := Text(t, tab, "#flash"); got != "You have logged out" {
		t.Errorf("after logout: %q", got)
	}
	// The home page now needs a login again.
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker"), chromedp.WaitVisible(chromedp.CSS("#login-form")))
	// And back to Chinese.
	Do(t, tab, chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="zh-CN"] #login-form`)))
	if got := Text(t, tab, "#login-submit"); got != "登录" {
		t.Errorf("login button reads %q after switching back", got)
	}
}

func TestWrongPasswordShowsError(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	tab := NewTab(t)
	srv.SubmitLogin(t, tab, "clerk", "not-the-password")
	Do(t, tab, chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := Text(t, tab, "#error"); got != "用户名或密码错误" {
		t.Errorf("error reads %q", got)
	}
	if v := Get(t, tab, chromedp.Value(chromedp.CSS("#username"))); v != "clerk" {
		t.Errorf("username field keeps %q, want clerk", v)
	}
}

// Pages are mobile first: at 360 px nothing scrolls sideways.
func TestFitsA360PixelPhone(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	tab := NewTab(t)
	Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	fits := `document.documentElement.scrollWidth <= window.innerWidth`
	Do(t, tab, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-form")))
	if !Get(t, tab, chromedp.Evaluate[bool](fits)) {
		t.Errorf("the login page is wider than 360 px")
	}
	for _, user := range []string{"resident", "worker"} {
		srv.Login(t, tab, user)
		if !Get(t, tab, chromedp.Evaluate[bool](fits)) {
			t.Errorf("the %s home page is wider than 360 px", user)
		}
		Do(t, tab, chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	}
}
