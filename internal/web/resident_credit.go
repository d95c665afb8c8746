package web

import (
	"context"
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/i18n"
)

// "Why is my level this": the earning that made the resident's credit
// points, by month and indicator, and each level change with its date and
// cause. The credit card (creditCard) is shared with the home and points
// pages.
func init() {
	AddPage(Page{Method: "GET", Path: "/resident/credit", Roles: []civic.Role{civic.RoleResident}, Nav: "credit.nav.why", Handler: (*Server).residentCredit})
}

// creditCard is the resident's credit at a glance: the community's points
// name and balance, credit points, level, progress and benefits.
type creditCard struct {
	PointsName                               string
	Balance, Earned, CreditPoints, Remainder int64
	PerCredit                                int64
	Level, Next                              string
	PointsToNext, CreditPointsToNext         int64
	Progress                                 int // percent of the way from this level to the next
	Benefits                                 []credit.Benefit
	Merchants                                bool // the resident has consented to merchant use
}

func (s *Server) creditCard(ctx context.Context, a civic.Actor) (*creditCard, error) {
	st, err := s.Credit.Standing(ctx, a.CommunityID, a.ResidentID)
	if civic.ErrorCode(err) == civic.NotFound {
		return nil, nil // no points account (yet): the pages show no card
	}
	if err != nil {
		return nil, err
	}
	lang := string(LangFrom(ctx))
	c := &creditCard{PointsName: st.PointsName, Balance: st.Balance, Earned: st.Earned, CreditPoints: st.CreditPoints,
		Remainder: st.Remainder, PerCredit: st.Rules.PointsPerCredit, Level: st.Level.Name(lang),
		Benefits: st.Benefits(lang), Progress: 100}
	if st.Next != nil {
		c.Next, c.PointsToNext, c.CreditPointsToNext = st.Next.Name(lang), st.PointsToNext, st.CreditPointsToNext
		span := (st.Next.MinCreditPoints - st.Level.MinCreditPoints) * st.Rules.PointsPerCredit
		if done := st.Earned - st.Level.MinCreditPoints*st.Rules.PointsPerCredit; span > 0 {
			c.Progress = int(done * 100 / span)
		}
	}
	if c.PointsName == "" {
		c.PointsName = i18n.T(LangFrom(ctx), "credit.card.points")
	}
	cs, err := s.Credit.Consents(ctx, a.CommunityID, a.ResidentID)
	if err != nil {
		return nil, err
	}
	c.Merchants = cs[credit.PurposeMerchants].Granted
	return c, nil
}

type whyMonth struct {
	Month  string
	Points int64
	Rows   []whyRow
}

type whyRow struct {
	Name             string
	Points           int64
	Awards, Reversed int
}

type whyEvent struct {
	When, From, To, Cause string
	Up                    bool
	CreditPoints          int64
}

type whyData struct {
	Card   *creditCard
	Rules  credit.Rules
	Months []whyMonth
	Events []whyEvent
	Levels []whyLevel
}

type whyLevel struct {
	Name    string
	Min     int64
	Points  int64
	Current bool
}

func (s *Server) residentCredit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	lang := LangFrom(ctx)
	card, err := s.creditCard(ctx, a)
	if err != nil {
		return err
	}
	x, err := s.Credit.Explain(ctx, a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	ins, err := s.Earning.Indicators(ctx, a.CommunityID)
	if err != nil {
		return err
	}
	for _, in := range ins {
		names[in.Code] = in.Name(string(lang))
	}
	d := whyData{Card: card, Rules: x.Standing.Rules}
	for i, l := range x.Standing.Rules.Levels {
		d.Levels = append(d.Levels, whyLevel{Name: l.Name(string(lang)), Min: l.MinCreditPoints,
			Points: l.MinCreditPoints * x.Standing.Rules.PointsPerCredit, Current: i == x.Standing.LevelIndex})
	}
	for _, m := range x.Months {
		wm := whyMonth{Month: m.Month, Points: m.Points}
		for _, ip := range m.Indicators {
			name := names[ip.Indicator]
			if name == "" {
				name = i18n.T(lang, "earning.source."+ip.SourceKind)
			}
			wm.Rows = append(wm.Rows, whyRow{Name: name, Points: ip.Points, Awards: ip.Awards, Reversed: ip.Reversed})
		}
		d.Months = append(d.Months, wm)
	}
	for _, e := range x.Events {
		d.Events = append(d.Events, s.whyEvent(ctx, a.CommunityID, e))
	}
	return s.Render(w, r, "resident_credit", d)
}

// whyEvent names a level change's levels by the ladder in force when it
// happened, and says what caused it.
func (s *Server) whyEvent(ctx context.Context, communityID string, e credit.LevelEvent) whyEvent {
	lang := LangFrom(ctx)
	we := whyEvent{When: e.At.In(civic.Shanghai).Format("2006-01-02"), From: e.From, To: e.To, CreditPoints: e.CreditPoints}
	if rules, err := s.Credit.RulesOf(ctx, communityID, e.At); err == nil {
		for _, l := range rules.Levels {
			if l.Code == e.From {
				we.From = l.Name(string(lang))
			}
			if l.Code == e.To {
				we.To = l.Name(string(lang))
			}
		}
		we.Up = e.Up(rules)
	}
	switch {
	case e.Cause == credit.CauseRule:
		we.Cause = i18n.T(lang, "credit.cause.rule", e.RuleVersion)
	case e.TransferKind == "reversal":
		we.Cause = i18n.T(lang, "credit.cause.reversal")
	default:
		we.Cause = i18n.T(lang, "credit.cause.award")
	}
	return we
}
