package earning_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
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
			_, err := f.s.SaveIndicator(ctx, w, newKey(), earning.IndicatorRequest{Community: f.c, Indicator: in})
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
		if _, err := f.s.SaveIndicator(ctx, w, newKey(), earning.IndicatorRequest{Community: f.c, Indicator: in}); err != nil {
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
			res, err := f.s.BulkAward(ctx, worker(f.c), newKey(), earning.BulkAwardRequest{Community: f.c, Residents: f.ids, Indicator: earning.VolunteerHours,
				Points: pts, Reason: "重阳节活动"})
			want := "earning.points_over"
			if pts <= 0 {
				want = "earning.points_positive"
			}
			if e := civic.AsError(err); e == nil || e.Key != want || len(res.Items) != 0 {
				t.Errorf("bulk of %d points: %v with %d items, want %s and none", pts, err, len(res.Items), want)
			}
		}
		_, err := f.s.Award(ctx, worker(f.c), idem.Key(civic.NewID()), earning.AwardRequest{Community: f.c, Resident: f.ids[0], Indicator: earning.VolunteerHours, Points: math.MaxInt64, Reason: "typo"})
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
		g, err := f.s.Submit(ctx, resident(f.c, r), newKey(), earning.SubmitRequest{Community: f.c, Resident: r, Title: "无障碍通道", Body: "在江滨健身步道增设无障碍通道"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g.ID, Decision: "adopted", Points: 50, Reason: "方便轮椅"}); err != nil {
			t.Fatal(err)
		}
		for pts, key := range map[int64]string{-5: "earning.points_positive", math.MaxInt64: "earning.points_over"} {
			_, err := f.s.Review(ctx, w, newKey(), earning.ReviewRequest{Community: f.c, Suggestion: g.ID, Decision: "implemented", Points: pts, Reason: "已建成"})
			if e := civic.AsError(err); e == nil || e.Key != key {
				t.Errorf("bonus of %d: %v, want %s", pts, err, key)
			}
		}
		if g, _ = f.s.Suggestion(ctx, f.c, g.ID); g.Status != "adopted" {
			t.Errorf("status after refused bonuses = %s, want adopted", g.Status)
		}
	})
}

// The texts residents and workers write in earning are capped in runes (a
// Chinese character is one, not three): activities, suggestions and the
// reasons of awards and reversals.
func TestEarningTextCaps(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		r, w := f.ids[0], worker(f.c)
		day := f.clock.Now().In(civic.Shanghai).AddDate(0, 0, 1)
		start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, civic.Shanghai)
		activity := func(title, place, desc string) error {
			_, err := f.s.Publish(ctx, w, newKey(), earning.PublishRequest{Community: f.c, Activity: earning.Activity{Title: title, Description: desc, Place: place, Indicator: earning.VolunteerHours,
				Start: start, End: start.Add(time.Hour), Capacity: 10}})
			return err
		}
		zh := func(n int) string { return strings.Repeat("江", n) }
		res := f.award(t, r, earning.VolunteerHours, 1)
		tests := []struct {
			name string
			err  error
		}{
			{"activity title", activity(zh(81), "江滨公园", "")},
			{"activity place", activity("河边清洁", zh(81), "")},
			{"activity description", activity("河边清洁", "江滨公园", zh(civic.MaxText+1))},
			{"suggestion title", func() error {
				_, err := f.s.Submit(ctx, resident(f.c, r), newKey(), earning.SubmitRequest{Community: f.c, Resident: r, Title: zh(61), Body: "建议"})
				return err
			}()},
			{"suggestion text", func() error {
				_, err := f.s.Submit(ctx, resident(f.c, r), newKey(), earning.SubmitRequest{Community: f.c, Resident: r, Title: "建议", Body: zh(civic.MaxText + 1)})
				return err
			}()},
			{"award reason", func() error {
				_, err := f.s.Award(ctx, w, idem.Key(civic.NewID()), earning.AwardRequest{Community: f.c, Resident: r, Indicator: earning.VolunteerHours, Points: 1, Reason: zh(civic.MaxReason + 1)})
				return err
			}()},
		}
		for _, tt := range tests {
			if e := civic.AsError(tt.err); e == nil || e.Key != "earning.too_long" {
				t.Errorf("%s: %v, want earning.too_long", tt.name, tt.err)
			}
		}
		if err := activity(zh(80), zh(80), zh(civic.MaxText)); err != nil {
			t.Errorf("activity at the caps: %v", err)
		}
		// Reversals are the ledger's command, with the ledger's words.
		rev := ledger.ReverseRequest{Community: f.c, Transfer: res.TransferID, Reason: zh(civic.MaxReason + 1)}
		if _, err := f.s.Ledger.ReverseTransfer(ctx, w, "rev", rev); civic.AsError(err) == nil || civic.AsError(err).Key != "ledger.reason_long" {
			t.Errorf("reversal reason over the cap: %v, want ledger.reason_long", err)
		}
		rev.Reason = zh(civic.MaxReason)
		if _, err := f.s.Ledger.ReverseTransfer(ctx, w, "rev", rev); err != nil {
			t.Errorf("reversal reason at the cap: %v", err)
		}
	})
}
