package earning_test

import (
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
)

func TestSuggestions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 2)
		r, me, w := f.ids[0], resident(f.c, f.ids[0]), worker(f.c)
		_, err := f.s.Submit(ctx, me, newKey(), earning.SubmitRequest{Community: f.c, Resident: r, Title: "", Body: "…"})
		wantKey(t, err, "earning.title_required")
		_, err = f.s.Submit(ctx, me, newKey(), earning.SubmitRequest{Community: f.c, Resident: r, Title: "无障碍通道", Body: "在江滨健身步道增设无障碍通道", Photo: []byte("not an image")})
		wantKey(t, err, "earning.photo_type")
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		g, err := f.s.Submit(ctx, me, newKey(), earning.SubmitRequest{Community: f.c, Resident: r, Title: "无障碍通道", Body: "在江滨健身步道增设无障碍通道", Photo: png})
		if err != nil || g.PhotoID == "" {
			t.Fatalf("submit: %+v %v", g, err)
		}
		if data, ct, err := f.s.Photo(ctx, f.c, g.PhotoID); err != nil || ct != "image/png" || len(data) != len(png) {
			t.Fatalf("photo: %s %v", ct, err)
		}
		_, err = f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g.ID, Decision: "adopted", Points: 120, Reason: "方便轮椅和童车"})
		wantKey(t, err, "earning.points_range")
		_, err = f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g.ID, Decision: "implemented", Points: 10, Reason: "已建成"})
		wantKey(t, err, "earning.bad_transition")
		g, err = f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g.ID, Decision: "adopted", Points: 50, Reason: "方便轮椅和童车"})
		if err != nil || g.Points != 50 {
			t.Fatalf("adopt: %+v %v", g, err)
		}
		g, err = f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g.ID, Decision: "implemented", Points: 20, Reason: "通道已建成"})
		if err != nil || g.Bonus != 20 || g.Status != "implemented" {
			t.Fatalf("implemented: %+v %v", g, err)
		}
		if got := f.balance(t, r); got != 70 {
			t.Fatalf("balance = %d, want 70", got)
		}
		g2, _ := f.s.Submit(ctx, me, newKey(), earning.SubmitRequest{Community: f.c, Resident: r, Title: "广场舞音量", Body: "晚上九点后降低音量"})
		_, err = f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g2.ID, Decision: "not_adopted", Points: 0, Reason: ""})
		wantKey(t, err, "earning.reason_required")
		if _, err := f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g2.ID, Decision: "not_adopted", Points: 0, Reason: "已有管理规定"}); err != nil {
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
