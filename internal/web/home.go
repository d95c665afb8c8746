package web

import (
	"context"
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// homeData is what every role's home page shows: who is logged in, where,
// and the links to the pages of their role.
type homeData struct {
	Name      string
	Role      civic.Role
	Community string // the community's name; empty for district and admin
	District  string
	Links     []NavLink
}

// home renders a role's home page, templates/<role>_home.html.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d, err := s.homeFor(r.Context(), a)
	if err != nil {
		return err
	}
	return s.Render(w, r, string(a.Role)+"_home", d)
}

// homeFor is what every home page shows of the actor.
func (s *Server) homeFor(ctx context.Context, a civic.Actor) (homeData, error) {
	d := homeData{Name: a.Name, Role: a.Role, Links: navFor(a.Role)}
	if a.CommunityID != "" {
		c, err := registry.CommunityByID(ctx, s.DB, a.CommunityID)
		if err != nil {
			return d, err
		}
		d.Community, d.District = c.Name, c.District
	} else if a.DistrictID != "" && s.District != nil {
		dt, err := s.District.ByID(ctx, a.DistrictID)
		if err != nil {
			return d, err
		}
		d.District = dt.Name
	}
	return d, nil
}
