package credit_test

import (
	"context"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

func ladder(rate int64, mins ...int64) credit.SetRulesRequest {
	codes := []string{"l1", "l2", "l3", "l4", "l5", "l6"}
	r := credit.SetRulesRequest{PointsPerCredit: rate}
	for i, m := range mins {
		r.Levels = append(r.Levels, credit.Level{Code: codes[i], NameZH: "级" + codes[i], NameEN: "Level " + codes[i], MinCreditPoints: m})
	}
	return r
}

// A rule change dated in the future changes nothing until its day: not the
// level shown, not the level changes recorded. On its day the level follows
// it, the job records the change it causes, and the level on a day before
// is still the old rules' (the past is never rewritten).
func TestFutureRuleChangeWaitsForItsDay(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		a, clock := newApp(t, d)
		p := newPlace(t, a)
		r := p.resident(t, a, "毛小波", "1960-05-01")
		award(t, a, p, r, 119) // 5 credit points, 19 carried: 良好 under the default
		st, err := a.Credit.Standing(ctx, p.Community, r)
		if err != nil || st.CreditPoints != 5 || st.Remainder != 19 || st.Level.Code != "good" || st.PointsToNext != 15*20-119 {
			t.Fatalf("Standing = %+v, %v", st, err)
		}
		district := civic.Actor{UserID: "du", Name: "区信用办", Role: civic.RoleDistrict, DistrictID: p.District}
		req := ladder(10, 0, 5, 10, 30)
		req.District, req.EffectiveFrom = p.District, "2025-06-03"
		v, err := a.Credit.SetRules(ctx, district, key(), req)
		if err != nil || v.Version != 1 {
			t.Fatalf("SetRules = %+v, %v", v, err)
		}
		clock.Advance(24 * time.Hour) // 2025-06-02 noon: not yet
		if n, err := a.Credit.ApplyDue(ctx, p.District); err != nil || n != 0 {
			t.Errorf("ApplyDue before the day = %d, %v; want nothing", n, err)
		}
		if st, _ := a.Credit.Standing(ctx, p.Community, r); st.Level.Code != "good" || st.Rules.Version != 0 || st.CreditPoints != 5 {
			t.Errorf("before the day: %+v", st)
		}
		if evs, _ := a.Credit.LevelEvents(ctx, p.Community, r, 10); len(evs) != 1 || evs[0].Cause != credit.CauseTransfer {
			t.Errorf("events before the day = %+v; want the award's alone", evs)
		}
		clock.Advance(12 * time.Hour) // 2025-06-03 00:00 Shanghai
		st, err = a.Credit.Standing(ctx, p.Community, r)
		if err != nil || st.Rules.Version != 1 || st.CreditPoints != 11 || st.Level.Code != "l3" {
			t.Errorf("on the day: %+v, %v; want 11 credit points at l3 under version 1", st, err)
		}
		if n, err := a.Credit.ApplyDue(ctx, p.District); err != nil || n != 1 {
			t.Errorf("ApplyDue on the day = %d, %v; want 1", n, err)
		}
		if n, err := a.Credit.ApplyDue(ctx, p.District); err != nil || n != 0 {
			t.Errorf("ApplyDue again = %d, %v; want nothing more", n, err)
		}
		evs, _ := a.Credit.LevelEvents(ctx, p.Community, r, 10)
		if len(evs) != 2 || evs[0].Cause != credit.CauseRule || evs[0].RuleVersion != 1 || evs[0].From != "good" || evs[0].To != "l3" {
			t.Errorf("events = %+v; want the rule's change first", evs)
		}
		past, err := a.Credit.StandingAt(ctx, p.Community, r, start.Add(time.Hour))
		if err != nil || past.Rules.Version != 0 || past.Level.Code != "good" || past.CreditPoints != 5 {
			t.Errorf("StandingAt(the first day) = %+v, %v; want the default rules' good", past, err)
		}
		// A date already past is refused: a change never rewrites the past.
		req.EffectiveFrom = "2025-06-02"
		if _, err := a.Credit.SetRules(ctx, district, key(), req); civic.AsError(err) == nil || civic.AsError(err).Key != "credit.effective_past" {
			t.Errorf("SetRules in the past = %v", err)
		}
	})
}

// Level changes are recorded in the transaction of the award or reversal
// that crosses a threshold, naming it; spending never lowers credit.
func TestLevelChangesNameTheirTransfer(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		a, _ := newApp(t, d)
		p := newPlace(t, a)
		r := p.resident(t, a, "毛小波", "1960-05-01")
		award(t, a, p, r, 99)
		if evs, _ := a.Credit.LevelEvents(ctx, p.Community, r, 10); len(evs) != 0 {
			t.Fatalf("events below the threshold = %+v", evs)
		}
		up := award(t, a, p, r, 1) // 100 = 5 credit points: good
		err := a.DB.WithTx(ctx, func(tx *db.Tx) error {
			_, err := ledger.Redeem(ctx, tx, ledger.Spend{CommunityID: p.Community, ResidentID: r, Points: 60, Reason: "大米",
				Source: ledger.Source{Kind: "order", ID: "o1"}, Actor: p.Worker})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := a.Credit.Standing(ctx, p.Community, r); st.Level.Code != "good" || st.Balance != 40 || st.Earned != 100 {
			t.Errorf("after spending: %+v; credit must not move", st)
		}
		var rev ledger.Result
		err = a.DB.WithTx(ctx, func(tx *db.Tx) (err error) {
			rev, _, err = a.Ledger.Reverse(ctx, tx, p.Community, up, "记错了", p.Worker, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		evs, err := a.Credit.LevelEvents(ctx, p.Community, r, 10)
		if err != nil || len(evs) != 2 {
			t.Fatalf("events = %+v, %v", evs, err)
		}
		if e := evs[1]; e.From != "basic" || e.To != "good" || e.TransferID != up || e.TransferKind != "award" || e.CreditPoints != 5 {
			t.Errorf("up = %+v", e)
		}
		if e := evs[0]; e.From != "good" || e.To != "basic" || e.TransferID != rev.TransferID || e.TransferKind != "reversal" {
			t.Errorf("down = %+v", e)
		}
		x, err := a.Credit.Explain(ctx, p.Community, r)
		if err != nil || len(x.Months) != 1 || x.Months[0].Points != 99 || len(x.Events) != 2 {
			t.Fatalf("Explain = %+v, %v", x, err)
		}
		if ip := x.Months[0].Indicators; len(ip) != 1 || ip[0].Indicator != "volunteer_hours" || ip[0].Awards != 2 || ip[0].Reversed != 1 {
			t.Errorf("by indicator = %+v", ip)
		}
	})
}

// The district owns its rules: another district's office may not set or
// read them, a resident or worker may not set them, and a ladder out of
// bounds is refused saying why.
func TestRulesBelongToTheirDistrict(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		a, _ := newApp(t, d)
		east, west := newPlace(t, a), newPlace(t, a)
		office := civic.Actor{UserID: "du", Name: "东区信用办", Role: civic.RoleDistrict, DistrictID: east.District}
		good := ladder(20, 0, 5, 15)
		good.EffectiveFrom = "2025-06-01"
		cases := []struct {
			name string
			by   civic.Actor
			req  func() credit.SetRulesRequest
			key  string
		}{
			{"another district's rules", office, func() credit.SetRulesRequest { r := good; r.District = west.District; return r }, "civic.other_district"},
			{"a worker", east.Worker, func() credit.SetRulesRequest { r := good; r.District = east.District; return r }, "civic.other_district"},
			{"two levels", office, func() credit.SetRulesRequest {
				r := ladder(20, 0, 5)
				r.District, r.EffectiveFrom = east.District, "2025-06-01"
				return r
			}, "credit.levels_count"},
			{"eleven levels", office, func() credit.SetRulesRequest {
				r := good
				r.District = east.District
				r.Levels = nil
				for i := range 11 {
					r.Levels = append(r.Levels, credit.Level{Code: "l" + string(rune('a'+i)), NameZH: "级", NameEN: "L", MinCreditPoints: int64(i)})
				}
				return r
			}, "credit.levels_count"},
			{"lowest above zero", office, func() credit.SetRulesRequest {
				r := ladder(20, 1, 5, 9)
				r.District, r.EffectiveFrom = east.District, "2025-06-01"
				return r
			}, "credit.lowest_zero"},
			{"not rising", office, func() credit.SetRulesRequest {
				r := ladder(20, 0, 5, 5)
				r.District, r.EffectiveFrom = east.District, "2025-06-01"
				return r
			}, "credit.thresholds_rise"},
			{"rate zero", office, func() credit.SetRulesRequest {
				r := ladder(0, 0, 5, 9)
				r.District, r.EffectiveFrom = east.District, "2025-06-01"
				return r
			}, "credit.rate_range"},
			{"bad date", office, func() credit.SetRulesRequest {
				r := good
				r.District, r.EffectiveFrom = east.District, "next week"
				return r
			}, "credit.effective_date"},
		}
		for _, c := range cases {
			_, err := a.Credit.SetRules(ctx, c.by, key(), c.req())
			if e := civic.AsError(err); e == nil || e.Key != c.key {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
		}
		r := good
		r.District = east.District
		if _, err := a.Credit.SetRules(ctx, office, key(), r); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Credit.RuleHistory(ctx, office, west.District); civic.ErrorCode(err) != civic.Forbidden {
			t.Errorf("RuleHistory of another district = %v", err)
		}
		if h, err := a.Credit.RuleHistory(ctx, office, east.District); err != nil || len(h) != 2 || h[0].Version != 1 || h[1].Version != 0 {
			t.Errorf("RuleHistory = %+v, %v", h, err)
		}
		if w, _ := a.Credit.RulesOf(ctx, west.Community, start); w.Version != 0 {
			t.Errorf("the west district's rules moved: %+v", w)
		}
	})
}
