package cli

import (
	"strings"
	"testing"

	"civicpoints/internal/db/dbtest"
)

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	path := dbtest.SQLiteDSN(t)
	for i := range 2 {
		code, stdout, stderr := run(t, "demo", "--db", path, "--log-level", "error")
		if code != 0 || !strings.Contains(stdout, "community chunjiang (春江社区) is ready") {
			t.Fatalf("run %d: code %d, stdout %q, stderr %q", i+1, code, stdout, stderr)
		}
	}
	if code, _, stderr := run(t, "serve", "--db", path, "--addr", "127.0.0.1:bad"); code != 1 || strings.Contains(stderr, "pending migration") {
		t.Errorf("seeded demo should need no migrations: %d %q", code, stderr)
	}
}

func TestDemoCommandFails(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, db, want string }{
		{"unreachable postgres", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "cannot reach PostgreSQL"},
		{"missing folder", "/nonexistent/folder/demo.db", "does not exist"},
		{"bad scheme", "mysql://x", "unknown database scheme"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, "demo", "--db", tt.db)
		if code != 1 || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: code %d, stdout %q, stderr %q; want exit 1 and one line containing %q", tt.name, code, stdout, stderr, tt.want)
		}
	}
}
