package api

// The catalogue: categories and indicators with their rules. Everyone who
// reads the community reads it; workers edit it (worker_catalogue.go).

import (
	"context"
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

type categoryItem struct {
	Code     string `json:"code" jsonschema:"example=volunteer"`
	NameZH   string `json:"name_zh" jsonschema:"example=志愿服务"`
	NameEN   string `json:"name_en" jsonschema:"example=Volunteer service"`
	Position int    `json:"position"`
}

func categoryOf(c earning.Category) categoryItem {
	return categoryItem{c.Code, c.NameZH, c.NameEN, c.Position}
}

type indicatorItem struct {
	Code       string `json:"code" jsonschema:"example=volunteer_hours"`
	Category   string `json:"category"`
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	DescZH     string `json:"desc_zh,omitempty"`
	DescEN     string `json:"desc_en,omitempty"`
	Position   int    `json:"position"`
	Version    int    `json:"version,omitempty" jsonschema:"readOnly=true" jsonschema_description:"the rule's version (answers only)"`
	Kind       string `json:"kind" jsonschema:"enum=hourly,enum=fixed,enum=range"`
	Points     int64  `json:"points" jsonschema_description:"hourly: per hour; fixed: each time"`
	Min        int64  `json:"min,omitempty"`
	Max        int64  `json:"max,omitempty"`
	CapDay     int64  `json:"cap_day,omitempty"`
	CapMonth   int64  `json:"cap_month,omitempty"`
	CapYear    int64  `json:"cap_year,omitempty"`
	ActiveFrom string `json:"active_from,omitempty" jsonschema:"format=date"`
	ActiveTo   string `json:"active_to,omitempty" jsonschema:"format=date"`
	Approval   bool   `json:"approval" jsonschema_description:"claims under it wait for a worker"`
}

func indicatorOf(i earning.Indicator) indicatorItem {
	return indicatorItem{i.Code, i.Category, i.NameZH, i.NameEN, i.DescZH, i.DescEN, i.Position, i.Version, string(i.Kind),
		i.Points, i.Min, i.Max, i.CapDay, i.CapMonth, i.CapYear, i.ActiveFrom, i.ActiveTo, i.Approval}
}

func (it indicatorItem) indicator() earning.Indicator {
	return earning.Indicator{Code: it.Code, Category: it.Category, NameZH: it.NameZH, NameEN: it.NameEN, DescZH: it.DescZH,
		DescEN: it.DescEN, Position: it.Position, Rule: earning.Rule{Kind: earning.RuleKind(it.Kind), Points: it.Points,
			Min: it.Min, Max: it.Max, CapDay: it.CapDay, CapMonth: it.CapMonth, CapYear: it.CapYear,
			ActiveFrom: it.ActiveFrom, ActiveTo: it.ActiveTo, Approval: it.Approval}}
}

// The catalogue is three categories and eight indicators, a few dozen at
// most: each list is one page.
func (s *Server) listCategories(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Earning.Categories(r.Context(), community(r))
	if err != nil {
		return err
	}
	return writeList(w, mapList(cs, categoryOf), "")
}

func (s *Server) listIndicators(w http.ResponseWriter, r *http.Request) error {
	is, err := s.Earning.Indicators(r.Context(), community(r))
	if err != nil {
		return err
	}
	return writeList(w, mapList(is, indicatorOf), "")
}

func (s *Server) getIndicator(w http.ResponseWriter, r *http.Request) error {
	i, err := s.Earning.Indicator(r.Context(), community(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, indicatorOf(i))
	return nil
}

// saveIndicator adds (POST, the code in the body) or changes (PUT, the code
// in the path) an indicator; a changed rule is a new version.
func saveIndicator(isNew bool) func(*Server, http.ResponseWriter, *http.Request) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request) error {
		req, err := readJSON[indicatorItem](r)
		if err != nil {
			return err
		}
		if err := pathOwns(r, "code", &req.Code, isNew); err != nil {
			return err
		}
		return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Indicator, error) {
			return s.Earning.SaveIndicator(ctx, by, key, earning.IndicatorRequest{Community: community(r), New: isNew, Indicator: req.indicator()})
		}, func(i earning.Indicator) any { return indicatorOf(i) })
	}
}

func saveCategory(isNew bool) func(*Server, http.ResponseWriter, *http.Request) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request) error {
		req, err := readJSON[categoryItem](r)
		if err != nil {
			return err
		}
		if err := pathOwns(r, "code", &req.Code, isNew); err != nil {
			return err
		}
		return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Category, error) {
			return s.Earning.SaveCategory(ctx, by, key, earning.CategoryRequest{Community: community(r), New: isNew,
				Category: earning.Category{Code: req.Code, NameZH: req.NameZH, NameEN: req.NameEN, Position: req.Position}})
		}, func(c earning.Category) any { return categoryOf(c) })
	}
}

// pathOwns fills a body field the path names on an edit (PUT …/{name}); a
// body that names another value is refused rather than silently overruled.
func pathOwns(r *http.Request, name string, field *string, isNew bool) error {
	if isNew {
		return required(name, *field)
	}
	v := r.PathValue(name)
	if *field != "" && *field != v {
		return civic.Errorf(civic.Invalid, "api.path_mismatch", "%s in the body (%q) differs from the path (%q)", name, *field, v)
	}
	*field = v
	return nil
}

func catalogueRoutes() []route {
	c := "/api/v1/communities/{c}"
	ind := indicatorItem{Code: "river_patrol", Category: "volunteer", NameZH: "护河巡查", NameEN: "River patrol", Kind: "hourly",
		Points: 1, CapDay: 8, Approval: true}
	cat := categoryItem{Code: "neighbourhood", NameZH: "邻里互助", NameEN: "Helping neighbours", Position: 4}
	return []route{
		{"GET", c + "/categories", readers, "catalogue:read", (*Server).listCategories, doc{tag: "catalogue",
			summary: "The catalogue's categories, in order", answer: page[categoryItem]{}}},
		{"POST", c + "/categories", workers, "catalogue:write", saveCategory(true), doc{tag: "catalogue",
			summary: "Add a category", body: categoryItem{}, answer: categoryItem{}, status: 201, example: cat}},
		{"PUT", c + "/categories/{code}", workers, "catalogue:write", saveCategory(false), doc{tag: "catalogue",
			summary: "Rename or move a category", desc: "The code never changes; indicators refer to it.",
			body: categoryItem{}, answer: categoryItem{}, status: 201, example: cat}},
		{"GET", c + "/indicators", readers, "catalogue:read", (*Server).listIndicators, doc{tag: "catalogue",
			summary: "The catalogue's indicators with their rules", answer: page[indicatorItem]{}}},
		{"GET", c + "/indicators/{code}", readers, "catalogue:read", (*Server).getIndicator, doc{tag: "catalogue",
			summary: "One indicator and its rule", answer: indicatorItem{}}},
		{"POST", c + "/indicators", workers, "catalogue:write", saveIndicator(true), doc{tag: "catalogue",
			summary: "Add an indicator", body: indicatorItem{}, answer: indicatorItem{}, status: 201, example: ind}},
		{"PUT", c + "/indicators/{code}", workers, "catalogue:write", saveIndicator(false), doc{tag: "catalogue",
			summary: "Change an indicator", desc: "A change to the rule adds a rule version; awards already made keep theirs.",
			body: indicatorItem{}, answer: indicatorItem{}, status: 201, example: ind}},
	}
}
