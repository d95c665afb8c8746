package web

import (
	"net/http"

	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// The station's public thank-you list: anyone, logged in or not, can see who
// backs the community's integrity station (donors who agreed to be named).
func init() {
	AddPage(Page{Method: "GET", Path: "/c/{slug}/thanks", Handler: (*Server).publicThanks})
}

type thanksPage struct {
	Community registry.Community
	Donors    []station.DonorTotal
}

func (s *Server) publicThanks(w http.ResponseWriter, r *http.Request) error {
	c, err := registry.CommunityBySlug(r.Context(), s.DB, r.PathValue("slug"))
	if err != nil {
		return err
	}
	donors, err := station.Donors(r.Context(), s.DB, c.ID, true)
	if err != nil {
		return err
	}
	return s.Render(w, r, "public_thanks", thanksPage{Community: c, Donors: donors})
}
