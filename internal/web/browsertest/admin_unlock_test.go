package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/civic"
)

// A worker whose account guessing from many addresses has locked is
// unlocked by the admin on the worker's page, with a reason kept in the
// audit log; a resent form changes nothing more; the worker logs in again.
func TestAdminUnlocksALockedAccount(t *testing.T) {
	t.Parallel()
	srv := NewServer(t)
	ctx := context.Background()
	s := srv.App.Auth
	for i := range s.AccountLimit {
		_, _ = s.Login(ctx, "worker", "guess", fmt.Sprintf("10.8.%d.%d", i/250, i%250))
	}
	if _, err := s.Login(ctx, "worker", srv.Password("worker"), "198.51.100.1"); civic.ErrorCode(err) != civic.TooManyRequests {
		t.Fatalf("the account is not locked: %v", err)
	}
	id := userID(t, srv, "worker")

	tab := phoneTab(t, srv, "admin")
	open(t, tab, srv.URL+"/admin/users/"+id, "#unlock-form")
	if got := Text(t, tab, "#user-locked"); !strings.Contains(got, "锁定至") {
		t.Errorf("lock shown as %q", got)
	}
	// No reason (the browser's own check taken away): refused, nothing done.
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelector("#unlock-reason").removeAttribute("required"); true`))
	submit(t, tab, "#unlock-submit")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "原因") {
		t.Errorf("unlock without a reason: %q", got)
	}
	if _, err := s.Login(ctx, "worker", srv.Password("worker"), "198.51.100.1"); civic.ErrorCode(err) != civic.TooManyRequests {
		t.Fatalf("a refused unlock unlocked: %v", err)
	}
	// Sent three times with one key (a double click, then the click): one
	// unlock, one audit entry; the last answer says it had been sent.
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#unlock-reason"), "本人来电确认，密码未泄露"))
	resend(t, tab, "#unlock-form")
	submit(t, tab, "#unlock-submit")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "已解除 worker 的登录锁定") {
		t.Errorf("after unlocking: %q", got)
	}
	if got := shown(t, tab, "#replayed"); got == "" {
		t.Errorf("the resent form is not called a replay")
	}
	if Get(t, tab, chromedp.Evaluate[bool](`!!document.querySelector("#unlock-form")`)) {
		t.Errorf("the unlock form is still shown")
	}
	if _, err := s.Login(ctx, "worker", srv.Password("worker"), "198.51.100.1"); err != nil {
		t.Fatalf("after the unlock: %v", err)
	}
	n := 0
	for _, a := range auditActions(t, srv, srv.CommunityID) {
		if a == "auth.user_unlock" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d unlock entries in the audit log, want 1", n)
	}
}
