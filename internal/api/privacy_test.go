package api_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"civicpoints/internal/api"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// The privacy canary: sensitive values are planted (a full ID number and
// phone, a resident put in the red group with a reason, a red-group care
// visit with notes), then every API GET is crawled as every role, with
// every id the day's work made, and no answer may carry a planted value, a
// red label, or (for anyone but the community's workers) a full name.
func TestEveryGetLeaksNoCanary(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for _, steps := range []func(*world) []step{ledgerSteps, catalogueSteps, earningSteps, registrySteps, stationSteps} {
			w.run(steps(w))
		}
		ctx := context.Background()
		granted := civic.Actor{UserID: "w-red", Name: "红组社工", Role: civic.RoleWorker, CommunityID: w.scratch.CommunityID,
			Grants: []string{registry.GrantRed}}
		red := w.vars["zhang"]
		if _, err := w.app.Registry.SetRed(ctx, granted, idem.Key("canary-red"), registry.SetRedRequest{Community: w.scratch.CommunityID,
			Resident: red, Red: true, Reason: "CANARY-RED-REASON"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.Registry.RecordVisit(ctx, granted, idem.Key("canary-visit"), registry.RecordVisitRequest{Community: w.scratch.CommunityID,
			NewVisit: registry.NewVisit{ResidentID: red, Method: "door", Notes: "CANARY-RED-VISIT"}}); err != nil {
			t.Fatal(err)
		}
		canaries := []string{canaryID, canaryPhone, "CANARY-RED", `"red"`}
		fullName := "张丽华"
		// The ids to put in each path, by the segment before them.
		ids := map[string][]string{
			"residents": {red, w.vars["r0"]}, "households": {w.vars["hh"]}, "activities": {w.vars["act"]}, "goods": {w.vars["oil"]},
			"orders": {w.vars["order"]}, "suggestions": {w.vars["sug"]}, "indicators": {"volunteer_hours"},
		}
		queries := []string{"", "?limit=500", "?resident=" + red, "?household=" + w.vars["hh"], "?estate=" + w.vars["estate2"],
			"?estate=" + w.vars["estate2"] + "&name=张", "?include_left=true", "?status=adopted", "?all=true"}
		crawled := 0
		for _, rt := range api.RouteTable() {
			if rt.Method != "GET" {
				continue
			}
			for _, path := range fillIDs(strings.Replace(rt.Path, "{c}", "chunjiang", 1), ids) {
				for _, q := range queries {
					for _, role := range roles {
						w.clock.Advance(200 * 1e6) // 0.2 s: the crawl stays under every token's rate
						a := w.call("GET", path+q, w.tokens[role], "", "", "")
						crawled++
						body := string(a.raw)
						for _, c := range canaries {
							if strings.Contains(body, c) {
								t.Errorf("%s%s as %s shows %s: %s", path, q, role, c, body)
							}
						}
						if role != "worker" && strings.Contains(body, fullName) {
							t.Errorf("%s%s as %s shows a full name: %s", path, q, role, body)
						}
					}
				}
			}
		}
		if crawled < 500 {
			t.Fatalf("crawled only %d answers", crawled)
		}
		// The planted values are there to be found: a worker's record of
		// the resident carries the masked ID, never the full one.
		a := w.call("GET", "/api/v1/communities/chunjiang/registry/residents/"+red, w.tokens["worker"], "", "", "")
		if a.status != 200 || a.field("id_masked") == "" {
			t.Fatalf("the canary resident: %d %s", a.status, a.raw)
		}
	})
}

var pathID = regexp.MustCompile(`/([a-z-]+)/\{[a-z_]+\}`)

// fillIDs gives every path the ids of ids for the segment before each
// placeholder.
func fillIDs(path string, ids map[string][]string) []string {
	m := pathID.FindStringSubmatchIndex(path)
	if m == nil {
		return []string{path}
	}
	var out []string
	seg := path[m[2]:m[3]]
	for _, id := range ids[seg] {
		filled := path[:m[3]] + "/" + id + path[m[1]:]
		out = append(out, fillIDs(filled, ids)...)
	}
	return out
}
