package earning_test

import (
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
)

// A worker adds a category and renames it; its code stays, indicators can be
// filed under it; bad input and anyone but the community's worker are refused
// and nothing is written.
func TestSaveCategory(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 0)
		w := worker(f.c)
		c, err := f.s.SaveCategory(ctx, w, newKey(), earning.CategoryRequest{Community: f.c, New: true, Category: earning.Category{Code: "culture", NameZH: " 文化活动 ", NameEN: "Culture", Position: 4}})
		if err != nil {
			t.Fatal(err)
		}
		if c.NameZH != "文化活动" {
			t.Errorf("saved name %q, want it trimmed", c.NameZH)
		}
		if _, err := f.s.SaveCategory(ctx, w, newKey(), earning.CategoryRequest{Community: f.c, Category: earning.Category{Code: "culture", NameZH: "文体活动", NameEN: "Culture and sport", Position: 4}}); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.Category(ctx, f.c, "culture")
		want := earning.Category{Code: "culture", NameZH: "文体活动", NameEN: "Culture and sport", Position: 4}
		if err != nil || got != want {
			t.Errorf("after renaming: %+v, %v; want %+v", got, err, want)
		}
		in := earning.Indicator{Code: "choir", Category: "culture", NameZH: "合唱团", NameEN: "Choir",
			Rule: earning.Rule{Kind: earning.Fixed, Points: 2}}
		if _, err := f.s.SaveIndicator(ctx, w, newKey(), earning.IndicatorRequest{Community: f.c, New: true, Indicator: in}); err != nil {
			t.Fatalf("an indicator in the new category: %v", err)
		}
		cats, _ := f.s.Categories(ctx, f.c)
		before := len(cats)

		other := civic.Actor{UserID: "w2", Role: civic.RoleWorker, CommunityID: "elsewhere"}
		bad := []struct {
			actor civic.Actor
			c     earning.Category
			key   string
		}{
			{w, earning.Category{Code: "Bad Code", NameZH: "甲", NameEN: "A"}, "earning.bad_category_code"},
			{w, earning.Category{Code: "x", NameZH: "甲", NameEN: "A"}, "earning.bad_category_code"},
			{w, earning.Category{Code: "sport", NameZH: " ", NameEN: "Sport"}, "earning.name_required"},
			{w, earning.Category{Code: "sport", NameZH: "体育", NameEN: ""}, "earning.name_required"},
			{w, earning.Category{Code: "sport", NameZH: strings.Repeat("体", 31), NameEN: "Sport"}, "earning.too_long"},
			{w, earning.Category{Code: "sport", NameZH: "体育", NameEN: "Sport", Position: -1}, "earning.bad_position"},
			{resident(f.c, "r1"), earning.Category{Code: "sport", NameZH: "体育", NameEN: "Sport"}, "earning.worker_only"},
			{other, earning.Category{Code: "sport", NameZH: "体育", NameEN: "Sport"}, "earning.worker_only"},
		}
		for _, b := range bad {
			_, err := f.s.SaveCategory(ctx, b.actor, newKey(), earning.CategoryRequest{Community: f.c, New: true, Category: b.c})
			wantKey(t, err, b.key)
		}
		if cats, _ := f.s.Categories(ctx, f.c); len(cats) != before {
			t.Errorf("refused saves wrote categories: %d, want %d", len(cats), before)
		}
		_, err = f.s.Category(ctx, f.c, "sport")
		wantKey(t, err, "earning.no_category")
	})
}
