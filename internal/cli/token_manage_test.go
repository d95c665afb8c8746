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

// A listed token can be revoked by its id, and stops working at once.
func TestTokenListAndRevoke(t *testing.T) {
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
		code := Main(ctx, append(args, "--db", path), &out, &errb)
		return code, out.String(), errb.String()
	}
	_, plain, _ := run("token", "create", "--community", "chunjiang", "--role", "clerk", "--name", "counter tablet")
	plain = strings.TrimSpace(plain)
	code, out, _ := run("token", "list", "--community", "chunjiang")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(lines[1], "counter tablet") || strings.Contains(out, plain) {
		t.Fatalf("list: exit %d, %q", code, out)
	}
	id := strings.Fields(lines[1])[0]
	if code, out, errs := run("token", "revoke", "--id", id); code != 0 || !strings.Contains(out, id) {
		t.Fatalf("revoke: exit %d, %q %q", code, out, errs)
	}
	if _, err := auth.New(d, civic.SystemClock{}).VerifyToken(ctx, plain); civic.ErrorCode(err) != civic.Unauthenticated {
		t.Fatalf("revoked token still verifies: %v", err)
	}
	for _, args := range [][]string{{"token", "revoke", "--id", id}, {"token", "revoke"}} {
		if code, out, errs := run(args...); code != 1 || out != "" || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and one line", args, code, out, errs)
		}
	}
}
