package web

import (
	"net/http"

	"civicpoints/internal/garden"
)

// Families browse free plots and seedlings (anyone may look), choose a mode
// with its terms shown plainly, and adopt.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/browse", Handler: (*Server).gardenBrowse})
	AddPage(Page{Method: "GET", Path: "/garden/adopt/{op}/{plot}", Roles: gardenAdopterRoles, Handler: (*Server).gardenAdopt})
	AddPage(Page{Method: "POST", Path: "/garden/adopt/{op}/{plot}", Roles: gardenAdopterRoles, Upload: garden.MaxPhoto, Handler: (*Server).gardenAdoptPost})
}

type browseData struct {
	Operators []garden.Operator
	Operator  garden.Operator
	Gardens   []garden.Garden
	Garden    garden.Garden
	Season    garden.Season
	HasSeason bool
	Plots     []garden.Plot
	Free      int
	LoggedIn  bool
}

func (s *Server) gardenBrowse(w http.ResponseWriter, r *http.Request) error {
	d, err := s.browseData(r)
	if err != nil {
		return err
	}
	return s.gardenPage(w, r, "garden_browse", nil, func() (any, error) { return d, nil })
}

func (s *Server) browseData(r *http.Request) (d browseData, err error) {
	ctx, q := r.Context(), r.URL.Query()
	_, d.LoggedIn = ActorFrom(ctx)
	if d.Operators, err = s.Garden.Operators(ctx); err != nil || len(d.Operators) == 0 {
		return d, err
	}
	d.Operator = d.Operators[0]
	for _, o := range d.Operators {
		if o.Slug == q.Get("op") {
			d.Operator = o
		}
	}
	if d.Gardens, err = s.Garden.Gardens(ctx, d.Operator.ID); err != nil || len(d.Gardens) == 0 {
		return d, err
	}
	d.Garden = d.Gardens[0]
	for _, g := range d.Gardens {
		if g.ID == q.Get("garden") {
			d.Garden = g
		}
	}
	if d.Season, _, d.HasSeason, err = s.gardenSeason(r, d.Operator.ID); err != nil || !d.HasSeason {
		return d, err
	}
	if d.Plots, err = s.Garden.Plots(ctx, d.Operator.ID, d.Garden.ID, d.Season.ID); err != nil {
		return d, err
	}
	for _, p := range d.Plots {
		if p.Taken == "" {
			d.Free++
		}
	}
	return d, nil
}

// modeView is a mode with its terms spelled out for a family.
type modeView struct {
	garden.Mode
	Fee                 string
	Care, Harvest, Risk string // i18n keys of the parties
}

type adoptData struct {
	Operator garden.Operator
	Garden   garden.Garden
	Plot     garden.Plot
	Seasons  []garden.Season
	Modes    []modeView
	Crops    []garden.Crop
	Key      string
	Form     garden.AdoptRequest
	MaxMB    int
}

func (s *Server) adoptData(r *http.Request, form garden.AdoptRequest) (d adoptData, err error) {
	ctx := r.Context()
	if d.Operator, err = s.Garden.Operator(ctx, r.PathValue("op")); err != nil {
		return d, err
	}
	if d.Plot, err = s.Garden.Plot(ctx, d.Operator.ID, r.PathValue("plot"), ""); err != nil {
		return d, err
	}
	gardens, err := s.Garden.Gardens(ctx, d.Operator.ID)
	if err != nil {
		return d, err
	}
	for _, g := range gardens {
		if g.ID == d.Plot.GardenID {
			d.Garden = g
		}
	}
	if d.Seasons, err = s.Garden.Seasons(ctx, d.Operator.ID, garden.Today(s.Clock.Now())); err != nil {
		return d, err
	}
	modes, err := s.Garden.Modes(ctx, d.Operator.ID)
	if err != nil {
		return d, err
	}
	for _, m := range modes {
		d.Modes = append(d.Modes, modeView{Mode: m, Fee: yuan(m.FeeFen), Care: "garden.party." + string(m.CareBy),
			Harvest: "garden.party." + string(m.HarvestBy), Risk: "garden.party." + string(m.Risk)})
	}
	if d.Crops, err = s.Garden.Crops(ctx, d.Operator.ID); err != nil {
		return d, err
	}
	if form.Mode == "" {
		form.Mode = garden.HalfHosted
	}
	if form.Season == "" {
		if se, _, ok, err := s.gardenSeason(r, d.Operator.ID); err == nil && ok {
			form.Season = se.ID
		}
	}
	if form.Crop == "" && d.Plot.Variety != "" {
		for _, c := range d.Crops {
			if c.Name == "南瓜" || c.Name == "Pumpkin" {
				form.Crop = c.ID
			}
		}
	}
	d.Form, d.Key, d.MaxMB = form, r.PostFormValue("key"), garden.MaxPhoto>>20
	if d.Key == "" {
		d.Key = newFormKey()
	}
	return d, nil
}

func (s *Server) gardenAdopt(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_adopt", nil, func() (any, error) { return s.adoptData(r, garden.AdoptRequest{}) })
}

func (s *Server) gardenAdoptPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	req := garden.AdoptRequest{Operator: r.PathValue("op"), Adopter: a.UserID, Plot: r.PathValue("plot")}
	err := gardenForm(r)
	if err == nil {
		req.Season, req.Mode, req.Crop = r.PostFormValue("season"), garden.ModeCode(r.PostFormValue("mode")), r.PostFormValue("crop")
		req.FamilyName, req.ChildNickname = r.PostFormValue("family_name"), r.PostFormValue("nickname")
		req.NicknameConsent, req.PhotoConsent = r.PostFormValue("nickname_consent") == "1", r.PostFormValue("photo_consent") == "1"
		req.Photo, err = gardenPhoto(r, "photo")
	}
	var got garden.Adoption
	if err == nil {
		k, kerr := commandKey(r)
		if err = kerr; err == nil {
			got, err = s.Garden.Adopt(r.Context(), a, k, req)
		}
	}
	if err != nil {
		req.Photo = nil
		return s.gardenPage(w, r, "garden_adopt", err, func() (any, error) { return s.adoptData(r, req) })
	}
	return gardenDone(w, r, "/garden/me/adoptions/"+got.Operator+"/"+got.ID, "adopted")
}
