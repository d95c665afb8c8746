package api

import "sort"

// RouteList exposes the served routes to the OpenAPI test.
func RouteList() []string {
	out := []string{"GET /api/v1/openapi.json"}
	for _, r := range routes() {
		out = append(out, r.method+" "+r.path)
	}
	sort.Strings(out)
	return out
}
