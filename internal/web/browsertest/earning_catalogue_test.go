package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A worker adds a category on the catalogue page (a resent form adds it
// once), cannot add a second under the same code, renames one, and files an
// indicator under the new category; the page fits a phone.
func TestCatalogueCategories(t *testing.T) {
	t.Parallel()
	srv, _ := earningServer(t)
	tab := phoneTab(t, srv, "worker")
	ctx := context.Background()
	open(t, tab, srv.URL+"/worker/catalogue", "#catalogue")
	count := func() int {
		cats, err := srv.App.Earning.Categories(ctx, srv.CommunityID)
		if err != nil {
			t.Fatal(err)
		}
		return len(cats)
	}
	before := count()

	Do(t, tab, chromedp.Click(chromedp.CSS("#new-category summary")), chromedp.WaitVisible(chromedp.CSS("#category-code")),
		chromedp.SetValue(chromedp.CSS("#category-code"), "culture"), chromedp.SetValue(chromedp.CSS("#category-zh"), "文化活动"),
		chromedp.SetValue(chromedp.CSS("#category-en"), "Culture"), chromedp.SetValue(chromedp.CSS("#category-position"), "4"))
	resend(t, tab, "#category-form")
	submit(t, tab, "#add-category")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "已保存类别「文化活动」") {
		t.Errorf("after adding: %q", got)
	}
	if got := Text(t, tab, "#category-culture"); !strings.Contains(got, "文化活动") {
		t.Errorf("the new category shows %q", got)
	}
	if n := count(); n != before+1 {
		t.Errorf("%d categories after adding one (sent three times), want %d", n, before+1)
	}

	// The same code again, with another name: refused, the form kept.
	Do(t, tab, chromedp.Click(chromedp.CSS("#new-category summary")), chromedp.WaitVisible(chromedp.CSS("#category-code")),
		chromedp.SetValue(chromedp.CSS("#category-code"), "culture"), chromedp.SetValue(chromedp.CSS("#category-zh"), "文艺"),
		chromedp.SetValue(chromedp.CSS("#category-en"), "Arts"))
	submit(t, tab, "#add-category")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "已有代码为 \"culture\" 的类别") {
		t.Errorf("a second category culture: %q", got)
	}
	if got := Get(t, tab, chromedp.Evaluate[string](`document.querySelector("#category-zh").value`)); got != "文艺" {
		t.Errorf("the refused form kept %q", got)
	}

	// Rename a default category; a name left empty is refused first.
	sel := "#category-volunteer"
	Do(t, tab, chromedp.Click(chromedp.CSS(sel+" details.rename-category summary")), chromedp.WaitVisible(chromedp.CSS("#rename-zh-volunteer")),
		chromedp.SetValue(chromedp.CSS("#rename-zh-volunteer"), " "))
	Get(t, tab, chromedp.Evaluate[bool](`document.querySelectorAll("form").forEach(f => f.noValidate = true); true`))
	submit(t, tab, sel+" button.save-category")
	if got := shown(t, tab, "#error"); !strings.Contains(got, "中英文名称都必须填写") {
		t.Errorf("an empty name: %q", got)
	}
	Do(t, tab, chromedp.SetValue(chromedp.CSS("#rename-zh-volunteer"), "志愿者服务"),
		chromedp.SetValue(chromedp.CSS("#rename-en-volunteer"), "Volunteering"))
	submit(t, tab, sel+" button.save-category")
	if got := shown(t, tab, "#flash"); !strings.Contains(got, "志愿者服务") {
		t.Errorf("after renaming: %q", got)
	}
	c, err := srv.App.Earning.Category(ctx, srv.CommunityID, "volunteer")
	if err != nil || c.NameZH != "志愿者服务" || c.NameEN != "Volunteering" {
		t.Errorf("renamed category: %+v, %v", c, err)
	}

	// The indicator editor offers the new category.
	open(t, tab, srv.URL+"/worker/catalogue/new", "#indicator-form")
	if got := Text(t, tab, "#category"); !strings.Contains(got, "文化活动") {
		t.Errorf("the indicator form's categories: %q", got)
	}
}
