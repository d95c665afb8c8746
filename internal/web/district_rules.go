package web

import (
	"net/http"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
)

// The district's credit rules: points per credit point and the ladder of
// levels with their benefits. Every save is a new version in force from its
// effective date (today or later), listed in the history; nothing earlier
// changes.
func init() {
	d := []civic.Role{civic.RoleDistrict}
	AddPage(Page{Method: "GET", Path: "/district/rules", Roles: d, Nav: "web.nav.district_rules", Handler: (*Server).districtRules})
	AddPage(Page{Method: "POST", Path: "/district/rules", Roles: d, Handler: (*Server).districtRulesPost,
		Long: []string{"bzh1", "bzh2", "bzh3", "bzh4", "bzh5", "bzh6", "bzh7", "bzh8", "bzh9", "bzh10",
			"ben1", "ben2", "ben3", "ben4", "ben5", "ben6", "ben7", "ben8", "ben9", "ben10"}})
}

type levelForm struct {
	N                      int
	Code, NameZH, NameEN   string
	Min                    string
	BenefitsZH, BenefitsEN string
}

type rulesForm struct {
	Key, Rate, EffectiveFrom, Note string
	Levels                         []levelForm
	Spare                          []levelForm // empty rows, folded away until wanted
}

// fold moves the empty rows after the last filled one into Spare, so a
// phone shows the ladder, not ten blank forms.
func (f rulesForm) fold() rulesForm {
	last := 0
	for i, l := range f.Levels {
		if l != (levelForm{N: l.N}) {
			last = i + 1
		}
	}
	f.Levels, f.Spare = f.Levels[:last], f.Levels[last:]
	return f
}

type creditRuleVersion struct {
	credit.Rules
	Status  string // in_force, scheduled, past
	Summary []string
	Created string
}

type districtRulesData struct {
	District string
	InForce  credit.Rules
	Form     rulesForm
	History  []creditRuleVersion
	Today    string
}

func formOf(r credit.Rules, today string) rulesForm {
	f := rulesForm{Key: newFormKey(), Rate: strconv.FormatInt(r.PointsPerCredit, 10), EffectiveFrom: today}
	for i := 0; i < credit.MaxLevels; i++ {
		lf := levelForm{N: i + 1}
		if i < len(r.Levels) {
			l := r.Levels[i]
			lf.Code, lf.NameZH, lf.NameEN, lf.Min = l.Code, l.NameZH, l.NameEN, strconv.FormatInt(l.MinCreditPoints, 10)
			lf.BenefitsZH, lf.BenefitsEN = strings.Join(l.BenefitsZH, "\n"), strings.Join(l.BenefitsEN, "\n")
		}
		f.Levels = append(f.Levels, lf)
	}
	return f
}

func (s *Server) districtRulesData(r *http.Request, f *rulesForm) (districtRulesData, error) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	lang := string(LangFrom(ctx))
	id, err := myDistrict(a)
	if err != nil {
		return districtRulesData{}, err
	}
	dt, err := s.District.ByID(ctx, id)
	if err != nil {
		return districtRulesData{}, err
	}
	now := s.Clock.Now()
	d := districtRulesData{District: dt.Name, Today: now.In(civic.Shanghai).Format("2006-01-02")}
	if d.InForce, err = s.Credit.RulesAt(ctx, id, now); err != nil {
		return d, err
	}
	hist, err := s.Credit.RuleHistory(ctx, a, id)
	if err != nil {
		return d, err
	}
	for _, h := range hist {
		v := creditRuleVersion{Rules: h, Status: "past"}
		switch {
		case h.Version == d.InForce.Version:
			v.Status = "in_force"
		case h.EffectiveAt.After(now):
			v.Status = "scheduled"
		}
		for _, l := range h.Levels {
			v.Summary = append(v.Summary, l.Name(lang)+" ≥ "+strconv.FormatInt(l.MinCreditPoints, 10))
		}
		if !h.CreatedAt.IsZero() {
			v.Created = h.CreatedAt.In(civic.Shanghai).Format("2006-01-02 15:04")
		}
		d.History = append(d.History, v)
	}
	if f != nil {
		f.Key = newFormKey()
		d.Form = f.fold()
	} else {
		d.Form = formOf(hist[0], d.Today).fold() // the newest version, scheduled or in force
	}
	return d, nil
}

func (s *Server) districtRules(w http.ResponseWriter, r *http.Request) error {
	d, err := s.districtRulesData(r, nil)
	if err != nil {
		return err
	}
	v := View{Data: d}
	if r.URL.Query().Get("done") == "1" {
		v.Flash = s.T(r, "credit.rules.saved")
	}
	return s.RenderStatus(w, r, http.StatusOK, "district_rules", v)
}

// parseRulesForm reads the form back; a level row without a code is left out.
func parseRulesForm(r *http.Request) (rulesForm, credit.SetRulesRequest, error) {
	f := rulesForm{Rate: r.PostFormValue("rate"), EffectiveFrom: r.PostFormValue("effective_from"), Note: r.PostFormValue("note")}
	req := credit.SetRulesRequest{EffectiveFrom: f.EffectiveFrom, Note: f.Note}
	var err error
	rate, perr := strconv.ParseInt(strings.TrimSpace(f.Rate), 10, 64)
	if perr != nil {
		err = civic.Errorf(civic.Invalid, "credit.rate_range", "points per credit point must be 1 to %d", credit.MaxPointsPerCredit)
	}
	req.PointsPerCredit = rate
	for i := 0; i < credit.MaxLevels; i++ {
		n := strconv.Itoa(i + 1) // the form's fields are numbered as the rows: code1…code10
		lf := levelForm{N: i + 1, Code: r.PostFormValue("code" + n), NameZH: r.PostFormValue("zh" + n), NameEN: r.PostFormValue("en" + n),
			Min: r.PostFormValue("min" + n), BenefitsZH: r.PostFormValue("bzh" + n), BenefitsEN: r.PostFormValue("ben" + n)}
		f.Levels = append(f.Levels, lf)
		if strings.TrimSpace(lf.Code) == "" {
			continue
		}
		min, perr := strconv.ParseInt(strings.TrimSpace(lf.Min), 10, 64)
		if perr != nil && err == nil {
			err = civic.Errorf(civic.Invalid, "credit.threshold_range", "level %d: the threshold must be 0 to %d credit points", i+1, civic.MaxPoints)
		}
		req.Levels = append(req.Levels, credit.Level{Code: lf.Code, NameZH: lf.NameZH, NameEN: lf.NameEN, MinCreditPoints: min,
			BenefitsZH: strings.Split(lf.BenefitsZH, "\n"), BenefitsEN: strings.Split(lf.BenefitsEN, "\n")})
	}
	return f, req, err
}

func (s *Server) districtRulesPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	f, req, err := parseRulesForm(r)
	req.District = a.DistrictID
	if err == nil {
		k, kerr := commandKey(r)
		if err = kerr; err == nil {
			_, err = s.Credit.SetRules(ctx, a, k, req)
		}
	}
	if err != nil {
		d, derr := s.districtRulesData(r, &f)
		if derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "district_rules", d)
	}
	http.Redirect(w, r, "/district/rules?done=1", http.StatusSeeOther)
	return nil
}
