package credit

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/ledger"
)

// Standing is a resident's credit at one moment: their points, credit
// points and level under the district's rules in force then, and what the
// next level takes.
type Standing struct {
	CommunityID  string
	ResidentID   string
	At           time.Time
	PointsName   string // the community's name for its points, such as 春江分
	Balance      int64  // zero for a past date (StandingAt): spending never moves credit
	Earned       int64
	CreditPoints int64
	Remainder    int64 // earned points carried toward the next credit point
	Rules        Rules
	LevelIndex   int
	Level        Level
	Next         *Level // nil at the top
	// CreditPointsToNext and PointsToNext are what the next level still
	// takes, in credit points and in earned points.
	CreditPointsToNext int64
	PointsToNext       int64
}

// standing applies rules to an earned total.
func standing(r Rules, earned int64) Standing {
	st := Standing{Earned: earned, Rules: r, CreditPoints: r.CreditPoints(earned)}
	if earned > 0 {
		st.Remainder = earned % r.PointsPerCredit
	}
	st.LevelIndex = r.LevelIndex(st.CreditPoints)
	st.Level = r.Levels[st.LevelIndex]
	if st.LevelIndex+1 < len(r.Levels) {
		next := r.Levels[st.LevelIndex+1]
		st.Next = &next
		st.CreditPointsToNext = next.MinCreditPoints - st.CreditPoints
		st.PointsToNext = next.MinCreditPoints*r.PointsPerCredit - max(earned, 0)
	}
	return st
}

// Standing is a resident's credit now, from the figures kept beside the
// ledger (the account's earned total): a few indexed reads, never a scan
// of postings.
func (s *Service) Standing(ctx context.Context, communityID, residentID string) (st Standing, err error) {
	defer civic.Wrap(&err, "credit.Standing(%s)", residentID)
	a, err := ledger.GetAccount(ctx, s.DB, communityID, residentID)
	if err != nil {
		return st, err
	}
	c, err := community(ctx, s.DB, communityID)
	if err != nil {
		return st, err
	}
	now := s.Clock.Now()
	r, err := rulesAt(ctx, s.DB, c.DistrictID, now)
	if err != nil {
		return st, err
	}
	st = standing(r, a.Earned)
	st.CommunityID, st.ResidentID, st.At, st.PointsName, st.Balance = communityID, residentID, now, c.PointsName, a.Balance
	return st, nil
}

// StandingAt is a resident's credit as it was at t, recomputed from the
// ledger (the earned total then) and the rule version in force then. A
// later change of rules never changes it. Balance is left zero.
func (s *Service) StandingAt(ctx context.Context, communityID, residentID string, t time.Time) (st Standing, err error) {
	defer civic.Wrap(&err, "credit.StandingAt(%s)", residentID)
	c, err := community(ctx, s.DB, communityID)
	if err != nil {
		return st, err
	}
	if err := s.Residents.ResidentActive(ctx, communityID, residentID); err != nil && civic.ErrorCode(err) == civic.NotFound {
		return st, err
	}
	earned, err := ledger.EarnedAt(ctx, s.DB, communityID, residentID, t)
	if err != nil {
		return st, err
	}
	r, err := rulesAt(ctx, s.DB, c.DistrictID, t)
	if err != nil {
		return st, err
	}
	st = standing(r, earned)
	st.CommunityID, st.ResidentID, st.At, st.PointsName = communityID, residentID, t, c.PointsName
	return st, nil
}

// Benefit is one credit policy a resident's level opens, with the level
// that unlocks it.
type Benefit struct {
	Level string // the level's name
	Text  string
}

// Benefits are the policies open at the standing's level, in lang: those
// of its level and of every level below (a level adds, never removes).
func (st Standing) Benefits(lang string) (out []Benefit) {
	for i := 0; i <= st.LevelIndex && i < len(st.Rules.Levels); i++ {
		l := st.Rules.Levels[i]
		for _, b := range l.Benefits(lang) {
			out = append(out, Benefit{Level: l.Name(lang), Text: b})
		}
	}
	return out
}
