package browsertest

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// redTwin adds 王强, who has 李强's ordinary data (born 1979-09-09, head of
// an owned household of 江滨苑) and was never red, and gives 李强 a visit
// by a worker holding the red grant: red-group care. It returns 王强's id
// and the two households.
func redTwin(t *testing.T, srv *registryWorld) (twin, liHome, twinHome string) {
	t.Helper()
	ctx := context.Background()
	reg, c := srv.App.Registry, srv.CommunityID
	grant := civic.Actor{UserID: "seed", Name: "种子社工", Role: civic.RoleWorker, CommunityID: c, Grants: []string{registry.GrantRed}}
	h, err := reg.CreateHousehold(ctx, grant, newKey(), registry.CreateHouseholdRequest{Community: c, Estate: srv.Riverside, Building: "9", Room: "601"})
	if err != nil {
		t.Fatal(err)
	}
	if twin, err = idOf(reg.CreateResident(ctx, grant, newKey(), registry.CreateResidentRequest{Community: c, NewResident: registry.NewResident{HouseholdID: h.ID, Name: "王强", Gender: "男", BirthDate: "1979-09-09", Relation: "户主"}})); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.RecordVisit(ctx, grant, newKey(), registry.RecordVisitRequest{Community: c, NewVisit: registry.NewVisit{ResidentID: srv.Li, Method: "door", Notes: "重点人员走访"}}); err != nil {
		t.Fatal(err)
	}
	li, err := reg.Resident(ctx, grant, c, srv.Li)
	if err != nil {
		t.Fatal(err)
	}
	return twin, li.HouseholdID, h.ID
}

// pageFacts is what a page shows of a resident, their name taken out.
func pageFacts(t *testing.T, tab context.Context, name string, css ...string) string {
	t.Helper()
	var b strings.Builder
	for _, c := range css {
		got := Get(t, tab, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(`+strconv.Quote(c)+`)).map(e => e.innerText).join(" | ")`))
		b.WriteString(c + ": " + strings.ReplaceAll(got, name, "NAME") + "\n")
	}
	return b.String()
}

// worker2 holds no red grant: 李强 (red, visited as red-group care) looks to
// them exactly as 王强, who was never red, on every page, list, count and
// export; a red filter is refused with a message that says why.
func TestWorkerWithoutGrantCannotTellRed(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	twin, liHome, twinHome := redTwin(t, srv)
	tab := NewTab(t)
	srv.Login(t, tab, "worker2")
	look := func(path, wait, name string, css ...string) string {
		Do(t, tab, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS(wait)))
		return pageFacts(t, tab, name, css...)
	}
	for _, p := range []struct {
		what, red, twin, wait string
		css                   []string
	}{
		{"resident page", "/worker/registry/residents/" + srv.Li, "/worker/registry/residents/" + twin, "#record",
			[]string{"#resident-colours", "#last-visit", "#visit-due", "#visit-history", "#colour-history"}},
		{"household page", "/worker/registry/households/" + liHome, "/worker/registry/households/" + twinHome, "#members",
			[]string{"#members .chip", "#visit-history", "main > p.muted"}},
	} {
		a := look(p.red, p.wait, "李强", p.css...)
		b := look(p.twin, p.wait, "王强", p.css...)
		if a != b {
			t.Errorf("%s tells them apart:\n李强:\n%s王强:\n%s", p.what, a, b)
		}
	}
	// The lists: due visits, overdue, white; none may hold one and not the other.
	for _, path := range []string{"/worker/visits?scope=all", "/worker/registry?overdue=1", "/worker/registry?estate=" + srv.Riverside + "&colour=white",
		"/worker/registry?estate=" + srv.Riverside} {
		Do(t, tab, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main section.card")))
		text := Text(t, tab, "main")
		if strings.Contains(text, "李强") != strings.Contains(text, "王强") {
			t.Errorf("%s lists one of them only:\n%s", path, text)
		}
	}
	// The counts: 江滨苑 has two white residents as worker2 sees it.
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry?estate="+srv.Riverside), chromedp.WaitVisible(chromedp.CSS("#filter-white")))
	if got := Text(t, tab, "#filter-white"); !strings.Contains(got, "2") {
		t.Errorf("white in 江滨苑 counted %q, want 2", got)
	}
	// The export: the two rows differ in name and address only.
	rows := fetchXLSX(t, tab, "/worker/export/residents.xlsx?estate="+url.QueryEscape(srv.Riverside))
	var li, wang []string
	for _, r := range rows {
		switch r[0] {
		case "李强":
			li = r[1:]
		case "王强":
			wang = r[1:]
		}
	}
	if li == nil || wang == nil {
		t.Fatalf("export rows: %v", rows)
	}
	li[3], wang[3] = "", "" // the address
	if strings.Join(li, "|") != strings.Join(wang, "|") {
		t.Errorf("export tells them apart: 李强 %v, 王强 %v", li, wang)
	}
	// A red filter is refused, saying it needs the grant.
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry?colour=red"), chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := Text(t, tab, "#error"); !strings.Contains(got, "按红色人群筛选需要红色人群权限") {
		t.Errorf("red filter refused with %q", got)
	}
	// The worker holding the grant sees the red label and the care visit.
	tab2 := NewTab(t)
	srv.Login(t, tab2, "worker")
	Do(t, tab2, chromedp.Navigate(srv.URL+"/worker/registry/residents/"+srv.Li), chromedp.WaitVisible(chromedp.CSS("#record")))
	if got := Text(t, tab2, "#resident-colours"); !strings.Contains(got, "红色") {
		t.Errorf("the grant holder sees %q", got)
	}
	if got := Text(t, tab2, "#visit-history"); !strings.Contains(got, "重点人员走访") {
		t.Errorf("the grant holder's visit history: %q", got)
	}
}

// Every page that shows a sensitive field writes exactly one audit entry,
// naming the worker, the page and what it showed; pages that show none
// write nothing. The admin's audit page shows those details.
func TestSensitivePagesAuditOnce(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	ctx := context.Background()
	li, err := srv.App.Registry.Resident(ctx, civic.Actor{UserID: "seed", Role: civic.RoleWorker, CommunityID: srv.CommunityID, Grants: []string{registry.GrantRed}}, srv.CommunityID, srv.Li)
	if err != nil {
		t.Fatal(err)
	}
	tab := NewTab(t)
	srv.Login(t, tab, "worker2")
	count := func() int {
		log, err := srv.App.Auth.AuditLog(ctx, srv.CommunityID, "", 500)
		if err != nil {
			t.Fatal(err)
		}
		return len(log)
	}
	fetch := func(method, path, body string) {
		t.Helper()
		js := `fetch(` + strconv.Quote(path) + `, {method: ` + strconv.Quote(method) + `, headers: {"Content-Type": "application/x-www-form-urlencoded"}` +
			map[bool]string{true: `, body: ` + strconv.Quote(body), false: ``}[body != ""] + `}).then(r => r.status)`
		if code := Get(t, tab, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise)); code != 200 {
			t.Fatalf("%s %s: %d", method, path, code)
		}
	}
	for _, p := range []struct {
		method, path, body, page string
		entries                  int
	}{
		{"GET", "/worker/registry", "", "GET /worker/registry", 1},
		{"GET", "/worker/registry?colour=blue&overdue=1", "", "GET /worker/registry", 1},
		{"GET", "/worker/registry/residents/" + srv.Li, "", "GET /worker/registry/residents/{id}", 1},
		{"POST", "/worker/registry/residents/" + srv.Mao + "/open", "why=" + url.QueryEscape("核对电话"), "POST /worker/registry/residents/{id}/open", 1},
		{"GET", "/worker/registry/households/" + li.HouseholdID, "", "GET /worker/registry/households/{id}", 1},
		{"GET", "/worker/registry/estates/" + srv.Garden + "?addr=3", "", "GET /worker/registry/estates/{id}", 1},
		{"GET", "/worker/visits?scope=all", "", "GET /worker/visits", 1},
		{"GET", "/worker/export/residents.xlsx?estate=" + srv.Garden, "", "GET /worker/export/residents.xlsx", 1},
		{"GET", "/worker/export", "", "", 0},
		{"GET", "/worker", "", "", 0},
	} {
		before := count()
		fetch(p.method, p.path, p.body)
		if got := count() - before; got != p.entries {
			t.Errorf("%s %s wrote %d audit entries, want %d", p.method, p.path, got, p.entries)
			continue
		}
		if p.entries == 0 {
			continue
		}
		log, _ := srv.App.Auth.AuditLog(ctx, srv.CommunityID, "", 1)
		if e := log[0]; e.Page != p.page || e.ActorName == "" || len(e.Details()) < 2 {
			t.Errorf("%s %s: entry %+v lacks the page, the viewer or what it showed", p.method, p.path, e)
		}
	}
	// The admin sees which page, how many residents and what was shown.
	admin := NewTab(t)
	srv.Login(t, admin, "admin")
	Do(t, admin, chromedp.Navigate(srv.URL+"/admin/audit?community=chunjiang"), chromedp.WaitVisible(chromedp.CSS("#audit")))
	row := Get(t, admin, chromedp.Evaluate[string](`document.querySelector('.audit-row[data-action="registry.read_household"]').innerText`))
	for _, want := range []string{"查看户信息", "演示社工", "GET /worker/registry/households/{id}", "居民数: 1", "六色分类、租住情况、残疾户、走访记录"} {
		if !strings.Contains(row, want) {
			t.Errorf("the household page's entry lacks %q:\n%s", want, row)
		}
	}
	row = Get(t, admin, chromedp.Evaluate[string](`document.querySelector('.audit-row[data-action="registry.export"]').innerText`))
	if !strings.Contains(row, "estate="+srv.Garden) || !strings.Contains(row, "居民数: 3") {
		t.Errorf("the export's entry lacks its filter or count:\n%s", row)
	}
}
