package api

import (
	"sort"

	"civicpoints/internal/civic"
)

// RouteList exposes the served routes to the OpenAPI test.
func RouteList() []string {
	out := []string{"GET /api/v1/docs", "GET /api/v1/openapi.json"}
	for _, r := range routes() {
		out = append(out, r.method+" "+r.path)
	}
	sort.Strings(out)
	return out
}

// RouteInfo is what the tests read of a route.
type RouteInfo struct {
	Method, Path, Scope, Summary, Tag string
	Roles                             []civic.Role
	Body                              bool
	List                              int
}

// RouteTable exposes the route table to the tests.
func RouteTable() []RouteInfo {
	var out []RouteInfo
	for _, r := range routes() {
		out = append(out, RouteInfo{r.method, r.path, r.scope, r.doc.summary, r.doc.tag, r.roles, r.doc.body != nil, r.doc.list})
	}
	return out
}
