package earning_test

import (
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func TestSuggestions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 2)
		r, me, w := f.ids[0], resident(f.c, f.ids[0]), worker(f.c)
		_, err := f.s.Submit(ctx, me, f.c, r, "", "…", nil)
		wantKey(t, err, "earning.title_required")
		_, err = f.s.Submit(ctx, me, f.c, r, "无障碍通道", "在江滨健身步道增设无障碍通道", []byte("not an image"))
		wantKey(t, err, "earning.photo_type")
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		g, err := f.s.Submit(ctx, me, f.c, r, "无障碍通道", "在江滨健身步道增设无障碍通道", png)
		if err != nil || g.PhotoID == "" {
			t.Fatalf("submit: %+v %v", g, err)
		}
		if data, ct, err := f.s.Photo(ctx, f.c, g.PhotoID); err != nil || ct != "image/png" || len(data) != len(png) {
			t.Fatalf("photo: %s %v", ct, err)
		}
		_, err = f.s.Review(ctx, w, f.c, g.ID, "adopted", 120, "方便轮椅和童车")
		wantKey(t, err, "earning.points_range")
		_, err = f.s.Review(ctx, w, f.c, g.ID, "implemented", 10, "已建成")
		wantKey(t, err, "earning.bad_transition")
		g, err = f.s.Review(ctx, w, f.c, g.ID, "adopted", 50, "方便轮椅和童车")
		if err != nil || g.Points != 50 {
			t.Fatalf("adopt: %+v %v", g, err)
		}
		g, err = f.s.Review(ctx, w, f.c, g.ID, "implemented", 20, "通道已建成")
		if err != nil || g.Bonus != 20 || g.Status != "implemented" {
			t.Fatalf("implemented: %+v %v", g, err)
		}
		if got := f.balance(t, r); got != 70 {
			t.Fatalf("balance = %d, want 70", got)
		}
		g2, _ := f.s.Submit(ctx, me, f.c, r, "广场舞音量", "晚上九点后降低音量", nil)
		_, err = f.s.Review(ctx, w, f.c, g2.ID, "not_adopted", 0, "")
		wantKey(t, err, "earning.reason_required")
		if _, err := f.s.Review(ctx, w, f.c, g2.ID, "not_adopted", 0, "已有管理规定"); err != nil {
			t.Fatal(err)
		}
		mine, _ := f.s.SuggestionsOf(ctx, f.c, r)
		if len(mine) != 2 || mine[0].Status != "not_adopted" || mine[0].Reason != "已有管理规定" {
			t.Fatalf("mine = %+v", mine)
		}
		sum, err := f.s.MonthSummary(ctx, f.c, r, f.clock.Now())
		if err != nil || len(sum) != 1 || sum[0].Category.Code != "suggestions" || sum[0].Points != 70 {
			t.Fatalf("summary = %+v %v", sum, err)
		}
	})
}
