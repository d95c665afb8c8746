package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// The catalogue editor: categories with their indicators, each indicator's
// rule (per hour, fixed or a range), caps, active dates and approval. A
// change to a rule becomes a new rule version; past awards keep theirs, and
// the edit page lists every version.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/catalogue", Roles: wk, Nav: "earning_pages.nav.catalogue", Handler: (*Server).workerCatalogue})
	AddPage(Page{Method: "GET", Path: "/worker/catalogue/{code}", Roles: wk, Handler: (*Server).workerIndicator})
	AddPage(Page{Method: "POST", Path: "/worker/catalogue", Roles: wk, Handler: (*Server).workerIndicatorSave})
}

type catalogueGroup struct {
	Category   earning.Category
	Name       string
	Indicators []indicatorRow
	RenameKey  string // idempotency key of the category's rename form
}

type indicatorRow struct {
	earning.Indicator
	Name, Desc, RuleText string
}

// catalogueData is the catalogue page: the categories with their
// indicators, and the category forms as last submitted (when refused).
type catalogueData struct {
	Groups      []catalogueGroup
	NewCategory categoryForm
	Rename      categoryForm
}

func (s *Server) catalogueData(r *http.Request, a civic.Actor) (d catalogueData, err error) {
	ctx := r.Context()
	lang := string(LangFrom(ctx))
	cats, err := s.Earning.Categories(ctx, a.CommunityID)
	if err != nil {
		return d, err
	}
	ins, err := s.Earning.Indicators(ctx, a.CommunityID)
	if err != nil {
		return d, err
	}
	for _, c := range cats {
		g := catalogueGroup{Category: c, Name: c.Name(lang), RenameKey: newFormKey()}
		for _, in := range ins {
			if in.Category == c.Code {
				g.Indicators = append(g.Indicators, indicatorRow{Indicator: in, Name: in.Name(lang),
					Desc: pick(lang, in.DescZH, in.DescEN), RuleText: s.ruleText(r, in.Rule)})
			}
		}
		d.Groups = append(d.Groups, g)
	}
	d.NewCategory.New, d.NewCategory.Key = true, newFormKey()
	return d, nil
}

func (s *Server) workerCatalogue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	lang := string(LangFrom(ctx))
	d, err := s.catalogueData(r, a)
	if err != nil {
		return err
	}
	v := View{Data: d}
	if code := r.URL.Query().Get("saved"); code != "" {
		if in, err := s.Earning.Indicator(ctx, a.CommunityID, code); err == nil {
			v.Flash = s.T(r, "earning_pages.catalogue.saved", in.Name(lang), in.Version)
		}
	}
	if code := r.URL.Query().Get("category"); code != "" {
		if c, err := s.Earning.Category(ctx, a.CommunityID, code); err == nil {
			v.Flash = s.T(r, "earning_pages.catalogue.category_saved", c.Name(lang))
		}
	}
	return s.RenderStatus(w, r, http.StatusOK, "worker_catalogue", v)
}

func pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

type indicatorForm struct {
	New        bool
	Key        string // idempotency: a resent form saves once
	In         earning.Indicator
	Categories []option
	Versions   []ruleVersion
}

type ruleVersion struct {
	Version  int
	RuleText string
}

func (s *Server) indicatorForm(r *http.Request, a civic.Actor, f *indicatorForm) error {
	ctx := r.Context()
	if f.Key == "" {
		f.Key = newFormKey()
	}
	cats, err := s.Earning.Categories(ctx, a.CommunityID)
	if err != nil {
		return err
	}
	f.Categories = f.Categories[:0]
	for _, c := range cats {
		f.Categories = append(f.Categories, option{Value: c.Code, Label: c.Name(string(LangFrom(ctx)))})
	}
	if f.New {
		return nil
	}
	cur, err := s.Earning.Indicator(ctx, a.CommunityID, f.In.Code)
	if err != nil {
		return err
	}
	f.Versions = f.Versions[:0]
	for v := cur.Version; v >= 1; v-- {
		rule, err := s.Earning.RuleVersion(ctx, a.CommunityID, cur.Code, v)
		if civic.ErrorCode(err) == civic.NotFound {
			continue
		}
		if err != nil {
			return err
		}
		f.Versions = append(f.Versions, ruleVersion{Version: v, RuleText: s.ruleText(r, rule)})
	}
	return nil
}

func (s *Server) workerIndicator(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	f := indicatorForm{New: r.PathValue("code") == "new"}
	if f.New {
		f.In = earning.Indicator{Rule: earning.Rule{Kind: earning.Fixed, Points: 1}}
	} else {
		in, err := s.Earning.Indicator(r.Context(), a.CommunityID, r.PathValue("code"))
		if err != nil {
			return err
		}
		f.In = in
	}
	if err := s.indicatorForm(r, a, &f); err != nil {
		return err
	}
	return s.Render(w, r, "worker_indicator", f)
}

func (s *Server) workerIndicatorSave(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	f := indicatorForm{New: r.PostFormValue("new") == "1"}
	in := earning.Indicator{Code: strings.TrimSpace(r.PostFormValue("code")), Category: r.PostFormValue("category"),
		NameZH: r.PostFormValue("name_zh"), NameEN: r.PostFormValue("name_en"),
		DescZH: r.PostFormValue("desc_zh"), DescEN: r.PostFormValue("desc_en"),
		Rule: earning.Rule{Kind: earning.RuleKind(r.PostFormValue("kind")), Approval: r.PostFormValue("approval") == "1",
			ActiveFrom: r.PostFormValue("active_from"), ActiveTo: r.PostFormValue("active_to")}}
	var err error
	ints := []struct {
		name string
		to   *int64
	}{{"points", &in.Points}, {"min", &in.Min}, {"max", &in.Max}, {"cap_day", &in.CapDay}, {"cap_month", &in.CapMonth}, {"cap_year", &in.CapYear}}
	for _, n := range ints {
		if err == nil {
			*n.to, err = formInt(r, n.name, 0)
		}
	}
	var pos int64
	if err == nil {
		pos, err = formInt(r, "position", 0)
		in.Position = int(pos)
	}
	// Only the fields of the chosen rule count, so a stale hidden value of
	// another rule does not make a new version.
	switch in.Kind {
	case earning.Range:
		in.Points = 0
	default:
		in.Min, in.Max = 0, 0
	}
	var key idem.Key
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		f.Key = string(key) // a refused form is shown again with its key
		// A new indicator must not overwrite one with the same code; an edit
		// must name one that exists (the command refuses both).
		_, err = s.Earning.SaveIndicator(r.Context(), a, key, earning.IndicatorRequest{Community: a.CommunityID, New: f.New, Indicator: in})
		if !f.New && civic.ErrorCode(err) == civic.NotFound {
			return err // the indicator edited is gone: no form to show again
		}
	}
	if err != nil {
		f.In = in
		if derr := s.indicatorForm(r, a, &f); derr != nil && civic.ErrorCode(derr) != civic.NotFound {
			return derr
		}
		return s.reshow(w, r, err, "worker_indicator", f)
	}
	http.Redirect(w, r, "/worker/catalogue?saved="+in.Code, http.StatusSeeOther)
	return nil
}
