package credit

import (
	"context"
	"sort"

	"civicpoints/internal/civic"
	"civicpoints/internal/ledger"
)

// IndicatorPoints is what one indicator (or, for an award without one, one
// kind of source) gave in a month, net of reversals.
type IndicatorPoints struct {
	Indicator  string // indicator code; "" when the award named none
	SourceKind string
	Points     int64
	Awards     int // awards counted (reversals not)
	Reversed   int // reversals counted
}

// MonthPoints is one Shanghai month of a resident's earning.
type MonthPoints struct {
	Month      string // YYYY-MM
	Points     int64
	Indicators []IndicatorPoints
}

// Explanation is "why is my level this": the standing, the earning that
// made its credit points by month and indicator, newest month first, and
// the level changes with their causes.
type Explanation struct {
	Standing Standing
	Months   []MonthPoints
	Events   []LevelEvent
}

// MaxEvents is how many level changes the explanation lists.
const MaxEvents = 50

// Explain gathers a resident's explanation: their own postings (bounded to
// them, through the ledger's account index) grouped in memory.
func (s *Service) Explain(ctx context.Context, communityID, residentID string) (x Explanation, err error) {
	defer civic.Wrap(&err, "credit.Explain(%s)", residentID)
	if x.Standing, err = s.Standing(ctx, communityID, residentID); err != nil {
		return x, err
	}
	entries, err := ledger.EarnedEntries(ctx, s.DB, communityID, residentID)
	if err != nil {
		return x, err
	}
	x.Months = groupMonths(entries)
	x.Events, err = s.LevelEvents(ctx, communityID, residentID, MaxEvents)
	return x, err
}

func groupMonths(entries []ledger.EarnedEntry) []MonthPoints {
	type key struct{ month, indicator, source string }
	sums := map[key]*IndicatorPoints{}
	months := map[string]int64{}
	for _, e := range entries {
		k := key{e.At.In(civic.Shanghai).Format("2006-01"), e.Indicator, e.SourceKind}
		if e.Indicator != "" {
			k.source = ""
		}
		p := sums[k]
		if p == nil {
			p = &IndicatorPoints{Indicator: k.indicator, SourceKind: e.SourceKind}
			sums[k] = p
		}
		p.Points += e.Points
		if e.Kind == ledger.KindReversal {
			p.Reversed++
		} else {
			p.Awards++
		}
		months[k.month] += e.Points
	}
	out := make([]MonthPoints, 0, len(months))
	for m, pts := range months {
		mp := MonthPoints{Month: m, Points: pts}
		for k, p := range sums {
			if k.month == m {
				mp.Indicators = append(mp.Indicators, *p)
			}
		}
		sort.Slice(mp.Indicators, func(i, j int) bool {
			a, b := mp.Indicators[i], mp.Indicators[j]
			if a.Points != b.Points {
				return a.Points > b.Points
			}
			return a.Indicator+a.SourceKind < b.Indicator+b.SourceKind
		})
		out = append(out, mp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Month > out[j].Month })
	return out
}
