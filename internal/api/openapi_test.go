package api_test

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"testing"

	"civicpoints/internal/api"
	"civicpoints/internal/auth"
)

var update = flag.Bool("update", false, "rewrite openapi.json from the route table")

// The committed document is the one the route table generates: a route
// added without regenerating it (go test ./internal/api -run
// TestOpenAPIDocument -update) fails here.
func TestOpenAPIDocument(t *testing.T) {
	got, err := api.Document()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("openapi.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("openapi.json is not what the route table generates; run go test ./internal/api -run TestOpenAPIDocument -update")
	}
}

// Every route names a scope a token can hold, roles, a summary and a tag.
func TestRoutesAreDescribed(t *testing.T) {
	for _, r := range api.RouteTable() {
		if !slices.Contains(auth.Scopes, r.Scope) || len(r.Roles) == 0 || r.Summary == "" || r.Tag == "" {
			t.Errorf("%s %s: scope %q, roles %v, summary %q, tag %q", r.Method, r.Path, r.Scope, r.Roles, r.Summary, r.Tag)
		}
	}
}
