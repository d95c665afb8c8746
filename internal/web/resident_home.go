package web

import (
	"net/http"

	"civicpoints/internal/civic"
)

// The resident's home page: who they are, their credit card (points,
// credit points, level, progress, benefits) and the links to their pages.
func init() {
	AddPage(Page{Method: "GET", Path: "/resident", Roles: []civic.Role{civic.RoleResident}, Handler: (*Server).residentHome})
}

type residentHomeData struct {
	homeData
	Card *creditCard
}

func (s *Server) residentHome(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	h, err := s.homeFor(r.Context(), a)
	if err != nil {
		return err
	}
	d := residentHomeData{homeData: h}
	if d.Card, err = s.creditCard(r.Context(), a); err != nil {
		return err
	}
	return s.Render(w, r, "resident_home", d)
}
