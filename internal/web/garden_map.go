package web

import (
	"net/http"

	"civicpoints/internal/garden"
)

// The operator's map: each garden's grid with the season's plots free and
// taken, and each plot's size, variety and photo.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/op/map", Roles: gardenStaffRoles, Nav: "garden_pages.nav.map", Handler: (*Server).gardenMap})
	AddPage(Page{Method: "GET", Path: "/garden/op/plots/{id}", Roles: gardenOperatorRoles, Handler: (*Server).gardenOpPlot})
	AddPage(Page{Method: "POST", Path: "/garden/op/plots/{id}", Roles: gardenOperatorRoles, Upload: garden.MaxPhoto, Handler: (*Server).gardenOpPlotPost})
}

type mapData struct {
	Gardens   []garden.Garden
	Garden    garden.Garden
	Season    garden.Season
	Seasons   []garden.Season
	HasSeason bool
	Plots     []garden.Plot
	Operator  bool
}

func (s *Server) gardenMap(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.gardenPage(w, r, "garden_op_map", nil, func() (any, error) {
		d := mapData{Operator: a.Role == "garden_operator"}
		var err error
		if d.Gardens, err = s.Garden.Gardens(r.Context(), a.CommunityID); err != nil || len(d.Gardens) == 0 {
			return d, err
		}
		d.Garden = d.Gardens[0]
		for _, g := range d.Gardens {
			if g.ID == r.URL.Query().Get("garden") {
				d.Garden = g
			}
		}
		if d.Season, d.Seasons, d.HasSeason, err = s.gardenSeason(r, a.CommunityID); err != nil {
			return d, err
		}
		d.Plots, err = s.Garden.Plots(r.Context(), a.CommunityID, d.Garden.ID, d.Season.ID)
		return d, err
	})
}

type opPlotData struct {
	Plot  garden.Plot
	Op    string
	Key   string
	MaxMB int
}

func (s *Server) opPlotData(r *http.Request) (d opPlotData, err error) {
	a, _ := ActorFrom(r.Context())
	d.Op, d.Key, d.MaxMB = a.CommunityID, newFormKey(), garden.MaxPhoto>>20
	d.Plot, err = s.Garden.Plot(r.Context(), a.CommunityID, r.PathValue("id"), "")
	return d, err
}

func (s *Server) gardenOpPlot(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_op_plot", nil, func() (any, error) { return s.opPlotData(r) })
}

func (s *Server) gardenOpPlotPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	err := gardenForm(r)
	req := garden.SetPlotRequest{Operator: a.CommunityID, Plot: r.PathValue("id")}
	if err == nil {
		req.Variety, req.Giant = r.PostFormValue("variety"), r.PostFormValue("giant") == "1"
		req.SizeM2, err = formNumber(r, "size_m2", 0)
	}
	if err == nil {
		req.Photo, err = gardenPhoto(r, "photo")
	}
	if err == nil {
		key, kerr := commandKey(r)
		if err = kerr; err == nil {
			_, err = s.Garden.SetPlot(r.Context(), a, key, req)
		}
	}
	if err != nil {
		return s.gardenPage(w, r, "garden_op_plot", err, func() (any, error) { return s.opPlotData(r) })
	}
	return gardenDone(w, r, "/garden/op/plots/"+req.Plot, "saved")
}
