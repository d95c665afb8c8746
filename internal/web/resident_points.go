package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
)

// My points: balance, earned total, this month by category, and the history
// with the reason and source of every entry (reversals show their reason).
func init() {
	AddPage(Page{Method: "GET", Path: "/resident/points", Roles: []civic.Role{civic.RoleResident}, Nav: "earning.nav.points", Handler: (*Server).residentPoints})
}

type pointsEntry struct {
	When, Kind, Indicator, Source, Reason string
	Points                                int64
	Reversed                              bool
	Reversal                              string
}

type pointsData struct {
	Card                    *creditCard
	Balance, Earned, Credit int64
	Month                   []earning.CategoryPoints
	MonthNames              map[string]string
	Entries                 []pointsEntry
	Next                    string
}

func (s *Server) residentPoints(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	lang := LangFrom(ctx)
	acct, err := ledger.GetAccount(ctx, s.DB, a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	d := pointsData{Balance: acct.Balance, Earned: acct.Earned, MonthNames: map[string]string{}}
	if d.Card, err = s.creditCard(ctx, a); err != nil {
		return err
	}
	d.Credit = d.Card.CreditPoints // under the district's rules in force
	if d.Month, err = s.Earning.MonthSummary(ctx, a.CommunityID, a.ResidentID, s.Clock.Now()); err != nil {
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
	hist, next, err := ledger.History(ctx, s.DB, a.CommunityID, a.ResidentID, r.URL.Query().Get("cursor"), 30)
	if err != nil {
		return err
	}
	d.Next = next
	for _, h := range hist {
		d.Entries = append(d.Entries, pointsEntry{
			When: h.At.In(civic.Shanghai).Format("2006-01-02 15:04"), Kind: i18n.T(lang, "earning.kind."+string(h.Kind)),
			Indicator: names[h.Indicator], Source: i18n.T(lang, "earning.source."+h.Source.Kind), Reason: i18n.Say(lang, h.ReasonMsg, h.Reason),
			Points: h.Points, Reversed: h.Reversed, Reversal: h.Reversal,
		})
	}
	for _, m := range d.Month {
		d.MonthNames[m.Category.Code] = m.Category.Name(string(lang))
	}
	return s.Render(w, r, "resident_points", d)
}
