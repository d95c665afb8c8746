package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/registry"
)

// registryWorld is a server with a small registry: two estates, three
// households, four residents (blue, green, yellow, red) and a resident login
// ("household") for the first of them.
type registryWorld struct {
	*Server
	Garden, Riverside        string // estate ids
	Mao, MaoChild, Zhang, Li string // resident ids
	MaoID                    string // 毛小波's ID number
}

func newRegistryWorld(t *testing.T) *registryWorld {
	t.Helper()
	ctx := context.Background()
	srv := NewServer(t)
	reg := srv.App.Registry
	c := srv.CommunityID
	w := civic.Actor{UserID: "seed", Name: "种子社工", Role: civic.RoleWorker, CommunityID: c, Grants: []string{registry.GrantRed}}
	world := &registryWorld{Server: srv, MaoID: registry.SyntheticID(time.Date(1950, 3, 15, 0, 0, 0, 0, time.UTC), 11, true)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	garden, err := reg.CreateEstate(ctx, w, newKey(), registry.CreateEstateRequest{Community: c, Name: "春江花园"})
	must(err)
	river, err := reg.CreateEstate(ctx, w, newKey(), registry.CreateEstateRequest{Community: c, Name: "江滨苑"})
	must(err)
	world.Garden, world.Riverside = garden.ID, river.ID
	home, err := reg.CreateHousehold(ctx, w, newKey(), registry.CreateHouseholdRequest{Community: c, Estate: garden.ID, Building: "3", Unit: "2", Room: "301"})
	must(err)
	rented, err := reg.CreateHousehold(ctx, w, newKey(), registry.CreateHouseholdRequest{Community: c, Estate: garden.ID, Building: "5", Unit: "1", Room: "102", Tenure: registry.TenureRental})
	must(err)
	flat, err := reg.CreateHousehold(ctx, w, newKey(), registry.CreateHouseholdRequest{Community: c, Estate: river.ID, Building: "8", Room: "601"})
	must(err)
	world.Mao, err = idOf(reg.CreateResident(ctx, w, newKey(), registry.CreateResidentRequest{Community: c, NewResident: registry.NewResident{HouseholdID: home.ID, Name: "毛小波", IDNumber: world.MaoID, Phone: "13812345678", Relation: "户主"}}))
	must(err)
	world.MaoChild, err = idOf(reg.CreateResident(ctx, w, newKey(), registry.CreateResidentRequest{Community: c, NewResident: registry.NewResident{HouseholdID: home.ID, Name: "毛小雨", Gender: "女", BirthDate: "2015-06-01", Relation: "孙女"}}))
	must(err)
	world.Zhang, err = idOf(reg.CreateResident(ctx, w, newKey(), registry.CreateResidentRequest{Community: c, NewResident: registry.NewResident{HouseholdID: rented.ID, Name: "张伟", Gender: "男", BirthDate: "1985-01-20", Relation: "户主"}}))
	must(err)
	world.Li, err = idOf(reg.CreateResident(ctx, w, newKey(), registry.CreateResidentRequest{Community: c, NewResident: registry.NewResident{HouseholdID: flat.ID, Name: "李强", Gender: "男", BirthDate: "1979-09-09", Relation: "户主"}}))
	must(err)
	must(errOf(reg.SetRed(ctx, w, newKey(), registry.SetRedRequest{Community: c, Resident: world.Li, Red: true, Reason: "社区矫正对象"})))
	must(srv.App.DB.WithTx(ctx, func(tx *db.Tx) error {
		_, err := srv.App.Auth.CreateUser(ctx, tx, auth.NewUser{CommunityID: c, Username: "household", Name: "毛小波",
			Password: srv.Password("household"), Role: civic.RoleResident, ResidentID: world.Mao})
		return err
	}))
	return world
}

func TestWorkerSearchesAndOpensARecord(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	tab := NewTab(t)
	srv.Login(t, tab, "worker")
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry"), chromedp.WaitVisible(chromedp.CSS("#search-form")),
		chromedp.SetValue(chromedp.CSS("#q"), "毛"))
	clickAndWait(t, tab, "#search", "q=%E6%AF%9B", "#residents")
	list := Text(t, tab, "#residents")
	if !strings.Contains(list, "毛小波") || !strings.Contains(list, "毛小雨") || strings.Contains(list, "张伟") {
		t.Fatalf("search 毛 lists:\n%s", list)
	}
	// By the last four characters of the ID number.
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#q"), srv.MaoID[14:]))
	clickAndWait(t, tab, "#search", "q="+srv.MaoID[14:], "#residents")
	if list := Text(t, tab, "#residents"); !strings.Contains(list, "毛小波") || strings.Contains(list, "毛小雨") {
		t.Fatalf("search by ID tail lists:\n%s", list)
	}
	Do(t, tab, chromedp.Click(chromedp.CSS("#residents a.resident-link")), chromedp.WaitVisible(chromedp.CSS("#record")))
	if got := Text(t, tab, "#id-number"); got != "3308**********"+srv.MaoID[14:] && !strings.Contains(got, "****") {
		t.Errorf("ID number shown %q before opening, want masked", got)
	}
	if got := Text(t, tab, "#phone"); got != "138****5678" {
		t.Errorf("phone shown %q before opening", got)
	}
	if got := Text(t, tab, "#resident-colours"); !strings.Contains(got, "蓝色") {
		t.Errorf("colours = %q, want blue", got)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#why"), "入户走访核对联系方式"), chromedp.Click(chromedp.CSS("#open-submit")),
		chromedp.WaitVisible(chromedp.CSS("#flash")))
	if got := Text(t, tab, "#id-number"); got != srv.MaoID {
		t.Errorf("opened ID number %q, want %q", got, srv.MaoID)
	}
	if got := Text(t, tab, "#phone"); got != "13812345678" {
		t.Errorf("opened phone %q", got)
	}
	log, err := srv.App.Auth.AuditLog(context.Background(), srv.CommunityID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range log {
		if e.Action == "registry.read_sensitive" && e.SubjectID == srv.Mao && e.Reason == "入户走访核对联系方式" {
			audited = true
		}
	}
	if !audited {
		t.Errorf("opening the record left no audit entry with the reason: %+v", log)
	}
	// Households by address.
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry/estates/"+srv.Garden+"?addr=5-1"), chromedp.WaitVisible(chromedp.CSS("#households")))
	if got := Text(t, tab, "#households"); !strings.Contains(got, "5-1-102") || strings.Contains(got, "3-2-301") {
		t.Errorf("households at 5-1: %q", got)
	}
}

func TestWorkerFiltersByColour(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	for _, tt := range []struct {
		user    string
		seesRed bool
	}{{"worker", true}, {"worker2", false}} {
		t.Run(tt.user, func(t *testing.T) {
			tab := NewTab(t)
			srv.Login(t, tab, tt.user)
			Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry"), chromedp.WaitVisible(chromedp.CSS("#colour-filters")))
			filters := Text(t, tab, "#colour-filters")
			if got := strings.Contains(filters, "红"); got != tt.seesRed {
				t.Errorf("red filter shown = %v, want %v: %q", got, tt.seesRed, filters)
			}
			if !strings.Contains(filters, "黄 1") || !strings.Contains(filters, "绿 1") || !strings.Contains(filters, "蓝 1") {
				t.Errorf("filter counts: %q", filters)
			}
			clickAndWait(t, tab, "#filter-yellow", "colour=yellow", "#residents")
			if got := Text(t, tab, "#residents"); !strings.Contains(got, "张伟") || strings.Contains(got, "毛小波") {
				t.Errorf("yellow lists %q", got)
			}
			Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry/residents/"+srv.Li), chromedp.WaitVisible(chromedp.CSS("#record")))
			colours := Text(t, tab, "#resident-colours")
			if strings.Contains(colours, "红色") != tt.seesRed {
				t.Errorf("%s sees red on 李强's record: %q", tt.user, colours)
			}
			if n := Get(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#red-form").length`)); (n == 1) != tt.seesRed {
				t.Errorf("red form shown %d times", n)
			}
		})
	}
}

func TestWorkerSetsRedWithReason(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	tab := NewTab(t)
	srv.Login(t, tab, "worker")
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry/residents/"+srv.Zhang), chromedp.WaitVisible(chromedp.CSS("#red-form")),
		chromedp.SetValue(chromedp.CSS("#red-reason"), "重点帮扶"), chromedp.Click(chromedp.CSS("#red-submit")),
		chromedp.WaitVisible(chromedp.CSS("#flash")))
	if got := Text(t, tab, "#resident-colours"); !strings.Contains(got, "红色") {
		t.Errorf("after setting red: %q", got)
	}
	if got := Text(t, tab, "#colour-history"); !strings.Contains(got, "重点帮扶") {
		t.Errorf("history lacks the reason: %q", got)
	}
}

func TestWorkerRecordsAVisit(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	tab := NewTab(t)
	srv.Login(t, tab, "worker")
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/visits"), chromedp.WaitVisible(chromedp.CSS("#due")))
	if got := Text(t, tab, "#due"); !strings.Contains(got, "毛小波") || !strings.Contains(got, "李强") {
		t.Fatalf("due list: %q", got)
	}
	// Record from the due list (the form inside the row's details).
	Do(t, tab, chromedp.Click(chromedp.CSS("#due li:first-child summary")),
		chromedp.SetValue(chromedp.CSS("#due li:first-child textarea"), "身体健康，家中整洁"),
		chromedp.Click(chromedp.CSS("#due li:first-child button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#flash")))
	// Record from the resident's page and see it in the history.
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry/residents/"+srv.Mao), chromedp.WaitVisible(chromedp.CSS("#visit-form")),
		chromedp.SetValue(chromedp.CSS("#visit-method"), "phone"),
		chromedp.SetValue(chromedp.CSS("#visit-notes"), "电话询问血压情况"),
		chromedp.Click(chromedp.CSS("#visit-follow")),
		chromedp.Click(chromedp.CSS("#visit-submit")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	hist := Text(t, tab, "#visits")
	if !strings.Contains(hist, "电话询问血压情况") || !strings.Contains(hist, "需要跟进") {
		t.Errorf("visit history: %q", hist)
	}
	if got := Text(t, tab, "#last-visit"); got == "—" {
		t.Errorf("last visit not updated")
	}
	// The household's history shows it too.
	Do(t, tab, chromedp.Click(chromedp.CSS("main > p a")), chromedp.WaitVisible(chromedp.CSS("#members")))
	if got := Text(t, tab, "#visit-history"); !strings.Contains(got, "电话询问血压情况") {
		t.Errorf("household visit history: %q", got)
	}
}

// writeFile writes a test upload and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// clickAndWait clicks css and waits until the page that follows has an URL
// containing urlPart and shows visible: the page before may show it too.
// Evaluating while the page navigates fails, so it retries.
func clickAndWait(t *testing.T, tab context.Context, css, urlPart, visible string) {
	t.Helper()
	Do(t, tab, chromedp.Click(chromedp.CSS(css)))
	expr := `location.href.includes(` + strconv.Quote(urlPart) + `) && document.readyState === "complete"`
	deadline := time.Now().Add(ActionTimeout)
	for {
		ctx, cancel := context.WithTimeout(tab, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after clicking %s, no page at an URL with %q (last error %v)", css, urlPart, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	Do(t, tab, chromedp.WaitVisible(chromedp.CSS(visible)))
}
