package earning_test

import (
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

func TestCatalogueDefaultsAndVersions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		if err := f.s.SeedDefaults(ctx, f.c); err != nil { // twice changes nothing
			t.Fatal(err)
		}
		cats, _ := f.s.Categories(ctx, f.c)
		ins, err := f.s.Indicators(ctx, f.c)
		if err != nil || len(cats) != 3 || len(ins) != 8 {
			t.Fatalf("categories %d, indicators %d, err %v; want 3, 8", len(cats), len(ins), err)
		}
		in, _ := f.s.Indicator(ctx, f.c, earning.SuggestionAdopted)
		res := f.award(t, f.ids[0], earning.SuggestionAdopted, 50)
		in.Max = 80
		in2, err := f.s.SaveIndicator(ctx, worker(f.c), newKey(), earning.IndicatorRequest{Community: f.c, Indicator: in})
		if err != nil || in2.Version != 2 {
			t.Fatalf("version after change = %d, %v; want 2", in2.Version, err)
		}
		in2.NameEN = "Suggestion adopted by the council" // not a rule change
		if in3, _ := f.s.SaveIndicator(ctx, worker(f.c), newKey(), earning.IndicatorRequest{Community: f.c, Indicator: in2}); in3.Version != 2 {
			t.Fatalf("renaming made version %d, want 2", in3.Version)
		}
		tr, _ := ledger.GetTransfer(ctx, d, f.c, res.TransferID)
		if tr.RuleVersion != 1 {
			t.Fatalf("past award rule version = %d, want 1", tr.RuleVersion)
		}
		old, _ := f.s.RuleVersion(ctx, f.c, earning.SuggestionAdopted, 1)
		if old.Max != 100 {
			t.Fatalf("rule version 1 max = %d, want 100", old.Max)
		}
		bad := in2
		bad.Kind, bad.Points = earning.Hourly, 7
		_, err = f.s.SaveIndicator(ctx, worker(f.c), newKey(), earning.IndicatorRequest{Community: f.c, Indicator: bad})
		wantKey(t, err, "earning.rule_hourly")
		_, err = f.s.SaveIndicator(ctx, resident(f.c, f.ids[0]), newKey(), earning.IndicatorRequest{Community: f.c, Indicator: in2})
		wantKey(t, err, "earning.worker_only")
	})
}

func (f fixture) award(t *testing.T, id, indicator string, pts int64) ledger.Result {
	t.Helper()
	res, err := f.s.Award(ctx, worker(f.c), idem.Key(civic.NewID()), earning.AwardRequest{Community: f.c, Resident: id, Indicator: indicator, Points: pts, Reason: "test award"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPrepareAwardRefusals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 3)
		f.res.left[f.ids[2]] = true
		now := f.clock.Now()
		tests := []struct {
			name      string
			resident  string
			indicator string
			points    int64
			at        time.Time
			key       string
		}{
			{"above range", f.ids[0], earning.SuggestionAdopted, 101, now, "earning.points_range"},
			{"below range", f.ids[0], earning.MediationHelp, 0, now, "earning.points_positive"},
			{"not the fixed amount", f.ids[0], earning.CommunityActivities, 3, now, "earning.points_fixed"},
			{"unknown indicator", f.ids[0], "nope", 1, now, "earning.no_indicator"},
			{"resident left", f.ids[2], earning.MediationHelp, 5, now, "registry.resident_left"},
			{"unknown resident", "ghost", earning.MediationHelp, 5, now, "registry.not_found"},
			{"above the day cap", f.ids[1], earning.VolunteerHours, 9, now, "earning.cap_day"},
		}
		for _, tt := range tests {
			err := d.WithTx(ctx, func(tx *db.Tx) error {
				_, err := f.s.PrepareAward(ctx, tx, f.c, tt.resident, tt.indicator, tt.points, tt.at)
				return err
			})
			if e := civic.AsError(err); e == nil || e.Key != tt.key {
				t.Errorf("%s: got %v, want %s", tt.name, err, tt.key)
			}
		}
		// Caps add up across awards: month cap of mediation is 30.
		for range 3 {
			f.award(t, f.ids[0], earning.MediationHelp, 10)
		}
		_, err := f.s.Award(ctx, worker(f.c), idem.Key("k-over"), earning.AwardRequest{Community: f.c, Resident: f.ids[0], Indicator: earning.MediationHelp, Points: 1, Reason: "x"})
		wantKey(t, err, "earning.cap_month")
		// An inactive indicator refuses awards.
		in, _ := f.s.Indicator(ctx, f.c, earning.Consultation)
		in.ActiveTo = "2024-05-01"
		if _, err := f.s.SaveIndicator(ctx, worker(f.c), newKey(), earning.IndicatorRequest{Community: f.c, Indicator: in}); err != nil {
			t.Fatal(err)
		}
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			a, err := f.s.PrepareAward(ctx, tx, f.c, f.ids[1], earning.Consultation, 3, now.AddDate(0, 0, -20))
			if err == nil && (a.RuleVersion != 2 || a.Indicator != earning.Consultation) {
				t.Errorf("award = %+v", a)
			}
			return err
		})
		if err != nil {
			t.Fatalf("award while active: %v", err)
		}
		_, err = f.s.Award(ctx, worker(f.c), idem.Key("k-late"), earning.AwardRequest{Community: f.c, Resident: f.ids[1], Indicator: earning.Consultation, Points: 3, Reason: "x"})
		wantKey(t, err, "earning.indicator_inactive")
		if got := f.balance(t, f.ids[1]); got != 0 {
			t.Fatalf("balance after refusals = %d, want 0", got)
		}
	})
}

func TestBulkAwardAndReversal(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 500)
		f.res.left[f.ids[7]] = true
		b := earning.BulkAwardRequest{Community: f.c, Residents: append(append([]string{}, f.ids...), "ghost"), Indicator: earning.CommunityActivities,
			Points: 2, Reason: "重阳节活动"}
		bctx, replayed := idem.WithReplayFlag(ctx)
		res, err := f.s.BulkAward(bctx, worker(f.c), "bulk-1", b)
		if err != nil || *replayed {
			t.Fatalf("bulk: %v replayed=%v", err, *replayed)
		}
		if res.Awarded != 499 || res.Failed != 2 || len(res.Items) != 501 {
			t.Fatalf("awarded %d failed %d items %d; want 499, 2, 501", res.Awarded, res.Failed, len(res.Items))
		}
		if e := res.Items[7].Error; e == nil || e.Key != "registry.resident_left" {
			t.Fatalf("item 7 = %+v", res.Items[7])
		}
		bctx, replayed = idem.WithReplayFlag(ctx)
		again, err := f.s.BulkAward(bctx, worker(f.c), "bulk-1", b)
		if err != nil || !*replayed || again.Awarded != 499 || again.Items[3].TransferID != res.Items[3].TransferID {
			t.Fatalf("replay: %v replayed=%v awarded=%d", err, *replayed, again.Awarded)
		}
		if e := again.Items[7].Error; e == nil || e.Key != "registry.resident_left" {
			t.Fatalf("replayed item 7 = %+v", again.Items[7])
		}
		b.Points = 3
		_, err = f.s.BulkAward(ctx, worker(f.c), "bulk-1", b)
		if civic.ErrorCode(err) != civic.IdempotencyConflict {
			t.Fatalf("reused key: %v", err)
		}
		if got := f.balance(t, f.ids[0]); got != 2 {
			t.Fatalf("balance = %d, want 2", got)
		}
		// Reversal frees the cap and the resident sees the reason.
		rev := ledger.ReverseRequest{Community: f.c, Transfer: res.Items[0].TransferID}
		_, err = f.s.Ledger.ReverseTransfer(ctx, worker(f.c), "rev-1", rev)
		wantKey(t, err, "ledger.reason_required")
		rev.Reason = "录入错误"
		if _, err := f.s.Ledger.ReverseTransfer(ctx, worker(f.c), "rev-1", rev); err != nil {
			t.Fatal(err)
		}
		if got := f.balance(t, f.ids[0]); got != 0 {
			t.Fatalf("balance after reversal = %d, want 0", got)
		}
		h, _, err := ledger.History(ctx, d, f.c, f.ids[0], "", 10)
		if err != nil || len(h) != 2 || h[0].Kind != ledger.KindReversal || h[0].Reason != "录入错误" || !h[1].Reversed {
			t.Fatalf("history = %+v, %v", h, err)
		}
		f.award(t, f.ids[0], earning.MediationHelp, 5)
		rev.Reason = "again"
		_, err = f.s.Ledger.ReverseTransfer(ctx, worker(f.c), "rev-2", rev)
		if civic.ErrorCode(err) != civic.Conflict || f.balance(t, f.ids[0]) != 5 {
			t.Fatalf("second reversal: %v", err)
		}
	})
}
