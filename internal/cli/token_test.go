package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func TestTokenCreate(t *testing.T) {
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
	communityID := dbtest.Community(t, d, "chunjiang")

	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(ctx, append([]string{"token", "create", "--db", path}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, errs := run("--community", "chunjiang", "--role", "worker", "--name", "kiosk")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	plain := strings.TrimSuffix(out, "\n")
	if strings.ContainsAny(plain, " \n") || !strings.HasPrefix(plain, "cp_") {
		t.Fatalf("stdout %q is not the token alone", out)
	}
	a, err := auth.New(d, civic.SystemClock{}).VerifyToken(ctx, plain)
	if err != nil || a.Role != civic.RoleWorker || a.CommunityID != communityID || a.Name != "kiosk" {
		t.Errorf("VerifyToken = %+v, %v", a, err)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--community", "nowhere", "--role", "worker", "--name", "x"}, `no community "nowhere"`},
		{[]string{"--community", "chunjiang", "--role", "mayor", "--name", "x"}, `unknown role "mayor"`},
		{[]string{"--community", "chunjiang", "--role", "worker"}, "needs a name"},
		{[]string{"--role", "worker", "--name", "x"}, "belongs to a community"},
	}
	for _, tt := range tests {
		code, out, errs := run(tt.args...)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and one line with %q", tt.args, code, out, errs, tt.want)
		}
	}
}
