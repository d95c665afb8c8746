package web

import (
	"html/template"
	"net/http"
	"strconv"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/garden"
)

// A plot's public page (its plate's QR code opens it), its photos, and the
// printable name plate in A6 and label sizes.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/plot/{op}/{id}", Handler: (*Server).gardenPlot})
	AddPage(Page{Method: "GET", Path: "/garden/photo/{op}/{id}", Handler: (*Server).gardenPhotoFile})
	AddPage(Page{Method: "GET", Path: "/garden/plate/{op}/{id}", Roles: []civic.Role{civic.RoleGardenOperator, civic.RoleGardenSteward, civic.RoleGardenAdopter},
		Handler: (*Server).gardenPlate})
}

func (s *Server) gardenPlot(w http.ResponseWriter, r *http.Request) error {
	pp, err := s.Garden.Public(r.Context(), r.PathValue("op"), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.Render(w, r, "garden_plot", pp)
}

func (s *Server) gardenPhotoFile(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	data, ctype, err := s.Garden.PhotoFor(r.Context(), a, r.PathValue("op"), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(data)
	return err
}

type plateData struct {
	garden.Plate
	QR      template.HTML
	URL     string
	Size    string // a6 or label
	Back    string
	OpID    string
	AdoptID string
}

func (s *Server) gardenPlate(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d, err := s.Garden.Detail(r.Context(), a, r.PathValue("op"), r.PathValue("id"))
	if err != nil {
		return err
	}
	p := plateData{Plate: garden.PlateOf(d), Size: "a6", OpID: d.Operator.ID, AdoptID: d.ID}
	if r.URL.Query().Get("size") == "label" {
		p.Size = "label"
	}
	scheme := "http"
	if r.TLS != nil || s.Cfg.CookieHTTPS {
		scheme = "https"
	}
	p.URL = scheme + "://" + r.Host + "/garden/plot/" + d.Operator.ID + "/" + d.Plot.ID
	svg, err := credit.QRSVG(p.URL)
	if err != nil {
		return err
	}
	p.QR = template.HTML(svg) // our own encoder's SVG: one path, no text from anyone
	p.Back = "/garden/me/adoptions/" + d.Operator.ID + "/" + d.ID
	if a.Role != civic.RoleGardenAdopter {
		p.Back = "/garden/op/adoptions/" + d.ID
	}
	return s.Render(w, r, "garden_plate", p)
}
