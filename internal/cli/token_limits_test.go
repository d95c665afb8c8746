package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// token create --scope --expires --rate makes a token with those limits,
// token list shows them, and bad values are one-line errors.
func TestTokenCreateWithLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := dbtest.SQLiteDSN(t)
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	dbtest.Community(t, d, "chunjiang")
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(ctx, append([]string{"token", "create", "--db", path, "--community", "chunjiang", "--role", "worker", "--name", "bridge"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, errs := run("--scope", "registry:read,awards:write", "--expires", "30d", "--rate", "120")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	g, err := auth.New(d, civic.SystemClock{}).TokenGrant(ctx, strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(g.Scopes, g.RatePerMinute), "[awards:write registry:read] 120"; got != want {
		t.Errorf("limits %s, want %s", got, want)
	}
	if days := time.Until(g.ExpiresAt).Hours() / 24; days < 29.9 || days > 30.1 {
		t.Errorf("expires in %.1f days, want 30", days)
	}
	var list bytes.Buffer
	if code := Main(ctx, []string{"token", "list", "--db", path, "--community", "chunjiang"}, &list, &list); code != 0 ||
		!strings.Contains(list.String(), "awards:write,registry:read") || !strings.Contains(list.String(), "120/min") {
		t.Errorf("token list: %s", list.String())
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--scope", "everything"}, `unknown scope "everything"`},
		{[]string{"--expires", "soon"}, "--expires takes"},
		{[]string{"--expires", "2001-01-01"}, "must be in the future"},
		{[]string{"--rate", "-1"}, "rate limit"},
	} {
		code, out, errs := run(tt.args...)
		if code != 1 || out != "" || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tt.args, code, out, errs, tt.want)
		}
	}
}
