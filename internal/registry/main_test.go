package registry

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs the package's property tests with 30 random cases each
// (rapid's default is 100), unless -rapid.checks says otherwise: the privacy
// property builds twins through every page's read on both engines, and 100
// cases made it the one test that held `make test` past its budget. Run
// `go test ./internal/registry -rapid.checks=1000` for a deep search.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set {
		_ = flag.Set("rapid.checks", "30")
	}
	os.Exit(m.Run())
}
