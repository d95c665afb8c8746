package earning_test

import (
	"math"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
)

// The catalogue's caps and positions are bounded and its descriptions capped
// in runes; each refusal names the bound and changes nothing.
func TestIndicatorBounds(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		w := worker(f.c)
		base, err := f.s.Indicator(ctx, f.c, earning.MediationHelp)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			edit func(*earning.Indicator)
			key  string
		}{
			{"day cap of 2⁶³−1", func(in *earning.Indicator) { in.CapDay = math.MaxInt64 }, "earning.cap_too_large"},
			{"month cap past the bound", func(in *earning.Indicator) { in.CapMonth = civic.MaxPoints + 1 }, "earning.cap_too_large"},
			{"year cap past the bound", func(in *earning.Indicator) { in.CapYear = civic.MaxPoints + 1 }, "earning.cap_too_large"},
			{"position past the bound", func(in *earning.Indicator) { in.Position = math.MaxInt32 }, "earning.bad_position"},
			{"negative position", func(in *earning.Indicator) { in.Position = -1 }, "earning.bad_position"},
			{"Chinese description", func(in *earning.Indicator) { in.DescZH = strings.Repeat("调", civic.MaxText+1) }, "earning.description_long"},
			{"English description", func(in *earning.Indicator) { in.DescEN = strings.Repeat("x", civic.MaxText+1) }, "earning.description_long"},
		}
		for _, tt := range tests {
			in := base
			tt.edit(&in)
			_, err := f.s.SaveIndicator(ctx, w, f.c, in)
			if e := civic.AsError(err); e == nil || e.Key != tt.key {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.key)
			}
		}
		if got, _ := f.s.Indicator(ctx, f.c, earning.MediationHelp); got != base {
			t.Errorf("refused saves changed the indicator: version %d, rule %+v, %d/%d description characters",
				got.Version, got.Rule, civic.Runes(got.DescZH), civic.Runes(got.DescEN))
		}
		// At the bounds: 2,000 Chinese characters (6,000 bytes) and caps of MaxPoints.
		in := base
		in.DescZH, in.CapDay, in.CapMonth, in.CapYear, in.Position = strings.Repeat("调", civic.MaxText), civic.MaxPoints, civic.MaxPoints, civic.MaxPoints, 1000
		if _, err := f.s.SaveIndicator(ctx, w, f.c, in); err != nil {
			t.Errorf("save at the bounds: %v", err)
		}
	})
}

// A bulk award of points beyond the bound is refused as a whole, up front,
// with one message naming the bound, not once per resident.
func TestBulkAwardPointsBound(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 3)
		for _, pts := range []int64{math.MaxInt64, civic.MaxPoints + 1, 0, -5} {
			res, _, err := f.s.AwardBulk(ctx, worker(f.c), f.c, earning.Bulk{ResidentIDs: f.ids, Indicator: earning.VolunteerHours,
				Points: pts, Reason: "重阳节活动"}, civic.NewID())
			want := "earning.points_over"
			if pts <= 0 {
				want = "earning.points_positive"
			}
			if e := civic.AsError(err); e == nil || e.Key != want || len(res.Items) != 0 {
				t.Errorf("bulk of %d points: %v with %d items, want %s and none", pts, err, len(res.Items), want)
			}
		}
		_, err := f.s.Award(ctx, worker(f.c), f.c, earning.AwardRequest{ResidentID: f.ids[0], Indicator: earning.VolunteerHours,
			Points: math.MaxInt64, Reason: "typo", IdemKey: civic.NewID()})
		if e := civic.AsError(err); e == nil || e.Key != "earning.points_over" || len(e.Args) != 2 || e.Args[1] != int64(civic.MaxPoints) {
			t.Errorf("award of 2⁶³−1 points: %v, want earning.points_over naming %d", err, civic.MaxPoints)
		}
		if got := f.balance(t, f.ids[0]); got != 0 {
			t.Errorf("balance = %d, want 0", got)
		}
	})
}

// An implemented suggestion's bonus may be 0 (none) but never negative or
// beyond the bound: a negative bonus was silently taken as none.
func TestReviewBonusBounds(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		r, w := f.ids[0], worker(f.c)
		g, err := f.s.Submit(ctx, resident(f.c, r), f.c, r, "无障碍通道", "在江滨健身步道增设无障碍通道", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Review(ctx, w, f.c, g.ID, "adopted", 50, "方便轮椅"); err != nil {
			t.Fatal(err)
		}
		for pts, key := range map[int64]string{-5: "earning.points_positive", math.MaxInt64: "earning.points_over"} {
			_, err := f.s.Review(ctx, w, f.c, g.ID, "implemented", pts, "已建成")
			if e := civic.AsError(err); e == nil || e.Key != key {
				t.Errorf("bonus of %d: %v, want %s", pts, err, key)
			}
		}
		if g, _ = f.s.Suggestion(ctx, f.c, g.ID); g.Status != "adopted" {
			t.Errorf("status after refused bonuses = %s, want adopted", g.Status)
		}
	})
}
