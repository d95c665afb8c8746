package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"civicpoints/internal/db"
	"civicpoints/internal/garden"
)

// gardenServer is a test server with the demo garden of 泉井边村 seeded and
// its logins (garden, steward, family).
func gardenServer(t *testing.T) *Server {
	t.Helper()
	srv := NewServer(t)
	ctx, a := context.Background(), srv.App
	op, err := garden.SeedDemoOperator(ctx, a.Garden)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DB.WithTx(ctx, func(tx *db.Tx) error { _, err := a.Auth.SeedGardenUsers(ctx, tx, op.ID); return err }); err != nil {
		t.Fatal(err)
	}
	fam, err := a.Auth.UserByUsername(ctx, "family")
	if err != nil {
		t.Fatal(err)
	}
	if err := garden.SeedDemo(ctx, a.Garden, op, fam.ID); err != nil {
		t.Fatal(err)
	}
	return srv
}

// gardenTab is a fresh tab at 360 px in the language given.
func gardenTab(t *testing.T, srv *Server, lang string) context.Context {
	t.Helper()
	tab := NewTab(t)
	Do(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-form")))
	if lang == "en" {
		ClickAndLoad(t, tab, "#lang-switch", `html[lang="en"] #login-form`)
	}
	return tab
}

// fits checks the page is no wider than the phone and shows no error.
func fits(t *testing.T, tab context.Context, what string) {
	t.Helper()
	if Get(t, tab, chromedp.Evaluate[bool](`!!document.querySelector("#error")`)) {
		t.Fatalf("%s shows an error: %q", what, Text(t, tab, "#error"))
	}
	if !Get(t, tab, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)) {
		t.Errorf("%s is wider than the phone", what)
	}
	if k := rawKey.FindString(Get(t, tab, chromedp.Evaluate[string](`document.body.innerText`))); k != "" {
		t.Errorf("%s shows a catalogue key %q", what, k)
	}
}

func shot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	if dir := os.Getenv("CIVICPOINTS_SHOTS"); dir != "" {
		_ = os.MkdirAll(dir, 0o755)
		Screenshot(t, tab, filepath.Join(dir, name+".png"))
	}
}

func photoFile(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2400, 1800)) // a phone's photo: resized by the server
	for y := 0; y < 1800; y += 3 {
		for x := 0; x < 2400; x += 3 {
			img.Set(x, y, color.RGBA{uint8(x % 255), 160, uint8(y % 255), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "work.png")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A family registers with its phone, adopts a free plot fully hosted with
// a child's nickname (consented), the operator confirms it, the steward does
// a task with a photo, and the family sees the work and books a picking
// time: on a 360 px phone, in both languages.
func TestGardenAdoptToPicking(t *testing.T) {
	t.Parallel()
	for i, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			srv := gardenServer(t)
			fam := gardenTab(t, srv, lang)
			phone := fmt.Sprintf("1370000%04d", 100+i)
			Do(t, fam, chromedp.Navigate(srv.URL+"/garden/register"), chromedp.WaitVisible(chromedp.CSS("#register-form")))
			shot(t, fam, "garden_register_"+lang)
			fits(t, fam, "register")
			Do(t, fam, chromedp.SetValue(chromedp.CSS("#phone"), phone), chromedp.SetValue(chromedp.CSS("#name"), "Ms Test"),
				chromedp.SetValue(chromedp.CSS("#password"), "sunny-pumpkin-42"), chromedp.SetValue(chromedp.CSS("#password2"), "sunny-pumpkin-42"))
			ClickAndLoad(t, fam, "#register-submit", "#plot-grid")
			shot(t, fam, "garden_browse_"+lang)
			fits(t, fam, "browse")

			// The grid's last free plot of the first row of free plots.
			label := Get(t, fam, chromedp.Evaluate[string](`document.querySelector("#plot-grid a.free").dataset.label`))
			ClickAndLoad(t, fam, "#plot-grid a.free", "#adopt-form")
			Do(t, fam, chromedp.Click(chromedp.CSS("#mode-full")), chromedp.SetValue(chromedp.CSS("#family_name"), "Sunflowers"),
				chromedp.SetValue(chromedp.CSS("#nickname"), "Doudou"), chromedp.Click(chromedp.CSS("#nickname_consent")))
			shot(t, fam, "garden_adopt_"+lang)
			fits(t, fam, "adopt")
			ClickAndLoad(t, fam, "#adopt-submit", "#mine-status")
			mine := Get(t, fam, chromedp.Location())
			if got := Text(t, fam, "#plate-name"); got != "Doudou" {
				t.Errorf("plate shows %q, want the consented nickname", got)
			}
			id := mine[strings.LastIndex(mine, "/")+1:]
			id = strings.SplitN(id, "?", 2)[0]

			// The operator confirms it, planted ten days ago.
			op := gardenTab(t, srv, lang)
			srv.Login(t, op, "garden")
			fits(t, op, "operator home")
			Do(t, op, chromedp.Navigate(srv.URL+"/garden/op/adoptions/"+id), chromedp.WaitVisible(chromedp.CSS("#confirm-form")))
			Do(t, op, chromedp.SetValue(chromedp.CSS("#planted_on"), garden.Today(time.Now().AddDate(0, 0, -10))))
			ClickAndLoad(t, op, "#confirm-submit", "#op-status")
			shot(t, op, "garden_op_adoption_"+lang)

			// The steward does the plot's first task with a photo.
			st := gardenTab(t, srv, lang)
			srv.Login(t, st, "steward")
			shot(t, st, "garden_steward_"+lang)
			fits(t, st, "steward queue")
			Do(t, st, chromedp.Navigate(srv.URL+"/garden/steward?after="), chromedp.WaitVisible(chromedp.CSS("#queue")))
			// The queue lists overdue tasks first: this plot's, planted ten days
			// ago, are on its first pages.
			find := fmt.Sprintf(`(() => { const li = document.querySelector('#queue li[data-adoption=%q]'); if (li) li.id = "the-task"; return !!li })()`, id)
			for !Get(t, st, chromedp.Evaluate[bool](find)) {
				if !Get(t, st, chromedp.Evaluate[bool](`!!document.querySelector("a[href^='?after=']")`)) {
					t.Fatalf("no task of plot %s in the steward's queue", label)
				}
				ClickAndLoad(t, st, "a[href^='?after=']", "#queue")
			}
			Do(t, st, chromedp.Click(chromedp.CSS("#the-task summary")), chromedp.SetValue(chromedp.CSS("#the-task input[name=note]"), "watered well"),
				chromedp.SetUploadFiles(chromedp.CSS("#the-task input[type=file]"), []string{photoFile(t)}))
			ClickAndLoad(t, st, "#the-task button[type=submit]", "#flash")

			// The family sees the work with its photo, and books a picking time.
			Do(t, fam, chromedp.Navigate(mine), chromedp.WaitVisible(chromedp.CSS("#work-log")))
			if got := Text(t, fam, "#work-log"); !strings.Contains(got, "watered well") {
				t.Errorf("work log %q lacks the steward's note", got)
			}
			Do(t, fam, chromedp.WaitVisible(chromedp.CSS("#work-log img.evidence")))
			if !Get(t, fam, chromedp.Poll[bool](`document.querySelector("#work-log img.evidence").naturalWidth === 1280`)) {
				t.Error("the evidence photo is not shown at 1280 px wide")
			}
			day := Get(t, fam, chromedp.Evaluate[string](`document.querySelector("#day").min`))
			Do(t, fam, chromedp.SetValue(chromedp.CSS("#day"), day), chromedp.SetValue(chromedp.CSS("#slot"), "pm"))
			ClickAndLoad(t, fam, "#book-submit", "#booking")
			if got := Text(t, fam, "#booking"); !strings.Contains(got, day) {
				t.Errorf("booking shows %q, want %s", got, day)
			}
			shot(t, fam, "garden_mine_"+lang)
			fits(t, fam, "my plot")
			Do(t, fam, chromedp.Navigate(srv.URL+"/garden/plate/"+strings.Split(mine, "/")[6]+"/"+id), chromedp.WaitVisible(chromedp.CSS("#plate-card svg")))
			if got := Text(t, fam, "#plate-card-name"); got != "Doudou" {
				t.Errorf("printed plate shows %q", got)
			}
			shot(t, fam, "garden_plate_"+lang)
		})
	}
}

// The demo family's page at 1280 px, and the operator's and steward's
// pages, for looking at (CIVICPOINTS_SHOTS); each must load without error.
func TestGardenPagesLoad(t *testing.T) {
	t.Parallel()
	srv := gardenServer(t)
	pages := map[string][]string{
		"family":  {"/garden/me", "/garden/events", "/garden/browse"},
		"garden":  {"/garden/op", "/garden/op/adoptions", "/garden/op/map", "/garden/op/setup", "/garden/op/events", "/garden/op/report"},
		"steward": {"/garden/steward"},
	}
	for user, paths := range pages {
		tab := NewTab(t)
		srv.Login(t, tab, user)
		for _, p := range paths {
			for _, w := range []int64{360, 1280} {
				Do(t, tab, chromedp.EmulateViewport(w, 800), chromedp.Navigate(srv.URL+p), chromedp.WaitReady("body"))
				fits(t, tab, user+" "+p)
				shot(t, tab, fmt.Sprintf("garden_%s%s_%d", user, strings.ReplaceAll(p, "/", "_"), w))
			}
		}
		if user == "garden" { // the report's export is a workbook
			href := Get(t, tab, chromedp.Evaluate[string](`document.querySelector("#xlsx").getAttribute("href")`))
			got := Get(t, tab, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.arrayBuffer().then(b => r.status + " " + r.headers.get("Content-Type") + " " + b.byteLength))`, href),
				chromedp.EvalAwaitPromise))
			if !strings.HasPrefix(got, "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet ") {
				t.Errorf("xlsx export: %s", got)
			}
		}
	}
}
