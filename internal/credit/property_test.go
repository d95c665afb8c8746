package credit_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"

	"pgregory.net/rapid"
)

// version is a rule version as the test set it.
type version struct {
	at    time.Time
	n     int
	rules credit.Rules
}

// inForce is the model's rules at t: the latest begun version by (effective
// time, number), else the default.
func inForce(vs []version, districtID string, t time.Time) credit.Rules {
	best := -1
	for i, v := range vs {
		if v.at.After(t) {
			continue
		}
		if best < 0 || v.at.After(vs[best].at) || (v.at.Equal(vs[best].at) && v.n > vs[best].n) {
			best = i
		}
	}
	if best < 0 {
		return credit.DefaultRules(districtID)
	}
	return vs[best].rules
}

// snapshot is what the resident's credit was at a moment.
type snapshot struct {
	at     time.Time
	earned int64
	level  string
	points int64
}

// Across random awards, reversals, spends, rule changes (some dated ahead)
// and days passing: credit points always equal floor(earned / rate) and the
// level is the ladder in force's; spending never moves them; and the
// standing at every earlier moment, recomputed from the ledger, is what it
// was then, whatever rules came later.
func TestCreditFollowsEarnedAndTheLadderInForce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		a, clock := newApp(t, d)
		rapid.Check(t, func(rt *rapid.T) {
			p := newPlace(rt, a)
			r := p.resident(rt, a, "毛小波", "1960-05-01")
			office := civic.Actor{UserID: "du", Name: "区信用办", Role: civic.RoleDistrict, DistrictID: p.District}
			var vs []version
			var awards []string
			reversed := map[string]bool{}
			amount := map[string]int64{}
			var earned, balance int64
			var snaps []snapshot
			check := func(what string) {
				st, err := a.Credit.Standing(ctx, p.Community, r)
				if err != nil {
					rt.Fatalf("%s: Standing: %v", what, err)
				}
				want := inForce(vs, p.District, clock.Now())
				if st.Earned != earned || st.Balance != balance || st.Rules.Version != want.Version {
					rt.Fatalf("%s: standing %+v; want earned %d balance %d under version %d", what, st, earned, balance, want.Version)
				}
				if st.CreditPoints != earned/want.PointsPerCredit || st.Remainder != earned%want.PointsPerCredit {
					rt.Fatalf("%s: %d credit points (+%d) from %d earned at %d a point", what, st.CreditPoints, st.Remainder, earned, want.PointsPerCredit)
				}
				if lv := want.LevelFor(earned); st.Level.Code != lv.Code {
					rt.Fatalf("%s: level %s, want %s", what, st.Level.Code, lv.Code)
				}
				snaps = append(snaps, snapshot{at: clock.Now(), earned: earned, level: st.Level.Code, points: st.CreditPoints})
			}
			rt.Repeat(map[string]func(*rapid.T){
				"award": func(rt *rapid.T) {
					n := rapid.Int64Range(1, 60).Draw(rt, "points")
					id := award(rt, a, p, r, n)
					awards, amount[id] = append(awards, id), n
					earned, balance = earned+n, balance+n
					check("award")
				},
				"spend": func(rt *rapid.T) {
					if balance == 0 {
						rt.Skip("nothing to spend")
					}
					n := rapid.Int64Range(1, balance).Draw(rt, "spend")
					err := a.DB.WithTx(ctx, func(tx *db.Tx) error {
						_, err := ledger.Redeem(ctx, tx, ledger.Spend{CommunityID: p.Community, ResidentID: r, Points: n, Reason: "大米",
							Source: ledger.Source{Kind: "order", ID: civic.NewID()}, Actor: p.Worker})
						return err
					})
					if err != nil {
						rt.Fatal(err)
					}
					balance -= n
					check("spend")
				},
				"reverse": func(rt *rapid.T) {
					var open []string
					for _, id := range awards {
						if !reversed[id] && amount[id] <= balance {
							open = append(open, id)
						}
					}
					if len(open) == 0 {
						rt.Skip("nothing reversible")
					}
					id := rapid.SampledFrom(open).Draw(rt, "award")
					err := a.DB.WithTx(ctx, func(tx *db.Tx) error {
						_, _, err := a.Ledger.Reverse(ctx, tx, p.Community, id, "记错了", p.Worker, "")
						return err
					})
					if err != nil {
						rt.Fatal(err)
					}
					reversed[id] = true
					earned, balance = earned-amount[id], balance-amount[id]
					check("reverse")
				},
				"rules": func(rt *rapid.T) {
					req := credit.SetRulesRequest{District: p.District, PointsPerCredit: rapid.Int64Range(1, 40).Draw(rt, "rate"),
						EffectiveFrom: clock.Now().In(civic.Shanghai).AddDate(0, 0, rapid.IntRange(0, 3).Draw(rt, "days ahead")).Format("2006-01-02")}
					min := int64(0)
					for i := range rapid.IntRange(credit.MinLevels, 6).Draw(rt, "levels") {
						req.Levels = append(req.Levels, credit.Level{Code: fmt.Sprintf("l%d", i), NameZH: "级", NameEN: "L", MinCreditPoints: min})
						min += rapid.Int64Range(1, 8).Draw(rt, "step")
					}
					v, err := a.Credit.SetRules(ctx, office, key(), req)
					if err != nil {
						rt.Fatal(err)
					}
					vs = append(vs, version{at: v.EffectiveAt, n: v.Version, rules: v})
					check("rules")
				},
				"days pass": func(rt *rapid.T) {
					clock.Advance(time.Duration(rapid.IntRange(1, 36).Draw(rt, "hours")) * time.Hour)
					if _, err := a.Credit.ApplyDue(ctx, p.District); err != nil {
						rt.Fatal(err)
					}
					check("days pass")
				},
			})
			// The past, recomputed from the ledger and the rules then, is
			// what was seen then (the moment just after each snapshot).
			sort.SliceStable(snaps, func(i, j int) bool { return snaps[i].at.Before(snaps[j].at) })
			for i, s := range snaps {
				if i+1 < len(snaps) && snaps[i+1].at.Equal(s.at) {
					continue // several operations in one instant: the last one is what StandingAt sees
				}
				st, err := a.Credit.StandingAt(ctx, p.Community, r, s.at.Add(time.Millisecond))
				if err != nil {
					rt.Fatal(err)
				}
				if st.Earned != s.earned || st.Level.Code != s.level || st.CreditPoints != s.points {
					rt.Fatalf("StandingAt(%s) = earned %d, %d points, %s; then it was %+v", s.at, st.Earned, st.CreditPoints, st.Level.Code, s)
				}
			}
		})
	})
}
