package cli

import (
	"strings"
	"testing"
)

func TestHelpAndBadFlags(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := run(t, "backup", "--help")
	if code != 0 || stderr != "" || strings.Count(stdout, "civicpoints backup --db PATH --out FILE") != 1 || !strings.Contains(stdout, "CIVICPOINTS_OUT") {
		t.Errorf("backup --help: code %d, stdout %q, stderr %q; want usage once on stdout", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "backup", "--nope")
	if code != 2 || stdout != "" || stderr != "civicpoints backup: flag provided but not defined: -nope; run civicpoints backup --help\n" {
		t.Errorf("backup --nope: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = run(t, "nosuch")
	if code != 2 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("unknown command: code %d, stderr %q", code, stderr)
	}
}
