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
	"civicpoints/internal/registry"
)

// The district office's set-up from the command line: districts and
// communities are created once by slug (running again confirms them), a
// slug of another district is refused, and a district token is scoped to
// its district.
func TestDistrictCommunityAndTokenCommands(t *testing.T) {
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
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(ctx, append(args, "--db", path), &out, &errb)
		return code, out.String(), errb.String()
	}
	ok := func(want string, args ...string) {
		t.Helper()
		code, out, errs := run(args...)
		if code != 0 || errs != "" || !strings.Contains(out, want) {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, out, errs, want)
		}
	}
	refused := func(want string, args ...string) {
		t.Helper()
		code, out, errs := run(args...)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and one line with %q", args, code, out, errs, want)
		}
	}
	ok("district qujiang (衢江区)", "district", "create", "--slug", "qujiang", "--name", "衢江区")
	ok("district qujiang (衢江区)", "district", "create", "--slug", "qujiang", "--name", "衢江区")
	ok("district kecheng (柯城区)", "district", "create", "--slug", "kecheng", "--name", "柯城区")
	refused("is the district 衢江区 already", "district", "create", "--slug", "qujiang", "--name", "柯城区")
	refused("lower-case letters", "district", "create", "--slug", "Qu Jiang", "--name", "衢江区")
	refused("a name is required", "district", "create", "--slug", "x1")

	ok("community chunjiang (春江社区, 春江分) of district qujiang: created", "community", "create", "--district", "qujiang",
		"--slug", "chunjiang", "--name", "春江社区", "--points-name", "春江分")
	ok("exists", "community", "create", "--district", "qujiang", "--slug", "chunjiang", "--name", "春江社区", "--points-name", "春江分")
	refused("a community of another district", "community", "create", "--district", "kecheng", "--slug", "chunjiang",
		"--name", "春江社区", "--points-name", "春江分")
	refused(`no district "nowhere"`, "community", "create", "--district", "nowhere", "--slug", "x1", "--name", "x", "--points-name", "分")
	refused("--district", "community", "create", "--slug", "x1", "--name", "x", "--points-name", "分")
	refused("calls its points", "community", "create", "--district", "qujiang", "--slug", "x2", "--name", "x")

	c, err := registry.CommunityBySlug(ctx, d, "chunjiang")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("token", "create", "--district", "qujiang", "--role", "district", "--name", "data exchange")
	if code != 0 || errs != "" {
		t.Fatalf("token create --district: exit %d, stderr %q", code, errs)
	}
	a, err := auth.New(d, civic.SystemClock{}).VerifyToken(ctx, strings.TrimSpace(out))
	if err != nil || a.Role != civic.RoleDistrict || a.DistrictID != c.DistrictID || a.CommunityID != "" {
		t.Errorf("VerifyToken = %+v, %v; want a district token of %s", a, err, c.DistrictID)
	}
	refused("district or merchant", "token", "create", "--district", "qujiang", "--role", "worker", "--name", "x")
	refused("belongs to a district", "token", "create", "--role", "district", "--name", "x")
	refused(`no district "nowhere"`, "token", "create", "--district", "nowhere", "--role", "district", "--name", "x")
}
